// The seam between the kernel and ConvNote's network language. A cell whose
// first line starts with `%%NAME` (e.g. `%%net vgg`) goes to the handler
// registered for NAME instead of to TypeScript.
import type { MimeBundle } from "../src/notebook-api/display.js";

export type { MimeBundle };

/** A value a language cell adds to the TypeScript scope. */
export interface LanguageBinding {
  value: unknown;
  /**
   * The TypeScript type later cells see, as a type expression evaluated in the
   * notebook, e.g. `import("convnote").CheckedNetwork`. Without it the kernel
   * uses the primitive type of the value (string, number, boolean, bigint) or `any`.
   */
  type?: string;
}

export interface LanguageCellResult {
  /** Shown as the cell's execute_result (must contain text/plain). */
  bundle?: MimeBundle;
  /** Names to define for later TypeScript cells: NAME -> value (and type). */
  bindings?: Record<string, LanguageBinding>;
  /** The cell failed; the traceback is already formatted (source line, caret, hint). */
  error?: { ename: string; evalue: string; traceback: string[] };
}

export interface LanguageCompletion {
  matches: string[];
  /** Offsets into the cell text (UTF-16 units, as JavaScript strings count). */
  cursorStart: number;
  cursorEnd: number;
}

export interface LanguageCellHandler {
  /** Runs a cell whose first line starts with %%; must never throw. */
  execute(cellText: string): LanguageCellResult;
  complete(cellText: string, cursorPos: number): LanguageCompletion;
  inspect(cellText: string, cursorPos: number, detailLevel: number): MimeBundle | null;
  isComplete(cellText: string): "complete" | "incomplete" | "invalid";
}

/** Handlers by magic name: `{ net: handler }` serves `%%net ...` cells. */
export type LanguageCellHandlers = Readonly<Record<string, LanguageCellHandler>>;
