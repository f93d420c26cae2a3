// `convnote share` (what `npm run share` runs): every notebook with its outputs as a
// self-contained HTML page in one folder with an index, ready for a course page.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../kernel/convnote-module.js";
import { installKernelspec } from "../../kernel/kernelspec.js";
import { exportNotebookHtml, indexPage, type SharedPage } from "../share/export.js";
import { defineCommand, parseOptions, UsageError } from "./command.js";
import { executeNotebooks, findJupyter, listNotebooks, localJupyterEnv } from "./start-command.js";

const OPTIONS = {
  notebooks: { type: "string", value: "DIR", help: "where the notebooks are (default: notebooks/)" },
  output: { type: "string", value: "DIR", help: "where the pages go (default: build/share/)" },
  execute: { type: "boolean", help: "run each notebook first (in the ConvNote kernel) and share the fresh outputs" },
} as const;

interface ShareArgs {
  notebooksDir: string;
  outputDir: string;
  execute: boolean;
}

function parseShareArgs(args: string[], root: string): ShareArgs {
  const { values: v, positionals } = parseOptions(OPTIONS, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  return {
    notebooksDir: v.notebooks === undefined ? path.join(root, "notebooks") : path.resolve(v.notebooks),
    outputDir: v.output === undefined ? path.join(root, "build", "share") : path.resolve(v.output),
    execute: v.execute,
  };
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
  let sourceDir = options.notebooksDir;
  if (options.execute) {
    installKernelspec({ kind: "data-dir", dir: env["JUPYTER_DATA_DIR"]! });
    sourceDir = mkdtempSync(path.join(os.tmpdir(), "convnote-share-"));
    const code = await executeNotebooks(jupyter, { execute: true, notebooksDir: options.notebooksDir, outputDir: sourceDir, timeoutSeconds: 900 }, env, root);
    if (code !== 0) return code;
  }
  const notebooks = listNotebooks(sourceDir);
  if (notebooks.length === 0) {
    process.stderr.write(`convnote share: no notebooks in ${sourceDir}\n`);
    return 1;
  }
  mkdirSync(options.outputDir, { recursive: true });
  const pages: SharedPage[] = [];
  let failed = 0;
  for (const notebook of notebooks) {
    try {
      const page = exportNotebookHtml(jupyter, notebook, options.outputDir, env);
      pages.push(page);
      process.stdout.write(`  ${path.relative(root, page.page)}  ${(page.bytes / 1e6).toFixed(1)} MB  ${page.title}\n`);
    } catch (error) {
      failed++;
      process.stdout.write(`  FAILED  ${path.basename(notebook)}: ${(error as Error).message}\n`);
    }
  }
  writeFileSync(path.join(options.outputDir, "index.html"), indexPage(pages));
  process.stdout.write(`${pages.length} page(s) and index.html in ${path.relative(root, options.outputDir) || "."}/${failed ? `; ${failed} failed` : ""}\n`);
  return failed === 0 ? 0 : 1;
}

export const shareCommand = defineCommand({
  name: "share",
  summary: "write every notebook with its outputs as a self-contained HTML page (offline plots) plus an index",
  synopsis: ["[--notebooks DIR] [--output DIR] [--execute]"],
  description: `Writes every notebook, with the outputs it was saved with, to a self-contained HTML page
(pictures and plots work with no network) and an index.html, all in one folder.`,
  options: OPTIONS,
  run: runShare,
});
