/**
 * Activation maps of one example: "one image becomes a stack of filtered images". Each channel
 * of a conv layer's output [h, w, channels] is drawn as its own greyscale tile.
 */

import { withDefaults } from "./options.js";
import { imageFromValues, valueRange, type ColorMapName } from "./colormap.js";
import { formatNumber, formatRange } from "./format.js";
import { composeImageGrid, imageBundle, type ComposedGrid, type GridTile, type ImageGridOptions } from "./image-grid.js";
import { imageRange, naturalRange, toPlainImage, type ImageInput } from "./image-input.js";
import { imageTile } from "./images.js";
import type { MimeBundle } from "./mime.js";
import { fitFactor, fitTile } from "../image/image.js";

export interface ActivationOptions extends Pick<ImageGridOptions, "columns" | "gap" | "background" | "labelScale"> {
  /** `each`: every map stretched to its own range (see its pattern); `all`: one range (compare strengths, spot dead maps). */
  normalize?: "all" | "each";
  colormap?: ColorMapName;
  /** Target size in pixels of a tile's longer side; small maps are upscaled to at least this. */
  cellSize?: number;
  /** Larger maps are downscaled (box average) to at most this many pixels, keeping the PNG small. */
  maxSize?: number;
  /** Channels beyond this many are left out (and the text says so). */
  maxChannels?: number;
  /** Write the channel index under each tile. */
  labels?: boolean;
  /** The input image, shown first so the maps can be compared with it. */
  input?: ImageInput;
  title?: string;
}

export const ACTIVATION_DEFAULTS = {
  normalize: "each" as "all" | "each",
  colormap: "grey" as ColorMapName,
  cellSize: 48,
  maxSize: 128,
  maxChannels: 64,
  labels: true,
};

/** Lays out the maps as tiles (see ActivationOptions); `renderActivationMaps` encodes the result. */
export function activationGrid(values: ArrayLike<number>, shape: readonly number[], options: ActivationOptions = {}): ComposedGrid {
  const o = withDefaults(ACTIVATION_DEFAULTS, options);
  const dims = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape;
  if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`renderActivationMaps: shape [${shape.join(", ")}] must be [h, w, channels] for one example; slice the batch first`);
  }
  const [h, w, channels] = dims as [number, number, number];
  if (values.length !== h * w * channels) {
    throw new RangeError(`renderActivationMaps: ${values.length} values do not fill shape [${dims.join(", ")}]`);
  }
  const shown = Math.min(channels, o.maxChannels);
  const ranges: [number, number][] = [];
  for (let c = 0; c < shown; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = values[p * channels + c]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    ranges.push([min, max]);
  }
  const overall = valueRange(values);
  const scale = fitFactor(w, h, o.cellSize, o.maxSize);
  const tiles: GridTile[] = [];
  let inputText = "";
  if (o.input !== undefined) {
    const input = toPlainImage(o.input, "renderActivationMaps input");
    const inputRange = naturalRange([imageRange(input)]);
    // Same pixel size as the maps when the input is as large, so positions line up by eye.
    const target = scale > 0 ? Math.max(o.cellSize, Math.max(w, h) * scale) : o.maxSize;
    tiles.push({ image: imageTile(input, inputRange, "grey", target, target), label: "input" });
    inputText = `input ${input.height}x${input.width}x${input.channels} shown first (black = ${formatNumber(inputRange[0])}, white = ${formatNumber(inputRange[1])}); `;
  }
  for (let c = 0; c < shown; c++) {
    const range = o.normalize === "each" ? ranges[c]! : overall;
    const raster = imageFromValues(values, w, h, o.colormap === "diverging" ? symmetric(range) : range, o.colormap, { channels: 1, stride: channels, offset: c });
    const image = fitTile(raster, o.cellSize, o.maxSize);
    tiles.push(o.labels ? { image, label: String(c) } : { image });
  }
  const { image, layout } = composeImageGrid(tiles, {
    columns: o.columns,
    gap: o.gap,
    background: o.background,
    labelScale: o.labelScale,
    colorBar: { range: overall, colormap: o.colormap, labels: o.normalize === "each" ? (o.colormap === "diverging" ? ["-max", "+max"] : ["min", "max"]) : undefined },
  });
  const flat = ranges.filter((r) => r[0] === r[1]);
  const zero = ranges.filter((r) => r[0] === 0 && r[1] === 0).length;
  const text = [
    `${o.title ? `${o.title}: ` : ""}${channels} activation maps of ${h}x${w}${shown < channels ? ` (first ${shown} shown)` : ""}, one tile per channel`,
    `${inputText}values ${formatRange(overall)}; ${o.normalize === "each" ? "each map stretched to its own min..max" : `one scale for all maps (${o.colormap === "diverging" ? "white = 0" : `black = ${formatNumber(overall[0])}, white = ${formatNumber(overall[1])}`})`}`,
    `${flat.length} constant map${flat.length === 1 ? "" : "s"}${zero > 0 ? ` (${zero} all zero)` : ""}; image ${layout.width}x${layout.height} px, maps ${scale > 0 ? `x${scale}` : `scaled 1/${-scale}`}`,
  ].join("\n");
  return { image, layout, text };
}

/** `shape` is [h, w, channels] (tfjs HWC; a leading batch of 1 is accepted). */
export function renderActivationMaps(values: ArrayLike<number>, shape: readonly number[], options: ActivationOptions = {}): MimeBundle {
  const grid = activationGrid(values, shape, options);
  const dims = shape.length === 4 ? shape.slice(1) : shape;
  return imageBundle(grid.image, { text: grid.text, alt: `${dims[2]} activation maps` });
}

function symmetric(range: [number, number]): [number, number] {
  const m = Math.max(Math.abs(range[0]), Math.abs(range[1]));
  return [-m, m];
}
