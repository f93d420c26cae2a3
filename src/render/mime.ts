/**
 * Jupyter MIME bundles: what a display_data / execute_result message carries.
 * Every render returns one; `text/plain` is always present so that every front end
 * (terminal, nbconvert to text, a failed rich render) has something to show.
 */

import { escapeHtml } from "./html.js";

export const MIME_TEXT = "text/plain";
export const MIME_HTML = "text/html";
export const MIME_PNG = "image/png";
export const MIME_SVG = "image/svg+xml";
export const MIME_PLOTLY = "application/vnd.plotly.v1+json";

/** A Plotly figure as carried by `application/vnd.plotly.v1+json`. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  /** base64 without the `data:` prefix, as Jupyter expects it. */
  "image/png"?: string;
  "image/svg+xml"?: string;
  "application/vnd.plotly.v1+json"?: PlotlyFigure;
  [mimeType: string]: unknown;
}

/** The rich-display method's key, as the kernel and Jupyter's JavaScript kernels look it up. */
const RICH_DISPLAY = Symbol.for("jupyter.mimebundle");

/**
 * Builds a bundle, dropping entries whose value is undefined (Jupyter rejects nulls). The bundle
 * also shows itself when it is a cell's last value: a hidden `[Symbol.for("jupyter.mimebundle")]`
 * method returns it (hidden, so JSON and equality checks see only the MIME entries).
 */
export function mimeBundle(text: string, rich: Omit<Partial<MimeBundle>, "text/plain"> = {}): MimeBundle {
  const bundle: MimeBundle = { [MIME_TEXT]: text };
  for (const [mime, value] of Object.entries(rich)) {
    if (value !== undefined) bundle[mime] = value;
  }
  Object.defineProperty(bundle, RICH_DISPLAY, { value: () => ({ ...bundle }), enumerable: false });
  return bundle;
}

/** A `data:` URL, so images travel inside the HTML with no network request. */
export function dataUrl(mimeType: string, base64: string): string {
  return `data:${mimeType};base64,${base64}`;
}

export function pngDataUrl(base64: string): string {
  return dataUrl(MIME_PNG, base64);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An SVG document as HTML that every viewer shows: an `<img>` with a `data:` URL. Notebook 6
 * and JupyterLab sanitize the HTML of a notebook they do not trust, and their sanitizer drops
 * inline `<svg>` but keeps `<img>` with an embedded source; an image also keeps the picture's
 * ids and styles apart from the page's. Width and height come from the SVG's root element.
 */
export function svgImage(svg: string, alt: string, className?: string): string {
  const root = /^\s*<svg\b[^>]*>/.exec(svg);
  if (!root) throw new TypeError("svgImage: the text does not start with an <svg> element");
  const document = root[0].includes("xmlns=") ? svg : svg.replace(/<svg\b/, `<svg xmlns="${SVG_NS}"`);
  const size = (name: string): string | undefined => new RegExp(`\\s${name}="([\\d.]+)"`).exec(root[0])?.[1];
  const width = size("width");
  const height = size("height");
  const attrs = [
    className ? ` class="${escapeHtml(className)}"` : "",
    ` src="${dataUrl(MIME_SVG, Buffer.from(document, "utf8").toString("base64"))}"`,
    width ? ` width="${width}"` : "",
    height ? ` height="${height}"` : "",
    ` alt="${escapeHtml(alt)}"`,
  ];
  return `<img${attrs.join("")}>`;
}


/** Concatenates several bundles' HTML and text, e.g. a chart above a table. */
export function joinBundles(bundles: MimeBundle[], separator = "\n"): MimeBundle {
  const text = bundles.map((b) => b[MIME_TEXT]).join(separator);
  const html = bundles.map((b) => b[MIME_HTML] ?? `<pre>${escapeForPre(b[MIME_TEXT])}</pre>`).join("\n");
  return mimeBundle(text, { [MIME_HTML]: html });
}

function escapeForPre(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
