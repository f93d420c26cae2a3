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

/** Characters of a long source line shown on each side of the place of an error. */
const CONTEXT = 60;
/** A word of a message longer than this (a 1 MB layer name) is shortened to its ends. */
const LONGEST_WORD = 80;

/**
 * `text` with one visible character for each character that would be invisible or would disturb a
 * terminal: control characters as their pictures (NUL as U+2400 '␀'), a tab as a space, C1 controls,
 * line separators and text-direction overrides as U+FFFD. One for one, so a caret stays under
 * its column.
 */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\t") return " ";
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? "\u2421" : "\ufffd";
  });
}

/** A message or hint fit to print: visible characters, and a very long word (an echoed token, without its quotes) shortened to its ends. */
export function visibleMessage(text: string): string {
  return visibleText(text).replace(new RegExp(`[^\\s'"]{${LONGEST_WORD + 1},}`, "g"), (word) => `${word.slice(0, 40)}…(${word.length} characters)…${word.slice(-20)}`);
}

/** Moves a cut at `at` off the middle of a surrogate pair (one emoji), towards `direction`. */
function cutAt(text: string, at: number, direction: -1 | 1): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff && at > 0 && at < text.length ? at + direction : at;
}

/**
 * The part of source line `text` to show under an error at 0-based `start` (`length` characters),
 * and where the caret goes in it: the whole line when short, else CONTEXT characters either side
 * of the place (the span itself cut to CONTEXT), with '…' where the line goes on.
 */
export function lineExcerpt(text: string, start: number, length: number): { text: string; caretStart: number; caretLength: number } {
  const shown = Math.max(1, Math.min(length, text.length - start));
  if (text.length <= 2 * CONTEXT + 40) return { text: visibleText(text), caretStart: start, caretLength: shown };
  const from = cutAt(text, Math.max(0, start - CONTEXT), -1);
  const spanEnd = start + Math.min(shown, CONTEXT);
  const to = cutAt(text, Math.min(text.length, spanEnd + CONTEXT), 1);
  const before = from > 0 ? "…" : "";
  const after = to < text.length ? "…" : "";
  return { text: `${before}${visibleText(text.slice(from, to))}${after}`, caretStart: before.length + start - from, caretLength: Math.max(1, Math.min(shown, to - start)) };
}

/** Line `line` (from 1) of `source`, without its line ending; "" past the end. */
function sourceLine(source: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const newline = source.indexOf("\n", start);
    if (newline < 0) return "";
    start = newline + 1;
  }
  const end = source.indexOf("\n", start);
  return source.slice(start, end < 0 ? source.length : end).replace(/\r$/, "");
}

/**
 * `file:line:col: message`, then the source line with a caret under the span, then the hint:
 *
 *     net:2:5: (7 - 3)/3 + 1 = 2.33 is not a whole number
 *       INPUT 7x7x3 CONV3-8/s3/p0
 *                   ^~~~~~~~~~~~~
 *       hint: use stride 1 or 2, or pad 1
 *
 * Whatever the input, the text stays printable and short: a long line is cut to the part around
 * the error, control characters show as pictures, an echoed 1 MB word is shortened.
 */
export function formatDiagnostic(d: Diagnostic, source: string, fileName = "net"): string {
  const shown = lineExcerpt(sourceLine(source, d.span.line), d.span.column - 1, d.span.length);
  const caret = " ".repeat(shown.caretStart) + "^" + "~".repeat(shown.caretLength - 1);
  const out = [`${fileName}:${d.span.line}:${d.span.column}: ${visibleMessage(d.message)}`, `  ${shown.text}`, `  ${caret}`];
  if (d.hint) out.push(`  hint: ${visibleMessage(d.hint)}`);
  return out.join("\n");
}

/** The message and hint on one line, as the notebook's error value shows them. */
export function diagnosticSummary(d: Diagnostic): string {
  return `${visibleMessage(d.message)}${d.hint ? ` (${visibleMessage(d.hint)})` : ""}`;
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
