// Dropout: random zeros in training, nothing at test time.
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";
import { getNumber, type ResolvedArguments } from "./arguments.js";
import { keepsShape, type LayerKindDefinition } from "./kind.js";

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
  naming: { prefix: () => "DROPOUT", count: "own" },
  conventions: { activation: "none", bias: false },
  settings: (args: ResolvedArguments) => ({ kind: "dropout", rate: getNumber(args, "rate") ?? 0.5 }),
  infer: (_s, input) => keepsShape(input),
  compile: (layer) => [tf.layers.dropout({ rate: layer.settings.rate, name: tfName(layer.name) })],
  label: (s) => `DROPOUT${s.rate}`,
};
