// `convnote share` (what `npm run share` runs): the course's notebooks with their outputs as HTML
// pages in one folder with an index, ready for a course site. Only ConvNote notebooks are shared:
// Jupyter's scratch notebooks (Untitled*.ipynb), notebooks of other kernels and those matching
// --exclude are left out, each with its reason.
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../kernel/convnote-module.js";
import { installKernelspec, KERNEL_NAME } from "../../kernel/kernelspec.js";
import { exportNotebookHtml, indexPage, notebookKernel, sharedPlotlyFileName, writeSharedPlotly, type PlotlySource, type SharedPage } from "../share/export.js";
import { defineCommand, parseOptions, UsageError } from "./command.js";
import { executeNotebooks, findJupyter, listNotebooks, localJupyterEnv } from "./start-command.js";

const OPTIONS = {
  notebooks: { type: "string", value: "DIR", help: "where the notebooks are (default: notebooks/); or name notebook files after the options" },
  output: { type: "string", value: "DIR", help: "where the pages go (default: build/share/)" },
  exclude: { type: "string", value: "GLOBS", help: "leave out notebooks whose path (from the folder) matches one of these comma-separated globs,\ne.g. 'scratch-*,drafts/**' (Untitled*.ipynb is always left out)" },
  "self-contained": { type: "boolean", help: "put plotly.js in every page that has charts, so each page works alone\n(default: one shared copy beside the pages)" },
  execute: { type: "boolean", help: "run each notebook first (in the ConvNote kernel) and share the fresh outputs" },
} as const;

/** Jupyter names a new notebook Untitled.ipynb, Untitled1.ipynb, ...: never course material. */
export const ALWAYS_EXCLUDED = ["**/Untitled*.ipynb"];

interface ShareArgs {
  notebooksDir: string;
  /** Notebook files named on the command line (then only these). */
  files: string[];
  outputDir: string;
  exclude: string[];
  selfContained: boolean;
  execute: boolean;
}

function parseShareArgs(args: string[], root: string): ShareArgs {
  const { values: v, positionals } = parseOptions(OPTIONS, args);
  for (const file of positionals) {
    if (!file.endsWith(".ipynb")) throw new UsageError(`'${file}' is not a notebook (.ipynb)`);
  }
  return {
    notebooksDir: v.notebooks === undefined ? path.join(root, "notebooks") : path.resolve(v.notebooks),
    files: positionals.map((f) => path.resolve(f)),
    outputDir: v.output === undefined ? path.join(root, "build", "share") : path.resolve(v.output),
    exclude: (v.exclude ?? "").split(",").map((g) => g.trim()).filter((g) => g !== ""),
    selfContained: v["self-contained"],
    execute: v.execute,
  };
}

/** A glob as a regular expression over '/'-separated paths: `*` and `?` within a name, `**` across folders. */
export function globPattern(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A glob without a folder matches the file name in any folder, as .gitignore's do.
  return new RegExp(glob.includes("/") ? `^${source}$` : `^(?:.*/)?${source}$`);
}

export interface Selection {
  shared: string[];
  /** Left out, with why. */
  skipped: { notebook: string; reason: string }[];
}

/** Which of `notebooks` (paths under `folder`) a course site gets. */
export function selectNotebooks(notebooks: string[], folder: string, exclude: string[]): Selection {
  const patterns = [...ALWAYS_EXCLUDED, ...exclude].map((g) => ({ glob: g, re: globPattern(g) }));
  const selection: Selection = { shared: [], skipped: [] };
  for (const notebook of notebooks) {
    const relative = path.relative(folder, notebook).split(path.sep).join("/");
    const matched = patterns.find((p) => p.re.test(relative));
    const kernel = notebookKernel(notebook);
    if (matched) selection.skipped.push({ notebook, reason: `matches ${matched.glob}` });
    else if (kernel === undefined) selection.skipped.push({ notebook, reason: "names no kernel (not a ConvNote notebook)" });
    else if (kernel !== KERNEL_NAME) selection.skipped.push({ notebook, reason: `a '${kernel}' notebook, not ConvNote's` });
    else selection.shared.push(notebook);
  }
  return selection;
}

async function runShare(args: string[]): Promise<number> {
  const root = packageRoot();
  const options = parseShareArgs(args, root);
  const jupyter = findJupyter();
  if (!jupyter) {
    process.stderr.write("convnote share: no Jupyter found; on Debian: sudo apt-get install jupyter-nbconvert python3-nbconvert\n");
    return 1;
  }
  const env = localJupyterEnv(root);
  const folder = options.files.length > 0 ? path.dirname(options.files[0]!) : options.notebooksDir;
  const found = options.files.length > 0 ? options.files : listNotebooks(options.notebooksDir);
  for (const file of found) {
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`no notebook ${file}`);
  }
  const { shared, skipped } = selectNotebooks(found, folder, options.exclude);
  for (const s of skipped) process.stdout.write(`  skipped ${path.relative(root, s.notebook) || s.notebook}: ${s.reason}\n`);
  if (shared.length === 0) {
    process.stderr.write(`convnote share: no ConvNote notebooks to share in ${path.relative(root, folder) || folder}\n`);
    return 1;
  }
  let notebooks = shared;
  if (options.execute) {
    installKernelspec({ kind: "data-dir", dir: env["JUPYTER_DATA_DIR"]! });
    const ran = mkdtempSync(path.join(os.tmpdir(), "convnote-share-"));
    // executeNotebooks runs a folder: share runs the selected notebooks' folder, then keeps the selection.
    const code = await executeNotebooks(jupyter, { execute: true, notebooksDir: folder, outputDir: ran, timeoutSeconds: 900 }, env, root, shared);
    if (code !== 0) return code;
    notebooks = shared.map((n) => path.join(ran, path.relative(folder, n)));
  }
  mkdirSync(options.outputDir, { recursive: true });
  const plotly: PlotlySource = options.selfContained ? { kind: "inline" } : { kind: "file", name: sharedPlotlyFileName() };
  const pages: SharedPage[] = [];
  let failed = 0;
  for (const notebook of notebooks) {
    try {
      const page = exportNotebookHtml(jupyter, notebook, options.outputDir, env, plotly);
      pages.push(page);
      process.stdout.write(`  ${path.relative(root, page.page)}  ${(page.bytes / 1e6).toFixed(1)} MB  ${page.title}\n`);
    } catch (error) {
      failed++;
      process.stdout.write(`  FAILED  ${path.basename(notebook)}: ${(error as Error).message}\n`);
    }
  }
  if (plotly.kind === "file" && pages.some((p) => p.charts)) {
    const file = writeSharedPlotly(options.outputDir);
    process.stdout.write(`  ${path.relative(root, path.join(options.outputDir, file))}  ${(statSync(path.join(options.outputDir, file)).size / 1e6).toFixed(1)} MB  plotly.js, shared by the pages with charts\n`);
  }
  writeFileSync(path.join(options.outputDir, "index.html"), indexPage(pages));
  process.stdout.write(`${pages.length} page(s) and index.html in ${path.relative(root, options.outputDir) || "."}/${failed ? `; ${failed} failed` : ""}\n`);
  return failed === 0 ? 0 : 1;
}

export const shareCommand = defineCommand({
  name: "share",
  summary: "write the course's ConvNote notebooks with their outputs as HTML pages (offline plots) plus an index",
  synopsis: ["[--notebooks DIR] [--output DIR] [--exclude GLOBS] [--self-contained] [--execute]", "[options] NOTEBOOK.ipynb..."],
  description: `Writes every ConvNote notebook of the folder, with the outputs it was saved with, to an HTML
page (pictures and plots work with no network), titled by its first heading, and an index.html,
all in one folder. Pages with charts share one copy of plotly.js in that folder, unless
--self-contained puts it in each page. Untitled*.ipynb, notebooks of other kernels and those
matching --exclude are left out, and listed as skipped.`,
  options: OPTIONS,
  run: runShare,
});
