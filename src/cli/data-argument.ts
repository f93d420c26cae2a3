// `--data` on the command line: which data set, made to fit the network's INPUT. Generated sets
// (xo, colour-shapes) are drawn at the network's size; image folders are resized to it; MNIST and
// Fashion-MNIST are 28x28x1 and are padded with background when a network asks for more
// (LeNet-5 took 32x32: "a 28x28 digit, padded"); any other mismatch is an error naming the fix.
import {
  generateColourShapes,
  generateXO,
  loadFashionMnist,
  loadImageFolder,
  loadMnist,
  split,
  subset,
  take,
  type ImageDataset,
  type XOVariationName,
} from "../data/index.js";

export type DataName = "mnist" | "fashion-mnist" | "xo" | "colour-shapes" | "folder";

export interface DataSpec {
  name: DataName;
  /** The folder of `folder:PATH`. */
  path?: string;
  /** The X-and-O variation of `xo:VARIATION` (default: mixed, the lecture's trickier cases). */
  variation?: XOVariationName;
  /** As written, for messages and convnote.json. */
  text: string;
}

export const DATA_USAGE = "mnist, fashion-mnist, xo[:none|translation|scaling|rotation|bold|mixed], colour-shapes or folder:PATH";

const XO_VARIATIONS: readonly XOVariationName[] = ["none", "translation", "scaling", "rotation", "bold", "mixed"];

/** Parses --data's value; throws a usage error naming the choices. */
export function parseDataSpec(text: string): DataSpec {
  const trimmed = text.trim();
  if (trimmed.startsWith("folder:")) {
    const path = trimmed.slice("folder:".length);
    if (path === "") throw new Error("--data folder:PATH needs a folder after the colon, e.g. folder:photos/ (one sub-folder per class)");
    return { name: "folder", path, text: trimmed };
  }
  const [name, option] = trimmed.toLowerCase().split(":", 2) as [string, string | undefined];
  if (name === "xo" || name === "x-and-o") {
    const variation = (option ?? "mixed") as XOVariationName;
    if (!XO_VARIATIONS.includes(variation)) throw new Error(`--data xo:${option}: the variations are ${XO_VARIATIONS.join(", ")}`);
    return { name: "xo", variation, text: trimmed };
  }
  if (option !== undefined) throw new Error(`--data ${trimmed}: only xo:VARIATION and folder:PATH take a value after a colon`);
  if (name === "mnist") return { name: "mnist", text: trimmed };
  if (name === "fashion-mnist" || name === "fashion") return { name: "fashion-mnist", text: trimmed };
  if (name === "colour-shapes" || name === "color-shapes") return { name: "colour-shapes", text: trimmed };
  throw new Error(`--data '${text}' is not a data set ConvNote knows; use ${DATA_USAGE}`);
}

export interface DataSizes {
  /** Training images; undefined: the data set's default. */
  trainSize?: number;
  testSize?: number;
  seed: number;
  /** Image folders: refuse images over this many megapixels (default: decodeImage's). */
  maxMegapixels?: number;
}

export interface PreparedData {
  train: ImageDataset;
  test: ImageDataset;
  /** What was done to fit the network, e.g. "padded 28x28 to 32x32"; undefined when nothing. */
  note?: string;
  padTo?: number[];
}

const shapeText = (shape: readonly number[]) => shape.join("x");

/** Raised when the network's INPUT cannot take the data; the message names both and the fix. */
export class InputMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputMismatchError";
  }
}

function mismatch(data: string, dataShape: readonly number[], input: readonly number[], extra = ""): InputMismatchError {
  const hint = dataShape[2] === 1 ? `INPUT ${dataShape[0]}x${dataShape[1]} (one channel)` : `INPUT ${shapeText(dataShape)}`;
  return new InputMismatchError(
    `the network's input is ${shapeText(input)} but ${data} images are ${shapeText(dataShape)}${extra}; start the network with ${hint}`,
  );
}

/** Centres each image in a larger canvas filled with `background` (0: paper for the digit sets). */
export function padImages(ds: ImageDataset, height: number, width: number, background = 0): ImageDataset {
  const [h, w, c] = ds.shape;
  const top = Math.floor((height - h) / 2);
  const left = Math.floor((width - w) / 2);
  const n = ds.labels.length;
  const images = new Float32Array(n * height * width * c).fill(background);
  for (let i = 0; i < n; i++) {
    for (let row = 0; row < h; row++) {
      const from = ((i * h + row) * w) * c;
      images.set(ds.images.subarray(from, from + w * c), ((i * height + row + top) * width + left) * c);
    }
  }
  return { ...ds, images, shape: [height, width, c] };
}

/** Makes a fixed-size set fit the input: as is, padded when the input is larger, else an error. */
function fitFixed(data: string, train: ImageDataset, test: ImageDataset, input: readonly number[]): PreparedData {
  const shape = train.shape;
  if (input.length !== 3) throw mismatch(data, shape, input);
  const [h, w, c] = input as [number, number, number];
  if (h === shape[0] && w === shape[1] && c === shape[2]) return { train, test };
  if (c === shape[2] && h >= shape[0] && w >= shape[1]) {
    return {
      train: padImages(train, h, w),
      test: padImages(test, h, w),
      note: `${data} images padded from ${shapeText(shape)} to ${shapeText(input)} (centred, background around them)`,
      padTo: [h, w, c],
    };
  }
  throw mismatch(data, shape, input, c !== shape[2] ? ` (${c} channels against ${shape[2]})` : "");
}

const DEFAULT_SIZES: Record<DataName, { train?: number; test?: number }> = {
  mnist: {},
  "fashion-mnist": {},
  xo: { train: 2000, test: 500 },
  "colour-shapes": { train: 4000, test: 1000 },
  folder: {},
};

/** The seed of the held-out test images of a generated set: a different stream than training's. */
export function testSeed(seed: number): number {
  return (seed * 7919 + 104729) >>> 0;
}

/**
 * Loads or generates the training and test images for a network whose input is `input`
 * ([H, W, C]). Subsets are stratified and seeded, so `train` and `evaluate` with the same
 * --seed and --test-size see the same test images.
 */
export function prepareData(spec: DataSpec, input: readonly number[], sizes: DataSizes): PreparedData {
  const defaults = DEFAULT_SIZES[spec.name];
  const trainSize = sizes.trainSize ?? defaults.train;
  const testSize = sizes.testSize ?? defaults.test;
  const square = input.length === 3 && input[0] === input[1];
  switch (spec.name) {
    case "mnist":
    case "fashion-mnist": {
      const load = spec.name === "mnist" ? loadMnist : loadFashionMnist;
      const test = load({ split: "test", ...(testSize !== undefined && { count: testSize }), seed: sizes.seed });
      // evaluate and predict ask for no training images: skip reading the 60,000.
      const train = trainSize === 0 ? take(test, 0, 0) : load({ split: "train", ...(trainSize !== undefined && { count: trainSize }), seed: sizes.seed });
      return fitFixed(spec.name, train, test, input);
    }
    case "xo": {
      if (!square || input[2] !== 1) throw mismatch("xo", [9, 9, 1], input, " (X-and-O images are square with one channel, any size from 5)");
      const size = input[0]!;
      if (size < 5) throw new InputMismatchError(`the network's input is ${shapeText(input)}; X-and-O images need at least 5x5 pixels; start the network with INPUT 9x9`);
      const common = { size, ...(spec.variation !== undefined && { variations: spec.variation }) };
      return {
        train: generateXO({ count: trainSize!, seed: sizes.seed, ...common }),
        test: generateXO({ count: testSize!, seed: testSeed(sizes.seed), ...common }),
      };
    }
    case "colour-shapes": {
      if (!square || input[2] !== 3 || input[0]! < 16) throw mismatch("colour-shapes", [32, 32, 3], input, " (colour shapes are square, RGB, at least 16x16)");
      const size = input[0]!;
      return {
        train: generateColourShapes({ count: trainSize!, seed: sizes.seed, size }),
        test: generateColourShapes({ count: testSize!, seed: testSeed(sizes.seed), size }),
      };
    }
    case "folder": {
      if (input.length !== 3 || (input[2] !== 1 && input[2] !== 3)) {
        throw new InputMismatchError(`the network's input is ${shapeText(input)}; image folders load as HxWx1 or HxWx3; start the network with e.g. INPUT 64x64x3`);
      }
      const all = loadImageFolder(spec.path!, { height: input[0]!, width: input[1]!, channels: input[2] as 1 | 3, ...(sizes.maxMegapixels !== undefined && { maxMegapixels: sizes.maxMegapixels }) });
      if (all.classNames.length < 2) {
        throw new Error(
          `${spec.path} has one class folder (${all.classNames[0]}); a classifier learns to tell classes apart, so give it at least two sub-folders, one per class`,
        );
      }
      const n = all.labels.length;
      const testCount = testSize ?? Math.round(n * 0.2);
      if (testCount >= n) throw new Error(`--test-size ${testCount}: the folder has only ${n} images`);
      const [train, test] = split(all, 1 - testCount / n, sizes.seed);
      const trained = trainSize !== undefined && trainSize < train.labels.length ? subset(train, trainSize, sizes.seed) : train;
      return { train: trained, test, note: `${n} images from ${spec.path}, resized to ${input[0]}x${input[1]}; ${test.labels.length} held out for testing` };
    }
  }
}

/** Only the test images (for `evaluate` and `predict`), drawn as prepareData draws them. */
export function prepareTestData(spec: DataSpec, input: readonly number[], sizes: DataSizes): PreparedData {
  return prepareData(spec, input, { ...sizes, trainSize: 0 });
}
