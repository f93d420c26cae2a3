// Layers that keep the shape and have no parameters of their own, or only per-channel ones:
// flatten, dropout, batch norm, local response normalization.
import { getNumber, type ResolvedArguments } from "./arguments.js";
import type { InferResult, LayerKindDefinition } from "./kind.js";
import { channelsOf, describeRank, shapeSize, type Shape } from "./shape.js";

const keepShape = (input: Shape): InferResult => ({
  ok: true,
  value: { output: input, weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" } },
});

export interface FlattenSettings {
  kind: "flatten";
}

export const flatten: LayerKindDefinition<FlattenSettings> = {
  kind: "flatten",
  title: "Flatten",
  doc: "Lays a volume out as one vector (`7x7x512` becomes `25088`). Implied before the first FC, so it is rarely written.",
  keywords: [{ word: "FLATTEN", summary: "volume to vector (implied before FC)" }],
  syntax: ["FLATTEN"],
  examples: ["INPUT 7x7x512 FLATTEN FC-10"],
  arguments: [],
  isWeightLayer: false,
  settings: () => ({ kind: "flatten" }),
  infer: (_s, input) => ({ ok: true, value: { output: [shapeSize(input)], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "global" } } }),
  label: () => "FLATTEN",
};

export interface DropoutSettings {
  kind: "dropout";
  rate: number;
}

export const dropout: LayerKindDefinition<DropoutSettings> = {
  kind: "dropout",
  title: "Dropout",
  doc: "During training, sets each value to zero with probability `p` (default 0.5, as AlexNet) and scales the rest by `1/(1-p)`; does nothing at test time. No parameters.",
  keywords: [{ word: "DROPOUT", summary: "dropout, e.g. DROPOUT0.5 (default 0.5)" }],
  syntax: ["DROPOUT", "DROPOUTp", "DROPOUT(rate=p)"],
  examples: ["INPUT 9216 FC-4096 DROPOUT0.5 FC-4096 DROPOUT FC-1000 SOFTMAX"],
  arguments: [{ name: "rate", type: "fraction", doc: "probability of dropping a value", defaultText: "0.5" }],
  suffix: "rate",
  operand: "rate",
  isWeightLayer: false,
  settings: (args: ResolvedArguments) => ({ kind: "dropout", rate: getNumber(args, "rate") ?? 0.5 }),
  infer: (_s, input) => keepShape(input),
  label: (s) => `DROPOUT${s.rate}`,
};

export interface BatchNormSettings {
  kind: "batch-norm";
  momentum: number;
  epsilon: number;
}

export const batchNorm: LayerKindDefinition<BatchNormSettings> = {
  kind: "batch-norm",
  title: "Batch normalization",
  doc: [
    "Normalizes each channel over the batch, then scales and shifts it by a learned `gamma` and",
    "`beta`: `2*C` trainable parameters, plus a moving mean and variance (`2*C` non-trainable",
    "values used at test time). A CONV or FC directly followed by `BN` has no bias (beta takes",
    "its place), and its implied ReLU moves after the BN: `CONV3-64 BN` is conv, BN, ReLU.",
  ].join("\n"),
  keywords: [
    { word: "BN", summary: "batch normalization" },
    { word: "BATCHNORM", summary: "batch normalization, same as BN" },
  ],
  syntax: ["BN", "BN(momentum=0.99, epsilon=0.001)"],
  examples: ["INPUT 32x32x3 CONV3-64 BN POOL2"],
  arguments: [
    { name: "momentum", type: "fraction", doc: "momentum of the moving averages", defaultText: "0.99" },
    { name: "epsilon", type: "number", doc: "added to the variance", defaultText: "0.001" },
  ],
  isWeightLayer: false,
  settings: (args: ResolvedArguments) => ({ kind: "batch-norm", momentum: getNumber(args, "momentum") ?? 0.99, epsilon: getNumber(args, "epsilon") ?? 1e-3 }),
  infer(_s, input) {
    const c = channelsOf(input);
    return { ok: true, value: { output: input, weights: c, biases: c, nonTrainable: 2 * c, macs: 0, reach: { type: "pointwise" }, weightsFormula: `2*${c}` } };
  },
  label: () => "BN",
};

export interface LrnSettings {
  kind: "lrn";
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

export const lrn: LayerKindDefinition<LrnSettings> = {
  kind: "lrn",
  title: "Local response normalization",
  doc: [
    "AlexNet's normalization across neighbouring channels: each value is divided by",
    "`(k + alpha * sum of squares over n neighbouring channels)^beta`, with AlexNet's n = 5,",
    "k = 2, alpha = 1e-4, beta = 0.75. No parameters; not common any more (batch norm replaced it).",
  ].join("\n"),
  keywords: [
    { word: "LRN", summary: "local response normalization (AlexNet)" },
    { word: "NORM", summary: "local response normalization, as the AlexNet slide writes it" },
  ],
  syntax: ["LRN", "NORM", "LRN(size=5, alpha=1e-4, beta=0.75, k=2)"],
  examples: ["INPUT 227x227x3 CONV11-96/s4/p0 POOL3/2 NORM"],
  arguments: [
    { name: "size", type: "int", doc: "number of channels summed over", defaultText: "5" },
    { name: "alpha", type: "number", doc: "scale of the sum", defaultText: "1e-4" },
    { name: "beta", type: "number", doc: "exponent", defaultText: "0.75" },
    { name: "k", type: "number", doc: "offset", defaultText: "2" },
  ],
  isWeightLayer: false,
  settings: (args: ResolvedArguments) => ({
    kind: "lrn",
    size: getNumber(args, "size") ?? 5,
    alpha: getNumber(args, "alpha") ?? 1e-4,
    beta: getNumber(args, "beta") ?? 0.75,
    k: getNumber(args, "k") ?? 2,
  }),
  infer(_s, input) {
    if (input.length !== 3) return { ok: false, code: "wrong-rank", message: `LRN works on image volumes, but gets ${describeRank(input)}` };
    return keepShape(input);
  },
  label: () => "NORM",
};
