/**
 * Convolution filters as pictures: tfjs kernels are HWIO ([kh, kw, inChannels, outChannels]).
 * A first layer with 3 input channels reads as RGB tiles (what AlexNet's famous figure shows);
 * deeper layers have no colour meaning, so each input channel is a greyscale tile.
 */

import { withDefaults } from "./options.js";
import { colorOf, displayRange, type ColorMapName } from "./colormap.js";
import { formatNumber, formatRange, formatShape } from "./format.js";
import { composeImageGrid, imageBundle, type ComposedGrid, type GridTile, type ImageGridOptions } from "./image-grid.js";
import type { MimeBundle } from "./mime.js";
import { type Image, scaleForTarget, upscaleNearest } from "../image/image.js";

export type FilterShape = readonly [kh: number, kw: number, inChannels: number, outChannels: number];

export interface FilterOptions extends Pick<ImageGridOptions, "columns" | "gap" | "background" | "labelScale"> {
  /**
   * `rgb`: one colour tile per filter from input channels 0,1,2 (needs 3 input channels).
   * `channel`: one greyscale tile per filter for input channel `channel`.
   * `all`: a row per input channel, a column per filter.
   * `auto`: `rgb` when there are exactly 3 input channels, else `channel`.
   */
  mode?: "auto" | "rgb" | "channel" | "all";
  /** The input channel shown in `channel` mode. */
  channel?: number;
  /** `all`: one value range across every filter shown (compare filters); `each`: every filter uses its own range (see its pattern). */
  normalize?: "all" | "each";
  /** Colour map for greyscale tiles; `diverging` shows the sign of each weight. */
  colormap?: ColorMapName;
  /** Target size in pixels of a tile's longer side; small kernels are upscaled to at least this. */
  cellSize?: number;
  /** Filters beyond this many are left out (and the text says so). */
  maxFilters?: number;
  /** Input channels beyond this many are left out in `all` mode. */
  maxChannels?: number;
  /** Write the filter index under each tile. */
  labels?: boolean;
  /** A name for the text, e.g. the layer ("conv1"). */
  title?: string;
}

export const FILTER_DEFAULTS = {
  mode: "auto" as "auto" | "rgb" | "channel" | "all",
  channel: 0,
  normalize: "all" as "all" | "each",
  colormap: "grey" as ColorMapName,
  cellSize: 48,
  maxFilters: 256,
  maxChannels: 16,
  labels: true,
};

function checkShape(weights: ArrayLike<number>, shape: FilterShape): void {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`renderFilters: shape ${JSON.stringify(shape)} must be 4 positive integers [kh, kw, inChannels, outChannels] (tfjs HWIO)`);
  }
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  if (weights.length !== size) {
    throw new RangeError(`renderFilters: ${weights.length} weights do not match shape [${shape.join(", ")}] (${size} values); pass kernel.dataSync() and kernel.shape`);
  }
}

/** Value range of filter k over the given input channels. */
function filterRange(weights: ArrayLike<number>, shape: FilterShape, k: number, channels: number[]): [number, number] {
  const [kh, kw, inC, outC] = shape;
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < kh * kw; p++) {
    for (const i of channels) {
      const v = weights[(p * inC + i) * outC + k]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? [min, max] : [0, 0];
}

/** One tile: filter k, either RGB from channels 0..2 or one greyscale channel. */
function filterTile(weights: ArrayLike<number>, shape: FilterShape, k: number, channel: number | "rgb", range: [number, number], colormap: ColorMapName): Image {
  const [kh, kw, inC, outC] = shape;
  const data = new Float32Array(kh * kw * 3);
  for (let p = 0; p < kh * kw; p++) {
    const d = p * 3;
    if (channel === "rgb") {
      for (let c = 0; c < 3; c++) data[d + c] = colorOf(weights[(p * inC + c) * outC + k]!, range, "grey")[0] / 255;
    } else {
      const [r, g, b] = colorOf(weights[(p * inC + channel) * outC + k]!, range, colormap);
      data[d] = r / 255;
      data[d + 1] = g / 255;
      data[d + 2] = b / 255;
    }
  }
  return { width: kw, height: kh, channels: 3, data };
}

/** The composed filter grid, before encoding: the raster, where each tile is, and the text. */
export interface FilterGrid extends ComposedGrid {
  /** Min and max over the weights shown. */
  range: [number, number];
}

/** Lays out a conv layer's filters as tiles (see FilterOptions); `renderFilters` encodes the result. */
export function filterGrid(weights: ArrayLike<number>, shape: FilterShape, options: FilterOptions = {}): FilterGrid {
  const o = withDefaults(FILTER_DEFAULTS, options);
  checkShape(weights, shape);
  const [kh, kw, inC, outC] = shape;
  const mode = o.mode === "auto" ? (inC === 3 ? "rgb" : "channel") : o.mode;
  if (mode === "rgb" && inC !== 3) {
    throw new RangeError(`renderFilters: mode "rgb" needs 3 input channels, this kernel has ${inC}; use mode "channel" or "all"`);
  }
  if (mode === "channel" && !(Number.isInteger(o.channel) && o.channel >= 0 && o.channel < inC)) {
    throw new RangeError(`renderFilters: channel ${o.channel} is out of range; the kernel has input channels 0..${inC - 1}`);
  }
  const filters = Math.min(outC, o.maxFilters);
  const channels = mode === "rgb" ? [0, 1, 2] : mode === "channel" ? [o.channel] : Array.from({ length: Math.min(inC, o.maxChannels) }, (_, i) => i);
  const colormap: ColorMapName = mode === "rgb" ? "grey" : o.colormap;

  const ranges = Array.from({ length: filters }, (_, k) => filterRange(weights, shape, k, channels));
  const overall: [number, number] = [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
  const rangeOf = (k: number): [number, number] => displayRange(o.normalize === "each" ? ranges[k]! : overall, colormap);

  const scale = scaleForTarget(kw, kh, o.cellSize);
  const tiles: GridTile[] = [];
  const tileChannels: (number | "rgb")[] = mode === "rgb" ? ["rgb"] : channels;
  tileChannels.forEach((channel, row) => {
    for (let k = 0; k < filters; k++) {
      const image = upscaleNearest(filterTile(weights, shape, k, channel, rangeOf(k), colormap), scale);
      // In `all` mode the filter index heads its column once, under the first row.
      tiles.push(o.labels && row === 0 ? { image, label: String(k) } : { image });
    }
  });
  const eachLabels: [string, string] | undefined = o.normalize === "each" ? (colormap === "diverging" ? ["-max", "+max"] : ["min", "max"]) : undefined;
  const { image, layout } = composeImageGrid(tiles, {
    columns: o.columns ?? (mode === "all" ? filters : undefined),
    gap: o.gap,
    background: o.background,
    labelScale: o.labelScale,
    rowLabels: mode === "all" ? channels.map((c) => `in ${c}`) : undefined,
    colorBar: { range: displayRange(overall, colormap), colormap, labels: eachLabels },
  });

  const name = o.title ? `${o.title}: ` : "";
  const what =
    mode === "rgb"
      ? "as RGB (input channels 0, 1, 2 = red, green, blue)"
      : mode === "channel"
        ? `input channel ${o.channel} of ${inC}, ${colormap === "grey" ? "greyscale" : "diverging colours"}`
        : `one row per input channel (${channels.length} of ${inC}), ${colormap === "grey" ? "greyscale" : "diverging colours"}`;
  const shown = filters < outC ? ` (first ${filters} of ${outC} shown)` : "";
  const shownRange = displayRange(overall, colormap);
  const mapping =
    colormap === "diverging"
      ? `blue = ${formatNumber(shownRange[0])}, white = 0, red = ${formatNumber(shownRange[1])}`
      : `black = ${formatNumber(shownRange[0])}, white = ${formatNumber(shownRange[1])}`;
  const scaling =
    o.normalize === "each"
      ? `each filter scaled to its own range (${colormap === "diverging" ? "white = 0, full colour = its largest |weight|" : "black = its min, white = its max"})`
      : `one scale for all filters: ${mapping}`;
  const text = [
    `${name}${outC} filters of ${formatShape([kh, kw, inC])} (kernel [${shape.join(", ")}], HWIO)${shown}, ${what}`,
    `weights range ${formatRange(overall)}; ${scaling}`,
    `image ${layout.width}x${layout.height} px, each filter ${kw * scale}x${kh * scale} px (x${scale})`,
  ].join("\n");
  return { image, layout, range: overall, text };
}

/** A grid of a conv layer's filters as a PNG, with the value range in the text and a colour bar. */
export function renderFilters(weights: ArrayLike<number>, shape: FilterShape, options: FilterOptions = {}): MimeBundle {
  const grid = filterGrid(weights, shape, options);
  const name = options.title ? `${options.title}: ` : "";
  return imageBundle(grid.image, { text: grid.text, alt: `${name}${shape[3]} convolution filters` });
}
