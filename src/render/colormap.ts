/**
 * Value -> colour mapping with an explicit value range, so every image can state what black
 * and white (or blue and red) mean.
 */

import type { Image, Rgb } from "../image/image.js";

/**
 * `grey`: range min is black, max is white.
 * `diverging`: zero is white, negative blue, positive red, symmetric around zero, so the sign of
 * a weight is visible (the usual way to show trained filters).
 */
export type ColorMapName = "grey" | "diverging";

export type ValueRange = readonly [number, number];

/** Min and max over finite values; [0, 0] when there are none. */
export function valueRange(values: ArrayLike<number>, start = 0, end = values.length): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 0];
}

/** The range a colour map actually spans: diverging maps are made symmetric around zero. */
export function displayRange(range: ValueRange, colormap: ColorMapName): [number, number] {
  if (colormap === "diverging") {
    const m = Math.max(Math.abs(range[0]), Math.abs(range[1]));
    return [-m, m];
  }
  return [range[0], range[1]];
}

const NEGATIVE: Rgb = [33, 102, 172];
const POSITIVE: Rgb = [178, 24, 43];

/** Maps `value` to 0..1 within `range`; a constant range maps to 0.5. Non-finite -> 0.5. */
export function normalise(value: number, range: ValueRange): number {
  const span = range[1] - range[0];
  if (!Number.isFinite(value) || !(span > 0)) return 0.5;
  const t = (value - range[0]) / span;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

function mix(a: Rgb, b: Rgb, t: number): [number, number, number] {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** The colour of `value`; `range` should already be the display range for diverging maps. */
export function colorOf(value: number, range: ValueRange, colormap: ColorMapName): [number, number, number] {
  const t = normalise(value, range);
  if (colormap === "grey") {
    const g = Math.round(t * 255);
    return [g, g, g];
  }
  return t < 0.5 ? mix(NEGATIVE, [255, 255, 255], t * 2) : mix([255, 255, 255], POSITIVE, (t - 0.5) * 2);
}

/**
 * An image from `height * width * channels` values in HWC order (the tfjs layout).
 * One channel goes through the colour map; three channels are R, G, B each scaled by the same
 * range; `stride`/`offset` select one channel out of an interleaved array.
 */
export function imageFromValues(
  values: ArrayLike<number>,
  width: number,
  height: number,
  range: ValueRange,
  colormap: ColorMapName,
  layout: { channels: 1 | 3; stride: number; offset: number; rowStride?: number } = { channels: 1, stride: 1, offset: 0 },
): Image {
  // Each value is rounded to the 8 bits a PNG will store, so a picture and its PNG agree exactly.
  const level = (t: number): number => Math.round(t * 255) / 255;
  const data = new Float32Array(width * height * 3);
  const rowStride = layout.rowStride ?? width * layout.stride;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = layout.offset + y * rowStride + x * layout.stride;
      const dst = (y * width + x) * 3;
      if (layout.channels === 3) {
        for (let c = 0; c < 3; c++) data[dst + c] = level(normalise(values[src + c]!, range));
      } else if (colormap === "grey") {
        // The common case, without allocating a colour per pixel.
        data[dst] = data[dst + 1] = data[dst + 2] = level(normalise(values[src]!, range));
      } else {
        const [r, g, b] = colorOf(values[src]!, range, colormap);
        data[dst] = r / 255;
        data[dst + 1] = g / 255;
        data[dst + 2] = b / 255;
      }
    }
  }
  return { width, height, channels: 3, data };
}
