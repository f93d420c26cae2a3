// GoogLeNet (Inception v1) laid out like Table 1 of Szegedy et al., one inception per line.
import type { ZooEntry } from "./entry.js";

/** The paper's auxiliary classifier (Section 5): pool 5x5/3, 1x1 conv to 128, FC-1024, dropout 0.7, FC-1000. */
const auxiliaryHead = "AUX(weight=0.3)[ AVGPOOL5/s3  CONV1-128  FC-1024  DROPOUT0.7  FC-1000 SOFTMAX ]";

export const googlenet: ZooEntry = {
  name: "googlenet",
  aliases: ["inception-v1", "inceptionv1", "inception"],
  title: "GoogLeNet / Inception v1 (Szegedy et al. 2014)",
  source: `# GoogLeNet (Szegedy et al. 2014, Table 1), without the two auxiliary classifiers.
# An inception module runs four branches on the same input and stacks their outputs:
# 1x1 | 1x1 reduce then 3x3 | 1x1 reduce then 5x5 | 3x3 max pool then 1x1 projection.
# Every convolution has a bias and ReLU; every size is kept inside a module.
def inception(n1x1, n3x3red, n3x3, n5x5red, n5x5, poolproj) = {
    CONV1-n1x1
  | CONV1-n3x3red  CONV3-n3x3
  | CONV1-n5x5red  CONV5-n5x5
  | POOL3/s1/same  CONV1-poolproj
}

INPUT 224x224x3
CONV7-64/s2  POOL3/s2/same  NORM          # 112x112x64, 56x56x64
CONV1-64  CONV3-192  NORM  POOL3/s2/same  # 56x56x192, 28x28x192
#         #1x1 #3x3red #3x3 #5x5red #5x5 pool proj
inception(  64,    96,  128,    16,   32,   32)     # 3a: 28x28x256
inception( 128,   128,  192,    32,   96,   64)     # 3b: 28x28x480
POOL3/s2/same                                       # 14x14x480
inception( 192,    96,  208,    16,   48,   64)     # 4a: 14x14x512
inception( 160,   112,  224,    24,   64,   64)     # 4b: 14x14x512
inception( 128,   128,  256,    24,   64,   64)     # 4c: 14x14x512
inception( 112,   144,  288,    32,   64,   64)     # 4d: 14x14x528
inception( 256,   160,  320,    32,  128,  128)     # 4e: 14x14x832
POOL3/s2/same                                       # 7x7x832
inception( 256,   160,  320,    32,  128,  128)     # 5a: 7x7x832
inception( 384,   192,  384,    48,  128,  128)     # 5b: 7x7x1024
GAP  DROPOUT0.4  FC-1000  SOFTMAX                   # 7x7 average pool: 1024, linear: 1000
`,
  citation: "C. Szegedy, W. Liu, Y. Jia, P. Sermanet, S. Reed, D. Anguelov, D. Erhan, V. Vanhoucke, A. Rabinovich. Going Deeper with Convolutions. CVPR 2015 (arXiv:1409.4842, 2014).",
  notes: [
    "Measured: 6,998,552 parameters (6,990,272 weights + 8,280 biases), the count usually reported",
    "for the BVLC Caffe model without its auxiliary classifiers; the paper gives no exact total",
    "(\"12 times fewer parameters than\" AlexNet). Every output size matches Table 1. Its params column",
    "is in units of 1024 and agrees with the filter columns for conv2, 3a, 3b, 4b and the linear layer",
    "to the table's rounding, and within 1% for 4a, 4e; it does not for conv1 (2.7K; 7*7*3*64 = 9,408",
    "weights = 9.2K), 4c (463K vs 497.5K), 4d (580K vs 590.5K), 5a (1072K vs 1018K) and 5b (1388K vs",
    "1409K). The ops column agrees with the filter columns everywhere except conv1 and 5a, so the",
    "network follows the filter columns. Pools use /same (partial windows kept: Caffe's ceil rounding",
    "gives the same sizes); the 7x7 average pool is written GAP (1x1x1024 as a vector of 1024).",
  ].join(" "),
};

/** GoogLeNet with both auxiliary classifiers, as trained in the paper. */
export const googlenetAux: ZooEntry = {
  name: "googlenet-aux",
  aliases: ["inception-v1-aux", "googlenet-with-aux"],
  title: "GoogLeNet with its two auxiliary classifiers (Szegedy et al. 2014)",
  source: googlenet.source
    .replace("without the two auxiliary classifiers.", `with the two auxiliary classifiers of
# Section 5: side heads on the outputs of 4a and 4d whose losses are added with weight 0.3 in
# training; at inference they are dropped.`)
    .replace("# 4a: 14x14x512\n", `# 4a: 14x14x512\n${auxiliaryHead}  # 4x4x512 -> 1000\n`)
    .replace("# 4d: 14x14x528\n", `# 4d: 14x14x528\n${auxiliaryHead}  # 4x4x528 -> 1000\n`),
  citation: googlenet.citation,
  notes: [
    "Measured: 13,378,280 parameters in training, 6,998,552 of them in the network used at inference and",
    "6,379,728 in the two heads (3,188,840 on 4a's 512 channels, 3,190,888 on 4d's 528). Each head is the",
    "paper's: 5x5 average pooling at stride 3 (14x14 to 4x4, exactly), a 1x1 convolution to 128 with ReLU,",
    "FC-1024 with ReLU, dropout 0.7, and a softmax classifier over the same 1000 classes, its loss added",
    "with weight 0.3. The paper gives no exact total.",
  ].join(" "),
};
