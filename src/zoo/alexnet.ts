// AlexNet as one tower, laid out like the cs231n slide (CONV1 ... FC8).
import type { ZooEntry } from "./entry.js";

export const alexnet: ZooEntry = {
  name: "alexnet",
  aliases: ["alex-net", "alexnet-1tower"],
  title: "AlexNet (Krizhevsky et al. 2012), one tower",
  source: `# AlexNet (Krizhevsky, Sutskever & Hinton 2012) as one tower, as on the cs231n slide.
# The paper split every CONV and FC layer over two GPUs; here each layer is whole.
INPUT 227x227x3
CONV11-96/s4/p0      # CONV1: 96 11x11 filters at stride 4, pad 0 -> 55x55x96
POOL3/2              # POOL1: 3x3 filters at stride 2 -> 27x27x96
NORM                 # NORM1: normalization layer -> 27x27x96
CONV5-256/p2         # CONV2: 256 5x5 filters at stride 1, pad 2 -> 27x27x256
POOL3/2              # POOL2: 3x3 filters at stride 2 -> 13x13x256
NORM                 # NORM2: normalization layer -> 13x13x256
CONV3-384/p1         # CONV3: 384 3x3 filters at stride 1, pad 1 -> 13x13x384
CONV3-384/p1         # CONV4: 384 3x3 filters at stride 1, pad 1 -> 13x13x384
CONV3-256/p1         # CONV5: 256 3x3 filters at stride 1, pad 1 -> 13x13x256
POOL3/2              # POOL3: 3x3 filters at stride 2 -> 6x6x256
FC-4096 DROPOUT0.5   # FC6: 4096 neurons
FC-4096 DROPOUT0.5   # FC7: 4096 neurons
FC-1000 SOFTMAX      # FC8: 1000 neurons (class scores)

# Details from the slide: ReLU, dropout 0.5, batch size 128, SGD momentum 0.9,
# learning rate 1e-2 divided by 10 by hand when val accuracy plateaus, L2 weight decay 5e-4.
TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, l2=5e-4, batch=128,
      schedule=plateau(factor=0.1, monitor=val_accuracy))
`,
  citation: "A. Krizhevsky, I. Sutskever, G. E. Hinton. ImageNet classification with deep convolutional neural networks. NIPS 2012.",
  published: {
    params: 62_378_344,
    convention: "weights + biases; one tower (no two-GPU split)",
    reference: "the per-layer counts of the one-tower AlexNet of the cs231n lecture (the paper says \"60 million parameters\")",
  },
  notes: [
    "Measured: 62,378,344 parameters (62,367,776 weights + 10,568 biases). Input 227x227 (not the",
    "paper's 224) so that CONV1 at stride 4, pad 0 gives a whole 55; pools are 3x3 at stride 2 with no",
    "padding and every size comes out whole. The two-GPU split of the paper (CONV2, CONV4, CONV5 seeing",
    "only their own GPU's half of the maps) would have fewer parameters (60,965,224); it is not",
    "expressible as written here.",
  ].join(" "),
};
