// The six VGG configurations of Simonyan & Zisserman's Table 1, one column per network.
import type { PublishedCount, ZooEntry } from "./entry.js";

const citation = "K. Simonyan, A. Zisserman. Very Deep Convolutional Networks for Large-Scale Image Recognition. ICLR 2015 (arXiv:1409.1556).";

/** The paper's Table 2, "number of parameters (in millions)", for A, A-LRN, B, C, D, E. */
export const vggTable2Millions: Readonly<Record<string, number>> = { "vgg-a": 133, "vgg-a-lrn": 133, "vgg-b": 133, "vgg-c": 134, "vgg-d": 138, "vgg-e": 144 };

const head = (column: string, depth: string) => `# VGG configuration ${column} (Simonyan & Zisserman 2014, Table 1): ${depth} weight layers.
# 3x3 convolutions at stride 1 keep the size (pad 1), 2x2 max pools at stride 2 halve it;
# ReLU after every CONV and FC (implied).`;

function torchvision(params: number, model: string): PublishedCount {
  return { params, convention: "weights + biases", reference: `torchvision.models.${model} (num_params); the paper's Table 2 rounds it to millions` };
}

export const vggA: ZooEntry = {
  name: "vgg-a",
  aliases: ["vgg11", "vgg-11"],
  title: "VGG-A, 11 weight layers (VGG11)",
  source: `${head("A", "11")}
INPUT 224x224x3
CONV3-64            POOL2   # 112x112x64
CONV3-128           POOL2   # 56x56x128
[CONV3-256]x2       POOL2   # 28x28x256
[CONV3-512]x2       POOL2   # 14x14x512
[CONV3-512]x2       POOL2   # 7x7x512
FC-4096 FC-4096 FC-1000 SOFTMAX
`,
  citation,
  published: torchvision(132_863_336, "vgg11"),
  notes: "Measured: 132,863,336 parameters (weights + biases); Table 2: 133 million. Dropout (0.5 after the first two FC layers in training) is left out, as in Table 1.",
};

export const vggALrn: ZooEntry = {
  name: "vgg-a-lrn",
  aliases: ["vgg11-lrn", "vgg-11-lrn", "vgg-alrn"],
  title: "VGG-A-LRN, 11 weight layers with local response normalization",
  source: `${head("A-LRN", "11")} LRN after the first layer.
INPUT 224x224x3
CONV3-64 LRN        POOL2   # 112x112x64
CONV3-128           POOL2   # 56x56x128
[CONV3-256]x2       POOL2   # 28x28x256
[CONV3-512]x2       POOL2   # 14x14x512
[CONV3-512]x2       POOL2   # 7x7x512
FC-4096 FC-4096 FC-1000 SOFTMAX
`,
  citation,
  notes: "Measured: 132,863,336 parameters, the same as A (LRN has no parameters); Table 2: 133 million. The paper found LRN did not help (Table 3).",
};

export const vggB: ZooEntry = {
  name: "vgg-b",
  aliases: ["vgg13", "vgg-13"],
  title: "VGG-B, 13 weight layers (VGG13)",
  source: `${head("B", "13")}
INPUT 224x224x3
[CONV3-64]x2        POOL2   # 112x112x64
[CONV3-128]x2       POOL2   # 56x56x128
[CONV3-256]x2       POOL2   # 28x28x256
[CONV3-512]x2       POOL2   # 14x14x512
[CONV3-512]x2       POOL2   # 7x7x512
FC-4096 FC-4096 FC-1000 SOFTMAX
`,
  citation,
  published: torchvision(133_047_848, "vgg13"),
  notes: "Measured: 133,047,848 parameters (weights + biases); Table 2: 133 million.",
};

export const vggC: ZooEntry = {
  name: "vgg-c",
  aliases: ["vgg16-c", "vgg-16-c", "vgg16c"],
  title: "VGG-C, 16 weight layers with 1x1 convolutions",
  source: `${head("C", "16")} A 1x1 convolution ends each of the last three blocks.
INPUT 224x224x3
[CONV3-64]x2                POOL2   # 112x112x64
[CONV3-128]x2               POOL2   # 56x56x128
[CONV3-256]x2  CONV1-256    POOL2   # 28x28x256
[CONV3-512]x2  CONV1-512    POOL2   # 14x14x512
[CONV3-512]x2  CONV1-512    POOL2   # 7x7x512
FC-4096 FC-4096 FC-1000 SOFTMAX
`,
  citation,
  notes: "Measured: 133,638,952 parameters (weights + biases): B plus one 1x1 CONV-256 (65,792) and two 1x1 CONV-512 (262,656 each). Table 2: 134 million. No framework ships C, so there is no exact published count.",
};

/** Configuration D, VGG16: exactly the design card's line, broken into the table's blocks. */
export const vggD: ZooEntry = {
  name: "vgg-d",
  aliases: ["vgg16", "vgg-16"],
  title: "VGG-D, 16 weight layers (VGG16)",
  source: `${head("D", "16")}
INPUT 224x224x3
[CONV3-64]x2   POOL2   # 112x112x64
[CONV3-128]x2  POOL2   # 56x56x128
[CONV3-256]x3  POOL2   # 28x28x256
[CONV3-512]x3  POOL2   # 14x14x512
[CONV3-512]x3  POOL2   # 7x7x512
FC-4096 FC-4096 FC-1000 SOFTMAX
`,
  citation,
  published: torchvision(138_357_544, "vgg16"),
  notes: "Measured: 138,357,544 parameters (138,344,128 weights + 13,416 biases); Table 2: 138 million. The cs231n memory/params table is this network. Dropout is left out, as in Table 1.",
};

export const vggE: ZooEntry = {
  name: "vgg-e",
  aliases: ["vgg19", "vgg-19"],
  title: "VGG-E, 19 weight layers (VGG19)",
  source: `${head("E", "19")}
INPUT 224x224x3
[CONV3-64]x2   POOL2   # 112x112x64
[CONV3-128]x2  POOL2   # 56x56x128
[CONV3-256]x4  POOL2   # 28x28x256
[CONV3-512]x4  POOL2   # 14x14x512
[CONV3-512]x4  POOL2   # 7x7x512
FC-4096 FC-4096 FC-1000 SOFTMAX
`,
  citation,
  published: torchvision(143_667_240, "vgg19"),
  notes: "Measured: 143,667,240 parameters (weights + biases); Table 2: 144 million.",
};

export const vggEntries: readonly ZooEntry[] = [vggA, vggALrn, vggB, vggC, vggD, vggE];
