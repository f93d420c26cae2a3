// Local response normalization (AlexNet): each value divided by the energy of its neighbouring channels.
import { LocalResponseNormalization } from "../compile/lrn-layer.js";
import { tfName } from "../compile/parts.js";
import { getNumber, type ResolvedArguments } from "./arguments.js";
import { keepsShape, type LayerKindDefinition } from "./kind.js";
import { describeRank } from "./shape.js";

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
  naming: { prefix: () => "NORM", count: "own" },
  conventions: { activation: "none", bias: false },
  diagram: { colour: "#cdb4db" },
  settings: (args: ResolvedArguments) => ({
    kind: "lrn",
    size: getNumber(args, "size") ?? 5,
    alpha: getNumber(args, "alpha") ?? 1e-4,
    beta: getNumber(args, "beta") ?? 0.75,
    k: getNumber(args, "k") ?? 2,
  }),
  infer(_s, input) {
    if (input.length !== 3) return { ok: false, code: "wrong-rank", message: `LRN works on image volumes, but gets ${describeRank(input)}` };
    return keepsShape(input);
  },
  compile(layer) {
    const { size, alpha, beta, k } = layer.settings;
    return [new LocalResponseNormalization({ size, alpha, beta, k, name: tfName(layer.name) })];
  },
  label: () => "NORM",
};
