// The kernel's own diagnostics. They go straight to fd 2: process.stderr is
// captured into the notebook while the kernel runs (output-streams.ts).
import { writeSync } from "node:fs";

export function log(text: string, source = "kernel"): void {
  writeSync(2, `[convnote ${source}] ${text}\n`);
}

/** An error's stack (or message) for a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
