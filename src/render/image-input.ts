/**
 * Plain image data as the renders accept it: nested arrays as the lecture notes print them, or
 * flat values with a shape in tfjs order (HWC, NHWC). Views share the caller's array.
 */

import { valueRange } from "./colormap.js";

/** `number[][]` is greyscale rows; `number[][][]` is [row][col][channel]; or flat values with shape [h, w] or [h, w, c]. */
export type ImageInput = number[][] | number[][][] | { values: ArrayLike<number>; shape: readonly number[] };

/** A batch: flat values with shape [n, h, w] or [n, h, w, c]. */
export interface ImageBatch {
  values: ArrayLike<number>;
  shape: readonly number[];
}

/** One image inside a flat array: HWC from `offset`. */
export interface PlainImage {
  values: ArrayLike<number>;
  offset: number;
  height: number;
  width: number;
  /** 1 (greyscale), 3 (RGB) or 4 (RGBA; alpha is ignored). */
  channels: 1 | 3 | 4;
}

function checkChannels(channels: number, where: string): 1 | 3 | 4 {
  if (channels === 1 || channels === 3 || channels === 4) return channels;
  throw new RangeError(`${where}: images need 1, 3 or 4 channels, got ${channels}; show channels separately with renderActivationMaps`);
}

export function toPlainImage(input: ImageInput, where = "render"): PlainImage {
  if (!Array.isArray(input)) {
    const shape = input.shape;
    if (shape.length === 4 && shape[0] === 1) return toPlainImage({ values: input.values, shape: shape.slice(1) }, where);
    if (shape.length !== 2 && shape.length !== 3) {
      throw new RangeError(`${where}: image shape [${shape.join(", ")}] must be [h, w] or [h, w, c]`);
    }
    const [height, width, channels = 1] = shape as [number, number, number?];
    if (input.values.length !== height * width * channels) {
      throw new RangeError(`${where}: ${input.values.length} values do not fill an image of shape [${shape.join(", ")}]`);
    }
    return { values: input.values, offset: 0, height, width, channels: checkChannels(channels, where) };
  }
  const height = input.length;
  const first = input[0];
  if (height === 0 || first === undefined || first.length === 0) throw new RangeError(`${where}: empty image`);
  const width = first.length;
  const cell = first[0];
  const channels = Array.isArray(cell) ? cell.length : 1;
  const values = new Float32Array(height * width * channels);
  input.forEach((row, y) => {
    if (row.length !== width) throw new RangeError(`${where}: row ${y} has ${row.length} values, row 0 has ${width}`);
    row.forEach((v, x) => {
      if (Array.isArray(v)) v.forEach((c, ci) => (values[(y * width + x) * channels + ci] = c));
      else values[y * width + x] = v;
    });
  });
  return { values, offset: 0, height, width, channels: checkChannels(channels, where) };
}

/** Splits a [n, h, w(, c)] batch into views, without copying. */
export function batchImages(batch: ImageBatch, where = "render"): PlainImage[] {
  const shape = batch.shape;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new RangeError(`${where}: batch shape [${shape.join(", ")}] must be [n, h, w] or [n, h, w, c]`);
  }
  const [n, height, width, channels = 1] = shape as [number, number, number, number?];
  const size = height * width * channels;
  if (batch.values.length !== n * size) {
    throw new RangeError(`${where}: ${batch.values.length} values do not fill a batch of shape [${shape.join(", ")}]`);
  }
  const c = checkChannels(channels, where);
  return Array.from({ length: n }, (_, i) => ({ values: batch.values, offset: i * size, height, width, channels: c }));
}

export function imageSize(image: PlainImage): number {
  return image.height * image.width * image.channels;
}

/** Min and max over the colour channels (alpha excluded). */
export function imageRange(image: PlainImage): [number, number] {
  if (image.channels !== 4) return valueRange(image.values, image.offset, image.offset + imageSize(image));
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < image.height * image.width; p++) {
    for (let c = 0; c < 3; c++) {
      const v = image.values[image.offset + p * 4 + c]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? [min, max] : [0, 0];
}

/**
 * The natural display range of a set of images: [0, 1] or [0, 255] when the data lies inside
 * one of those (so a dim image stays dim), otherwise the data's own min and max.
 */
export function naturalRange(ranges: [number, number][]): [number, number] {
  const min = Math.min(...ranges.map((r) => r[0]));
  const max = Math.max(...ranges.map((r) => r[1]));
  if (min >= 0 && max <= 1) return [0, 1];
  if (min >= 0 && max <= 255) return [0, 255];
  return [min, max];
}
