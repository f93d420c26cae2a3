#!/usr/bin/python3
"""PyTorch CPU reference throughput for the networks of bench/throughput.ts.

Run with Debian's Python (`/usr/bin/python3`, package python3-torch):
    /usr/bin/python3 bench/pytorch/throughput.py [--seconds=4] [--threads=N]
Prints one JSON line:
{"ok": true, "lenet_train": ..., "lenet_infer": ..., "vgg_train": ..., ..., "resnet_infer": ...,
 "steal_percent": ...}
in images per second (batch 64, Adam, all cores), with the share of CPU time the hypervisor gave
to other guests meanwhile, or {"ok": false, "why": ...} when torch is missing. Networks (same as bench/networks.ts, NCHW here):
  LeNet-5:   1x28x28, CONV5-6 same, POOL2, CONV5-16 valid, POOL2, FC-120, FC-84, FC-10
  small VGG: 3x32x32, 2x CONV3-32, POOL2, 2x CONV3-64, POOL2, FC-10
  ResNet-8:  3x32x32, CONV3-16 BN ReLU, residual blocks of 16, 32/s2, 64/s2 channels (two CONV3
             with BN; 1x1/s2 projection with BN where the shape changes), global average pool, FC-10
  VGG-6:     3x64x64, 2x CONV3-32, POOL2, 2x CONV3-64, POOL2, 2x CONV3-128, POOL2, FC-256, DROPOUT 0.5, FC-10
--networks=lenet,vgg,resnet picks some.
"""
import json
import os
import sys
import time

BATCH = 64


def option(argv, name, default, kind):
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return kind(arg.split("=", 1)[1])
    return default


def main():
    try:
        import torch
        from torch import nn
    except ImportError as e:
        print(json.dumps({"ok": False, "why": f"torch is not importable ({e}); apt-get install python3-torch"}))
        return

    # All cores by default; --threads=N is only for diagnosing contention on a shared machine.
    torch.set_num_threads(option(sys.argv[1:], "threads", os.cpu_count() or 1, int))
    torch.manual_seed(0)
    seconds = option(sys.argv[1:], "seconds", 4.0, float)

    def lenet():
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )

    def small_vgg():
        return nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(64 * 8 * 8, 10),
        )

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout),
            )
            self.shortcut = (
                nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                if stride != 1 or cin != cout else nn.Identity()
            )

        def forward(self, x):
            return torch.relu(self.body(x) + self.shortcut(x))

    def resnet8():
        return nn.Sequential(
            nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10),
        )

    def per_run(fn, budget):
        """Seconds per call of fn, repeated for at least `budget` seconds and 3 calls."""
        start = time.perf_counter()
        runs = 0
        while runs < 3 or time.perf_counter() - start < budget:
            fn()
            runs += 1
        return (time.perf_counter() - start) / runs

    def measure(build, shape):
        model = build()
        # Softmax cross-entropy on logits, as tf's categoricalCrossentropy on a softmax output.
        loss_fn = nn.CrossEntropyLoss()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(BATCH, *shape)
        y = torch.randint(0, 10, (BATCH,))

        def train():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()

        def infer():
            with torch.no_grad():
                model(x)

        model.train()
        for _ in range(3):
            train()
        train_s = per_run(train, seconds)
        model.eval()
        for _ in range(3):
            infer()
        infer_s = per_run(infer, seconds / 2)
        return BATCH / train_s, BATCH / infer_s

    def steal_ticks():
        """(stolen, total) CPU clock ticks so far, from /proc/stat (zeros where there is none)."""
        try:
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
            return fields[7], sum(fields)
        except (OSError, IndexError, ValueError):
            return 0, 0

    def vgg6():
        layers = []
        channels = 3
        for filters in (32, 32, 0, 64, 64, 0, 128, 128, 0):
            if filters == 0:
                layers.append(nn.MaxPool2d(2))
            else:
                layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU()]
                channels = filters
        return nn.Sequential(*layers, nn.Flatten(), nn.Linear(128 * 8 * 8, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))

    networks = {"lenet": (lenet, (1, 28, 28)), "vgg": (small_vgg, (3, 32, 32)), "resnet": (resnet8, (3, 32, 32)), "vgg6": (vgg6, (3, 64, 64))}
    wanted = option(sys.argv[1:], "networks", ",".join(networks), str).split(",")
    result = {"ok": True, "torch": torch.__version__, "threads": torch.get_num_threads()}
    stolen0, total0 = steal_ticks()
    for name in wanted:
        build, shape = networks[name]
        result[f"{name}_train"], result[f"{name}_infer"] = measure(build, shape)
    stolen1, total1 = steal_ticks()
    result["steal_percent"] = 100 * (stolen1 - stolen0) / (total1 - total0) if total1 > total0 else 0
    print(json.dumps(result))


if __name__ == "__main__":
    main()
