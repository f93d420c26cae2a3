// Writes the `convnote` kernelspec (kernel.json, logos, kernel.js/css, plotly.js) where Jupyter looks
// for kernels: a prefix, the user's data dir, or the Jupyter Python's sys.prefix.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "./convnote-module.js";
import { DISPLAY_NAME } from "./kernel-info.js";
import { drawLogo } from "./logo.js";
import { ASYNC_HOOKS_FLAG } from "./stuck-main-thread.js";
import { KERNELSPEC_PLOTLY_FILE, kernelCss, kernelJs } from "./notebook-frontend.js";
import { plotlyLibraryInfo } from "../src/render/assets.js";

export const KERNEL_NAME = "convnote";

export type InterruptMode = "message" | "signal";

export type InstallTarget =
  | { kind: "user" }
  | { kind: "prefix"; prefix: string }
  | { kind: "sys-prefix" }
  /** A Jupyter data directory (what JUPYTER_DATA_DIR names): kernels go in <dir>/kernels. */
  | { kind: "data-dir"; dir: string };

export interface KernelspecOptions {
  name?: string;
  displayName?: string;
  /** "message": interrupt_request on the control channel (works everywhere); "signal": SIGINT. */
  interruptMode?: InterruptMode;
  /** The script Jupyter runs; defaults to this install's dist/kernel/main.js. */
  kernelScript?: string;
  env?: Record<string, string>;
}

export interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: InterruptMode;
  env?: Record<string, string>;
  metadata: Record<string, unknown>;
}

/** Jupyter's per-user data directory, as jupyter_core computes it. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env["JUPYTER_DATA_DIR"]) return env["JUPYTER_DATA_DIR"];
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (process.platform === "win32") return path.join(env["APPDATA"] ?? path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env["XDG_DATA_HOME"] ?? path.join(home, ".local", "share"), "jupyter");
}

/** The Python that has Jupyter: Debian's first (the first python3 on PATH may lack it). */
export function jupyterPythonPrefix(): string {
  for (const python of ["/usr/bin/python3", "python3", "python"]) {
    const run = spawnSync(python, ["-c", "import sys, jupyter_client; print(sys.prefix)"], { encoding: "utf8" });
    if (run.status === 0 && run.stdout.trim() !== "") return run.stdout.trim();
  }
  throw new Error("--sys-prefix: no Python with jupyter_client found (tried /usr/bin/python3, python3, python); install Jupyter or use --user / --prefix DIR");
}

export function kernelsDir(target: InstallTarget): string {
  switch (target.kind) {
    case "user":
      return path.join(userDataDir(), "kernels");
    case "prefix":
      return path.join(path.resolve(target.prefix), "share", "jupyter", "kernels");
    case "sys-prefix":
      return path.join(jupyterPythonPrefix(), "share", "jupyter", "kernels");
    case "data-dir":
      return path.join(path.resolve(target.dir), "kernels");
  }
}

export function kernelJson(options: KernelspecOptions = {}): KernelJson {
  const script = options.kernelScript ?? path.join(packageRoot(), "dist", "kernel", "main.js");
  const json: KernelJson = {
    // Absolute paths: Jupyter may start the kernel from any directory, with any PATH. The flag
    // lets an interrupt stop code that never yields (stuck-main-thread.ts).
    argv: [process.execPath, ASYNC_HOOKS_FLAG, path.resolve(script), "{connection_file}"],
    display_name: options.displayName ?? DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: options.interruptMode ?? "message",
    metadata: {},
  };
  if (options.env && Object.keys(options.env).length > 0) json.env = options.env;
  return json;
}

/**
 * Writes kernel.json, the logos and what Notebook 6's page loads with the kernel (kernel.js,
 * kernel.css and plotly.js: notebook-frontend.ts) into `<kernelsDir>/<name>`; returns that directory.
 */
export function writeKernelspec(kernelsDirectory: string, options: KernelspecOptions = {}): string {
  const dir = path.join(kernelsDirectory, options.name ?? KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "kernel.json"), `${JSON.stringify(kernelJson(options), null, 2)}\n`);
  writeFileSync(path.join(dir, "logo-32x32.png"), drawLogo(32));
  writeFileSync(path.join(dir, "logo-64x64.png"), drawLogo(64));
  writeFileSync(path.join(dir, "kernel.js"), kernelJs());
  writeFileSync(path.join(dir, "kernel.css"), kernelCss());
  copyFileSync(plotlyLibraryInfo().path, path.join(dir, KERNELSPEC_PLOTLY_FILE));
  return dir;
}

export function installKernelspec(target: InstallTarget, options: KernelspecOptions = {}): string {
  return writeKernelspec(kernelsDir(target), options);
}
