/**
 * Saliency maps (Simonyan, Vedaldi & Zisserman 2013) as pictures: each input image beside the
 * heat map of how strongly its pixels move the class score, and the two laid over each other,
 * one row per image. The gradients are computed in src/notebook-api/saliency.ts; this draws
 * plain arrays.
 */

import { valueRange } from "./colormap.js";
import { formatNumber } from "./format.js";
import { composeImageGrid, imageBundle, type ComposedGrid, type GridTile, type ImageGridOptions } from "./image-grid.js";
import { imageRange, naturalRange, toPlainImage, type ImageInput } from "./image-input.js";
import { imageTile } from "./images.js";
import { heatImage, overlayHeat } from "./heatmap.js";
import type { MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";
import { fitTile } from "../image/image.js";

export interface SaliencyItem {
  /** The input picture: [h, w] or [h, w, c] (c = 1 or 3). */
  image: ImageInput;
  /** One value per pixel, [h, w], the same size as the picture (larger = more salient). */
  saliency: { values: ArrayLike<number>; shape: readonly number[] };
  /** Under the picture, e.g. "#12 true 7". */
  label?: string;
  /** Under the heat map: what the gradient is of, e.g. "score 7". */
  heatLabel?: string;
}

export interface SaliencyOptions extends Pick<ImageGridOptions, "gap" | "background" | "labelScale"> {
  /** Target size in pixels of a tile's longer side; small images are upscaled to at least this. */
  cellSize?: number;
  /** Larger images are downscaled (box average) to at most this many pixels. */
  maxSize?: number;
  /** Add a third tile per row with the heat laid over the picture. */
  overlay?: boolean;
  title?: string;
}

export const SALIENCY_DEFAULTS = {
  cellSize: 84,
  maxSize: 256,
  overlay: true,
};

/** Lays out one row per item (picture, heat map, overlay); `renderSaliency` encodes the result. */
export function saliencyGrid(items: SaliencyItem[], options: SaliencyOptions = {}): ComposedGrid {
  const o = withDefaults(SALIENCY_DEFAULTS, options);
  if (items.length === 0) throw new RangeError("renderSaliency: no images; pass at least one { image, saliency }");
  const tiles: GridTile[] = [];
  const maxima: string[] = [];
  items.forEach((item, i) => {
    const where = `renderSaliency item ${i}`;
    const image = toPlainImage(item.image, where);
    const [h, w] = item.saliency.shape;
    if (item.saliency.shape.length !== 2 || h !== image.height || w !== image.width) {
      throw new RangeError(`${where}: saliency shape [${item.saliency.shape.join(", ")}] must be [${image.height}, ${image.width}], one value per pixel of the picture`);
    }
    // Each map from 0 to its own largest value: magnitudes differ a lot between images.
    const range: [number, number] = [0, Math.max(0, valueRange(item.saliency.values)[1])];
    const picture = imageTile(image, naturalRange([imageRange(image)]), "grey", 1, Infinity);
    const fit = (raster: typeof picture) => fitTile(raster, o.cellSize, o.maxSize);
    tiles.push({ image: fit(picture), label: item.label ?? `#${i}` });
    tiles.push({ image: fit(heatImage(item.saliency.values, w, h, range)), label: item.heatLabel ?? "saliency" });
    if (o.overlay) tiles.push({ image: fit(overlayHeat(picture, item.saliency.values, range)), label: "overlay" });
    maxima.push(`${item.label ?? `#${i}`}: largest ${formatNumber(range[1])}`);
  });
  const columns = o.overlay ? 3 : 2;
  const { image, layout } = composeImageGrid(tiles, { columns, gap: o.gap, background: o.background, labelScale: o.labelScale });
  const first = toPlainImage(items[0]!.image);
  const text = [
    `${o.title ? `${o.title}: ` : ""}saliency maps of ${items.length} image${items.length === 1 ? "" : "s"} ${first.height}x${first.width}x${first.channels}: picture, heat map${o.overlay ? ", overlay" : ""} per row`,
    "each map from 0 (black) to its own largest value (pale yellow)",
    maxima.join("; "),
    `image ${layout.width}x${layout.height} px`,
  ].join("\n");
  return { image, layout, text };
}

/** Pictures beside their saliency heat maps, as a PNG with the scale in the text. */
export function renderSaliency(items: SaliencyItem[], options: SaliencyOptions = {}): MimeBundle {
  const grid = saliencyGrid(items, options);
  return imageBundle(grid.image, { text: grid.text, alt: `saliency maps of ${items.length} images` });
}
