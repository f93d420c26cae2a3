// `convnote predict DIR --data mnist [--count N]` or `convnote predict DIR photo.png ...`: a saved
// model's most likely classes for some held-out images, or for image files.
import { describeBackend, initBackend } from "../backend/index.js";
import { readImageFile } from "../data/index.js";
import { textTable } from "../render/table.js";
import type { Examples } from "../train/examples.js";
import { predictProbabilities } from "../train/evaluate.js";
import { loadModel } from "../train/save.js";
import { defineCommand, parseOptions, UsageError, wholeNumber } from "./command.js";
import { loadModelAndTestData, modelInputShape, modelOutputUnits, SAVED_MODEL_OPTIONS, savedModelArgs, type SavedModelArgs } from "./evaluate-command.js";

const OPTIONS = {
  ...SAVED_MODEL_OPTIONS,
  count: { type: "string", value: "N", help: "how many held-out images (default 10)" },
  top: { type: "string", value: "K", help: "how many classes to list per image (default 3)" },
  invert: { type: "boolean", help: "use 1 - value, for dark strokes on light paper given to an MNIST model" },
} as const;

export interface Prediction {
  /** The image: its index in the data set, or the file name. */
  source: string;
  truth?: string;
  top: { className: string; probability: number }[];
}

/** The k most likely classes of each example. */
export function topClasses(probabilities: Float32Array, classNames: readonly string[], k: number): { className: string; probability: number }[][] {
  const classes = classNames.length;
  const out: { className: string; probability: number }[][] = [];
  for (let i = 0; i < probabilities.length / classes; i++) {
    const row = Array.from(probabilities.subarray(i * classes, (i + 1) * classes));
    const order = row.map((p, c) => ({ c, p })).sort((a, b) => b.p - a.p);
    out.push(order.slice(0, Math.min(k, classes)).map(({ c, p }) => ({ className: classNames[c]!, probability: p })));
  }
  return out;
}

export function predictionsText(predictions: Prediction[]): string {
  const withTruth = predictions.some((p) => p.truth !== undefined);
  const rows = predictions.map((p) => {
    const best = p.top[0]!;
    const mark = p.truth === undefined ? [] : [p.truth, best.className === p.truth ? "yes" : "NO"];
    return [p.source, ...mark, best.className, `${(best.probability * 100).toFixed(1)}%`, p.top.slice(1).map((t) => `${t.className} ${(t.probability * 100).toFixed(1)}%`).join(", ")];
  });
  const header = ["image", ...(withTruth ? ["true", "right"] : []), "predicted", "p", "next"];
  return textTable(rows, { header, align: header.map((h) => (h === "p" ? "right" : "left")) });
}

async function predictFiles(args: SavedModelArgs, top: number, invert: boolean): Promise<Prediction[]> {
  const { model, info } = await loadModel(args.dir);
  try {
    const [height, width, channels] = modelInputShape(model) as [number, number, number];
    if (channels !== 1 && channels !== 3) throw new Error(`the model's input is ${modelInputShape(model).join("x")}; image files can feed HxWx1 or HxWx3 inputs only`);
    const units = modelOutputUnits(model);
    const classNames = info?.classNames && info.classNames.length === units ? info.classNames : Array.from({ length: units }, (_, c) => `class ${c}`);
    const size = height * width * channels;
    const images = new Float32Array(args.rest.length * size);
    args.rest.forEach((file, i) => {
      const data = readImageFile(file, { height, width, channels, ...(args.maxMegapixels !== undefined && { maxMegapixels: args.maxMegapixels }) }).data;
      images.set(invert ? data.map((v) => 1 - v) : data, i * size);
    });
    const examples: Examples = { images, labels: new Int32Array(args.rest.length), shape: [height, width, channels], classNames };
    const tops = topClasses(await predictProbabilities(model, examples), classNames, top);
    return args.rest.map((file, i) => ({ source: file, top: tops[i]! }));
  } finally {
    model.dispose();
  }
}

async function predictData(args: SavedModelArgs, count: number, top: number): Promise<Prediction[]> {
  const loaded = await loadModelAndTestData(args);
  try {
    const n = Math.min(count, loaded.test.labels.length);
    const size = loaded.test.images.length / loaded.test.labels.length;
    const examples: Examples = { ...loaded.test, images: loaded.test.images.subarray(0, n * size), labels: loaded.test.labels.subarray(0, n) };
    const tops = topClasses(await predictProbabilities(loaded.model, examples), loaded.classNames, top);
    return tops.map((t, i) => ({ source: `#${i}`, truth: loaded.classNames[loaded.test.labels[i]!]!, top: t }));
  } finally {
    loaded.model.dispose();
  }
}

async function runPredict(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(OPTIONS, argv);
  const args = savedModelArgs(values, positionals);
  const count = values.count === undefined ? 10 : wholeNumber(values.count, "--count", 1);
  const top = values.top === undefined ? 3 : wholeNumber(values.top, "--top", 1);
  if (args.rest.length > 0 && args.data) throw new UsageError("give image files or --data, not both");
  try {
    await initBackend();
  } catch (error) {
    process.stderr.write(`convnote predict: ${(error as Error).message}\n`);
    return 1;
  }
  let predictions: Prediction[];
  try {
    predictions = args.rest.length > 0 ? await predictFiles(args, top, values.invert) : await predictData(args, count, top);
  } catch (error) {
    process.stderr.write(`convnote predict: ${(error as Error).message}\n`);
    return 1;
  }
  const backend = describeBackend();
  if (args.json) process.stdout.write(`${JSON.stringify({ backend: backend.name, predictions })}\n`);
  else process.stdout.write(`backend: ${backend.text}\n\n${predictionsText(predictions)}\n`);
  return 0;
}

export const predictCommand = defineCommand({
  name: "predict",
  summary: "a saved model's most likely classes for held-out images or image files",
  synopsis: ["DIR [--data DATA] [--count N] [--top K] [--seed S] [--json]", "DIR IMAGE.png|IMAGE.jpg ... [--invert] [--top K] [--json]"],
  description: `The most likely classes, as the model saved in DIR sees them, for the first N held-out images of
a data set (default 10) or for image files (resized to the model's input; 0 = black, 1 = white).`,
  options: OPTIONS,
  run: runPredict,
});
