#!/usr/bin/python3
"""PyTorch CPU reference throughput for the two networks of bench/throughput.ts.

Run with Debian's Python (`/usr/bin/python3`, package python3-torch):
    /usr/bin/python3 bench/pytorch/throughput.py [--seconds=4] [--threads=N]
Prints one JSON line:
{"ok": true, "lenet_train": ..., "vgg_train": ..., "lenet_infer": ..., "vgg_infer": ...} in
images per second (batch 64, Adam, all cores), or {"ok": false, "why": ...} when torch is
missing. Networks (same as bench/networks.ts, NCHW here):
  LeNet-5:   1x28x28, CONV5-6 same, POOL2, CONV5-16 valid, POOL2, FC-120, FC-84, FC-10
  small VGG: 3x32x32, 2x CONV3-32, POOL2, 2x CONV3-64, POOL2, FC-10
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

    lenet_train, lenet_infer = measure(lenet, (1, 28, 28))
    vgg_train, vgg_infer = measure(small_vgg, (3, 32, 32))
    print(json.dumps({
        "ok": True,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "lenet_train": lenet_train,
        "vgg_train": vgg_train,
        "lenet_infer": lenet_infer,
        "vgg_infer": vgg_infer,
    }))


if __name__ == "__main__":
    main()
