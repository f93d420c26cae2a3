// Runs a notebook from notebooks/ head to tail with Jupyter's own client (nbconvert
// --execute) in the real ConvNote kernel, once per test process: the generic checks
// and each notebook's own checks share the same run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { testJupyterEnv, tempDir, type JupyterEnv } from "../kernel/jupyter-env.js";
import { projectRoot } from "../helpers.js";
import { exportNotebookHtml } from "../../src/share/export.js";

export interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
}
export interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: Output[];
}
export interface ExecutedNotebook {
  name: string;
  cells: Cell[];
  seconds: number;
  /** The executed copy, for exporting. */
  file: string;
}

export const notebooksDir = path.join(projectRoot, "notebooks");
export const notebookNames = (): string[] => readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();

export const joined = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join("") : v ?? "");
export const allOutputs = (cells: Cell[]): Output[] => cells.flatMap((c) => c.outputs ?? []);
export const htmlOf = (cells: Cell[]): string => allOutputs(cells).map((o) => joined(o.data?.["text/html"])).join("\n");
export const textOf = (cells: Cell[]): string => allOutputs(cells).map((o) => joined(o.data?.["text/plain"]) + joined(o.text)).join("\n");

export function readNotebook(file: string): Cell[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { cells: Cell[] }).cells;
}

/** Decodes every PNG in the outputs (each must be a real picture); returns how many there were. */
export function checkPngs(outputs: Output[]): number {
  let count = 0;
  for (const output of outputs) {
    const png = output.data?.["image/png"];
    if (!png) continue;
    const image = PNG.sync.read(Buffer.from(joined(png), "base64"));
    assert.ok(image.width >= 16 && image.height >= 16, `a ${image.width}x${image.height} PNG`);
    count++;
  }
  return count;
}

let jupyter: Promise<JupyterEnv> | null = null;
export const notebookEnv = (): Promise<JupyterEnv> => (jupyter ??= testJupyterEnv());
const outDir = tempDir("convnote-notebooks-");
const runs = new Map<string, Promise<ExecutedNotebook>>();

async function run(name: string, backend: string | undefined, repeat: number): Promise<ExecutedNotebook> {
  const env = await notebookEnv();
  const started = performance.now();
  // Each backend's run (and each repeat) gets its own folder: the executed copy keeps the notebook's file name.
  const folder = path.join(outDir, backend ?? "", repeat > 1 ? `run-${repeat}` : "");
  const result = spawnSync(
    "/usr/bin/jupyter",
    ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=convnote", "--output-dir", folder, path.join(notebooksDir, name)],
    { env: backend === undefined ? env.env : { ...env.env, CONVNOTE_BACKEND: backend }, encoding: "utf8", cwd: notebooksDir },
  );
  assert.equal(result.status, 0, `nbconvert --execute ${name}${backend ? ` (CONVNOTE_BACKEND=${backend})` : ""} failed:\n${result.stderr.slice(-4000)}`);
  const seconds = (performance.now() - started) / 1000;
  const file = path.join(folder, name);
  return { name, cells: readNotebook(file), seconds, file };
}

/**
 * The notebook executed (once per process and backend; later calls share the run), on the
 * backend the kernel chooses, or the one named (CONVNOTE_BACKEND in the kernel's environment).
 */
export function executeNotebook(name: string, backend?: string): Promise<ExecutedNotebook> {
  return executeNotebookRun(name, 1, backend);
}

/**
 * The notebook's run number `repeat` (1 is the run executeNotebook shares): a later number is a
 * new kernel running the notebook again, to check that it prints the same numbers every time.
 */
export function executeNotebookRun(name: string, repeat: number, backend?: string): Promise<ExecutedNotebook> {
  const key = `${name}\0${backend ?? ""}\0${repeat}`;
  let pending = runs.get(key);
  if (!pending) runs.set(key, (pending = run(name, backend, repeat)));
  return pending;
}

/** The notebook executed, with its outputs, their HTML and their text gathered, for the per-notebook tests. */
export async function notebookOutputs(name: string): Promise<{ cells: Cell[]; outputs: Output[]; html: string; text: string }> {
  const { cells } = await executeNotebook(name);
  return { cells, outputs: allOutputs(cells), html: htmlOf(cells), text: textOf(cells) };
}

/** Exports an executed notebook the way `convnote share` does (self-contained HTML); returns the page's path. */
export async function exportHtml(executed: ExecutedNotebook): Promise<string> {
  const env = await notebookEnv();
  return exportNotebookHtml("/usr/bin/jupyter", executed.file, outDir, env.env).page;
}

/** The page's DOM after headless Chromium ran its scripts, with every host unresolvable. */
export function renderInChromium(page: string): string {
  const browser = spawnSync(
    "chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", `--user-data-dir=${tempDir("convnote-chromium-")}`, "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=15000", "--dump-dom", `file://${page}`],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 180_000 },
  );
  assert.equal(browser.status, 0, `chromium (apt-get install chromium): ${browser.stderr?.slice(-2000) ?? browser.error?.message}`);
  return browser.stdout;
}

/**
 * The numbers that matter in a cell's outputs: every number and shape (28x28x6,
 * 1,728, 0.77) in its text, with markup, scripts, styles and pictures (inline SVG, images) left out.
 * Cells tagged "varies" (training, timing) are not compared.
 */
// The kernel names its backend and the machine once, in the first cell's output: not a fact of the notebook.
const BACKEND_BANNER = /^ConvNote backend .*$/gm;

export function storedFacts(cell: Cell): string[] {
  const facts: string[] = [];
  for (const output of cell.outputs ?? []) {
    const html = joined(output.data?.["text/html"]);
    const text = html !== ""
      ? html.replace(/<(script|style|svg)[\s\S]*?<\/\1>/g, " ").replace(/<[^>]*>/g, " ").replace(/&[a-z]+;|&#\d+;/g, " ")
      : joined(output.data?.["text/plain"]) + joined(output.text).replace(BACKEND_BANNER, "");
    facts.push(...(text.match(/-?\d[\d,]*(\.\d+)?(x\d+)*/g) ?? []));
  }
  return facts;
}

/**
 * The percentages (98.0%, 0.95%) the notebook's prose states that none of its outputs shows:
 * a result quoted in a sentence must come from a cell of the notebook. `allowed` lists those
 * quoted from elsewhere (a paper's figure) or that state no result ("climbs to 100%").
 */
export function percentagesNotInOutputs(cells: Cell[], allowed: string[] = []): string[] {
  const outputs = textOf(cells) + "\n" + htmlOf(cells);
  const prose = cells.filter((c) => c.cell_type === "markdown").map((c) => joined(c.source)).join("\n");
  const quoted = [...new Set(prose.match(/\d+(\.\d+)?%/g) ?? [])];
  return quoted.filter((p) => !allowed.includes(p) && !new RegExp(`(^|[^\\d.])${p.replace(".", "\\.")}`).test(outputs));
}
