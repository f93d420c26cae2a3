// TypeScript cells as one of the kernel's cell handlers: runs them with tslab's
// executor (typescript-cells.ts) and turns the last expression's value into the
// cell's execute_result.
import { inspect } from "node:util";
import { isRichDisplayable, type MimeBundle, prepareForDisplay, toMimeBundle } from "../src/notebook-api/display.js";
import type { CellCompletion, CellHandler, CellOutcome } from "./cell-router.js";
import { exceptionError } from "./errors.js";
import type { IsCompleteReply } from "./messages.js";
import type { TypeScriptCells } from "./typescript-cells.js";

/** The execute_result of a value: its own MIME bundle if its class has one, else inspect() text. */
export function valueBundle(value: unknown): CellOutcome {
  if (!isRichDisplayable(value)) return { ok: true, bundle: { "text/plain": inspect(value) } };
  try {
    return { ok: true, bundle: toMimeBundle(value) };
  } catch (error) {
    return { ok: false, error: exceptionError(error) };
  }
}

export class TypeScriptCellHandler implements CellHandler {
  readonly label = "TypeScript";

  /**
   * @param warmUp builds the compiler (and what goes with it) if not done yet.
   * @param warn shows a compile warning of a cell that ran (on stderr).
   */
  constructor(
    private readonly cells: TypeScriptCells,
    private readonly warmUp: () => void,
    private readonly warn: (text: string) => void,
  ) {}

  async execute(code: string): Promise<CellOutcome> {
    this.warmUp();
    const result = await this.cells.run(code);
    if (!result.ok) return result;
    for (const warning of result.warnings) this.warn(warning);
    if (!result.hasValue) return { ok: true, bundle: null };
    let value = result.value;
    try {
      // A promise as the cell's value (showFilters(...), evaluate(...)) shows what it resolves
      // to, as `await` would; the values a formatter reads are read asynchronously first, which
      // a GPU backend in Node (webgpu) needs.
      if (isThenable(value)) value = await value;
      await prepareForDisplay(value);
    } catch (error) {
      return { ok: false, error: exceptionError(error) };
    }
    return valueBundle(value);
  }

  isComplete(code: string): IsCompleteReply {
    return this.cells.isComplete(code);
  }

  complete(code: string, cursorPos: number): CellCompletion {
    return this.cells.complete(code, cursorPos);
  }

  inspect(code: string, cursorPos: number): MimeBundle | null {
    const text = this.cells.inspect(code, cursorPos);
    return text === null ? null : { "text/plain": text };
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}
