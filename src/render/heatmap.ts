/**
 * Heat maps: "how much" at each pixel (a saliency map, one unit's activation map), drawn dark
 * for nothing and bright for the most. The palette runs black -> purple -> red -> orange -> pale
 * yellow (close to matplotlib's "inferno"): brightness rises steadily, so the picture still reads
 * in greyscale print, and it cannot be mistaken for the signed blue-white-red of weights.
 */

import { normalise, type ValueRange } from "./colormap.js";
import { type Image, type Rgb, toChannels } from "../image/image.js";

/** Colour stops at t = 0, 0.25, 0.5, 0.75, 1. */
const STOPS: readonly Rgb[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** The heat colour of t in 0..1 (clamped; not a number counts as 0). */
export function heatColor(t: number): Rgb {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const at = u * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(at));
  const f = at - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** A heat image of `height * width` values (row-major), `range[0]` dark, `range[1]` bright. */
export function heatImage(values: ArrayLike<number>, width: number, height: number, range: ValueRange): Image {
  if (values.length !== width * height) {
    throw new RangeError(`render/heatmap: ${values.length} values do not fill a ${height}x${width} map; pass one value per pixel (channels already reduced)`);
  }
  const data = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    // normalise() sends a constant range to 0.5; a map that is all zero should stay dark.
    const t = range[1] > range[0] ? normalise(values[p]!, range) : 0;
    const [r, g, b] = heatColor(t);
    data.set([r / 255, g / 255, b / 255], p * 3);
  }
  return { width, height, channels: 3, data };
}

/**
 * `base` (a picture) with the heat image laid over it: each pixel mixes the two by the heat's
 * own strength, so cold pixels show the picture and hot ones show the heat colour.
 */
export function overlayHeat(base: Image, values: ArrayLike<number>, range: ValueRange): Image {
  if (values.length !== base.width * base.height) {
    throw new RangeError(`render/heatmap: ${values.length} heat values for a ${base.height}x${base.width} picture; they must be the same size`);
  }
  const rgb = toChannels(base, 3);
  const data = new Float32Array(base.width * base.height * 3);
  for (let p = 0; p < base.width * base.height; p++) {
    const t = range[1] > range[0] ? normalise(values[p]!, range) : 0;
    const heat = heatColor(t);
    for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.round(rgb.data[p * 3 + c]! * 255 * (1 - t) + heat[c]! * t) / 255;
  }
  return { width: base.width, height: base.height, channels: 3, data };
}
