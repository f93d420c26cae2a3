// Training settings: the optimizer, learning-rate schedule, weight penalties, batch size, epochs,
// validation and early stopping, written with the network (`TRAIN(optimizer=sgd(momentum=0.9),
// lr=1e-2, ...)`) or built in TypeScript: one typed object either way.
import type { Argument, Value } from "../dsl/ast.js";
import { diagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import type { ArgumentSpec } from "../layers/arguments.js";
import { namedArguments, numberOf, type Named } from "../shapes/values.js";

export type OptimizerSettings =
  | { kind: "sgd"; learningRate: number; momentum: number; nesterov: boolean }
  | { kind: "rmsprop"; learningRate: number; decay: number; momentum: number; epsilon: number }
  | { kind: "adam"; learningRate: number; beta1: number; beta2: number; epsilon: number };

export type Metric = "loss" | "accuracy" | "val_loss" | "val_accuracy";

export type LearningRateSchedule =
  | { kind: "constant" }
  /** Divide the rate by 1/factor when `monitor` stops improving for `patience` epochs. */
  | { kind: "plateau"; factor: number; patience: number; monitor: Metric; minDelta: number; minLearningRate: number }
  /** eps_k = (1 - a) eps_0 + a eps_tau with a = k / tau, then constant (the Deep Learning book's rule). */
  | { kind: "linear"; finalLearningRate: number; steps: number };

export interface EarlyStopping {
  monitor: Metric;
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

export interface TrainingSettings {
  optimizer: OptimizerSettings;
  schedule: LearningRateSchedule;
  /** L1 and L2 penalties on the weights (L2 is AlexNet's "weight decay"). */
  l1: number;
  l2: number;
  batchSize: number;
  epochs: number;
  validationSplit: number;
  earlyStopping?: EarlyStopping;
  /** Seeds the order of the examples, dropout and random augmentation while training. */
  seed: number;
}

/**
 * The one rule for a learning rate, shared by TRAIN(lr=...), an optimizer call's lr=, `convnote
 * train --lr` and fit(): a finite number above 0. Zero never moves the weights; a negative rate
 * climbs the loss instead of descending it. Returns what is wrong with `rate`, or undefined.
 */
export function learningRateProblem(rate: number): string | undefined {
  if (Number.isNaN(rate)) return "the learning rate must be a number";
  if (!Number.isFinite(rate)) return `the learning rate must be a finite number, not ${rate}`;
  if (rate === 0) return "the learning rate must be above 0, not 0 (the weights would never change)";
  if (rate < 0) return `the learning rate must be above 0, not ${rate} (a negative rate climbs the loss instead of descending it)`;
  return undefined;
}

/** What to write instead of a refused learning rate. */
export const LEARNING_RATE_HINT = "a positive number: 0.001 is Adam's usual rate, 0.01 SGD's";

export function optimizer(kind: OptimizerSettings["kind"], overrides: Partial<Record<string, number | boolean>> = {}): OptimizerSettings {
  const num = (name: string, fallback: number) => (typeof overrides[name] === "number" ? (overrides[name] as number) : fallback);
  switch (kind) {
    case "sgd":
      return { kind, learningRate: num("learningRate", 0.01), momentum: num("momentum", 0), nesterov: overrides["nesterov"] === true };
    case "rmsprop":
      return { kind, learningRate: num("learningRate", 0.001), decay: num("decay", 0.9), momentum: num("momentum", 0), epsilon: num("epsilon", 1e-7) };
    case "adam":
      return { kind, learningRate: num("learningRate", 0.001), beta1: num("beta1", 0.9), beta2: num("beta2", 0.999), epsilon: num("epsilon", 1e-7) };
  }
}

/** Complete settings from a partial object: what TypeScript code builds by hand. */
export function trainingSettings(partial: Partial<TrainingSettings> = {}): TrainingSettings {
  const settings: TrainingSettings = {
    optimizer: partial.optimizer ?? optimizer("adam"),
    schedule: partial.schedule ?? { kind: "constant" },
    l1: partial.l1 ?? 0,
    l2: partial.l2 ?? 0,
    batchSize: partial.batchSize ?? 32,
    epochs: partial.epochs ?? 10,
    validationSplit: partial.validationSplit ?? 0.1,
    seed: partial.seed ?? 0,
  };
  if (partial.earlyStopping) settings.earlyStopping = partial.earlyStopping;
  return settings;
}

/** The arguments of TRAIN(...), for the parser, the docs and completion. */
export const trainArguments: readonly ArgumentSpec[] = [
  { name: "optimizer", type: "word", choices: ["sgd", "momentum", "nesterov", "rmsprop", "adam"], doc: "sgd, momentum, nesterov, rmsprop or adam; or a call such as sgd(momentum=0.9)", defaultText: "adam" },
  { name: "lr", type: "number", doc: "learning rate (eps_0)", defaultText: "0.01 for SGD, 0.001 otherwise" },
  { name: "momentum", type: "fraction", doc: "SGD momentum (alpha), e.g. 0.9", defaultText: "0" },
  { name: "nesterov", type: "boolean", doc: "Nesterov momentum", defaultText: "false" },
  { name: "schedule", type: "word", choices: ["constant", "plateau", "linear"], doc: "constant; plateau(factor=0.1, patience=2, monitor=val_accuracy); linear(final=1e-4, steps=1000)", defaultText: "constant" },
  { name: "l2", type: "number", doc: "adds l2 * sum(w^2) to the loss (Keras's L2 regularizer)", defaultText: "0" },
  { name: "weight_decay", type: "number", doc: "SGD weight decay lambda (AlexNet: 5e-4); the same as l2 = lambda/2", defaultText: "0" },
  { name: "l1", type: "number", doc: "L1 penalty on the weights", defaultText: "0" },
  { name: "batch", type: "int", doc: "batch size", defaultText: "32" },
  { name: "epochs", type: "int", doc: "passes over the training set", defaultText: "10" },
  { name: "validation", type: "fraction", doc: "fraction of the training set held out for validation", defaultText: "0.1" },
  { name: "early_stopping", type: "int", doc: "stop after this many epochs without val_loss improving; or early_stopping(patience=5, monitor=val_accuracy)" },
  { name: "seed", type: "int", doc: "seeds the order of the examples, dropout and random augmentation: the same seed trains the same way", defaultText: "0" },
];

const callArguments: Record<string, readonly ArgumentSpec[]> = {
  sgd: [
    { name: "lr", type: "number", doc: "learning rate" },
    { name: "momentum", type: "fraction", doc: "momentum" },
    { name: "nesterov", type: "boolean", doc: "Nesterov momentum" },
  ],
  rmsprop: [
    { name: "lr", type: "number", doc: "learning rate" },
    { name: "decay", type: "fraction", doc: "moving average of squared gradients (rho)", defaultText: "0.9" },
    { name: "momentum", type: "fraction", doc: "momentum" },
  ],
  adam: [
    { name: "lr", type: "number", doc: "learning rate" },
    { name: "beta1", type: "fraction", doc: "first moment decay" },
    { name: "beta2", type: "fraction", doc: "second moment decay" },
  ],
  plateau: [
    { name: "factor", type: "fraction", doc: "multiply the rate by this (0.1: divide by 10)" },
    { name: "patience", type: "int", doc: "epochs without improvement", min: 0 },
    { name: "monitor", type: "word", choices: ["loss", "accuracy", "val_loss", "val_accuracy"], doc: "what to watch" },
    { name: "min_lr", type: "number", doc: "lowest rate" },
  ],
  linear: [
    { name: "final", type: "number", doc: "eps_tau, the rate after tau steps" },
    { name: "steps", type: "int", doc: "tau, the number of steps (batches)" },
  ],
  early_stopping: [
    { name: "patience", type: "int", doc: "epochs without improvement", min: 0 },
    { name: "monitor", type: "word", choices: ["loss", "accuracy", "val_loss", "val_accuracy"], doc: "what to watch" },
  ],
};

function callOptions(call: (Value & { type: "call" }) | undefined, diagnostics: Diagnostic[]): Named {
  if (!call) return new Map();
  const specs = callArguments[call.name.toLowerCase()];
  if (!specs) {
    diagnostics.push(diagnostic("unknown-argument", call.span, `unknown setting '${call.name}'`, `known: ${Object.keys(callArguments).join(", ")}`));
    return new Map();
  }
  return namedArguments(call.args, specs, call.name, diagnostics);
}

/** TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, schedule=plateau(factor=0.1), l2=5e-4, batch=128). */
export function parseTrainStatement(args: Argument[], diagnostics: Diagnostic[]): TrainingSettings {
  const calls = new Map<string, Value & { type: "call" }>();
  const named = namedArguments(args, trainArguments, "TRAIN", diagnostics, calls);
  const optimizerWord = (named.get("optimizer")?.value as string | undefined) ?? (numberOf(named, "momentum") !== undefined || named.has("nesterov") ? "sgd" : "adam");
  const optimizerCall = callOptions(calls.get("optimizer"), diagnostics);
  const pick = (name: string) => numberOf(optimizerCall, name) ?? numberOf(named, name);
  const nesterov = optimizerWord === "nesterov" || optimizerCall.get("nesterov")?.value === true || named.get("nesterov")?.value === true;
  const kind = optimizerWord === "rmsprop" || optimizerWord === "adam" ? optimizerWord : "sgd";
  const overrides: Record<string, number | boolean> = { nesterov };
  for (const written of [optimizerCall.get("lr"), named.get("lr")]) {
    const problem = typeof written?.value === "number" ? learningRateProblem(written.value) : undefined;
    if (written && problem) diagnostics.push(diagnostic("bad-argument", written.span, problem, LEARNING_RATE_HINT));
  }
  const lr = pick("lr");
  if (lr !== undefined) overrides["learningRate"] = lr;
  for (const name of ["momentum", "decay", "beta1", "beta2"]) {
    const v = pick(name);
    if (v !== undefined) overrides[name] = v;
  }
  if ((optimizerWord === "momentum" || optimizerWord === "nesterov") && overrides["momentum"] === undefined) overrides["momentum"] = 0.9;

  const settings = trainingSettings({ optimizer: optimizer(kind, overrides) });
  const scheduleWord = named.get("schedule")?.value as string | undefined;
  const scheduleCall = callOptions(calls.get("schedule"), diagnostics);
  if (scheduleWord === "plateau") {
    settings.schedule = {
      kind: "plateau",
      factor: numberOf(scheduleCall, "factor") ?? 0.1,
      patience: numberOf(scheduleCall, "patience") ?? 2,
      monitor: ((scheduleCall.get("monitor")?.value as Metric | undefined) ?? "val_accuracy"),
      minDelta: 1e-4,
      minLearningRate: numberOf(scheduleCall, "min_lr") ?? 0,
    };
  } else if (scheduleWord === "linear") {
    settings.schedule = { kind: "linear", finalLearningRate: numberOf(scheduleCall, "final") ?? settings.optimizer.learningRate / 100, steps: numberOf(scheduleCall, "steps") ?? 1000 };
  }
  // SGD's weight decay lambda is the gradient of (lambda/2)*||w||^2; l2 is Keras's coefficient of ||w||^2.
  const decay = numberOf(named, "weight_decay");
  settings.l2 = numberOf(named, "l2") ?? (decay !== undefined ? decay / 2 : 0);
  settings.l1 = numberOf(named, "l1") ?? 0;
  settings.batchSize = numberOf(named, "batch") ?? settings.batchSize;
  settings.epochs = numberOf(named, "epochs") ?? settings.epochs;
  settings.validationSplit = numberOf(named, "validation") ?? settings.validationSplit;
  settings.seed = numberOf(named, "seed") ?? settings.seed;
  const earlyCall = callOptions(calls.get("early_stopping"), diagnostics);
  const patience = numberOf(earlyCall, "patience") ?? numberOf(named, "early_stopping");
  if (patience !== undefined || calls.has("early_stopping")) {
    settings.earlyStopping = { monitor: (earlyCall.get("monitor")?.value as Metric | undefined) ?? "val_loss", patience: patience ?? 3, minDelta: 0, restoreBestWeights: true };
  }
  return settings;
}

