/**
 * CIFAR-10 (Krizhevsky, 2009) from its "binary version" files: data_batch_1.bin
 * ... data_batch_5.bin (10,000 images each) and test_batch.bin.
 *
 * Each record is 3073 bytes: 1 label byte (0-9), then 1024 red, 1024 green and
 * 1024 blue bytes, each plane a 32x32 image row by row. We reorder to NHWC and
 * scale to 0..1, shape [32, 32, 3].
 *
 * Not bundled and never downloaded at run time: unpack cifar-10-binary.tar.gz
 * from https://www.cs.toronto.edu/~kriz/cifar.html and pass the folder
 * (`cifar-10-batches-bin`, or its parent) as `dir`, or set CONVNOTE_CIFAR10_DIR.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ImageDataset, selectIndices, stratifiedIndices } from "./dataset.js";

export const CIFAR10_CLASS_NAMES = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

export const CIFAR10_ENV_VAR = "CONVNOTE_CIFAR10_DIR";
const SIDE = 32;
const PLANE = SIDE * SIDE;
export const CIFAR10_RECORD_BYTES = 1 + 3 * PLANE;

export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILES = ["test_batch.bin"];

/** Parses one binary batch file's bytes. `source` names it in errors. */
export function parseCifar10Batch(bytes: Uint8Array, source = "CIFAR-10 batch"): { images: Float32Array; labels: Int32Array } {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new Error(
      `${source}: ${bytes.length} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 records ` +
        `(1 label byte + 3072 pixel bytes); the file is truncated or not a CIFAR-10 binary batch ` +
        `(the Python "pickle" version of CIFAR-10 is a different format: use cifar-10-binary.tar.gz)`,
    );
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const images = new Float32Array(n * PLANE * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const record = i * CIFAR10_RECORD_BYTES;
    const label = bytes[record] as number;
    if (label > 9) {
      throw new Error(`${source}: record ${i} has label byte ${label}, CIFAR-10 labels are 0-9 (is this CIFAR-100?)`);
    }
    labels[i] = label;
    const out = i * PLANE * 3;
    for (let p = 0; p < PLANE; p++) {
      for (let c = 0; c < 3; c++) {
        images[out + p * 3 + c] = (bytes[record + 1 + c * PLANE + p] as number) / 255;
      }
    }
  }
  return { images, labels };
}

/** Encodes NHWC 0..1 images and labels as CIFAR-10 binary records (used by tests). */
export function encodeCifar10Batch(images: Float32Array, labels: Int32Array): Uint8Array {
  const n = labels.length;
  if (images.length !== n * PLANE * 3) {
    throw new Error(`encodeCifar10Batch: ${n} labels need ${n * PLANE * 3} image values, got ${images.length}`);
  }
  const out = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    const record = i * CIFAR10_RECORD_BYTES;
    out[record] = labels[i] as number;
    for (let p = 0; p < PLANE; p++) {
      for (let c = 0; c < 3; c++) {
        const v = images[i * PLANE * 3 + p * 3 + c] as number;
        out[record + 1 + c * PLANE + p] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
  }
  return out;
}

export interface Cifar10Options {
  split?: "train" | "test";
  /** Folder with the .bin files; defaults to $CONVNOTE_CIFAR10_DIR. */
  dir?: string;
  count?: number;
  seed?: number;
}

function resolveDirectory(dir: string | undefined, files: string[]): string {
  const given = dir ?? process.env[CIFAR10_ENV_VAR];
  const help =
    `CIFAR-10 is not bundled with ConvNote: download cifar-10-binary.tar.gz from ` +
    `https://www.cs.toronto.edu/~kriz/cifar.html, unpack it, and pass the folder as { dir } ` +
    `or set ${CIFAR10_ENV_VAR}`;
  if (!given) throw new Error(`loadCifar10: no folder given. ${help}`);
  for (const candidate of [given, join(given, "cifar-10-batches-bin")]) {
    if (files.every((f) => existsSync(join(candidate, f)))) return candidate;
  }
  const missing = files.filter((f) => !existsSync(join(given, f)));
  throw new Error(`loadCifar10: ${given} lacks ${missing.join(", ")}. ${help}`);
}

export function loadCifar10(options: Cifar10Options = {}): ImageDataset {
  const split = options.split ?? "train";
  if (split !== "train" && split !== "test") {
    throw new Error(`loadCifar10: split must be "train" or "test", got ${JSON.stringify(split)}`);
  }
  const files = split === "train" ? CIFAR10_TRAIN_FILES : CIFAR10_TEST_FILES;
  const dir = resolveDirectory(options.dir, files);
  const parts = files.map((f) => parseCifar10Batch(readFileSync(join(dir, f)), join(dir, f)));
  const n = parts.reduce((sum, p) => sum + p.labels.length, 0);
  const images = new Float32Array(n * PLANE * 3);
  const labels = new Int32Array(n);
  let at = 0;
  for (const part of parts) {
    images.set(part.images, at * PLANE * 3);
    labels.set(part.labels, at);
    at += part.labels.length;
  }
  const all: ImageDataset = {
    name: `cifar10-${split}`,
    images,
    labels,
    shape: [SIDE, SIDE, 3],
    classNames: [...CIFAR10_CLASS_NAMES],
  };
  if (options.count === undefined) return all;
  return selectIndices(all, stratifiedIndices(labels, CIFAR10_CLASS_NAMES.length, options.count, options.seed ?? 0));
}
