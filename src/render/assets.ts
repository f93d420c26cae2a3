/**
 * The plotly.js library for the front end, with no CDN: the one place that loads it and
 * wraps it for a notebook output, an exported page or a shared site. It comes already
 * minified (4.9 MB) from the plotly project's own npm package plotly.js-dist-min, so nothing
 * is built at run time and a production install (npm ci --omit=dev) serves it as is.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { escapeHtml, escapeScriptContent } from "./html.js";
import { MIME_HTML, mimeBundle, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";

/** The npm package that ships plotly.js already minified, and its file. */
const PLOTLY_PACKAGE = "plotly.js-dist-min";
const PLOTLY_FILE = "plotly.min.js";

export interface PlotlyLibraryInfo {
  version: string;
  /** The file the script is read from. */
  path: string;
  /** Size of the library source in bytes. */
  bytes: number;
}

interface LoadedLibrary extends PlotlyLibraryInfo {
  code: string;
}

let loaded: LoadedLibrary | undefined;

function load(): LoadedLibrary {
  if (loaded) return loaded;
  let manifest: string;
  try {
    manifest = require.resolve(`${PLOTLY_PACKAGE}/package.json`);
  } catch {
    throw new Error(`render/assets: the npm package ${PLOTLY_PACKAGE} is not installed; it is a dependency of ConvNote (npm install)`);
  }
  const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
  const file = path.join(path.dirname(manifest), PLOTLY_FILE);
  const code = fs.readFileSync(file, "utf8");
  return (loaded = { code, version, path: file, bytes: Buffer.byteLength(code) });
}

/** Where the library comes from and how large it is. */
export function plotlyLibraryInfo(): PlotlyLibraryInfo {
  const { code: _code, ...info } = load();
  return info;
}

/** The minified plotly.js as its package ships it. */
export function minifiedPlotly(): string {
  return load().code;
}

/**
 * The library wrapped so it is safe to run anywhere, as plain JavaScript (no `<script>` tags),
 * e.g. for an HTML export post-processor to put in the page head:
 * - it defines `window.Plotly` only once: running it again does nothing;
 * - `define`, `module`, `exports` and `require` are shadowed, so under RequireJS (classic
 *   Notebook) or a CommonJS-like host the library registers no AMD module (RequireJS would
 *   reject an anonymous one) and exports nothing: its UMD header hands its export to a
 *   throwaway `module` (else it would set a stray `window.moduleName`), and the library
 *   itself sets `window.Plotly`.
 */
export function plotlyLibraryScript(): string {
  const lib = load();
  return [
    `/* ConvNote: plotly.js ${lib.version} inlined so charts work without network. */`,
    `(function (define, module, exports, require) {`,
    `if (typeof window === "undefined" || (window.Plotly && typeof window.Plotly.react === "function")) return;`,
    lib.code,
    `;}).call(typeof window !== "undefined" ? window : this, undefined, { exports: {} }, undefined, undefined);`,
  ].join("\n");
}

/** The library as an inline `<script>` element. */
export function plotlyLibraryScriptTag(): string {
  return `<script type="text/javascript">\n${escapeScriptContent(plotlyLibraryScript())}\n</script>`;
}

export interface PlotlyLibraryBundleOptions {
  /** Show a one-line note in the output; otherwise the HTML is the script alone. */
  note?: boolean;
}

export const PLOTLY_LIBRARY_BUNDLE_DEFAULTS = { note: true };

/**
 * A bundle whose HTML loads plotly.js into the page: the kernel emits it once per session before
 * the first interactive chart. Harmless if shown again.
 */
export function plotlyLibraryBundle(options: PlotlyLibraryBundleOptions = {}): MimeBundle {
  const o = withDefaults(PLOTLY_LIBRARY_BUNDLE_DEFAULTS, options);
  const lib = load();
  const size = `${(lib.bytes / 1e6).toFixed(1)} MB`;
  const note = o.note ? `<div style="font:11px sans-serif;color:#888">interactive charts: plotly.js ${escapeHtml(lib.version)} (${size}, inlined, no network)</div>` : "";
  return mimeBundle(`plotly.js ${lib.version} loaded for interactive charts (${size}, inlined, no network)`, {
    [MIME_HTML]: `${plotlyLibraryScriptTag()}${note}`,
  });
}

export interface StandalonePageOptions {
  title?: string;
}

export const STANDALONE_PAGE_DEFAULTS = { title: "ConvNote chart" };

/**
 * A complete HTML page with the library inlined in the head and the bundles' HTML in the body:
 * opens offline in any browser (and in headless Chromium for end-to-end checks).
 */
export function standaloneChartPage(bundles: MimeBundle | MimeBundle[], options: StandalonePageOptions = {}): string {
  const o = withDefaults(STANDALONE_PAGE_DEFAULTS, options);
  const list = Array.isArray(bundles) ? bundles : [bundles];
  const body = list.map((b) => `<div class="convnote-output">${b[MIME_HTML] ?? `<pre>${escapeHtml(b["text/plain"])}</pre>`}</div>`).join("\n");
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(o.title)}</title>`,
    plotlyLibraryScriptTag(),
    `</head><body style="font-family:sans-serif">`,
    body,
    "</body></html>",
  ].join("\n");
}
