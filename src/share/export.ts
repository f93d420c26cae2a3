/**
 * A notebook with its outputs as one self-contained HTML file (nbconvert's HTML export, then
 * makeSelfContained), and an index page for a folder of them: what `convnote share` writes
 * for a course site.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { escapeHtml } from "../render/html.js";
import { makeSelfContained } from "./self-contained.js";

export interface SharedPage {
  notebook: string;
  page: string;
  title: string;
  bytes: number;
  /** Scripts and stylesheets from outside the page that were dropped. */
  removed: string[];
}

/** The first markdown heading of a notebook, else its file name. */
export function notebookTitle(file: string): string {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells?: { cell_type: string; source: string | string[] }[] };
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== "markdown") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const heading = /^#+\s+(.+)$/m.exec(source);
    if (heading) return heading[1]!.trim();
  }
  return path.basename(file, ".ipynb");
}

/** Exports `notebook` (as saved, outputs included) to `<outDir>/<name>.html`, self-contained. */
export function exportNotebookHtml(jupyter: string, notebook: string, outDir: string, env: NodeJS.ProcessEnv = process.env): SharedPage {
  const name = path.basename(notebook, ".ipynb");
  const run = spawnSync(jupyter, ["nbconvert", "--to", "html", "--output-dir", outDir, "--output", name, notebook], { env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`nbconvert --to html ${notebook} failed:\n${(run.stderr ?? run.error?.message ?? "").slice(-3000)}`);
  const page = path.join(outDir, `${name}.html`);
  const result = makeSelfContained(readFileSync(page, "utf8"));
  if (result.external.length > 0) {
    throw new Error(`${notebook} loads ${result.external.join(", ")} from outside the page; put the file in the notebook (a data: URL) so the page works offline`);
  }
  writeFileSync(page, result.html);
  return { notebook, page, title: notebookTitle(notebook), bytes: Buffer.byteLength(result.html), removed: result.removed };
}

/** An index.html listing the pages, in order, with their sizes. */
export function indexPage(pages: SharedPage[], heading = "ConvNote notebooks"): string {
  const items = pages
    .map((p) => `<li><a href="${escapeHtml(path.basename(p.page))}">${escapeHtml(p.title)}</a> <small>(${escapeHtml(path.basename(p.notebook))}, ${(p.bytes / 1e6).toFixed(1)} MB)</small></li>`)
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
