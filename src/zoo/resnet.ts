// ResNet-18/34 (basic blocks) and ResNet-50/101/152 (bottleneck blocks) as torchvision builds them,
// laid out like Table 1 of He et al.: one line per stage, conv2_x to conv5_x.
import type { ZooEntry } from "./entry.js";

const citation = "K. He, X. Zhang, S. Ren, J. Sun. Deep Residual Learning for Image Recognition. CVPR 2016 (arXiv:1512.03385, 2015).";

/** conv2_x ... conv5_x: the filters of the block's 3x3 (and 1x1 reduce) layers, and the output size. */
const stages = [
  { name: "conv2_x", width: 64, size: "56x56" },
  { name: "conv3_x", width: 128, size: "28x28" },
  { name: "conv4_x", width: 256, size: "14x14" },
  { name: "conv5_x", width: 512, size: "7x7" },
] as const;

const stem = `INPUT 224x224x3
CONV7-64/s2 BN          # conv1: 7x7, 64, stride 2 -> 112x112x64 (no bias: BN follows)
POOL3/s2/p1/floor       # 3x3 max pool, stride 2, pad 1 -> 56x56x64`;

/** One stage: the first block (which may shrink the size) and the rest, written as a repetition. */
function stageLine(call: (s: number) => string, blocks: number, stage: (typeof stages)[number], channels: number, index: number): string {
  const stride = index === 0 ? 1 : 2;
  const rest = blocks - 1;
  const repeated = (n: number) => (n === 1 ? call(1) : `[${call(1)}]x${n}`);
  const text = stride === 1 ? repeated(blocks) : rest > 0 ? `${call(stride)}  ${repeated(rest)}` : call(stride);
  return `${text.padEnd(56)}  # ${stage.name}: ${stage.size}x${channels}`;
}

function basicResNet(depth: number, blocks: readonly number[]): string {
  const lines = stages.map((stage, i) => stageLine((s) => `basic(${stage.width}, ${s})`, blocks[i]!, stage, stage.width, i));
  return `# ResNet-${depth} (He et al. 2015, Table 1) as torchvision builds it: basic blocks of two 3x3
# convolutions, each followed by batch norm (so the convolutions have no bias).
# RES adds the block's input to its output, then applies ReLU; where the size or depth changes,
# the shortcut gets a 1x1 convolution at the block's stride plus BN by itself.
def basic(c, s) = RES[ CONV3-c/stride=s BN  CONV3-c BN ]

${stem}
${lines.join("\n")}
GAP FC-1000 SOFTMAX     # global average pool -> 512, 1000 classes
`;
}

function bottleneckResNet(depth: number, blocks: readonly number[]): string {
  const lines = stages.map((stage, i) => stageLine((s) => `bottleneck(${stage.width}, ${stage.width * 4}, ${s})`, blocks[i]!, stage, stage.width * 4, i));
  return `# ResNet-${depth} (He et al. 2015, Table 1) as torchvision builds it: bottleneck blocks of
# 1x1 (reduce to mid), 3x3 (mid, with the stride: "ResNet v1.5") and 1x1 (expand to out = 4*mid),
# each followed by batch norm (so the convolutions have no bias).
# RES adds the block's input to its output, then applies ReLU; where the size or depth changes,
# the shortcut gets a 1x1 convolution at the block's stride plus BN by itself.
def bottleneck(mid, out, s) = RES[ CONV1-mid BN  CONV3-mid/stride=s BN  CONV1-out BN ]

${stem}
${lines.join("\n")}
GAP FC-1000 SOFTMAX     # global average pool -> 2048, 1000 classes
`;
}

function resnet(depth: number, blocks: readonly number[], params: number): ZooEntry {
  const bottleneck = depth >= 50;
  return {
    name: `resnet-${depth}`,
    aliases: [`resnet${depth}`],
    title: `ResNet-${depth} (He et al. 2015), torchvision's build`,
    source: bottleneck ? bottleneckResNet(depth, blocks) : basicResNet(depth, blocks),
    citation,
    published: {
      params,
      convention: "trainable parameters (weights + biases + BN's gamma and beta; BN's moving mean and variance excluded)",
      reference: `torchvision.models.resnet${depth} (num_params)`,
    },
    notes: [
      `Measured: ${params.toLocaleString("en-US")} trainable parameters, torchvision's count.`,
      `Blocks per stage: ${blocks.join(", ")} (${bottleneck ? "bottleneck" : "basic"}).`,
      "BN's moving mean and variance are counted separately as non-trainable values (Keras counts them in its",
      "total). The max pool is 3x3 at stride 2 with pad 1, remainder dropped (/p1/floor), as PyTorch does;",
      "the strided 3x3 convolutions keep ceil(N/2), the same sizes as PyTorch's pad 1.",
      bottleneck ? "The stride sits on the 3x3 convolution as in torchvision (the paper put it on the first 1x1; the count is the same)." : "",
    ].join(" ").trim(),
  };
}

export const resnet18 = resnet(18, [2, 2, 2, 2], 11_689_512);
export const resnet34 = resnet(34, [3, 4, 6, 3], 21_797_672);
export const resnet50 = resnet(50, [3, 4, 6, 3], 25_557_032);
export const resnet101 = resnet(101, [3, 4, 23, 3], 44_549_160);
export const resnet152 = resnet(152, [3, 8, 36, 3], 60_192_808);

export const resnetEntries: readonly ZooEntry[] = [resnet18, resnet34, resnet50, resnet101, resnet152];
