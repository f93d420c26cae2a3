// Turns what goes wrong in a cell into the ename/evalue/traceback triple of an
// `error` message: TypeScript diagnostics with the source line and a caret,
// exceptions with their stack trimmed to the user's frames.
import { inspect } from "node:util";

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CompileDiagnostic {
  /** Set when the diagnostic is in another file than the cell (e.g. an imported .ts file). */
  fileName: string;
  /** One-based. */
  line: number;
  /** One-based. */
  column: number;
  message: string;
}

/** The error of a cell stopped by an interrupt (no Python words: this is not a KeyboardInterrupt). */
export const INTERRUPT_ENAME = "Interrupted";

function caretLine(sourceLine: string, column: number): string {
  // Keep tabs so the caret lines up under tab-indented code.
  const lead = sourceLine.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, " ");
  return `${lead}^`;
}

export function compileError(source: string, diagnostics: readonly CompileDiagnostic[]): CellError {
  const lines = source.split("\n");
  const traceback: string[] = [];
  let lastPlace = "";
  for (const d of diagnostics) {
    const place = `${d.fileName}:${d.line}:${d.column}`;
    if (place === lastPlace) {
      // Follow-up messages of a diagnostic chain share its position.
      traceback.push(`    ${d.message}`);
      continue;
    }
    lastPlace = place;
    traceback.push(`${d.fileName ? `${d.fileName} ` : "cell "}line ${d.line}, column ${d.column}: ${d.message}`);
    const sourceLine = d.fileName ? undefined : lines[d.line - 1];
    if (sourceLine !== undefined) {
      traceback.push(`    ${sourceLine}`);
      traceback.push(`    ${caretLine(sourceLine, d.column)}`);
    }
  }
  const first = diagnostics[0];
  const count = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return {
    ename: "TypeScriptError",
    evalue: first ? `${first.message}${count}` : "the cell does not compile",
    traceback,
  };
}

/** Stack frames from the kernel, tslab and Node internals say nothing about the user's code. */
function isInternalFrame(line: string): boolean {
  return (
    /\(node:|at node:|\bnode:internal\b/.test(line) ||
    /[\\/]node_modules[\\/]tslab[\\/]/.test(line) ||
    /[\\/]dist[\\/]kernel[\\/]/.test(line)
  );
}

function isInterrupt(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  // The first is vm's breakOnSigint, the second tslab's asynchronous interrupt.
  return code === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || error.message === "Interrupted asynchronously";
}

export function interruptError(): CellError {
  const evalue = "the cell was stopped (Kernel > Interrupt); names it declared are not kept, those of earlier cells are";
  return { ename: INTERRUPT_ENAME, evalue, traceback: [`${INTERRUPT_ENAME}: ${evalue}`] };
}

export function exceptionError(thrown: unknown): CellError {
  if (isInterrupt(thrown)) return interruptError();
  if (!(thrown instanceof Error)) {
    const text = inspect(thrown, { depth: 4 });
    return { ename: "Uncaught", evalue: text, traceback: [`Uncaught ${text}`] };
  }
  const ename = thrown.name || thrown.constructor?.name || "Error";
  const evalue = thrown.message;
  const stack = typeof thrown.stack === "string" ? thrown.stack : `${ename}: ${evalue}`;
  const traceback: string[] = [];
  let lines = stack.split("\n");
  // vm prepends "file:line / source / caret / blank" to errors thrown by a script; that
  // is the compiled JavaScript, not the cell, so the header from the blank line on says more.
  if (/^evalmachine\.<anonymous>:\d+$/.test(lines[0] ?? "")) {
    const blank = lines.indexOf("");
    if (blank > 0) lines = lines.slice(blank + 1);
  }
  for (const line of lines) {
    if (/^\s+at /.test(line)) {
      if (isInternalFrame(line)) continue;
      // Cell code runs as "evalmachine.<anonymous>"; its numbers are those of the compiled JavaScript.
      traceback.push(line.replace(/evalmachine\.<anonymous>/g, "<cell>"));
    } else {
      traceback.push(line);
    }
  }
  const cause = (thrown as { cause?: unknown }).cause;
  if (cause !== undefined) {
    const inner = exceptionError(cause);
    traceback.push("Caused by:", ...inner.traceback.map((l) => `  ${l}`));
  }
  return { ename, evalue, traceback };
}
