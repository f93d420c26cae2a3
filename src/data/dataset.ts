/**
 * The image data set record shared by every loader and generator, and the
 * few operations on it (subset, split, take). Plain typed arrays only: no
 * tfjs here, so data can be built, inspected and tested without a backend.
 */

import { createRng } from "./random.js";

/**
 * N images of one shape with integer class labels.
 *
 * `images` holds N*H*W*C values, row-major NHWC: value (n, row, col, channel)
 * is at ((n*H + row)*W + col)*C + channel. The value range is set by the
 * loader and written in its `name`'s documentation: 0..1 for photographs and
 * digit sets, -1..+1 for the X-and-O images.
 */
export interface ImageDataset {
  name: string;
  images: Float32Array;
  labels: Int32Array;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
  classNames: string[];
}

/** Values in one image (H*W*C). */
export function imageSize(ds: Pick<ImageDataset, "shape">): number {
  const [h, w, c] = ds.shape;
  return h * w * c;
}

/** Number of images in the data set. */
export function datasetLength(ds: ImageDataset): number {
  return ds.labels.length;
}

/** Throws a message naming the problem when the record is inconsistent. */
export function checkDataset(ds: ImageDataset): ImageDataset {
  const where = `data set "${ds.name}"`;
  const [h, w, c] = ds.shape;
  for (const d of ds.shape) {
    if (!Number.isInteger(d) || d <= 0) {
      throw new Error(`${where}: shape [${ds.shape.join(", ")}] must be three positive integers [H, W, C]`);
    }
  }
  const n = ds.labels.length;
  if (ds.images.length !== n * h * w * c) {
    throw new Error(
      `${where}: images holds ${ds.images.length} values but ${n} labels x ${h}x${w}x${c} needs ${n * h * w * c}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const label = ds.labels[i] as number;
    if (label < 0 || label >= ds.classNames.length) {
      throw new Error(`${where}: label ${label} at index ${i} is outside 0..${ds.classNames.length - 1}`);
    }
  }
  return ds;
}

/** Count of images per class, indexed by label. */
export function classCounts(ds: ImageDataset): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (const label of ds.labels) counts[label] = (counts[label] as number) + 1;
  return counts;
}

/** A new data set holding the images at the given indices, in that order. */
export function selectIndices(ds: ImageDataset, indices: ArrayLike<number>, name = ds.name): ImageDataset {
  const size = imageSize(ds);
  const n = datasetLength(ds);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i] as number;
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new Error(`data set "${ds.name}": index ${index} is outside 0..${n - 1}`);
    }
    images.set(ds.images.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = ds.labels[index] as number;
  }
  return { name, images, labels, shape: [...ds.shape], classNames: [...ds.classNames] };
}

/**
 * Shuffled indices of `count` images, stratified: each class keeps its share
 * of the data set (largest-remainder rounding), so a small subset of a
 * balanced set stays balanced. Exported for loaders that pick before decoding.
 */
export function stratifiedIndices(labels: ArrayLike<number>, classCount: number, count: number, seed: number): number[] {
  const n = labels.length;
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new Error(`subset: count must be an integer in 0..${n}, got ${count}`);
  }
  const rng = createRng(seed);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < n; i++) (byClass[labels[i] as number] as number[]).push(i);

  // Largest-remainder apportionment of `count` over the classes.
  const exact = byClass.map((members) => (members.length * count) / n);
  const quota = exact.map(Math.floor);
  let missing = count - quota.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, k) => ({ k, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of order) {
    if (missing === 0) break;
    if ((quota[k] as number) < (byClass[k] as number[]).length) {
      quota[k] = (quota[k] as number) + 1;
      missing--;
    }
  }

  const chosen: number[] = [];
  byClass.forEach((members, k) => {
    rng.shuffle(members);
    chosen.push(...members.slice(0, quota[k]));
  });
  return rng.shuffle(chosen);
}

/** `count` images chosen at random (seeded), stratified by class, shuffled. */
export function subset(ds: ImageDataset, count: number, seed = 0): ImageDataset {
  return selectIndices(ds, stratifiedIndices(ds.labels, ds.classNames.length, count, seed));
}

/**
 * Splits into two disjoint shuffled parts, stratified by class: the first
 * holds round(fraction * N) images, the second the rest (e.g. train / test).
 */
export function split(ds: ImageDataset, fraction: number, seed = 0): [ImageDataset, ImageDataset] {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new Error(`split: fraction must be between 0 and 1, got ${fraction}`);
  }
  const n = datasetLength(ds);
  const first = stratifiedIndices(ds.labels, ds.classNames.length, Math.round(fraction * n), seed);
  const inFirst = new Set(first);
  // The rest keeps each class's remaining share by construction; shuffle it too.
  const second = createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i).filter((i) => !inFirst.has(i)));
  return [selectIndices(ds, first), selectIndices(ds, second)];
}

/** Images start..end-1 in their stored order (like Array.prototype.slice). */
export function take(ds: ImageDataset, start: number, end = datasetLength(ds)): ImageDataset {
  const n = datasetLength(ds);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new Error(`take: need integers 0 <= start <= end <= ${n}, got start=${start}, end=${end}`);
  }
  const size = imageSize(ds);
  return {
    name: ds.name,
    images: ds.images.slice(start * size, end * size),
    labels: ds.labels.slice(start, end),
    shape: [...ds.shape],
    classNames: [...ds.classNames],
  };
}

/** One image (H*W*C values) as a view into the data set, no copy. */
export function imageAt(ds: ImageDataset, index: number): Float32Array {
  const size = imageSize(ds);
  if (!Number.isInteger(index) || index < 0 || index >= datasetLength(ds)) {
    throw new Error(`data set "${ds.name}": image index ${index} is outside 0..${datasetLength(ds) - 1}`);
  }
  return ds.images.subarray(index * size, (index + 1) * size);
}
