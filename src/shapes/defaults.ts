// Network-wide conventions written with the network (`DEFAULTS(activation=tanh, bias=false,
// init=he)`) or built in TypeScript: the activation implied after weight layers, biases, the
// weight initialisation.
import type { Argument } from "../dsl/ast.js";
import type { Diagnostic } from "../dsl/diagnostics.js";
import { activationByName, activationFunctions, type ActivationSettings } from "../layers/activation.js";
import type { ArgumentSpec } from "../layers/arguments.js";
import { namedArguments } from "./values.js";

export type Initializer = "glorot" | "he" | "zeros";

export interface NetworkDefaults {
  /** Implied after each CONV and FC (VGG's convention); LeNet used tanh. */
  activation: ActivationSettings;
  /** Whether CONV and FC layers have biases when batch norm does not follow. */
  bias: boolean;
  /** Glorot/Xavier uniform, r = sqrt(6 / (fan_in + fan_out)), by default. */
  init: Initializer;
}

export const standardDefaults: NetworkDefaults = {
  activation: { kind: "activation", fn: "relu", alpha: undefined },
  bias: true,
  init: "glorot",
};

export const defaultsArguments: readonly ArgumentSpec[] = [
  { name: "activation", type: "word", choices: activationFunctions.map((f) => f.name).filter((name) => name !== "softmax"), doc: "activation implied after each CONV and FC", defaultText: "relu" },
  { name: "bias", type: "boolean", doc: "whether CONV and FC layers have biases (batch norm still removes them)", defaultText: "true" },
  { name: "init", type: "word", choices: ["glorot", "he", "zeros"], doc: "weight initialisation", defaultText: "glorot" },
];

/** DEFAULTS(activation=tanh, bias=false, init=he). */
export function parseDefaultsStatement(args: Argument[], diagnostics: Diagnostic[], base: NetworkDefaults): NetworkDefaults {
  const named = namedArguments(args, defaultsArguments, "DEFAULTS", diagnostics);
  const defaults = { ...base };
  const activation = named.get("activation")?.value;
  if (typeof activation === "string") defaults.activation = { kind: "activation", fn: activationByName(activation)!.name, alpha: undefined };
  const bias = named.get("bias")?.value;
  if (typeof bias === "boolean") defaults.bias = bias;
  const init = named.get("init")?.value;
  if (typeof init === "string") defaults.init = init as Initializer;
  return defaults;
}

/** Top-level statements that are settings, not layers. */
export const settingsStatements = ["TRAIN", "DEFAULTS"] as const;
