// Batch normalization: each channel normalized over the batch, then scaled and shifted.
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";
import { getNumber, type ResolvedArguments } from "./arguments.js";
import type { LayerKindDefinition } from "./kind.js";
import { channelsOf } from "./shape.js";

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
  naming: { prefix: () => "BN", count: "own" },
  conventions: { activation: "written", bias: false },
  settings: (args: ResolvedArguments) => ({ kind: "batch-norm", momentum: getNumber(args, "momentum") ?? 0.99, epsilon: getNumber(args, "epsilon") ?? 1e-3 }),
  infer(_s, input) {
    const c = channelsOf(input);
    // gamma (counted as weights) and beta (as biases); the moving mean and variance are not trained.
    return { ok: true, value: { output: input, weights: c, biases: c, nonTrainable: 2 * c, macs: 0, reach: { type: "pointwise" }, formula: { weights: `${c}`, biases: `${c}`, nonTrainable: `2*${c}` } } };
  },
  compile: (layer) => [tf.layers.batchNormalization({ axis: -1, momentum: layer.settings.momentum, epsilon: layer.settings.epsilon, name: tfName(layer.name) })],
  label: () => "BN",
};
