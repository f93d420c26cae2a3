/**
 * The images that excite one unit the most (Zeiler & Fergus 2013 show such sets for units of
 * every layer): each picture with the unit's map for it underneath as a heat map, so one sees
 * *where* in the picture the unit fired, and its label below. The ranking
 * is done in src/notebook-api/top-images.ts; this draws plain arrays.
 */

import { valueRange } from "./colormap.js";
import { formatNumber } from "./format.js";
import { composeImageGrid, imageBundle, IMAGE_GRID_DEFAULTS, type ComposedGrid, type GridTile, type ImageGridOptions } from "./image-grid.js";
import { imageRange, naturalRange, toPlainImage, type ImageInput } from "./image-input.js";
import { imageTile } from "./images.js";
import { heatImage } from "./heatmap.js";
import type { MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";
import { blit, createImage, scaleForTarget, upscaleNearest } from "../image/image.js";

export interface TopImageItem {
  image: ImageInput;
  /** The unit's map for this image, [h, w] (one channel of a layer's output). */
  map?: { values: ArrayLike<number>; shape: readonly number[] };
  /** Under the image, e.g. "7 #1234\n3.52". */
  label?: string;
}

export interface TopImagesOptions extends Pick<ImageGridOptions, "gap" | "background" | "labelScale"> {
  /** Target size in pixels of an image's longer side. */
  cellSize?: number;
  /** Larger images are downscaled to at most this many pixels. */
  maxSize?: number;
  /** Tiles per row; by default about square. */
  columns?: number;
  title?: string;
}

export const TOP_IMAGES_DEFAULTS = {
  cellSize: 56,
  maxSize: 128,
};

/** Pixels between a picture and its map. */
const MAP_GAP = 3;

/** Lays out the images (and their maps under them); `renderTopImages` encodes the result. */
export function topImagesGrid(items: TopImageItem[], options: TopImagesOptions = {}): ComposedGrid {
  const o = withDefaults(TOP_IMAGES_DEFAULTS, options);
  if (items.length === 0) throw new RangeError("renderTopImages: no images to show");
  const images = items.map((item, i) => toPlainImage(item.image, `renderTopImages item ${i}`));
  const range = naturalRange(images.map(imageRange));
  const tiles: GridTile[] = images.map((image, i) => {
    const tile: GridTile = { image: imageTile(image, range, "grey", o.cellSize, o.maxSize) };
    if (items[i]!.label !== undefined) tile.label = items[i]!.label;
    return tile;
  });

  const withMaps = items.filter((item) => item.map !== undefined).length;
  if (withMaps !== 0 && withMaps !== items.length) {
    throw new RangeError(`renderTopImages: ${withMaps} of ${items.length} items have a map; give every item a map or none`);
  }
  // One heat scale for all maps, so a weaker response looks weaker.
  let mapRange: [number, number] = [0, 0];
  if (withMaps > 0) {
    const ranges = items.map((item) => valueRange(item.map!.values));
    mapRange = [Math.min(0, ...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
    const background = o.background ?? IMAGE_GRID_DEFAULTS.background;
    items.forEach((item, i) => {
      const [h, w] = item.map!.shape;
      if (item.map!.shape.length !== 2 || h === undefined || w === undefined) {
        throw new RangeError(`renderTopImages item ${i}: map shape [${item.map!.shape.join(", ")}] must be [h, w]`);
      }
      // The map under its image, about as large (whole-pixel blocks), so they line up by eye.
      const picture = tiles[i]!.image;
      const map = upscaleNearest(heatImage(item.map!.values, w, h, mapRange), scaleForTarget(w, h, Math.max(picture.width, picture.height)));
      const stacked = createImage(Math.max(picture.width, map.width), picture.height + MAP_GAP + map.height, background);
      blit(stacked, picture, Math.floor((stacked.width - picture.width) / 2), 0);
      blit(stacked, map, Math.floor((stacked.width - map.width) / 2), picture.height + MAP_GAP);
      tiles[i]!.image = stacked;
    });
  }
  const { image, layout } = composeImageGrid(tiles, { columns: o.columns, gap: o.gap, background: o.background, labelScale: o.labelScale });
  const first = images[0]!;
  const text = [
    `${o.title ? `${o.title}: ` : ""}${items.length} image${items.length === 1 ? "" : "s"} ${first.height}x${first.width}x${first.channels}`,
    ...(withMaps > 0 ? [`under each, its map ${items[0]!.map!.shape.join("x")}: one heat scale for all, black = ${formatNumber(mapRange[0])}, pale yellow = ${formatNumber(mapRange[1])}`] : []),
    items.map((item, i) => (item.label ?? `#${i}`).replace(/\n/g, " ")).join("; "),
    `image ${layout.width}x${layout.height} px`,
  ].join("\n");
  return { image, layout, text };
}

/** The images that excite a unit most, with the unit's map under each, as a PNG. */
export function renderTopImages(items: TopImageItem[], options: TopImagesOptions = {}): MimeBundle {
  const grid = topImagesGrid(items, options);
  return imageBundle(grid.image, { text: grid.text, alt: `${options.title ? `${options.title}: ` : ""}${items.length} images` });
}
