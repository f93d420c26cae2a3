// Every cell goes to one handler, chosen once here: a cell whose first line starts
// with `%%NAME` goes to the handler for NAME, any other cell to TypeScript. Running,
// is_complete, completion and inspection all ask the router, so they always agree.
import type { MimeBundle } from "../src/notebook-api/display.js";
import type { CellError } from "./errors.js";
import type { IsCompleteReply } from "./messages.js";

export type CellOutcome = { ok: true; bundle: MimeBundle | null } | { ok: false; error: CellError };

export interface CellCompletion {
  matches: string[];
  /** Code points, as the protocol counts them. */
  cursorStart: number;
  cursorEnd: number;
}

/** One kind of cell. Positions are in code points, as the protocol counts them. */
export interface CellHandler {
  /** Names the kind of cell in logs: "TypeScript", "%%net". */
  readonly label: string;
  execute(code: string): Promise<CellOutcome>;
  isComplete(code: string): IsCompleteReply;
  complete(code: string, cursorPos: number): CellCompletion;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): MimeBundle | null;
}

/** The magic name of a `%%NAME ...` cell (leading blank lines allowed), or null for a TypeScript cell. */
export function cellMagic(code: string): string | null {
  const match = /^\s*%%([A-Za-z_][\w-]*)/.exec(code);
  return match ? match[1]! : null;
}

/** A `%%NAME` cell no handler serves: running it says which magics exist. */
class UnknownMagic implements CellHandler {
  readonly label: string;

  constructor(
    private readonly magic: string,
    private readonly known: readonly string[],
  ) {
    this.label = `%%${magic}`;
  }

  execute(): Promise<CellOutcome> {
    const known = this.known.map((m) => `%%${m}`);
    const hint = known.length > 0 ? `this kernel understands ${known.join(", ")}` : "no language cells are plugged into this kernel";
    const evalue = `unknown cell magic %%${this.magic}: ${hint}`;
    return Promise.resolve({ ok: false, error: { ename: "UnknownCellMagic", evalue, traceback: [`UnknownCellMagic: ${evalue}`] } });
  }

  isComplete(): IsCompleteReply {
    return { status: "invalid" };
  }

  complete(_code: string, cursorPos: number): CellCompletion {
    return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
  }

  inspect(): null {
    return null;
  }
}

export class CellRouter {
  constructor(
    private readonly typescript: CellHandler,
    private readonly magics: Readonly<Record<string, CellHandler>>,
  ) {}

  route(code: string): CellHandler {
    const magic = cellMagic(code);
    if (magic === null) return this.typescript;
    return Object.prototype.hasOwnProperty.call(this.magics, magic) ? this.magics[magic]! : new UnknownMagic(magic, Object.keys(this.magics));
  }
}
