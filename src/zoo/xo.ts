// The X-and-O toy network of the lecture, and a slightly larger one that trains on generated images.
import type { ZooEntry } from "./entry.js";

const citation = "B. Rohrer. How do Convolutional Neural Networks work? (blog post and video, 2016), the X-and-O example used in the lecture.";

export const xo: ZooEntry = {
  name: "xo",
  aliases: ["x-and-o", "xando", "x-o"],
  title: "X-and-O toy ConvNet (lecture)",
  source: `# The lecture's X-and-O network: is a 9x9 picture an X or an O?
INPUT 9x9x1         # pixels are -1 (background) or +1 (stroke)
CONV3-3/p0 RELU     # three 3x3 filters (a diagonal, a small x, the other diagonal)
                    # at stride 1, no padding -> 7x7x3
POOL2/same          # 2x2 max pooling, stride 2, keeping the partial windows at the border -> 4x4x3
FC-2 SOFTMAX        # every pooled value votes for X and for O -> 2 class probabilities
`,
  citation,
  notes: "Measured: 128 parameters: (3*3*1)*3 + 3 = 30 for the filters and 48*2 + 2 = 98 for the vote. The slides pool a 7x7 map to 4x4, which needs the partial windows kept (/same); exact pooling would be an error, (7 - 2)/2 + 1 = 3.5.",
};

export const xoTrainable: ZooEntry = {
  name: "xo-28",
  aliases: ["xo-trainable", "xo28"],
  title: "X-and-O ConvNet for 28x28 generated images (training notebook)",
  source: `# A small X-and-O network to train on generated 28x28 pictures with shifts, scaling,
# rotation and bold strokes (the lecture's "trickier cases").
INPUT 28x28x1
CONV5-8             # eight 5x5 filters, size kept -> 28x28x8
POOL2               # 14x14x8
CONV3-16            # sixteen 3x3 filters -> 14x14x16
POOL2               # 7x7x16
FC-2 SOFTMAX        # X or O
TRAIN(optimizer=adam, lr=1e-3, batch=32, epochs=10, validation=0.2)
`,
  citation,
  notes: "Measured: 2,946 parameters: 208 + 1,168 for the filters, 784*2 + 2 = 1,570 for the classifier. Convolutions keep the size (padding same), pools are exact (28 -> 14 -> 7).",
};

export const xoEntries: readonly ZooEntry[] = [xo, xoTrainable];
