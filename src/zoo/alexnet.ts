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
# learning rate 1e-2 divided by 10 by hand when val accuracy plateaus, L2 weight decay 5e-4
# (the paper's lambda in w <- w - lr*lambda*w - lr*dL/dw: the same as l2=2.5e-4 on sum(w^2)).
TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, weight_decay=5e-4, batch=128,
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
    "padding and every size comes out whole. The paper's two-GPU split (CONV2, CONV4, CONV5 seeing only",
    "their own GPU's half of the maps) has fewer parameters, 60,965,224: it is the zoo's alexnet-2gpu.",
  ].join(" "),
};

/** The paper's Figure 2: two GPUs, each holding half of every layer's filters. */
export const alexnet2gpu: ZooEntry = {
  name: "alexnet-2gpu",
  aliases: ["alexnet-two-towers", "alexnet-paper", "alexnet-2-gpu"],
  title: "AlexNet (Krizhevsky et al. 2012), two GPU towers as in the paper",
  source: `# AlexNet (Krizhevsky, Sutskever & Hinton 2012) as Figure 2 of the paper draws it: two GPUs,
# each holding half of every layer's filters. /g2 splits a layer's input channels and filters in
# two groups: each GPU's filters see only the maps on their own GPU. The GPUs exchange maps only
# at CONV3 and at the FC layers, which see the maps of both.
INPUT 227x227x3
CONV11-96/s4/p0      # CONV1: 48 filters per GPU, each on the whole image   -> 55x55x96
NORM POOL3/2         # response normalization, then overlapping pooling   -> 27x27x96
CONV5-256/p2/g2      # CONV2: 128 per GPU, on its own GPU's 48 maps         -> 27x27x256
NORM POOL3/2         #                                                     -> 13x13x256
CONV3-384/p1         # CONV3: 192 per GPU, on all 256 maps of both GPUs     -> 13x13x384
CONV3-384/p1/g2      # CONV4: 192 per GPU, on its own 192 maps              -> 13x13x384
CONV3-256/p1/g2      # CONV5: 128 per GPU, on its own 192 maps              -> 13x13x256
POOL3/2              #                                                     -> 6x6x256
FC-4096 DROPOUT0.5   # FC6: 2048 per GPU, each on all 9216 values
FC-4096 DROPOUT0.5   # FC7
FC-1000 SOFTMAX      # FC8: the 1000 class scores

TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, weight_decay=5e-4, batch=128,
      schedule=plateau(factor=0.1, monitor=val_accuracy))
`,
  citation: alexnet.citation,
  published: {
    params: 60_965_224,
    convention: "weights + biases; two towers (CONV2, CONV4, CONV5 grouped in two)",
    reference: "the BVLC Caffe model bvlc_alexnet (group: 2 on conv2, conv4, conv5), which PyTorch counts the same",
  },
  notes: [
    "Measured: 60,965,224 parameters. Against the one-tower network (62,378,344), CONV2, CONV4 and CONV5",
    "have half their weights: each filter spans 48, 192 and 192 maps instead of 96, 384 and 384.",
    "Response normalization comes before pooling, as in the paper (the cs231n slide lists them the other",
    "way round); input 227x227 so that every size is whole.",
  ].join(" "),
};
