// `convnote evaluate DIR --data mnist`: a saved model's accuracy, loss, top-5 accuracy (with more
// than five classes), per-class accuracy and confusion matrix on held-out images.
import { describeBackend, initBackend } from "../backend/index.js";
import type { tf } from "../backend/tf.js";
import type { ImageDataset } from "../data/index.js";
import { formatPercent } from "../render/format.js";
import { textTable } from "../render/table.js";
import { evaluate, type Evaluation } from "../train/evaluate.js";
import { loadModel, type ModelInfo } from "../train/save.js";
import type { Command } from "./commands.js";
import { DATA_USAGE, parseDataSpec, prepareTestData, type DataSpec } from "./data-argument.js";

const USAGE = `usage: convnote evaluate DIR [--data DATA] [--test-size N] [--seed S] [--json]

Evaluates the model saved in DIR (by \`convnote train --save DIR\`, or a Keras model converted
by tensorflowjs_converter) on held-out images: accuracy, loss, top-5 accuracy, per-class
accuracy and the confusion matrix.
  --data DATA      ${DATA_USAGE}
                   (default: the data set the model was trained on, from DIR/convnote.json)
  --test-size N    test images (default: as many as train tested on, from convnote.json)
  --seed S         the seed given to train (default: the one in convnote.json), so that the
                   test images are the ones train held out
  --json           the evaluation as one JSON object`;

export interface SavedModelArgs {
  dir: string;
  data?: DataSpec;
  testSize?: number;
  seed?: number;
  json: boolean;
  /** Positional arguments after DIR (image files for predict). */
  rest: string[];
  /** Flags the command adds (name -> value, or "" for switches). */
  extra: Map<string, string>;
}

export class SavedModelUsageError extends Error {}

/** Parses `DIR [--data D] [--test-size N] [--seed S] [--json]` plus the command's own flags. */
export function parseSavedModelArgs(args: string[], extraFlags: Record<string, "value" | "switch"> = {}): SavedModelArgs {
  const positional: string[] = [];
  const parsed: Omit<SavedModelArgs, "dir" | "rest"> = { json: false, extra: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new SavedModelUsageError(`${arg} needs a value`);
      return v;
    };
    const whole = (text: string, min: number): number => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < min) throw new SavedModelUsageError(`${arg} needs a whole number >= ${min}, got '${text}'`);
      return n;
    };
    if (arg === "--data") {
      try {
        parsed.data = parseDataSpec(value());
      } catch (error) {
        throw new SavedModelUsageError((error as Error).message);
      }
    } else if (arg === "--test-size") parsed.testSize = whole(value(), 1);
    else if (arg === "--seed") parsed.seed = whole(value(), 0);
    else if (arg === "--json") parsed.json = true;
    else if (extraFlags[arg] === "value") parsed.extra.set(arg, value());
    else if (extraFlags[arg] === "switch") parsed.extra.set(arg, "");
    else if (arg.startsWith("--")) throw new SavedModelUsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length === 0) throw new SavedModelUsageError("give the folder of a saved model (convnote train --save DIR)");
  return { ...parsed, dir: positional[0]!, rest: positional.slice(1) };
}

export interface ModelAndData {
  model: tf.LayersModel;
  info?: ModelInfo;
  test: ImageDataset;
  /** Class names of the model's outputs: convnote.json's, else the data set's. */
  classNames: string[];
  data: DataSpec;
}

export function modelInputShape(model: tf.LayersModel): number[] {
  return (model.inputs[0]?.shape ?? []).slice(1).map((d) => d ?? 0);
}

export function modelOutputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape ?? [];
  return shape[shape.length - 1] ?? 0;
}

/** Loads the model and its held-out images; throws with a message naming the fix. */
export async function loadModelAndTestData(args: SavedModelArgs): Promise<ModelAndData> {
  const { model, info } = await loadModel(args.dir);
  const data = args.data ?? (info?.data !== undefined ? parseDataSpec(info.data) : undefined);
  if (!data) {
    model.dispose();
    throw new Error(`${args.dir} does not say what data it was trained on; give --data (${DATA_USAGE})`);
  }
  const units = modelOutputUnits(model);
  // The run's own seed and test size, unless the data or the flags say otherwise.
  const sameData = args.data === undefined || args.data.text === info?.data;
  const seed = args.seed ?? (sameData ? info?.seed : undefined) ?? 0;
  const testSize = args.testSize ?? (sameData ? info?.testSize : undefined);
  let prepared;
  try {
    prepared = prepareTestData(data, modelInputShape(model), { seed, ...(testSize !== undefined && { testSize }) });
  } catch (error) {
    model.dispose();
    throw error;
  }
  const test = prepared.test;
  if (units !== test.classNames.length) {
    model.dispose();
    throw new Error(`the model has ${units} outputs but ${data.text} has ${test.classNames.length} classes; evaluate it on the data it was trained for`);
  }
  const classNames = info?.classNames && info.classNames.length === units ? info.classNames : test.classNames;
  const result: ModelAndData = { model, test: { ...test, classNames: [...classNames] }, classNames, data };
  if (info) result.info = info;
  return result;
}

/** Accuracy, loss, top-k, per-class accuracy and the confusion matrix as aligned text. */
export function evaluationText(e: Evaluation): string {
  const lines: string[] = [];
  const summary: (string | number)[][] = [
    ["accuracy", formatPercent(e.accuracy, 2)],
    ["loss", e.loss.toFixed(4)],
  ];
  if (e.classNames.length > e.topK.k) summary.push([`top-${e.topK.k} accuracy`, formatPercent(e.topK.accuracy, 2)]);
  lines.push(textTable(summary, { align: ["left", "right"] }), "");

  const perClass = e.classNames.map((name, c) => {
    const row = e.confusion[c]!;
    const total = row.reduce((a, b) => a + b, 0);
    return [name, total === 0 ? "n/a" : formatPercent(e.perClassAccuracy[c]!, 1), total];
  });
  lines.push("per-class accuracy", textTable(perClass, { header: ["class", "accuracy", "images"], align: ["left", "right", "right"] }), "");

  const matrix = e.confusion.map((row, c) => [e.classNames[c]!, ...row]);
  lines.push(
    "confusion matrix (rows: true class, columns: predicted class)",
    textTable(matrix, { header: ["true \\ predicted", ...e.classNames], align: ["left", ...e.classNames.map(() => "right" as const)] }),
  );
  return lines.join("\n");
}

function describeModel(dir: string, info: ModelInfo | undefined): string {
  if (!info) return `model: ${dir} (no convnote.json: a model from elsewhere)`;
  const parts = [`model: ${dir}`];
  const training = info.training;
  if (info.data) parts.push(`trained on ${info.data}${training ? ` for ${training.epochs} epochs on ${info.backend ?? "?"}` : ""}`);
  if (info.testAccuracy !== undefined) parts.push(`test accuracy then ${formatPercent(info.testAccuracy, 2)}`);
  return parts.join("; ");
}

async function runEvaluate(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let args: SavedModelArgs;
  try {
    args = parseSavedModelArgs(argv);
    if (args.rest.length > 0) throw new SavedModelUsageError(`unexpected argument ${args.rest[0]}`);
  } catch (error) {
    process.stderr.write(`convnote evaluate: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    await initBackend();
  } catch (error) {
    process.stderr.write(`convnote evaluate: ${(error as Error).message}\n`);
    return 1;
  }
  const backend = describeBackend();
  let loaded: ModelAndData;
  try {
    loaded = await loadModelAndTestData(args);
  } catch (error) {
    process.stderr.write(`convnote evaluate: ${(error as Error).message}\n`);
    return 1;
  }
  const started = performance.now();
  const result = evaluate(loaded.model, loaded.test);
  const seconds = (performance.now() - started) / 1000;
  loaded.model.dispose();
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...result, data: loaded.data.text, backend: backend.name, seconds })}\n`);
    return 0;
  }
  process.stdout.write(
    [
      `backend: ${backend.text}`,
      describeModel(args.dir, loaded.info),
      `data: ${result.count.toLocaleString("en-US")} held-out ${loaded.data.text} images (${seconds.toFixed(1)} s)`,
      "",
      evaluationText(result),
      "",
    ].join("\n"),
  );
  return 0;
}

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "a saved model's accuracy, top-5, per-class accuracy and confusion matrix on test images",
  run: runEvaluate,
};
