// Shared test helpers: fixtures from test/fixtures (copied from the lecture cases), and checking
// a network with a readable failure when it does not check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic } from "../src/dsl/diagnostics.js";
import { checkNetwork } from "../src/shapes/check.js";
import type { CheckedNetwork } from "../src/shapes/network.js";

/** The repository root, from dist/test/ or test/. */
export const projectRoot = join(__dirname, __dirname.includes(`${join("dist", "test")}`) ? "../.." : "..");

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(projectRoot, "test", "fixtures", name), "utf8")) as T;
}

export function mustCheck(source: string): CheckedNetwork {
  const result = checkNetwork(source);
  if (!result.network) throw new Error(result.diagnostics.map((d) => formatDiagnostic(d, source)).join("\n"));
  return result.network;
}

export function rowNamed(network: CheckedNetwork, name: string) {
  const row = network.rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row ${name}; rows are ${network.rows.map((r) => r.name).join(" ")}`);
  return row;
}

/** Runs `run` with process.stdout/stderr captured: a command in-process, as its child process would print. */
export async function captureOutput(run: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await run();
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}
