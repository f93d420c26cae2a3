// `convnote train "<network>" --data mnist [--epochs N] ...`: trains a network on a data set with
// a progress bar, evaluates it on the held-out test images, names the backend, and can save it.
import { describeBackend, initBackend, parseBackendChoice, type BackendChoice } from "../backend/index.js";
import { compileNetwork } from "../compile/compile.js";
import { DEFAULT_MAX_MEGAPIXELS } from "../image/codecs.js";
import { formatDiagnostic } from "../dsl/diagnostics.js";
import { formatPercent } from "../render/format.js";
import { stoppedText } from "../render/training-view.js";
import { checkNetwork } from "../shapes/check.js";
import type { CheckedNetwork } from "../shapes/network.js";
import { LEARNING_RATE_HINT, learningRateProblem, optimizer, trainingSettings, type OptimizerSettings, type TrainingSettings } from "../train/settings.js";
import { evaluate } from "../train/evaluate.js";
import { fit, type EpochLog, type History } from "../train/fit.js";
import { checkSaveTarget, saveModel } from "../train/save.js";
import { asUsage, defineCommand, parseOptions, positiveNumber, UsageError, wholeNumber } from "./command.js";
import { DATA_USAGE, parseDataSpec, prepareData, type DataSpec } from "./data-argument.js";
import { resolveNetworkArgument } from "./network-argument.js";
import { TrainingProgress } from "./progress.js";

const OPTIONS = {
  data: { type: "string", value: "DATA", help: DATA_USAGE },
  epochs: { type: "string", value: "N", help: "passes over the training images (default: the network's TRAIN, else 10)" },
  batch: { type: "string", value: "B", help: "batch size (default: TRAIN's, else 32)" },
  optimizer: { type: "string", value: "NAME", help: "adam, sgd, momentum, nesterov or rmsprop (with that optimizer's default rate)" },
  lr: { type: "string", value: "X", help: "learning rate" },
  "train-size": { type: "string", value: "N", help: "training images (a seeded, class-balanced subset; default: all, 2000 for xo)" },
  "test-size": { type: "string", value: "N", help: "test images (default: the whole test split, 500 for xo)" },
  seed: { type: "string", value: "S", help: "seeds the weights and the subsets (default 0; TRAIN(seed=...) seeds the order of the examples and dropout, default 0)" },
  save: { type: "string", value: "DIR", help: "write model.json, weights.bin and convnote.json to DIR" },
  backend: { type: "string", value: "NAME", help: "gpu, webgpu, node, wasm or cpu (default: the first that works; or CONVNOTE_BACKEND)" },
  json: { type: "boolean", help: `one JSON object per epoch, then {"final":{...}}` },
  "max-megapixels": { type: "string", value: "N", help: `folder:PATH: refuse images larger than N megapixels (default ${DEFAULT_MAX_MEGAPIXELS})` },
} as const;

export interface TrainArgs {
  network: string;
  data: DataSpec;
  epochs?: number;
  batch?: number;
  optimizer?: OptimizerName;
  lr?: number;
  trainSize?: number;
  testSize?: number;
  seed: number;
  save?: string;
  backend?: BackendChoice;
  json: boolean;
  maxMegapixels?: number;
}

export const OPTIMIZER_NAMES = ["adam", "sgd", "momentum", "nesterov", "rmsprop"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

function optimizerName(text: string): OptimizerName {
  const name = text.toLowerCase();
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(name)) throw new UsageError(`--optimizer '${name}': choose ${OPTIMIZER_NAMES.join(", ")}`);
  return name as OptimizerName;
}

/** `--lr X`, by the same rule as TRAIN(lr=X). */
function learningRateFlag(text: string): number {
  const rate = text.trim() === "" ? NaN : Number(text);
  const problem = learningRateProblem(rate);
  if (problem) throw new UsageError(`--lr '${text}': ${problem}; give ${LEARNING_RATE_HINT}`);
  return rate;
}

/** The train command's arguments; throws UsageError. */
export function parseTrainArgs(args: string[]): TrainArgs {
  const { values: v, positionals } = parseOptions(OPTIONS, args);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "give the network to train" : `one network, not ${positionals.length} arguments (quote the network text)`);
  if (v.data === undefined) throw new UsageError(`--data is required: ${DATA_USAGE}`);
  const data = v.data;
  const parsed: TrainArgs = { network: positionals[0]!, data: asUsage(() => parseDataSpec(data)), seed: 0, json: v.json };
  if (v.epochs !== undefined) parsed.epochs = wholeNumber(v.epochs, "--epochs", 1);
  if (v.batch !== undefined) parsed.batch = wholeNumber(v.batch, "--batch", 1);
  if (v.optimizer !== undefined) parsed.optimizer = optimizerName(v.optimizer);
  if (v.lr !== undefined) parsed.lr = learningRateFlag(v.lr);
  if (v["train-size"] !== undefined) parsed.trainSize = wholeNumber(v["train-size"], "--train-size", 1);
  if (v["test-size"] !== undefined) parsed.testSize = wholeNumber(v["test-size"], "--test-size", 1);
  if (v.seed !== undefined) parsed.seed = wholeNumber(v.seed, "--seed", 0);
  if (v.save !== undefined) parsed.save = v.save;
  if (v["max-megapixels"] !== undefined) parsed.maxMegapixels = positiveNumber(v["max-megapixels"], "--max-megapixels");
  const backend = v.backend;
  if (backend !== undefined) parsed.backend = asUsage(() => parseBackendChoice(backend, "--backend"));
  return parsed;
}

/** The optimizer the flags ask for; --lr alone changes the rate of the network's own optimizer. */
export function optimizerFromFlags(base: OptimizerSettings, name: OptimizerName | undefined, lr: number | undefined): OptimizerSettings {
  const rate = lr === undefined ? {} : { learningRate: lr };
  switch (name) {
    case undefined:
      return lr === undefined ? base : { ...base, learningRate: lr };
    case "momentum":
      return optimizer("sgd", { momentum: 0.9, ...rate });
    case "nesterov":
      return optimizer("sgd", { momentum: 0.9, nesterov: true, ...rate });
    default:
      return optimizer(name, rate);
  }
}

/** The network's TRAIN(...) settings (or the defaults) with the flags applied. */
export function settingsFromFlags(network: CheckedNetwork, args: Pick<TrainArgs, "epochs" | "batch" | "optimizer" | "lr">): TrainingSettings {
  const settings = trainingSettings(network.training ?? {});
  if (args.epochs !== undefined) settings.epochs = args.epochs;
  if (args.batch !== undefined) settings.batchSize = args.batch;
  settings.optimizer = optimizerFromFlags(settings.optimizer, args.optimizer, args.lr);
  return settings;
}

/** Checks that the network ends in one score per class; the message names the fix. */
export function checkOutputMatchesClasses(network: CheckedNetwork, classes: number, data: string): void {
  const out = network.outputShape;
  if (out.length === 1 && out[0] === classes) return;
  throw new Error(`the network's output is ${out.join("x")} but ${data} has ${classes} classes; end the network with FC-${classes} SOFTMAX`);
}

export interface FinalResult {
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  testAccuracy: number;
  testLoss: number;
  backend: string;
  seconds: number;
  epochs: number;
  stopReason: string;
  examplesPerSecond: number;
  saved?: string;
}

function finalResult(history: History, testAccuracy: number, testLoss: number): FinalResult {
  const last: EpochLog | undefined = history.epochs[history.epochs.length - 1];
  return {
    loss: last?.loss ?? NaN,
    accuracy: last?.accuracy ?? NaN,
    valLoss: last?.valLoss ?? null,
    valAccuracy: last?.valAccuracy ?? null,
    testAccuracy,
    testLoss,
    backend: history.backend,
    seconds: history.seconds,
    epochs: history.epochs.length,
    stopReason: history.stopReason,
    examplesPerSecond: history.examplesPerSecond,
  };
}

function epochJson(log: EpochLog): string {
  const out: Record<string, number> = { epoch: log.epoch + 1, loss: log.loss, accuracy: log.accuracy };
  if (log.valLoss !== undefined) out["valLoss"] = log.valLoss;
  if (log.valAccuracy !== undefined) out["valAccuracy"] = log.valAccuracy;
  out["learningRate"] = log.learningRate;
  out["seconds"] = log.seconds;
  return JSON.stringify(out);
}

/** Ctrl-C during the fit stops it after the current batch; a second Ctrl-C exits at once. */
function stopOnInterrupt(controller: AbortController, say: (text: string) => void): () => void {
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    say("interrupted: stopping after this batch (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}

const withCommas = (n: number) => n.toLocaleString("en-US");

async function runTrain(argv: string[]): Promise<number> {
  const args = parseTrainArgs(argv);
  const resolved = resolveNetworkArgument(args.network);
  if (!resolved.ok) throw new UsageError(resolved.message);
  const checked = checkNetwork(resolved.source);
  if (!checked.network) {
    for (const d of checked.diagnostics) process.stderr.write(formatDiagnostic(d, resolved.source, resolved.fileName) + "\n");
    return 1;
  }
  const network = checked.network;
  // Before any training: a folder that cannot be written would lose the run at the end.
  if (args.save !== undefined) {
    try {
      checkSaveTarget(args.save);
    } catch (error) {
      process.stderr.write(`convnote train: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const out = (text: string) => process.stdout.write(text);
  // With --json stdout holds JSON lines only; remarks go to stderr.
  const say = args.json ? (text: string) => process.stderr.write(text) : out;
  const fail = (message: string) => {
    process.stderr.write(`convnote train: ${message}\n`);
    return 1;
  };

  try {
    await initBackend(args.backend === undefined ? {} : { backend: args.backend });
  } catch (error) {
    return fail((error as Error).message);
  }
  const backend = describeBackend();
  say(`backend: ${backend.text}\n`);

  let data;
  try {
    data = prepareData(args.data, network.input.outputShape, {
      seed: args.seed,
      ...(args.trainSize !== undefined && { trainSize: args.trainSize }),
      ...(args.testSize !== undefined && { testSize: args.testSize }),
      ...(args.maxMegapixels !== undefined && { maxMegapixels: args.maxMegapixels }),
    });
    checkOutputMatchesClasses(network, data.train.classNames.length, args.data.text);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (data.note) say(`data: ${data.note}\n`);
  const settings = settingsFromFlags(network, args);
  say(
    `training ${resolved.fileName === "<text>" ? "the network" : resolved.fileName} on ${withCommas(data.train.labels.length)} ${args.data.text} images ` +
      `(${settings.validationSplit > 0 ? `${formatPercent(settings.validationSplit, 0)} held out for validation, ` : ""}` +
      `${settings.epochs} epochs, batch ${settings.batchSize}, ${settings.optimizer.kind} lr ${settings.optimizer.learningRate}); ` +
      `testing on ${withCommas(data.test.labels.length)}\n`,
  );

  const { model } = compileNetwork(network, { seed: args.seed });
  const progress = new TrainingProgress(process.stdout, settings.epochs);
  const controller = new AbortController();
  const release = stopOnInterrupt(controller, (text) => process.stderr.write(`\n${text}`));
  let history: History;
  try {
    history = await fit(model, data.train, {
      settings,
      signal: controller.signal,
      onBatchEnd: (p) => {
        if (!args.json) progress.batchEnd(p);
      },
      onEpochEnd: (log) => {
        if (args.json) out(`${epochJson(log)}\n`);
        else progress.epochEnd(log);
      },
    });
  } catch (error) {
    model.dispose();
    return fail(`training failed: ${(error as Error).message}`);
  } finally {
    release();
  }
  if (history.stopReason === "diverged") {
    model.dispose();
    return fail(`${history.stopMessage ?? "the loss stopped being a finite number"}${args.save ? `; nothing was saved to ${args.save}` : ""}`);
  }

  const test = await evaluate(model, data.test);
  const result = finalResult(history, test.accuracy, test.loss);
  if (args.save) {
    try {
      await saveModel(model, args.save, {
        source: network.source,
        classNames: [...data.train.classNames],
        data: args.data.text,
        seed: args.seed,
        testSize: data.test.labels.length,
        ...(data.padTo && { preprocessing: { padTo: data.padTo } }),
        backend: history.backend,
        training: {
          epochs: history.epochs.length,
          stopReason: history.stopReason,
          seconds: history.seconds,
          examplesPerSecond: history.examplesPerSecond,
          ...(history.epochs.length > 0 && { last: lastMetrics(history.epochs[history.epochs.length - 1]!) }),
        },
        testAccuracy: test.accuracy,
      });
      result.saved = args.save;
    } catch (error) {
      model.dispose();
      return fail(`could not save to ${args.save}: ${(error as Error).message}`);
    }
  }
  model.dispose();

  if (args.json) {
    out(`${JSON.stringify({ final: result })}\n`);
  } else {
    if (history.stopReason !== "completed") out(`${history.stoppedAt ? stoppedText(history.stopReason, history.stoppedAt) : history.stopReason}\n`);
    out(`test accuracy ${formatPercent(test.accuracy, 2)} (loss ${test.loss.toFixed(4)}) on ${withCommas(test.count)} held-out images\n`);
    out(
      `trained ${history.epochs.length} epochs in ${history.seconds.toFixed(1)} s ` +
        `(${withCommas(Math.round(history.examplesPerSecond))} images/s) on ${history.backend}\n`,
    );
    if (args.save) out(`saved to ${args.save}\n`);
  }
  return 0;
}

function lastMetrics(log: EpochLog): { loss: number; accuracy: number; valLoss?: number; valAccuracy?: number } {
  const m: { loss: number; accuracy: number; valLoss?: number; valAccuracy?: number } = { loss: log.loss, accuracy: log.accuracy };
  if (log.valLoss !== undefined) m.valLoss = log.valLoss;
  if (log.valAccuracy !== undefined) m.valAccuracy = log.valAccuracy;
  return m;
}

export const trainCommand = defineCommand({
  name: "train",
  summary: "train a network on a data set (mnist, xo, ...) with a progress bar; test it; --save it",
  synopsis: ["<network text | zoo name | file.net> --data DATA [options]"],
  options: OPTIONS,
  footer: `The network's TRAIN(...) settings apply unless a flag overrides them. Ctrl-C stops after the
current batch and still evaluates (and saves) what was learned.
Exit status: 0 trained, 1 a bad network or a failed run (a loss that stopped being a finite
number included), 2 bad usage.`,
  run: runTrain,
});
