/**
 * Fashion-MNIST (Zalando Research, MIT licence): 60,000 training and 10,000
 * test images of clothing, 28x28 greyscale, 10 classes; a drop-in harder
 * replacement for MNIST. Pixel values are scaled to 0..1, shape [28, 28, 1].
 *
 * Not bundled with ConvNote. Read from, in this order:
 *   1. `options.dir`,
 *   2. the folder named by the environment variable CONVNOTE_FASHION_MNIST_DIR,
 *   3. /usr/share/datasets/fashion-mnist (Debian package `dataset-fashion-mnist`).
 * The folder holds the four standard files, gzipped (*.gz) or not.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ImageDataset } from "./dataset.js";
import { loadIdxPair } from "./idx-dataset.js";

export type FashionMnistSplit = "train" | "test";

export interface FashionMnistOptions {
  split?: FashionMnistSplit;
  count?: number;
  seed?: number;
  /** Folder with the four IDX files; overrides the environment variable and the Debian path. */
  dir?: string;
}

export const FASHION_MNIST_CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

export const FASHION_MNIST_ENV_VAR = "CONVNOTE_FASHION_MNIST_DIR";
export const FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

const BASE_NAMES: Record<FashionMnistSplit, { images: string; labels: string }> = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
};

const ALL_FILES = Object.values(BASE_NAMES).flatMap((f) => [f.images, f.labels]);

/** `name.gz` when present, else `name`, else null. */
function findFile(dir: string, baseName: string): string | null {
  for (const candidate of [`${baseName}.gz`, baseName]) {
    const path = join(dir, candidate);
    if (existsSync(path)) return path;
  }
  return null;
}

function installHelp(): string {
  return (
    "Fashion-MNIST is not bundled with ConvNote. Either install the Debian package " +
    "(`sudo apt-get install dataset-fashion-mnist`, files land in /usr/share/datasets/fashion-mnist), " +
    `or set the environment variable ${FASHION_MNIST_ENV_VAR} to a folder holding the four standard files ` +
    `${ALL_FILES.map((f) => f + ".gz").join(", ")} (from https://github.com/zalandoresearch/fashion-mnist).`
  );
}

/** The folder the loader will read, or an error explaining how to install the data. */
export function fashionMnistDirectory(dir?: string): string {
  const env = process.env[FASHION_MNIST_ENV_VAR];
  const [path, from] =
    dir !== undefined
      ? [dir, "options.dir"]
      : env
        ? [env, FASHION_MNIST_ENV_VAR]
        : [FASHION_MNIST_DEBIAN_DIR, "the Debian package path"];
  const missing = ALL_FILES.filter((f) => findFile(path, f) === null);
  if (missing.length === 0) return path;
  const what = existsSync(path)
    ? `${path} (${from}) lacks ${missing.map((f) => f + ".gz").join(", ")}`
    : `${path} (${from}) does not exist`;
  throw new Error(`loadFashionMnist: ${what}. ${installHelp()}`);
}

/** True when the files can be found (lets notebooks offer MNIST instead). */
export function isFashionMnistAvailable(dir?: string): boolean {
  try {
    fashionMnistDirectory(dir);
    return true;
  } catch {
    return false;
  }
}

export function loadFashionMnist(options: FashionMnistOptions = {}): ImageDataset {
  const split = options.split ?? "train";
  const names = BASE_NAMES[split];
  if (!names) throw new Error(`loadFashionMnist: split must be "train" or "test", got ${JSON.stringify(split)}`);
  const dir = fashionMnistDirectory(options.dir);
  return loadIdxPair({
    name: `fashion-mnist-${split}`,
    imagesPath: findFile(dir, names.images) as string,
    labelsPath: findFile(dir, names.labels) as string,
    classNames: FASHION_MNIST_CLASS_NAMES,
    count: options.count,
    seed: options.seed,
  });
}
