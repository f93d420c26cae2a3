/**
 * The plotly.js library for the front end, with no CDN. plotly.js-dist ships an 11 MB
 * unminified file; the first use minifies it once with esbuild and caches the result in
 * dist/assets/ (or the OS temp dir when that is not writable), so later sessions just read it.
 */

import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { escapeHtml, escapeScriptContent } from "./html.js";
import { MIME_HTML, mimeBundle, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";

export interface PlotlyLibraryInfo {
  version: string;
  /** The file the script was read from (the minified cache, or the original as a fallback). */
  path: string;
  /** Size of the library source in bytes. */
  bytes: number;
  minified: boolean;
}

interface LoadedLibrary extends PlotlyLibraryInfo {
  code: string;
}

let loaded: LoadedLibrary | undefined;

function plotlyPackage(): { dir: string; version: string; source: string } {
  let pkgJson: string;
  try {
    pkgJson = require.resolve("plotly.js-dist/package.json");
  } catch {
    throw new Error("render/assets: the npm package plotly.js-dist is not installed; it is a dependency of ConvNote (npm install)");
  }
  const dir = path.dirname(pkgJson);
  const version = (JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { version: string }).version;
  return { dir, version, source: path.join(dir, "plotly.js") };
}

/** The project root: the nearest folder above this file with ConvNote's package.json. */
function projectRoot(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        if ((JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: string }).name === "convnote") return dir;
      } catch {
        // Not a readable package.json; keep looking upwards.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where cached assets may live, in order of preference. CONVNOTE_ASSET_DIR overrides. */
export function assetDirectories(): string[] {
  const dirs: string[] = [];
  if (process.env["CONVNOTE_ASSET_DIR"]) dirs.push(process.env["CONVNOTE_ASSET_DIR"]);
  const root = projectRoot();
  if (root) dirs.push(path.join(root, "dist", "assets"));
  dirs.push(path.join(os.tmpdir(), "convnote-assets"));
  return dirs;
}

function readCache(file: string): string | undefined {
  try {
    const code = fs.readFileSync(file, "utf8");
    return code.length > 0 ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so a concurrent reader never sees half a file. */
function writeCache(file: string, code: string): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}

type Esbuild = { transformSync(code: string, options: { minify: boolean; legalComments: "eof"; banner: string }): { code: string } };

/** esbuild is a devDependency: a production install without it falls back to the unminified file. */
function loadEsbuild(): Esbuild | undefined {
  try {
    return require("esbuild") as Esbuild;
  } catch {
    return undefined;
  }
}

/**
 * Minifies plotly.js-dist with esbuild and writes it into `dir` (created if missing). Returns the
 * library, or undefined when esbuild is not installed.
 */
export function buildMinifiedPlotly(dir: string): PlotlyLibraryInfo | undefined {
  const built = minify();
  if (!built) return undefined;
  const file = path.join(dir, built.name);
  if (!writeCache(file, built.code)) throw new Error(`render/assets: cannot write ${file}; choose a writable directory (CONVNOTE_ASSET_DIR)`);
  return { version: built.version, path: file, bytes: Buffer.byteLength(built.code), minified: true };
}

function cacheName(version: string): string {
  return `plotly-${version}.min.js`;
}

function minify(): { code: string; version: string; name: string } | undefined {
  const { version, source } = plotlyPackage();
  const esbuild = loadEsbuild();
  if (!esbuild) return undefined;
  const banner = `/*! plotly.js v${version} | (c) Plotly, Inc. | MIT License | minified for ConvNote */`;
  const code = esbuild.transformSync(fs.readFileSync(source, "utf8"), { minify: true, legalComments: "eof", banner }).code;
  return { code, version, name: cacheName(version) };
}

function load(): LoadedLibrary {
  if (loaded) return loaded;
  const { version, source } = plotlyPackage();
  const dirs = assetDirectories();
  for (const dir of dirs) {
    const file = path.join(dir, cacheName(version));
    const code = readCache(file);
    if (code !== undefined) return (loaded = { code, version, path: file, bytes: Buffer.byteLength(code), minified: true });
  }
  const built = minify();
  if (!built) {
    const original = fs.readFileSync(source, "utf8");
    return (loaded = { code: original, version, path: source, bytes: Buffer.byteLength(original), minified: false });
  }
  const written = dirs.map((dir) => path.join(dir, built.name)).find((file) => writeCache(file, built.code));
  return (loaded = { code: built.code, version, path: written ?? source, bytes: Buffer.byteLength(built.code), minified: true });
}

/** Where the library comes from and how large it is (minifies on first call if needed). */
export function plotlyLibraryInfo(): PlotlyLibraryInfo {
  const { code: _code, ...info } = load();
  return info;
}

/** The minified plotly.js exactly as esbuild wrote it. */
export function minifiedPlotly(): string {
  return load().code;
}

/**
 * The library wrapped so it is safe to run anywhere, as plain JavaScript (no `<script>` tags),
 * e.g. for an HTML export post-processor to put in the page head:
 * - it defines `window.Plotly` only once: running it again does nothing;
 * - `define`, `module`, `exports` and `require` are shadowed, so under RequireJS (classic
 *   Notebook) or a CommonJS-like host the UMD wrapper still sets a global instead of
 *   registering an anonymous AMD module (which RequireJS would reject) or exporting it.
 */
export function plotlyLibraryScript(): string {
  const lib = load();
  return [
    `/* ConvNote: plotly.js ${lib.version} inlined so charts work without network. */`,
    `(function (define, module, exports, require) {`,
    `if (typeof window === "undefined" || (window.Plotly && typeof window.Plotly.react === "function")) return;`,
    lib.code,
    `;}).call(typeof window !== "undefined" ? window : this, undefined, undefined, undefined, undefined);`,
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
