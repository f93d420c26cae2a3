// Heap a `%%net` cell leaves behind in the kernel: the cell runs through the kernel's own %%net
// handler, and what the kernel keeps of its result (the bound Network, the history's text/plain,
// the error) is kept. Prints MB of heap after a full GC, before and after, for a 1 MB cell that
// checks (long-form layers) and one that is refused (too many layers).
//
//   node dist/bench/net-cell-memory.js
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { LanguageCellResult } from "../kernel/language-cells.js";
import { createNetCellHandler } from "../kernel/net-cells.js";

/** A full collection; --expose-gc is turned on here when node was started without it. */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  (runInNewContext("gc") as () => void)();
}

export function heapMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** About `bytes` of a network that checks: long-form convolutions and activations, one a line. */
export function bigCheckingCell(bytes: number): string {
  const lines = ["%%net big", "INPUT 32x32x3"];
  let size = lines.join("\n").length;
  for (let i = 0; size < bytes; i++) {
    const line = i % 2 === 0 ? "CONV(filters=16, size=3, stride=1, pad=1)" : "BN RELU   # batch norm, then ReLU";
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

/** About `bytes` of short layers: more than the 50,000 a network may unroll to, so it is refused. */
export function bigRefusedCell(bytes: number): string {
  return `%%net refused\nINPUT 32x32x3 ${"CONV3-16 RELU ".repeat(Math.ceil(bytes / 14))}`;
}

/** What the kernel keeps of a %%net cell once its output is sent: the binding, the history's text/plain, the error. */
export interface KeptOfCell {
  bindings: LanguageCellResult["bindings"];
  text: string | undefined;
  error: LanguageCellResult["error"];
}

/** MB of heap held after running `cell` and keeping what the kernel keeps of it (the cell's text is the caller's). */
export function retainedMb(cell: string): { mb: number; kept: KeptOfCell } {
  const handler = createNetCellHandler();
  const before = heapMb();
  // In a function of its own, so that the sent output (the HTML table and diagram) is garbage when measured.
  const run = (): KeptOfCell => {
    const result = handler.execute(cell);
    return { bindings: result.bindings, text: result.bundle?.["text/plain"], error: result.error };
  };
  const kept = run();
  return { mb: heapMb() - before, kept };
}

if (require.main === module) {
  for (const [name, cell] of [["1 MB cell that checks", bigCheckingCell(1 << 20)], ["1 MB cell refused (too many layers)", bigRefusedCell(1 << 20)]] as const) {
    const { mb, kept } = retainedMb(cell);
    console.log(`${name}: ${(cell.length / 2 ** 20).toFixed(2)} MB of text, ${mb.toFixed(1)} MB of heap kept after GC (${(kept.error?.evalue ?? "checked").slice(0, 80)})`);
  }
}
