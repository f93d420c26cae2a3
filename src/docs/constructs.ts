// Reference text for the constructs that are not layer kinds: repetition, branches, RES/CAT, blocks
// and the two settings statements. The reference (grammar/README.md) and Shift-Tab inspection both
// show it, so there is one wording.

export type ConstructName = "group" | "branches" | "res" | "cat" | "aux" | "def" | "train" | "defaults";

export interface ConstructDoc {
  title: string;
  syntax: string[];
  doc: string;
}

export const constructDocs: Readonly<Record<ConstructName, ConstructDoc>> = {
  group: {
    title: "Repetition",
    syntax: ["[ ... ]xN", "[ ... ]*N", "[ ... ]"],
    doc: [
      "Square brackets group layers; `x3` or `*3` right after the `]` repeats the group, as the slides",
      "write `[CONV3-64]x2` or `[CONV -> RELU]*2`. Repetitions nest: the counts multiply. Without a count",
      "the brackets only group. Each repetition is a fresh copy with its own weights.",
    ].join("\n"),
  },
  branches: {
    title: "Branches",
    syntax: ["{ branch | branch | ... }"],
    doc: [
      "Parallel branches on the same input, separated by `|`, joined by concatenating their channels",
      "(GoogLeNet's inception module). Every branch must end at the same height and width; the output",
      "depth is the sum of the branches' depths. An empty branch passes its input through.",
    ].join("\n"),
  },
  res: {
    title: "Residual block",
    syntax: ["RES[ ... ]", "RES[ ... ]xN"],
    doc: [
      "`RES[F]` computes `x + F(x)` (ResNet). The last weight layer inside has no activation; the sum",
      "gets the network's activation (ReLU) unless another activation is written right after the `]`.",
      "When the body changes the size or depth, the shortcut becomes a 1x1 convolution with the",
      "body's stride (and batch norm when the body has one), as ResNet's projection shortcut.",
    ].join("\n"),
  },
  cat: {
    title: "Dense connection",
    syntax: ["CAT[ ... ]", "CAT[ ... ]xN"],
    doc: [
      "`CAT[F]` concatenates the input with `F(x)` along the channels (DenseNet): each repetition adds",
      "the body's output channels (the growth rate) to the volume. The body must keep the height and",
      "width.",
    ].join("\n"),
  },
  aux: {
    title: "Auxiliary head",
    syntax: ["AUX[ ... ]", "AUX(weight=w)[ ... ]"],
    doc: [
      "`AUX[...]` branches a side head (an auxiliary classifier, GoogLeNet's) off the main chain at this",
      "point: the layers inside take the volume here, and the main chain goes on from the same volume.",
      "The head must end as the network ends (the same classes, e.g. `FC-1000 SOFTMAX`). In training,",
      "its loss is added to the main output's times `weight` (default 0.3, as GoogLeNet); at inference",
      "(predict, evaluate, a saved model) it is dropped. Its layers are named after it (`AUX1_CONV1`) and",
      "counted in the table; the main chain's numbering is that of the network without it. AUX stands on",
      "the main chain, not inside branches or blocks, and not at the end of the network.",
    ].join("\n"),
  },
  def: {
    title: "Blocks",
    syntax: ["def name(a, b, ...) = element", "name(1, 2, ...)", "name(a=1, b=2)"],
    doc: [
      "`def` names a block with parameters; a call anywhere in the network (also inside other blocks",
      "and before the `def` line) puts the body there with the parameters replaced by the call's",
      "values, given in order or by name. A parameter stands wherever a number may: `CONV1-a`,",
      "`CONV(filters=a)`, `[...]*n`. A block cannot call itself.",
    ].join("\n"),
  },
  train: {
    title: "Training settings",
    syntax: ["TRAIN(name=value, ...)"],
    doc: "The optimizer, learning rate and its schedule, weight penalties, batch size, epochs and validation split used when the network is trained. A statement of its own, anywhere at the top level.",
  },
  defaults: {
    title: "Network defaults",
    syntax: ["DEFAULTS(name=value, ...)"],
    doc: "Changes a convention for the whole network: the activation implied after each CONV and FC, whether they have biases, and the weight initialisation. A statement of its own at the top level.",
  },
};
