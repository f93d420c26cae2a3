/**
 * A grid of small images with gaps, optional labels under each tile, optional row labels and an
 * optional colour bar, composed into one raster, plus the MIME bundle every image render returns.
 */

import { withDefaults } from "./options.js";
import { colorOf, displayRange, type ColorMapName, type ValueRange } from "./colormap.js";
import { drawText, fitText, LINE_HEIGHT, textWidth } from "../image/font.js";
import { formatNumber } from "./format.js";
import { attributes, escapeHtml } from "./html.js";
import { mimeBundle, pngDataUrl, MIME_HTML, MIME_PNG, type MimeBundle } from "./mime.js";
import { encodePngBase64 } from "../image/codecs.js";
import { blit, createImage, fillRect, type Image, type Rgb, strokeRect } from "../image/image.js";

export interface GridTile {
  image: Image;
  /** Drawn under the tile; '\n' separates lines. */
  label?: string;
  /** A coloured frame around the tile, e.g. red for a misclassified example. */
  frame?: Rgb;
}

export interface ColorBar {
  /** The value range the bar spans (already symmetric for diverging maps). */
  range: ValueRange;
  colormap: ColorMapName;
  /** Text under the ends; defaults to the formatted range. */
  labels?: [string, string];
}

export interface ImageGridOptions {
  /** Tiles per row; by default about square, limited by `maxWidth`. */
  columns?: number;
  /** Pixels between tiles. */
  gap?: number;
  /** Pixels around the whole grid. */
  margin?: number;
  background?: Rgb;
  textColor?: Rgb;
  /** Integer scale of the 5x7 label font. */
  labelScale?: number;
  /** One label per row, drawn left of the row (e.g. the input channel). */
  rowLabels?: string[];
  /** Upper bound on the width of an automatic layout, in pixels. */
  maxWidth?: number;
  colorBar?: ColorBar;
}

export const IMAGE_GRID_DEFAULTS = {
  gap: 4,
  margin: 4,
  background: [222, 226, 232] as Rgb,
  textColor: [20, 20, 20] as Rgb,
  labelScale: 2,
  maxWidth: 960,
};

/** Where each tile landed, so callers (and tests) can find pixels. */
export interface TilePlacement {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GridLayout {
  width: number;
  height: number;
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  tiles: TilePlacement[];
  /** The colour bar's gradient rectangle, when drawn. */
  colorBar?: TilePlacement;
}

/** A composed grid before encoding: the raster, where each tile is, and the render's text. */
export interface ComposedGrid {
  image: Image;
  layout: GridLayout;
  text: string;
}

const FRAME = 2;

function labelLines(tile: GridTile): string[] {
  return tile.label === undefined || tile.label === "" ? [] : tile.label.split("\n");
}

/**
 * About a square grid, preferring a column count that fills the last row (64 filters -> 8x8,
 * not 10+10+...+4), and never wider than `maxWidth`.
 */
function autoColumns(count: number, cellWidth: number, cellHeight: number, gap: number, maxWidth: number): number {
  const fit = Math.max(1, Math.floor((maxWidth + gap) / (cellWidth + gap)));
  const square = Math.max(1, Math.round(Math.sqrt((count * cellHeight) / cellWidth)));
  let best = Math.min(count, square, fit);
  let bestScore = Infinity;
  for (let c = Math.max(1, square - 2); c <= Math.min(count, square + 2, fit); c++) {
    const empty = (c - (count % c)) % c;
    const score = empty * 10 + Math.abs(c - square) - (c > square ? 0.5 : 0);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** Composes the tiles row by row; each tile is centred in its cell with its label below. */
export function composeImageGrid(tiles: GridTile[], options: ImageGridOptions = {}): { image: Image; layout: GridLayout } {
  if (tiles.length === 0) throw new RangeError("render/image-grid: no tiles to draw");
  const o = withDefaults(IMAGE_GRID_DEFAULTS, options);
  const scale = o.labelScale;
  const lines = tiles.map(labelLines);
  const maxLines = Math.max(...lines.map((l) => l.length));
  const framed = tiles.some((t) => t.frame !== undefined);
  const gap = framed ? Math.max(o.gap, 2 * FRAME + 2) : o.gap;
  const tileW = Math.max(...tiles.map((t) => t.image.width));
  const tileH = Math.max(...tiles.map((t) => t.image.height));
  const labelW = Math.max(0, ...lines.flat().map((l) => textWidth(l, scale)));
  // Labels may widen a cell, up to 40 characters; longer ones are cut with '..'.
  const wideLabel = Math.min(labelW, textWidth("x".repeat(40), scale));
  const cellWidth = wideLabel > tileW ? wideLabel + 4 * scale : tileW;
  const labelBlock = maxLines > 0 ? 3 + maxLines * LINE_HEIGHT * scale : 0;
  const cellHeight = tileH + labelBlock;
  const columns = o.columns ?? autoColumns(tiles.length, cellWidth, cellHeight, gap, o.maxWidth);
  const rows = Math.ceil(tiles.length / columns);
  const rowLabelW = o.rowLabels ? Math.max(0, ...o.rowLabels.map((l) => textWidth(l, scale))) + 3 * scale : 0;

  const gridW = rowLabelW + columns * cellWidth + (columns - 1) * gap;
  const gridH = rows * cellHeight + (rows - 1) * gap;
  const barLabelH = LINE_HEIGHT * scale;
  const barH = 6 * scale;
  const barW = o.colorBar ? Math.max(80 * scale, Math.min(gridW, 128 * scale)) : 0;
  const width = 2 * o.margin + Math.max(gridW, barW);
  const height = 2 * o.margin + gridH + (o.colorBar ? gap + 2 * scale + barH + 2 + barLabelH : 0);
  const image = createImage(width, height, o.background);

  const placements: TilePlacement[] = [];
  tiles.forEach((tile, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    const cellX = o.margin + rowLabelW + col * (cellWidth + gap);
    const cellY = o.margin + row * (cellHeight + gap);
    const x = cellX + Math.floor((cellWidth - tile.image.width) / 2);
    const y = cellY + Math.floor((tileH - tile.image.height) / 2);
    blit(image, tile.image, x, y);
    if (tile.frame) strokeRect(image, x - FRAME, y - FRAME, tile.image.width + 2 * FRAME, tile.image.height + 2 * FRAME, tile.frame, FRAME);
    placements.push({ x, y, width: tile.image.width, height: tile.image.height });
    lines[i]!.forEach((line, li) => {
      const text = fitText(line, cellWidth, scale);
      const tx = cellX + Math.floor((cellWidth - textWidth(text, scale)) / 2);
      drawText(image, text, tx, cellY + tileH + 3 + li * LINE_HEIGHT * scale, o.textColor, scale);
    });
  });
  o.rowLabels?.forEach((label, row) => {
    if (row >= rows) return;
    const y = o.margin + row * (cellHeight + gap) + Math.floor((tileH - 7 * scale) / 2);
    drawText(image, label, o.margin, y, o.textColor, scale);
  });

  const layout: GridLayout = { width, height, columns, rows, cellWidth, cellHeight, tiles: placements };
  if (o.colorBar) {
    const bar = { x: o.margin, y: o.margin + gridH + gap + 2 * scale, width: barW, height: barH };
    drawColorBar(image, bar, o.colorBar, o.textColor, scale);
    layout.colorBar = bar;
  }
  return { image, layout };
}

/** A horizontal gradient from range min (left) to max (right), labelled under both ends (and 0 for diverging). */
function drawColorBar(image: Image, bar: TilePlacement, spec: ColorBar, textColor: Rgb, scale: number): void {
  const range = displayRange(spec.range, spec.colormap);
  for (let i = 0; i < bar.width; i++) {
    const value = range[0] + ((range[1] - range[0]) * i) / Math.max(1, bar.width - 1);
    fillRect(image, bar.x + i, bar.y, 1, bar.height, colorOf(value, range, spec.colormap));
  }
  const [lo, hi] = spec.labels ?? [formatNumber(range[0], 3), formatNumber(range[1], 3)];
  const ly = bar.y + bar.height + 2;
  drawText(image, lo, bar.x, ly, textColor, scale);
  drawText(image, hi, bar.x + bar.width - textWidth(hi, scale), ly, textColor, scale);
  if (spec.colormap === "diverging" && range[1] > 0) {
    drawText(image, "0", bar.x + Math.floor((bar.width - textWidth("0", scale)) / 2), ly, textColor, scale);
  }
}

export interface ImageBundleParts {
  /** text/plain: a short description including the value range. */
  text: string;
  /** Plain text under the image in HTML (escaped). Defaults to `text`. */
  caption?: string;
  /** The img alt text. Defaults to the first line of `text`. */
  alt?: string;
}

/** The bundle every image render returns: image/png, an HTML figure with a data-URL img, text/plain. */
export function imageBundle(image: Image, parts: ImageBundleParts): MimeBundle {
  const base64 = encodePngBase64(image);
  const caption = parts.caption ?? parts.text;
  const img = `<img${attributes({
    src: pngDataUrl(base64),
    width: image.width,
    height: image.height,
    alt: parts.alt ?? parts.text.split("\n")[0],
    style: "image-rendering:pixelated;image-rendering:crisp-edges;max-width:none",
  })}/>`;
  const figcaption = `<figcaption style="font:12px sans-serif;color:#333;white-space:pre-wrap;margin-top:4px">${escapeHtml(caption)}</figcaption>`;
  const html = `<figure class="convnote-image" style="margin:0">${img}${figcaption}</figure>`;
  return mimeBundle(parts.text, { [MIME_PNG]: base64, [MIME_HTML]: html });
}
