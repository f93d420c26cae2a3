/**
 * A notebook with its outputs as an HTML page for a course site (nbconvert's HTML export, made
 * to work offline by makeSelfContained), and an index page for a folder of them: what
 * `convnote share` writes. On top of nbconvert's page:
 * - the title is the notebook's first heading, not its file name;
 * - `%%net` cells are highlighted as the network language, not as TypeScript;
 * - a page with interactive charts gets plotly.js: inlined (a page that works alone) or from one
 *   file beside the pages (a course site carries the 4.9 MB library once, not once per page).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { plotlyLibraryInfo, plotlyLibraryScriptTag } from "../render/assets.js";
import { PLOTLY_WAITING_GLOBAL } from "../render/charts/plotly.js";
import { escapeHtml } from "../render/html.js";
import { highlightNetHtml } from "../render/net-highlight.js";
import { makeSelfContained } from "./self-contained.js";

export interface SharedPage {
  notebook: string;
  page: string;
  title: string;
  bytes: number;
  /** Scripts and stylesheets from outside the page that were dropped. */
  removed: string[];
  /** Whether the page draws interactive charts (and so needs plotly.js). */
  charts: boolean;
}

/** Where a page's plotly.js comes from: inside the page, or a file in the page's folder. */
export type PlotlySource = { kind: "inline" } | { kind: "file"; name: string };

/** The shared copy's file name: versioned, so a site never mixes a page with another version's library. */
export function sharedPlotlyFileName(): string {
  return `plotly-${plotlyLibraryInfo().version}.min.js`;
}

/** Writes the shared copy of plotly.js into `outDir` (once per site); returns its file name. */
export function writeSharedPlotly(outDir: string): string {
  const name = sharedPlotlyFileName();
  copyFileSync(plotlyLibraryInfo().path, path.join(outDir, name));
  return name;
}

interface NotebookJson {
  cells?: { cell_type: string; source: string | string[] }[];
  metadata?: { kernelspec?: { name?: string } };
}

function readNotebook(file: string): NotebookJson {
  return JSON.parse(readFileSync(file, "utf8")) as NotebookJson;
}

/** A Markdown heading as plain text: `code`, *emphasis* and [links](url) written out. */
function plainHeading(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/<[^>]+>/g, "")
    .trim();
}

/** The first markdown heading of a notebook, as plain text, else its file name. */
export function notebookTitle(file: string): string {
  for (const cell of readNotebook(file).cells ?? []) {
    if (cell.cell_type !== "markdown") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const heading = /^#+\s+(.+)$/m.exec(source);
    if (heading) return plainHeading(heading[1]!);
  }
  return path.basename(file, ".ipynb");
}

/** The kernel a notebook was saved with (its kernelspec's name), if it says. */
export function notebookKernel(file: string): string | undefined {
  try {
    return readNotebook(file).metadata?.kernelspec?.name;
  } catch {
    return undefined;
  }
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };

function textOf(highlighted: string): string {
  return highlighted.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, name: string) => ENTITY[name]!);
}

/** nbconvert highlights every code cell in the notebook's language: `%%net` cells get the network language's. */
export function highlightNetCells(html: string): string {
  return html.replace(/<div class="( ?)highlight hl-[\w+-]+"><pre>([\s\S]*?)<\/pre><\/div>/g, (whole, space: string, inner: string) => {
    const text = textOf(inner);
    if (!/^\s*%%net\b/.test(text)) return whole;
    return `<div class="${space}highlight hl-convnote-net"><pre><span></span>${highlightNetHtml(text.replace(/\n$/, ""))}\n</pre></div>`;
  });
}

/** True when the page has a chart that upgrades itself to plotly. */
export function hasInteractiveCharts(html: string): boolean {
  return html.includes(PLOTLY_WAITING_GLOBAL);
}

/** nbconvert's page as ConvNote shares it (see the file comment); `external` lists what it still fetches. */
export function sharedPageHtml(nbconvertHtml: string, title: string, plotly: PlotlySource): { html: string; removed: string[]; external: string[]; charts: boolean } {
  const result = makeSelfContained(nbconvertHtml);
  let html = result.html.replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(title)}</title>`);
  html = highlightNetCells(html);
  const charts = hasInteractiveCharts(html);
  if (charts) {
    // In the head, so plotly.js is there before the first chart's script runs.
    const tag = plotly.kind === "inline" ? plotlyLibraryScriptTag() : `<script src="${escapeHtml(plotly.name)}"></script>`;
    html = html.replace(/<\/head>/i, () => `${tag}\n</head>`);
  }
  return { html, removed: result.removed, external: result.external, charts };
}

/** Exports `notebook` (as saved, outputs included) to `<outDir>/<name>.html`. */
export function exportNotebookHtml(jupyter: string, notebook: string, outDir: string, env: NodeJS.ProcessEnv = process.env, plotly: PlotlySource = { kind: "inline" }): SharedPage {
  const name = path.basename(notebook, ".ipynb");
  const run = spawnSync(jupyter, ["nbconvert", "--to", "html", "--output-dir", outDir, "--output", name, notebook], { env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`nbconvert --to html ${notebook} failed:\n${(run.stderr ?? run.error?.message ?? "").slice(-3000)}`);
  const page = path.join(outDir, `${name}.html`);
  const title = notebookTitle(notebook);
  const shared = sharedPageHtml(readFileSync(page, "utf8"), title, plotly);
  if (shared.external.length > 0) {
    throw new Error(`${notebook} loads ${shared.external.join(", ")} from outside the page; put the file in the notebook (a data: URL) so the page works offline`);
  }
  writeFileSync(page, shared.html);
  return { notebook, page, title, bytes: Buffer.byteLength(shared.html), removed: shared.removed, charts: shared.charts };
}

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** An index.html listing the pages, in order, with their sizes. */
export function indexPage(pages: SharedPage[], heading = "ConvNote notebooks"): string {
  const items = pages
    .map((p) => `<li><a href="${escapeHtml(path.basename(p.page))}">${escapeHtml(p.title)}</a> <small>(${escapeHtml(path.basename(p.notebook))}, ${megabytes(p.bytes)})</small></li>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48em;margin:2em auto;line-height:1.5}</style></head>
<body><h1>${escapeHtml(heading)}</h1>
<p>Each page is a notebook with its results: pictures and plots work offline.</p>
<ol>
${items}
</ol></body></html>
`;
}
