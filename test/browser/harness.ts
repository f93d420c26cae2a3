// A student's browser on a class's Jupyter: Debian's Notebook 6 served on loopback from a
// throwaway Jupyter directory (the real ConvNote kernelspec, as `convnote kernel install` writes
// it), and Debian's Chromium, headless, driven by playwright-core. Nothing outside loopback is
// reached: Chromium's own background traffic is switched off and every other host fails to resolve.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { tempDir, testJupyterEnv } from "../kernel/jupyter-env.js";
import type { NotebookWindow, PageDocument } from "./page-globals.js";

// The page's globals, in the functions that run in the browser.
declare const window: NotebookWindow;
declare const document: PageDocument;

export const CHROMIUM = "/usr/bin/chromium";

/** Where screenshots go: CONVNOTE_SCREENSHOTS if set (to look at them), else a temporary folder. */
export const screenshotDir = (() => {
  const dir = process.env["CONVNOTE_SCREENSHOTS"] ? path.resolve(process.env["CONVNOTE_SCREENSHOTS"]) : tempDir("convnote-screenshots-");
  mkdirSync(dir, { recursive: true });
  return dir;
})();

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NotebookServer {
  url: string;
  /** The folder it serves. */
  dir: string;
  env: NodeJS.ProcessEnv;
  log: () => string;
  stop(): Promise<void>;
}

/** Debian's `jupyter notebook` on a free loopback port, serving `dir`, with no token (loopback only). */
export async function startNotebookServer(dir: string): Promise<NotebookServer> {
  const { env } = await testJupyterEnv();
  const port = await freePort();
  const args = ["notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", "--NotebookApp.token=", "--NotebookApp.password=", `--notebook-dir=${dir}`];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const child: ChildProcess = spawn("/usr/bin/jupyter", args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jupyter notebook exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/status`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error(`jupyter notebook did not answer on ${url} in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dir,
    env,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Opens a notebook of the server and waits until Notebook 6 has loaded it. */
export async function openNotebook(page: Page, server: NotebookServer, name: string): Promise<void> {
  await page.goto(`${server.url}/notebooks/${encodeURIComponent(name)}`);
  await page.waitForFunction(() => {
    return window.Jupyter?.notebook?._fully_loaded === true;
  }, null, { timeout: 60_000 });
}

/** Waits until the notebook's kernel is connected and idle. */
export async function kernelIdle(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => {
    return window.Jupyter?.notebook?.kernel?.is_connected() === true && document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon") === true;
  }, null, { timeout });
}

/** A notebook file with these code cells, in the ConvNote kernel. */
export function writeNotebook(file: string, cells: string[]): void {
  const nb = {
    cells: cells.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "ConvNote (TypeScript)", language: "typescript", name: "convnote" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(file, JSON.stringify(nb, null, 1));
}

export interface PixelStats {
  width: number;
  height: number;
  /** Pixels that are not near-white or near-grey: something coloured is drawn. */
  colourful: number;
  /** Pixels darker than light grey: lines, text. */
  dark: number;
  /** Pixels close to the colour. */
  near(rgb: [number, number, number], tolerance?: number): number;
}

/** Reads a PNG screenshot's pixels. */
export function pixelStats(png: Buffer): PixelStats {
  const image = PNG.sync.read(png);
  const { data, width, height } = image;
  let colourful = 0;
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colourful++;
    if (r + g + b < 3 * 160) dark++;
  }
  return {
    width,
    height,
    colourful,
    dark,
    near: ([r, g, b], tolerance = 30) => {
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - r) <= tolerance && Math.abs(data[i + 1]! - g) <= tolerance && Math.abs(data[i + 2]! - b) <= tolerance) n++;
      }
      return n;
    },
  };
}

/** Saves a screenshot under screenshotDir and returns its pixels. */
export function keepScreenshot(name: string, png: Buffer): PixelStats {
  writeFileSync(path.join(screenshotDir, name), png);
  return pixelStats(png);
}

export function assertShows(stats: PixelStats, what: string, min: { colourful?: number; dark?: number }): void {
  if (min.colourful !== undefined) assert.ok(stats.colourful >= min.colourful, `${what}: ${stats.colourful} coloured pixels of ${stats.width}x${stats.height}, expected ${min.colourful} or more`);
  if (min.dark !== undefined) assert.ok(stats.dark >= min.dark, `${what}: ${stats.dark} dark pixels of ${stats.width}x${stats.height}, expected ${min.dark} or more`);
}
