/**
 * One image kernel and what it does to a picture: the kernel's matrix as the lecture's table
 * prints it (integers, with the scale such as 1/16 in front) beside the filtered picture. The
 * picture is drawn one image pixel per PNG pixel, so it has exactly the size of the photo it was
 * computed from and can be compared with it.
 */

import { displayRange, imageFromValues, type ColorMapName } from "./colormap.js";
import { formatNumber, formatRange } from "./format.js";
import { attributes, escapeHtml } from "./html.js";
import { imageRange, naturalRange, toPlainImage, type ImageInput } from "./image-input.js";
import { MIME_HTML, MIME_PNG, mimeBundle, pngDataUrl, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";
import { encodePngBase64 } from "../image/codecs.js";
import { toChannels } from "../image/image.js";
import { htmlTable, textTable } from "./table.js";

/** What the card shows; a ClassicalFilter (src/naive/image-filters.ts) plus its picture fits. */
export interface FilterCardData {
  /** Identifier, e.g. "gaussian_blur_3x3"; also the card's data-filter attribute. */
  name: string;
  title: string;
  description?: string;
  /** The kernel's entries before scaling, as printed. */
  integers: readonly (readonly number[])[];
  /** The factor printed in front ("1/16", "-1/256"); null or absent when there is none. */
  scaleText?: string | null;
  /** The filtered picture: greyscale [h][w], or flat values with shape [h, w] or [h, w, 3]. */
  picture: ImageInput;
}

export interface FilterCardOptions {
  /** `grey` for pictures; `diverging` (blue < 0 < red) for signed responses such as edges. */
  colormap?: ColorMapName;
  /** Values drawn black..white (or the diverging ends); beyond it they are clipped. */
  range?: [number, number];
}

export const FILTER_CARD_DEFAULTS = {
  colormap: "grey" as ColorMapName,
};

const CELL = "min-width:2.2em;padding:2px 5px;text-align:right;border:1px solid #bbb;font:12px monospace";

function scaleDescription(colormap: ColorMapName, range: [number, number]): string {
  if (colormap === "diverging") {
    const [lo, hi] = displayRange(range, colormap);
    return `blue = ${formatNumber(lo)}, white = 0, red = ${formatNumber(hi)} (clipped beyond)`;
  }
  return `black = ${formatNumber(range[0])}, white = ${formatNumber(range[1])} (clipped beyond)`;
}

/** The kernel's table, the picture at its own size, and a text/plain version of both. */
export function renderFilterCard(data: FilterCardData, options: FilterCardOptions = {}): MimeBundle {
  const o = withDefaults(FILTER_CARD_DEFAULTS, options);
  const rows = data.integers;
  const width = rows[0]?.length ?? 0;
  if (rows.length === 0 || width === 0 || rows.some((r) => r.length !== width)) {
    throw new RangeError(`renderFilterCard: kernel ${data.name} must be a non-empty rectangle of numbers`);
  }
  const picture = toPlainImage(data.picture, `renderFilterCard (${data.name})`);
  if (picture.channels === 4) throw new RangeError(`renderFilterCard: kernel ${data.name}: give the picture 1 or 3 channels, not RGBA`);
  const own = imageRange(picture);
  const range = o.range ?? naturalRange([own]);
  const raster = imageFromValues(picture.values, picture.width, picture.height, displayRange(range, o.colormap), o.colormap, {
    channels: picture.channels === 1 ? 1 : 3,
    stride: picture.channels,
    offset: picture.offset,
  });
  // A grey picture as a one-channel PNG: a third of the bytes, the same pixels.
  const base64 = encodePngBase64(picture.channels === 1 && o.colormap === "grey" ? toChannels(raster, 1) : raster);
  const scale = data.scaleText ?? null;
  const size = `${rows.length}x${width}`;
  const pictureLine = `picture ${picture.height}x${picture.width}${picture.channels === 3 ? "x3" : ""}, values ${formatRange(own)}; ${scaleDescription(o.colormap, range)}`;

  const text = [
    `${data.title} (${data.name}), ${size} kernel${scale ? `, scaled by ${scale}` : ""}`,
    textTable(rows.map((r) => r.map((v) => v))),
    ...(data.description ? [data.description] : []),
    pictureLine,
  ].join("\n");

  const table = htmlTable(
    rows.map((r) => r.map((v) => ({ text: v }))),
    { className: "convnote-filter-matrix", attrs: { "data-filter": data.name, "data-scale": scale ?? undefined }, style: "border-collapse:collapse", cellStyle: CELL },
  );
  const factor = scale ? `<span style="font:14px monospace;margin-right:6px">${escapeHtml(scale)} ×</span>` : "";
  const img = `<img${attributes({
    src: pngDataUrl(base64),
    width: picture.width,
    height: picture.height,
    alt: `${data.title}: the picture after the kernel`,
    style: "image-rendering:pixelated;max-width:none",
  })}/>`;
  const html = [
    `<div class="convnote-filter-card"${attributes({ "data-filter": data.name })} style="display:flex;gap:18px;align-items:flex-start;margin:4px 0 10px 0">`,
    `<div style="min-width:15em;max-width:22em">`,
    `<div style="font:bold 13px sans-serif;margin-bottom:6px">${escapeHtml(data.title)}</div>`,
    `<div style="display:flex;align-items:center">${factor}${table}</div>`,
    data.description ? `<div style="font:12px sans-serif;color:#333;margin-top:8px">${escapeHtml(data.description)}</div>` : "",
    `<div style="font:11px sans-serif;color:#666;margin-top:6px">${escapeHtml(pictureLine)}</div>`,
    `</div>`,
    img,
    `</div>`,
  ].join("");
  return mimeBundle(text, { [MIME_PNG]: base64, [MIME_HTML]: html });
}
