// `convnote evaluate DIR --data mnist`: a saved model's accuracy, loss, top-5 accuracy (with more
// than five classes), per-class accuracy and confusion matrix on held-out images.
import { describeBackend, initBackend } from "../backend/index.js";
import type { tf } from "../backend/tf.js";
import type { ImageDataset } from "../data/index.js";
import { formatPercent } from "../render/format.js";
import { textTable } from "../render/table.js";
import { evaluate, type Evaluation } from "../train/evaluate.js";
import { loadModel, type ModelInfo } from "../train/save.js";
import { DEFAULT_MAX_MEGAPIXELS } from "../image/codecs.js";
import { asUsage, defineCommand, type OptionValues, parseOptions, positiveNumber, UsageError, wholeNumber } from "./command.js";
import { DATA_USAGE, parseDataSpec, prepareTestData, type DataSpec } from "./data-argument.js";

/** The options evaluate and predict share: which held-out images, and the output format. */
export const SAVED_MODEL_OPTIONS = {
  data: { type: "string", value: "DATA", help: `${DATA_USAGE}\n(default: the data set the model was trained on, from DIR/convnote.json)` },
  "test-size": { type: "string", value: "N", help: "test images (default: as many as train tested on, from convnote.json)" },
  seed: {
    type: "string",
    value: "S",
    help: "the seed given to train (default: the one in convnote.json), so that the\ntest images are the ones train held out",
  },
  json: { type: "boolean", help: "the result as one JSON object" },
  "max-megapixels": { type: "string", value: "N", help: `refuse images larger than N megapixels (default ${DEFAULT_MAX_MEGAPIXELS})` },
} as const;

export interface SavedModelArgs {
  dir: string;
  data?: DataSpec;
  testSize?: number;
  seed?: number;
  json: boolean;
  /** Positional arguments after DIR (image files for predict). */
  rest: string[];
  maxMegapixels?: number;
}

/** Reads `DIR [--data D] [--test-size N] [--seed S] [--json]` from parsed options; throws UsageError. */
export function savedModelArgs(values: OptionValues<typeof SAVED_MODEL_OPTIONS>, positionals: string[]): SavedModelArgs {
  if (positionals.length === 0) throw new UsageError("give the folder of a saved model (convnote train --save DIR)");
  const parsed: SavedModelArgs = { dir: positionals[0]!, rest: positionals.slice(1), json: values.json };
  const data = values.data;
  if (data !== undefined) parsed.data = asUsage(() => parseDataSpec(data));
  if (values["test-size"] !== undefined) parsed.testSize = wholeNumber(values["test-size"], "--test-size", 1);
  if (values.seed !== undefined) parsed.seed = wholeNumber(values.seed, "--seed", 0);
  if (values["max-megapixels"] !== undefined) parsed.maxMegapixels = positiveNumber(values["max-megapixels"], "--max-megapixels");
  return parsed;
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
    prepared = prepareTestData(data, modelInputShape(model), { seed, ...(testSize !== undefined && { testSize }), ...(args.maxMegapixels !== undefined && { maxMegapixels: args.maxMegapixels }) });
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
  const { values, positionals } = parseOptions(SAVED_MODEL_OPTIONS, argv);
  const args = savedModelArgs(values, positionals);
  if (args.rest.length > 0) throw new UsageError(`unexpected argument ${args.rest[0]}`);
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
  const result = await evaluate(loaded.model, loaded.test);
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

export const evaluateCommand = defineCommand({
  name: "evaluate",
  summary: "a saved model's accuracy, top-5, per-class accuracy and confusion matrix on test images",
  synopsis: ["DIR [--data DATA] [--test-size N] [--seed S] [--json]"],
  description: `Evaluates the model saved in DIR (by \`convnote train --save DIR\`, or a Keras model converted
by tensorflowjs_converter) on held-out images: accuracy, loss, top-5 accuracy, per-class
accuracy and the confusion matrix.`,
  options: SAVED_MODEL_OPTIONS,
  run: runEvaluate,
});
