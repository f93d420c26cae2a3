// Diagnostics are values: a code, a span, a message in the lecture's words, and a hint that names
// the fix. Nothing in the language throws strings; the public entry points collect diagnostics and
// callers decide whether to print them or raise a ConvNoteError.
import type { Span } from "./span.js";

export type DiagnosticCode =
  | "syntax"
  | "unknown-layer"
  | "unknown-argument"
  | "bad-argument"
  | "missing-input"
  | "misplaced-input"
  | "misplaced-layer"
  | "size-not-whole"
  | "size-too-small"
  | "shape-mismatch"
  | "wrong-rank"
  | "unknown-block"
  | "bad-call"
  | "recursion"
  | "too-large";

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  span: Span;
  hint?: string;
}

export function diagnostic(code: DiagnosticCode, span: Span, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { code, span, message } : { code, span, message, hint };
}

/**
 * `file:line:col: message`, then the source line with a caret under the span, then the hint:
 *
 *     net:2:5: (7 - 3)/3 + 1 = 2.33 is not a whole number
 *       INPUT 7x7x3 CONV3-8/s3/p0
 *                   ^~~~~~~~~~~~~
 *       hint: use stride 1 or 2, or pad 1
 */
export function formatDiagnostic(d: Diagnostic, source: string, fileName = "net"): string {
  const lines = source.split("\n");
  const text = lines[d.span.line - 1] ?? "";
  const caretLength = Math.max(1, Math.min(d.span.length, text.length - d.span.column + 1));
  const caret = " ".repeat(d.span.column - 1) + "^" + "~".repeat(caretLength - 1);
  const out = [`${fileName}:${d.span.line}:${d.span.column}: ${d.message}`, `  ${text}`, `  ${caret}`];
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join("\n");
}

/** Raised by the convenience APIs (`net\`...\``, `checkNetwork` with `throwOnError`). */
export class ConvNoteError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly source: string,
    readonly fileName = "net",
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d, source, fileName)).join("\n"));
    this.name = "ConvNoteError";
  }
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidates to `word` (case-insensitive), best first, for a "did you mean" hint. */
export function closestNames(word: string, candidates: Iterable<string>, limit = 2): string[] {
  const upper = word.toUpperCase();
  const scored: { name: string; distance: number }[] = [];
  for (const name of candidates) {
    const distance = editDistance(upper, name.toUpperCase());
    if (distance <= Math.max(1, Math.floor(name.length / 3))) scored.push({ name, distance });
  }
  return scored.sort((x, y) => x.distance - y.distance).slice(0, limit).map((s) => s.name);
}
