// A throwaway Jupyter directory for the kernel tests: the real `convnote`
// kernelspec (installed by the CLI command), plus test kernelspecs that start the
// same kernel with the test language handler. Nothing touches the user's home.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../kernel/convnote-module.js";
import { writeKernelspec } from "../../kernel/kernelspec.js";
import { kernelCommand } from "../../src/cli/kernel-command.js";
import { jupyterDirsUnder } from "../../src/cli/start-command.js";

export const TEST_KERNEL = "convnote-test";
export const TEST_KERNEL_SIGNAL = "convnote-test-signal";
export const REAL_KERNEL = "convnote";
export const PYTHON = "/usr/bin/python3";

export interface JupyterEnv {
  root: string;
  env: NodeJS.ProcessEnv;
}

let shared: Promise<JupyterEnv> | null = null;

const tempDirs: string[] = [];

/** A temporary directory removed when the test process exits (one exit listener for them all). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (tempDirs.length === 0) process.on("exit", () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  tempDirs.push(dir);
  return dir;
}

/** Hides the CLI's "Installed kernelspec ..." line from the test report. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

/** Fails with the install line when Debian's Jupyter packages are missing. */
function checkJupyterInstalled(): void {
  const check = spawnSync(PYTHON, ["-c", "import jupyter_client, jupyter_kernel_test, nbconvert, notebook"], { encoding: "utf8" });
  if (check.status !== 0) {
    throw new Error(
      `the kernel tests need Jupyter in ${PYTHON}: apt-get install jupyter-client python3-jupyter-kernel-test ` +
        `python3-nbconvert python3-nbclient jupyter-nbconvert jupyter-notebook\n${check.stderr ?? check.error?.message ?? ""}`,
    );
  }
}

async function create(): Promise<JupyterEnv> {
  checkJupyterInstalled();
  const root = tempDir("convnote-kernel-test-");
  const dirs = jupyterDirsUnder(root);
  const code = await quietly(() => kernelCommand.run(["install", "--prefix", root]));
  if (code !== 0) throw new Error(`convnote kernel install --prefix ${root} exited with ${code}`);
  const kernels = path.join(root, "share", "jupyter", "kernels");
  const testMain = path.join(packageRoot(), "dist", "test", "kernel", "test-kernel-main.js");
  writeKernelspec(kernels, { name: TEST_KERNEL, kernelScript: testMain, interruptMode: "message" });
  writeKernelspec(kernels, { name: TEST_KERNEL_SIGNAL, kernelScript: testMain, interruptMode: "signal" });
  return {
    root,
    env: { ...process.env, ...dirs, JUPYTER_PATH: path.join(root, "share", "jupyter"), PYTHONDONTWRITEBYTECODE: "1" },
  };
}

export function testJupyterEnv(): Promise<JupyterEnv> {
  return (shared ??= create());
}
