// A language-cell plug-in (language-cells.ts) as one of the kernel's cell handlers:
// converts positions between the protocol's code points and the plug-in's UTF-16
// offsets, checks its bundles, and declares the names it binds for TypeScript.
import { normalizeBundle, type MimeBundle } from "../src/notebook-api/display.js";
import type { CellCompletion, CellHandler, CellOutcome } from "./cell-router.js";
import { codePointsToUtf16, utf16ToCodePoints } from "./code-points.js";
import { exceptionError } from "./errors.js";
import type { LanguageCellHandler, LanguageCellResult } from "./language-cells.js";
import type { IsCompleteReply } from "./messages.js";
import { inferredType, type RunOutcome, type TypedBinding } from "./typescript-cells.js";

/** Declares typed names in the TypeScript cells' scope (TypeScriptCells.declare). */
export type DeclareBindings = (bindings: Record<string, TypedBinding>) => Promise<RunOutcome>;

export class MagicCellHandler implements CellHandler {
  readonly label: string;

  constructor(
    magic: string,
    private readonly plugin: LanguageCellHandler,
    private readonly declare: DeclareBindings,
  ) {
    this.label = `%%${magic}`;
  }

  async execute(code: string): Promise<CellOutcome> {
    let result: LanguageCellResult;
    try {
      result = this.plugin.execute(code);
    } catch (error) {
      // The contract says execute never throws; if it does, show it like any cell error.
      return { ok: false, error: exceptionError(error) };
    }
    if (result.error) return { ok: false, error: result.error };
    if (result.bindings && Object.keys(result.bindings).length > 0) {
      const typed: Record<string, TypedBinding> = {};
      for (const [name, binding] of Object.entries(result.bindings)) {
        typed[name] = { value: binding.value, type: binding.type ?? inferredType(binding.value) };
      }
      const declared = await this.declare(typed);
      if (!declared.ok) return declared;
    }
    if (!result.bundle) return { ok: true, bundle: null };
    try {
      return { ok: true, bundle: normalizeBundle(result.bundle, `the ${this.label} handler's bundle`) };
    } catch (error) {
      return { ok: false, error: exceptionError(error) };
    }
  }

  isComplete(code: string): IsCompleteReply {
    const status = this.plugin.isComplete(code);
    return status === "incomplete" ? { status, indent: "" } : { status };
  }

  complete(code: string, cursorPos: number): CellCompletion {
    const result = this.plugin.complete(code, codePointsToUtf16(code, cursorPos));
    return { matches: result.matches, cursorStart: utf16ToCodePoints(code, result.cursorStart), cursorEnd: utf16ToCodePoints(code, result.cursorEnd) };
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): MimeBundle | null {
    const bundle = this.plugin.inspect(code, codePointsToUtf16(code, cursorPos), detailLevel);
    return bundle ? normalizeBundle(bundle, `the ${this.label} inspect bundle`) : null;
  }
}
