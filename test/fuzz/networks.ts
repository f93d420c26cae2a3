// Real networks in the language, the starting points for mutation: the lecture's architectures
// and every construct (repetition, branches, RES/CAT, blocks, settings, comments, 1-D input).
export const realNetworks: readonly string[] = [
  "INPUT 224x224x3 [CONV3-64]x2 POOL2 [CONV3-128]x2 POOL2 [CONV3-256]x3 POOL2 [CONV3-512]x3 POOL2 [CONV3-512]x3 POOL2 FC-4096 FC-4096 FC-1000 SOFTMAX",
  [
    "# AlexNet, as the cs231n slide lists it",
    "TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, schedule=plateau(factor=0.1, monitor=val_accuracy), l2=5e-4, batch=128)",
    "INPUT 227x227x3",
    "CONV11-96/s4/p0 POOL3/2 NORM",
    "CONV5-256/p2 POOL3/2 NORM",
    "CONV3-384/p1 CONV3-384/p1 CONV3-256/p1 POOL3/2",
    "FC-4096 DROPOUT0.5 FC-4096 DROPOUT0.5 FC-1000 SOFTMAX",
  ].join("\n"),
  "DEFAULTS(activation=tanh)\nINPUT 32x32x1 -> CONV5-6/valid -> AVGPOOL2 -> CONV5-16/valid -> AVGPOOL2 -> FC-120 -> FC-84 -> FC-10 SOFTMAX",
  "INPUT -> [[CONV -> RELU]*2 -> POOL]*3 -> [FC -> RELU]*2 -> FC",
  "INPUT 28x28, CONV(filters=8, size=3, stride=1, pad=1), BN, RELU, POOL(size=2), DROPOUT(rate=0.25), FC(units=10), SOFTMAX",
  [
    "def inception(a, b, c, d, e, f) = { CONV1-a | CONV1-b CONV3-c | CONV1-d CONV5-e | POOL3/s1/same CONV1-f }",
    "INPUT 28x28x192 inception(64, 96, 128, 16, 32, 32) inception(128, 128, 192, 32, 96, 64) POOL3/s2/same GAP FC-1000 SOFTMAX",
  ].join("\n"),
  [
    "def basic(n) = RES[CONV3-n BN CONV3-n BN]",
    "def down(n) = RES[CONV3-n/s2 BN CONV3-n BN]",
    "INPUT 32x32x3 CONV3-16 BN [basic(16)]x3 down(32) [basic(32)]x2 down(64) [basic(64)]x2 GAP FC-10 SOFTMAX",
  ].join("\n"),
  "INPUT 32x32x3 CONV3-24 [CAT[BN RELU CONV1-48 BN RELU CONV3-12]]x6 BN CONV1-48 AVGPOOL2 GAP FC-10 SOFTMAX",
  "INPUT1D 60x50 { CONV3-100 GMP | CONV4-100 GMP | CONV5-100 GMP } DROPOUT0.5 FC-2 SOFTMAX",
  "INPUT 7x7x3 CONV3-2/s2/p1 # the cs231n demo\nPOOL2/same",
  "INPUT 9x9 CONV3-3/valid RELU POOL2/same FC-2 SOFTMAX",
  "input 28x28\nconv5-6 lrelu0.1 maxpool2 conv5-16/nobias prelu avgpool2\nflatten dense-120 elu dense-10 linear",
  "INPUT 32x32x3 CONV3-8/d2 CONV2x1-4/valid CONV(filters=4, size=3x1, padding=valid) POOL3/s2/p1/floor GAP FC-10 SIGMOID",
];
