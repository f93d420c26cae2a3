/**
 * Plain images: a batch with labels and predictions (misclassified digits, X-and-O samples),
 * and side-by-side comparisons with captions (a photo and what each classical kernel makes of it).
 */

import { withDefaults } from "./options.js";
import { imageFromValues, type ColorMapName } from "./colormap.js";
import { formatNumber, formatRange } from "./format.js";
import { composeImageGrid, imageBundle, type ComposedGrid, type GridTile, type ImageGridOptions } from "./image-grid.js";
import { batchImages, imageRange, naturalRange, toPlainImage, type ImageBatch, type ImageInput, type PlainImage } from "./image-input.js";
import type { MimeBundle } from "./mime.js";
import { fitTile, type Image, type Rgb } from "../image/image.js";

export type { ImageBatch, ImageInput } from "./image-input.js";

const CORRECT: Rgb = [40, 150, 60];
const WRONG: Rgb = [210, 30, 30];

export interface ImageScaleOptions {
  /** `all`: one value range for every image; `each`: every image stretched to its own min..max. */
  normalize?: "all" | "each";
  /** A fixed value range (black..white), overriding `normalize`. */
  range?: [number, number];
  /** Colour map for greyscale images. */
  colormap?: ColorMapName;
  /** Target size in pixels of an image's longer side; small images are upscaled to at least this. */
  cellSize?: number;
  /** Larger images are downscaled (box average) to at most this many pixels. */
  maxSize?: number;
}

/** Turns one plain image into a raster within `range`, upscaled to `cellSize` or downscaled to `maxSize`. */
export function imageTile(image: PlainImage, range: [number, number], colormap: ColorMapName, cellSize: number, maxSize = Infinity): Image {
  const raster = imageFromValues(image.values, image.width, image.height, range, colormap, {
    channels: image.channels === 1 ? 1 : 3,
    stride: image.channels,
    offset: image.offset,
  });
  return fitTile(raster, cellSize, maxSize);
}

function rangesFor(images: PlainImage[], o: ImageScaleOptions & { normalize: "all" | "each" }): { ranges: [number, number][]; own: [number, number][] } {
  const own = images.map(imageRange);
  if (o.range) return { ranges: images.map(() => o.range!), own };
  if (o.normalize === "each") return { ranges: own, own };
  const shared = naturalRange(own);
  return { ranges: images.map(() => shared), own };
}

function describeScale(o: ImageScaleOptions & { normalize: "all" | "each"; colormap: ColorMapName }, shared: [number, number]): string {
  if (!o.range && o.normalize === "each") return "each image stretched to its own min..max";
  return o.colormap === "diverging"
    ? `blue = ${formatNumber(-Math.max(Math.abs(shared[0]), Math.abs(shared[1])))}, white = 0, red = ${formatNumber(Math.max(Math.abs(shared[0]), Math.abs(shared[1])))}`
    : `black = ${formatNumber(shared[0])}, white = ${formatNumber(shared[1])}`;
}

export interface ImagesOptions extends ImageScaleOptions, Pick<ImageGridOptions, "columns" | "gap" | "background" | "labelScale"> {
  /** True labels, one per image (class indices or names). */
  labels?: (string | number)[];
  /** Predicted labels; with `labels`, correct images get a green frame and wrong ones a red frame. */
  predictions?: (string | number)[];
  /** Names for numeric labels and predictions. */
  classNames?: string[];
  /** Images beyond this many are left out (and the text says so). */
  maxImages?: number;
  title?: string;
}

export const IMAGES_DEFAULTS = {
  normalize: "all" as "all" | "each",
  colormap: "grey" as ColorMapName,
  cellSize: 56,
  maxSize: 128,
  maxImages: 100,
};

function inputsToImages(images: ImageBatch | ImageInput[], where: string): PlainImage[] {
  return Array.isArray(images) ? images.map((im) => toPlainImage(im, where)) : batchImages(images, where);
}

/** Lays out a batch of images with labels (see ImagesOptions); `renderImages` encodes the result. */
export function imagesGrid(images: ImageBatch | ImageInput[], options: ImagesOptions = {}): ComposedGrid {
  const o = withDefaults(IMAGES_DEFAULTS, options);
  const all = inputsToImages(images, "renderImages");
  if (all.length === 0) throw new RangeError("renderImages: no images to show");
  for (const [name, list] of [["labels", o.labels], ["predictions", o.predictions]] as const) {
    if (list && list.length !== all.length) throw new RangeError(`renderImages: ${list.length} ${name} for ${all.length} images; pass one per image`);
  }
  const shown = all.slice(0, o.maxImages);
  const { ranges, own } = rangesFor(shown, o);
  const name = (v: string | number): string => (typeof v === "number" && o.classNames?.[v] !== undefined ? o.classNames[v]! : String(v));

  const wrong: string[] = [];
  const tiles: GridTile[] = shown.map((image, i) => {
    const tile: GridTile = { image: imageTile(image, ranges[i]!, o.colormap, o.cellSize, o.maxSize) };
    const label = o.labels?.[i];
    const prediction = o.predictions?.[i];
    const lines: string[] = [];
    if (label !== undefined) lines.push(name(label));
    if (prediction !== undefined) lines.push(`pred ${name(prediction)}`);
    if (lines.length > 0) tile.label = lines.join("\n");
    if (label !== undefined && prediction !== undefined) {
      const ok = name(label) === name(prediction);
      tile.frame = ok ? CORRECT : WRONG;
      if (!ok) wrong.push(`#${i} (true ${name(label)}, predicted ${name(prediction)})`);
    }
    return tile;
  });
  const { image, layout } = composeImageGrid(tiles, { columns: o.columns, gap: o.gap, background: o.background, labelScale: o.labelScale });

  const first = shown[0]!;
  const overall: [number, number] = [Math.min(...own.map((r) => r[0])), Math.max(...own.map((r) => r[1]))];
  const lines = [
    `${o.title ? `${o.title}: ` : ""}${all.length} image${all.length === 1 ? "" : "s"} ${first.height}x${first.width}x${first.channels}${shown.length < all.length ? ` (first ${shown.length} shown)` : ""}`,
    `values ${formatRange(overall)}; ${describeScale(o, ranges[0]!)}`,
  ];
  if (o.labels && o.predictions) {
    const correct = shown.length - wrong.length;
    lines.push(`${correct} of ${shown.length} correct (green frame), ${wrong.length} wrong (red frame)${wrong.length > 0 ? `: ${wrong.slice(0, 20).join(", ")}${wrong.length > 20 ? ", ..." : ""}` : ""}`);
  }
  lines.push(`image ${layout.width}x${layout.height} px`);
  return { image, layout, text: lines.join("\n") };
}

/** A batch of images in a grid, each with its label and prediction under it. */
export function renderImages(images: ImageBatch | ImageInput[], options: ImagesOptions = {}): MimeBundle {
  const grid = imagesGrid(images, options);
  return imageBundle(grid.image, { text: grid.text });
}

export interface ComparisonItem {
  image: ImageInput;
  caption: string;
}

export interface ImageComparisonOptions extends ImageScaleOptions, Pick<ImageGridOptions, "columns" | "gap" | "background" | "labelScale"> {
  title?: string;
}

export const IMAGE_COMPARISON_DEFAULTS = {
  normalize: "each" as "all" | "each",
  colormap: "grey" as ColorMapName,
  cellSize: 128,
  maxSize: 512,
};

/** Lays out images side by side with captions; `renderImageComparison` encodes the result. */
export function comparisonGrid(items: ComparisonItem[], options: ImageComparisonOptions = {}): ComposedGrid {
  const o = withDefaults(IMAGE_COMPARISON_DEFAULTS, options);
  if (items.length === 0) throw new RangeError("renderImageComparison: no images to compare");
  const images = items.map((item, i) => toPlainImage(item.image, `renderImageComparison item ${i} (${item.caption})`));
  const { ranges, own } = rangesFor(images, o);
  const tiles = images.map((image, i) => ({ image: imageTile(image, ranges[i]!, o.colormap, o.cellSize, o.maxSize), label: items[i]!.caption }));
  const { image, layout } = composeImageGrid(tiles, { columns: o.columns ?? items.length, gap: o.gap ?? 8, background: o.background, labelScale: o.labelScale });
  const perItem = items.map((item, i) => `${item.caption}: ${images[i]!.height}x${images[i]!.width}x${images[i]!.channels}, values ${formatRange(own[i]!)}`);
  const text = [
    `${o.title ? `${o.title}: ` : ""}${items.length} images side by side; ${describeScale(o, ranges[0]!)}`,
    ...perItem,
    `image ${layout.width}x${layout.height} px`,
  ].join("\n");
  return { image, layout, text };
}

/** Images side by side with captions, e.g. a photo next to its edge map and its blurred copy. */
export function renderImageComparison(items: ComparisonItem[], options: ImageComparisonOptions = {}): MimeBundle {
  const grid = comparisonGrid(items, options);
  return imageBundle(grid.image, { text: grid.text, alt: items.map((i) => i.caption).join(" | ") });
}
