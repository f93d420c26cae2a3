// Activation functions, as layers of their own or fused into the CONV/FC/BN written before them.
import { activationLayer } from "../compile/activations.js";
import { tfName } from "../compile/parts.js";
import { getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KeywordSpec, LayerKindDefinition } from "./kind.js";
import { channelsOf, type Shape } from "./shape.js";

export type ActivationName = "relu" | "lrelu" | "prelu" | "elu" | "sigmoid" | "tanh" | "softplus" | "softmax" | "linear";

export interface ActivationFunction {
  name: ActivationName;
  word: string;
  formula: string;
  summary: string;
}

/** The activation functions of the slides' table, one source for the parser, docs and plots. */
export const activationFunctions: readonly ActivationFunction[] = [
  { name: "relu", word: "RELU", formula: "max(0, x)", summary: "rectified linear unit" },
  { name: "lrelu", word: "LRELU", formula: "max(alpha*x, x), alpha = 0.01", summary: "leaky ReLU, e.g. LRELU0.1" },
  { name: "prelu", word: "PRELU", formula: "max(alpha*x, x), alpha learned per channel", summary: "parametric ReLU" },
  { name: "elu", word: "ELU", formula: "x if x > 0 else alpha*(exp(x) - 1), alpha = 1", summary: "exponential linear unit" },
  { name: "sigmoid", word: "SIGMOID", formula: "1 / (1 + exp(-x))", summary: "logistic sigmoid" },
  { name: "tanh", word: "TANH", formula: "tanh(x)", summary: "hyperbolic tangent (LeNet)" },
  { name: "softplus", word: "SOFTPLUS", formula: "log(1 + exp(x))", summary: "smooth ReLU" },
  { name: "softmax", word: "SOFTMAX", formula: "exp(x_i) / sum_j exp(x_j)", summary: "class probabilities" },
  { name: "linear", word: "LINEAR", formula: "x", summary: "no activation" },
];

export function activationByName(name: string): ActivationFunction | undefined {
  const lower = name.toLowerCase();
  return activationFunctions.find((f) => f.name === lower || f.word.toLowerCase() === lower);
}

export interface ActivationSettings {
  kind: "activation";
  fn: ActivationName;
  /** Slope for negative inputs (LRELU, default 0.01) or ELU's alpha (default 1). */
  alpha: number | undefined;
}

export function activationLabel(s: ActivationSettings): string {
  const word = activationByName(s.fn)!.word;
  return s.alpha !== undefined && (s.fn === "lrelu" || s.fn === "elu") ? `${word}${s.alpha}` : word;
}

export const activation: LayerKindDefinition<ActivationSettings> = {
  kind: "activation",
  title: "Activation",
  doc: [
    "An elementwise nonlinearity. Written right after a CONV, FC or BN it replaces that layer's",
    "implied ReLU (VGG's convention: every CONV and FC has ReLU unless another activation is",
    "written after it, and the last weight layer of the network has none unless one is written).",
    "`LINEAR` means no activation. `PRELU` learns one slope per channel. Change the network-wide",
    "default with `DEFAULTS(activation=tanh)` (LeNet used tanh).",
    "",
    ...activationFunctions.map((f) => `- \`${f.word}\`: ${f.summary}, ${f.formula}`),
  ].join("\n"),
  keywords: activationFunctions.map((f): KeywordSpec => ({ word: f.word, summary: `${f.summary}: ${f.formula}`, preset: { fn: f.name } })),
  syntax: activationFunctions.map((f) => f.word).concat(["LRELUa", "LRELU(alpha=a)"]),
  examples: ["INPUT 32x32x1 CONV5-6/valid TANH AVGPOOL2", "INPUT 28x28 CONV3-16 LRELU0.1 POOL2 FC-10 SOFTMAX"],
  arguments: [
    { name: "fn", type: "word", choices: activationFunctions.map((f) => f.name), doc: "the function" },
    { name: "alpha", type: "number", doc: "LRELU's slope for x < 0 (0.01) or ELU's scale (1)" },
  ],
  suffix: "alpha",
  naming: { prefix: (s) => activationLabel(s).replace(/[\d.]+$/, ""), count: "own" },
  conventions: { activation: "none", bias: false },
  settings(args: ResolvedArguments): ActivationSettings {
    return { kind: "activation", fn: (getWord(args, "fn") ?? "relu") as ActivationName, alpha: getNumber(args, "alpha") };
  },
  infer(s: ActivationSettings, input: Shape): InferResult {
    const slopes = s.fn === "prelu" ? channelsOf(input) : 0;
    return { ok: true, value: { output: input, weights: slopes, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" }, ...(slopes > 0 ? { formula: { weights: `${slopes}` } } : {}) } };
  },
  compile: (layer) => [activationLayer(layer.settings, tfName(layer.name), layer.outputShape.length)],
  label: activationLabel,
};
