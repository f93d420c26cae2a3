// DenseNet-121 as torchvision builds it: pre-activation (BN, ReLU, conv) layers joined by CAT.
import type { ZooEntry } from "./entry.js";

export const densenet121: ZooEntry = {
  name: "densenet-121",
  aliases: ["densenet121", "densenet"],
  title: "DenseNet-121 (Huang et al. 2017), torchvision's build",
  source: `# DenseNet-121 (Huang et al. 2017, Table 1) as torchvision builds it: growth rate k = 32,
# bottleneck layers of 4k = 128 channels, dense blocks of 6, 12, 24 and 16 layers, and
# transitions that halve the channels (1x1 conv) and the size (2x2 average pool).
# Layers are "pre-activation" (BN, ReLU, then conv), so nothing is implied here: activations
# are written, and convolutions have no bias (only the classifier has one).
DEFAULTS(activation=linear, bias=false)

# CAT[...] passes its input on and appends what its body computes: +k channels per layer.
def dense_layer(bottleneck, k) = CAT[ BN RELU CONV1-bottleneck  BN RELU CONV3-k ]
def dense_block(n) = [ dense_layer(128, 32) ]*n
def transition(c) = [ BN RELU CONV1-c  AVGPOOL2 ]

INPUT 224x224x3
CONV7-64/s2 BN RELU     # 112x112x64
POOL3/s2/p1/floor       # 56x56x64
dense_block(6)          # 56x56x256   (64 + 6*32)
transition(128)         # 28x28x128
dense_block(12)         # 28x28x512   (128 + 12*32)
transition(256)         # 14x14x256
dense_block(24)         # 14x14x1024  (256 + 24*32)
transition(512)         # 7x7x512
dense_block(16)         # 7x7x1024    (512 + 16*32)
BN RELU GAP             # 1024
FC-1000/bias SOFTMAX    # the classifier keeps its bias
`,
  citation: "G. Huang, Z. Liu, L. van der Maaten, K. Q. Weinberger. Densely Connected Convolutional Networks. CVPR 2017 (arXiv:1608.06993, 2016).",
  published: {
    params: 7_978_856,
    convention: "trainable parameters (weights + biases + BN's gamma and beta; BN's moving mean and variance excluded)",
    reference: "torchvision.models.densenet121 (num_params)",
  },
  notes: [
    "Measured: 7,978,856 trainable parameters (torchvision's count) and 83,648 non-trainable values",
    "(BN's moving mean and variance). The stem's max pool is 3x3 at stride 2 with pad 1, remainder",
    "dropped (/p1/floor), as PyTorch does. The channel counts after each block are written in the",
    "comments and given to transition() by hand: the language has no arithmetic (c/2).",
  ].join(" "),
};
