/**
 * Jupyter MIME bundles: what a display_data / execute_result message carries.
 * Every render returns one; `text/plain` is always present so that every front end
 * (terminal, nbconvert to text, a failed rich render) has something to show.
 */

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

/** Concatenates several bundles' HTML and text, e.g. a chart above a table. */
export function joinBundles(bundles: MimeBundle[], separator = "\n"): MimeBundle {
  const text = bundles.map((b) => b[MIME_TEXT]).join(separator);
  const html = bundles.map((b) => b[MIME_HTML] ?? `<pre>${escapeForPre(b[MIME_TEXT])}</pre>`).join("\n");
  return mimeBundle(text, { [MIME_HTML]: html });
}

function escapeForPre(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
