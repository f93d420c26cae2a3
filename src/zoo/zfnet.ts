// ZFNet: AlexNet with a smaller, denser first layer, as in Fig. 3 of Zeiler & Fergus.
import type { ZooEntry } from "./entry.js";

export const zfnet: ZooEntry = {
  name: "zfnet",
  aliases: ["zf-net", "zf", "zeiler-fergus"],
  title: "ZFNet (Zeiler & Fergus 2013)",
  source: `# ZFNet (Zeiler & Fergus 2013, Fig. 3): AlexNet's layout with 7x7 filters at stride 2 in
# layer 1 (instead of 11x11 at stride 4) and stride 2 in layer 2, one tower.
# Where the paper's sizes need it, the border rule is written out (see the notes).
INPUT 224x224x3
CONV7-96/s2/p1/floor   # layer 1: 96 7x7 filters, stride 2 -> 110x110x96
                       #          ((224 - 7 + 2)/2 + 1 = 110.5, rounded down)
POOL3/s2/same          #          3x3 max pool, stride 2 -> 55x55x96 (the last partial window kept)
NORM                   #          contrast normalization across feature maps
CONV5-256/s2/p0        # layer 2: 256 5x5 filters, stride 2 -> 26x26x256  ((55 - 5)/2 + 1 = 26)
POOL3/s2/same          #          3x3 max pool, stride 2 -> 13x13x256
NORM
CONV3-384/p1           # layer 3: 384 3x3 filters -> 13x13x384
CONV3-384/p1           # layer 4: 384 3x3 filters -> 13x13x384
CONV3-256/p1           # layer 5: 256 3x3 filters -> 13x13x256
POOL3/s2               #          3x3 max pool, stride 2 -> 6x6x256  ((13 - 3)/2 + 1 = 6)
FC-4096 DROPOUT0.5     # layer 6
FC-4096 DROPOUT0.5     # layer 7
FC-1000 SOFTMAX        # output: 1000 classes

# The paper: SGD with mini-batches of 128, learning rate 1e-2 annealed by hand, momentum 0.9,
# dropout 0.5 in layers 6 and 7.
TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, batch=128,
      schedule=plateau(factor=0.1, monitor=val_accuracy))
`,
  citation: "M. D. Zeiler, R. Fergus. Visualizing and Understanding Convolutional Networks. ECCV 2014 (arXiv:1311.2901, 2013).",
  notes: [
    "Measured: 62,357,608 parameters (weights + biases); the paper gives no total. Only layer 1 differs",
    "from the one-tower AlexNet in parameters (14,208 instead of 34,944). Borders, chosen to reproduce",
    "Fig. 3's sizes: layer 1 is 7x7 at stride 2 with pad 1 and the remainder dropped as PyTorch does",
    "(/p1/floor: 224 -> 110; no padding would give 109, TensorFlow's same 112); the two first pools keep",
    "the last partial window (/same, the same as Caffe's ceil rounding: 110 -> 55, 26 -> 13); layer 2",
    "(55 -> 26) and the last pool (13 -> 6) fit exactly without padding.",
  ].join(" "),
};
