// `convnote start` (what `npm start` runs): installs the kernelspec into a
// project-local Jupyter directory and opens notebooks/ in Jupyter Notebook; in CI
// (CI=true, no TTY) or with --execute it runs every notebook head to tail instead.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../kernel/convnote-module.js";
import { installKernelspec, KERNEL_NAME } from "../../kernel/kernelspec.js";
import { defineCommand, parseOptions, positiveNumber, UsageError, wholeNumber } from "./command.js";

const OPTIONS = {
  execute: { type: "boolean", help: "run every notebook head to tail instead of opening them (the default when CI=true or there is no terminal)" },
  notebooks: { type: "string", value: "DIR", help: "where the notebooks are (default: notebooks/)" },
  output: { type: "string", value: "DIR", help: "where executed copies go (default: build/notebooks/)" },
  timeout: { type: "string", value: "SEC", help: "longest a single cell may run when executing (default: 900)" },
  port: { type: "string", value: "N", help: "the port Jupyter listens on (default: Jupyter's, 8888 or the next free one)" },
  ip: { type: "string", value: "ADDR", help: "the address Jupyter listens on (default: localhost; 0.0.0.0 for every interface)" },
  "no-browser": { type: "boolean", help: "do not open a web browser (Jupyter prints the address to open)" },
} as const;

const INSTALL_HINT = `Jupyter is needed for this.
  Debian/Ubuntu:  sudo apt-get install jupyter-notebook python3-nbconvert
  elsewhere:      pip install notebook nbconvert`;

export interface StartArgs {
  execute: boolean;
  notebooksDir: string;
  outputDir: string;
  timeoutSeconds: number;
  /** Passed on to `jupyter notebook`: --port, --ip, --no-browser. */
  jupyterArgs?: string[];
}

export function parseStartArgs(args: string[], root: string, env: NodeJS.ProcessEnv, interactive: boolean): StartArgs {
  const { values: v, positionals } = parseOptions(OPTIONS, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const ci = env["CI"] !== undefined && env["CI"] !== "" && env["CI"] !== "false" && env["CI"] !== "0";
  const jupyterArgs: string[] = [];
  if (v.port !== undefined) jupyterArgs.push(`--port=${wholeNumber(v.port, "--port", 1)}`);
  if (v.ip !== undefined) {
    if (!/^[\w.:-]+$/.test(v.ip)) throw new UsageError(`--ip needs an address such as 127.0.0.1 or 0.0.0.0, got '${v.ip}'`);
    jupyterArgs.push(`--ip=${v.ip}`);
  }
  if (v["no-browser"]) jupyterArgs.push("--no-browser");
  return {
    execute: v.execute || ci || !interactive,
    notebooksDir: v.notebooks === undefined ? path.join(root, "notebooks") : path.resolve(v.notebooks),
    outputDir: v.output === undefined ? path.join(root, "build", "notebooks") : path.resolve(v.output),
    timeoutSeconds: v.timeout === undefined ? 900 : positiveNumber(v.timeout, "--timeout", "number of seconds"),
    jupyterArgs,
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** /usr/bin/jupyter first: the first python3 on PATH may be one without Jupyter. */
export function findJupyter(env: NodeJS.ProcessEnv = process.env): string | null {
  if (isExecutable("/usr/bin/jupyter")) return "/usr/bin/jupyter";
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "jupyter");
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function hasSubcommand(jupyter: string, sub: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync(jupyter, [sub, "--version"], { env, stdio: "ignore" }).status === 0;
}

/** Jupyter's and IPython's data, config and runtime directories, all under `dir` (created). */
export function jupyterDirsUnder(dir: string): Record<"JUPYTER_DATA_DIR" | "JUPYTER_CONFIG_DIR" | "JUPYTER_RUNTIME_DIR" | "IPYTHONDIR", string> {
  const dirs = {
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_CONFIG_DIR: path.join(dir, "config"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
    IPYTHONDIR: path.join(dir, "ipython"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

/** Environment that keeps every Jupyter file under `<root>/.jupyter-local`. */
export function localJupyterEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dirs = jupyterDirsUnder(path.join(root, ".jupyter-local"));
  const jupyterPath = [dirs.JUPYTER_DATA_DIR, base["JUPYTER_PATH"]].filter((p) => p).join(path.delimiter);
  return { ...base, ...dirs, JUPYTER_PATH: jupyterPath };
}

/** Every .ipynb under `dir`, skipping checkpoints and hidden folders, sorted. */
export function listNotebooks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".ipynb")) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

function notebookNamesKernel(file: string): boolean {
  try {
    const nb = JSON.parse(readFileSync(file, "utf8")) as { metadata?: { kernelspec?: { name?: unknown } } };
    return typeof nb.metadata?.kernelspec?.name === "string";
  } catch {
    return false;
  }
}

interface RunResult {
  code: number;
  output: string;
  seconds: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (error) => resolve({ code: 127, output: `${output}${error.message}\n`, seconds: (Date.now() - started) / 1000 }));
    child.on("close", (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** The lines of nbconvert's output that say what went wrong (the cell error, not the Python traceback). */
function failureSummary(output: string): string {
  const lines = output.trimEnd().split("\n");
  const errorAt = lines.findIndex((l) => /CellExecutionError|DeadKernelError|CellTimeoutError/.test(l));
  const tail = errorAt >= 0 ? lines.slice(errorAt, errorAt + 40) : lines.slice(-25);
  return tail.map((l) => `    ${l}`).join("\n");
}

/** Runs every notebook of `options.notebooksDir` (or those named) into `options.outputDir`; 0 when all ran cleanly. */
export async function executeNotebooks(jupyter: string, options: StartArgs, env: NodeJS.ProcessEnv, root: string, only?: string[]): Promise<number> {
  const notebooks = only ?? listNotebooks(options.notebooksDir);
  const shown = (p: string): string => path.relative(root, p) || p;
  if (notebooks.length === 0) {
    process.stdout.write(`No notebooks in ${shown(options.notebooksDir)}/: nothing to execute.\n`);
    return 0;
  }
  process.stdout.write(`Executing ${notebooks.length} notebook(s) from ${shown(options.notebooksDir)}/ into ${shown(options.outputDir)}/\n`);
  let failed = 0;
  for (const notebook of notebooks) {
    const relative = path.relative(options.notebooksDir, notebook);
    const outDir = path.join(options.outputDir, path.dirname(relative));
    mkdirSync(outDir, { recursive: true });
    const args = [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      `--ExecutePreprocessor.timeout=${options.timeoutSeconds}`,
      "--output-dir",
      outDir,
      "--output",
      path.basename(notebook, ".ipynb"),
    ];
    if (!notebookNamesKernel(notebook)) args.push(`--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`);
    args.push(notebook);
    const result = await run(jupyter, args, env, path.dirname(notebook));
    const out = shown(path.join(outDir, path.basename(notebook)));
    if (result.code === 0) {
      process.stdout.write(`  ok      ${relative} (${result.seconds.toFixed(1)} s) -> ${out}\n`);
    } else {
      failed++;
      process.stdout.write(`  FAILED  ${relative} (${result.seconds.toFixed(1)} s)\n${failureSummary(result.output)}\n`);
    }
  }
  const okCount = notebooks.length - failed;
  process.stdout.write(
    failed === 0 ? `All ${notebooks.length} notebook(s) ran without errors.\n` : `${failed} of ${notebooks.length} notebook(s) failed; ${okCount} ran without errors.\n`,
  );
  return failed === 0 ? 0 : 1;
}

/**
 * Jupyter trusts a notebook (runs its outputs' scripts: interactive charts) only if it signed it,
 * and signs on save only when every cell's output is trusted, so a lecture notebook from a fresh
 * clone opens "Not Trusted", and stays so after a save unless every cell was run. The notebooks
 * committed with this project come with its code, which `npm start` runs anyway: those unchanged
 * since the last commit are signed here (in .jupyter-local/, nowhere else), with nbformat's own
 * signing (what `jupyter trust` runs). Returns how many; 0 outside a git checkout.
 */
export function trustCommittedNotebooks(jupyter: string, env: NodeJS.ProcessEnv, root: string, dir: string): number {
  const git = (...args: string[]) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  const tracked = git("ls-files", "-z", "--", dir);
  const changed = git("status", "--porcelain", "-z", "--", dir);
  if (tracked.status !== 0 || changed.status !== 0) return 0;
  const modified = new Set(changed.stdout.split("\0").filter((l) => l.length > 3).map((l) => path.join(root, l.slice(3))));
  const files = tracked.stdout.split("\0").filter((f) => f.endsWith(".ipynb")).map((f) => path.join(root, f)).filter((f) => !modified.has(f));
  if (files.length === 0) return 0;
  // `jupyter trust` is not installed everywhere (Debian's Jupyter lacks it); nbformat's module is what it runs.
  const signed = spawnSync(jupyterPython(jupyter), ["-m", "nbformat.sign", ...files], { env, encoding: "utf8" });
  return signed.status === 0 ? files.length : 0;
}

/** The Python that runs `jupyter` (its script's #! line), where nbformat is; else python3 on PATH. */
export function jupyterPython(jupyter: string): string {
  try {
    const first = readFileSync(jupyter, "utf8").slice(0, 200).split("\n")[0]!;
    const shebang = /^#!\s*(\S*python[\d.]*)\s*$/.exec(first);
    if (shebang) return shebang[1]!;
  } catch {
    // not a readable script (a binary wrapper): fall through
  }
  return "python3";
}

async function runStart(args: string[]): Promise<number> {
  const root = packageRoot();
  const options = parseStartArgs(args, root, process.env, Boolean(process.stdout.isTTY && process.stdin.isTTY));
  const jupyter = findJupyter();
  if (!jupyter) {
    process.stderr.write(`convnote start: no Jupyter found (neither /usr/bin/jupyter nor jupyter on PATH).\n${INSTALL_HINT}\n`);
    return 1;
  }
  const env = localJupyterEnv(root);
  const sub = options.execute ? "nbconvert" : "notebook";
  if (!hasSubcommand(jupyter, sub, env)) {
    process.stderr.write(`convnote start: ${jupyter} has no '${sub}' command.\n${INSTALL_HINT}\n`);
    return 1;
  }
  const specDir = installKernelspec({ kind: "data-dir", dir: env["JUPYTER_DATA_DIR"]! });
  process.stdout.write(`Kernel '${KERNEL_NAME}' installed in ${path.relative(root, specDir)}\n`);
  if (options.execute) return executeNotebooks(jupyter, options, env, root);

  mkdirSync(options.notebooksDir, { recursive: true });
  const trusted = trustCommittedNotebooks(jupyter, env, root, options.notebooksDir);
  if (trusted > 0) process.stdout.write(`Trusted the ${trusted} notebook(s) in ${path.relative(root, options.notebooksDir)}/ that are as committed (their charts are interactive)\n`);
  process.stdout.write(`Opening ${path.relative(root, options.notebooksDir) || "."}/ in Jupyter Notebook (Ctrl-C to stop)\n`);
  const notebookArgs = ["notebook", `--notebook-dir=${options.notebooksDir}`, ...(options.jupyterArgs ?? [])];
  // Jupyter refuses to run as root without this (containers, CI machines).
  if (typeof process.getuid === "function" && process.getuid() === 0) notebookArgs.push("--allow-root");
  const child = spawn(jupyter, notebookArgs, { env, stdio: "inherit" });
  return new Promise((resolve) => {
    child.on("error", (error) => {
      process.stderr.write(`convnote start: could not run ${jupyter}: ${error.message}\n${INSTALL_HINT}\n`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(signal === "SIGINT" ? 0 : (code ?? 1)));
  });
}

export const startCommand = defineCommand({
  name: "start",
  summary: "open notebooks/ in Jupyter with the ConvNote kernel (in CI or with --execute: run them all)",
  synopsis: ["[--port N] [--ip ADDR] [--no-browser] [--notebooks DIR]", "--execute [--notebooks DIR] [--output DIR] [--timeout SEC]"],
  description: `Installs the ConvNote kernel into .jupyter-local/ (nothing is written to your home)
and opens the notebooks in Jupyter Notebook (npm start -- --port 8890 --ip 0.0.0.0 passes
the address on). With --execute, or when CI=true or there is no terminal, runs every
notebook instead and reports each one.`,
  options: OPTIONS,
  run: runStart,
});
