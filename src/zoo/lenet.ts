// LeNet-5 in today's usual form (the one most courses and frameworks build).
import type { ZooEntry } from "./entry.js";

export const lenet5: ZooEntry = {
  name: "lenet-5",
  aliases: ["lenet", "lenet5"],
  title: "LeNet-5 (LeCun et al. 1998), modern form",
  source: `# LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998) as it is usually built today:
# every C3 map sees all six S2 maps, subsampling is plain 2x2 averaging without
# parameters, and the output layer is fully connected (the paper used RBF units).
# Tanh after every layer, as in the paper.
DEFAULTS(activation=tanh)

INPUT 32x32x1       # a 28x28 digit, padded to 32x32
CONV5-6/p0          # C1: 28x28x6,   (5*5*1)*6 + 6      =    156 parameters
AVGPOOL2            # S2: 14x14x6
CONV5-16/p0         # C3: 10x10x16,  (5*5*6)*16 + 16    =  2,416 (the paper's partial table: 1,516)
AVGPOOL2            # S4: 5x5x16
CONV5-120/p0        # C5: 1x1x120,   (5*5*16)*120 + 120 = 48,120
FC-84               # F6: 84,        120*84 + 84        = 10,164
FC-10 SOFTMAX       # output: 10 digits, 84*10 + 10     =    850
`,
  citation: "Y. LeCun, L. Bottou, Y. Bengio, P. Haffner. Gradient-based learning applied to document recognition. Proceedings of the IEEE 86(11):2278-2324, 1998.",
  published: {
    params: 61_706,
    convention: "weights + biases; modern LeNet-5 (full C3, parameter-free pooling, FC output)",
    reference: "LeCun et al. 1998, Section II.B, for C1 (156), C5 (48,120) and F6 (10,164); with C3 fully connected (2,416) and an FC-10 output (850) this is the total courses and frameworks give",
  },
  notes: [
    "Measured: 61,706 parameters (weights + biases). The paper's network differs in three places:",
    "C3 connects each map to only some S2 maps (1,516 parameters instead of 2,416), S2 and S4 have a",
    "trainable coefficient and bias per map (12 and 32 parameters), and the output is 10 RBF units.",
    "Borders: no padding anywhere (/p0), so 32 -> 28 -> 14 -> 10 -> 5 -> 1.",
  ].join(" "),
};
