// Runs TypeScript cells with tslab's executor (compile with the previous cells'
// declarations, run in this process, keep top-level names) and gets back what
// tslab would only print: the value of the last expression, the thrown value,
// the compile diagnostics.
import type { CompletionInfo, Converter } from "tslab/dist/converter.js";
import type { ConsoleInterface, ConverterSet, Executor } from "tslab/dist/executor.js";
import type { CellCompletion } from "./cell-router.js";
import { codePointsToUtf16, utf16ToCodePoints } from "./code-points.js";
import { expandShorthandProperties } from "./shorthand.js";
import { type CellError, compileError, type CompileDiagnostic, exceptionError } from "./errors.js";
import type { IsCompleteReply } from "./messages.js";

type ConverterModule = typeof import("tslab/dist/converter.js");
type ExecutorModule = typeof import("tslab/dist/executor.js");
type InspectModule = typeof import("tslab/dist/inspect.js");
type TypeScriptModule = typeof import("@tslab/typescript-for-tslab");

export type RunOutcome =
  | { ok: true; hasValue: boolean; value: unknown; warnings: string[] }
  | { ok: false; error: CellError };

/** A TypeScript-typed value to add to the cells' scope (from a language cell). */
export interface TypedBinding {
  value: unknown;
  /** A TypeScript type expression, e.g. `string` or `import("convnote").Network`. */
  type: string;
}

const BINDINGS_KEY = Symbol.for("convnote.kernel.pendingBindings");
const DIAGNOSTIC_FORMAT = "%s%d:%d - %s"; // tslab's printDiagnostics

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** The declared type of a binding whose language handler gave none. */
export function inferredType(value: unknown): string {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
      return typeof value;
    default:
      return "any";
  }
}

interface Capture {
  diagnostics: CompileDiagnostic[];
  thrown: { value: unknown } | null;
  result: { value: unknown } | null;
}

export class TypeScriptCells {
  private executor: Executor | null = null;
  private tsModule: TypeScriptModule | null = null;
  private converterModule: ConverterModule | null = null;
  private printQuickInfo: InspectModule["printQuickInfo"] | null = null;
  private capture: Capture = { diagnostics: [], thrown: null, result: null };

  /**
   * @param onScript told true when a cell's synchronous code starts running (under
   *   vm's breakOnSigint) and false when it returns; the kernel uses it to know when
   *   an interrupt can land.
   */
  constructor(
    private readonly rootDir: string = process.cwd(),
    private readonly onScript: (inScript: boolean) => void = () => {},
  ) {}

  get warmed(): boolean {
    return this.executor !== null;
  }

  /**
   * Loads TypeScript and builds the compiler (about a second): done after the
   * kernel has answered its first kernel_info, or on first use.
   */
  warm(): Executor {
    if (this.executor) return this.executor;
    // Loaded lazily: requiring TypeScript alone takes a few hundred ms.
    const converterModule = require("tslab/dist/converter.js") as ConverterModule;
    const executorModule = require("tslab/dist/executor.js") as ExecutorModule;
    this.printQuickInfo = (require("tslab/dist/inspect.js") as InspectModule).printQuickInfo;
    this.tsModule = require("@tslab/typescript-for-tslab") as TypeScriptModule;
    this.watchScriptRuns();
    this.converterModule = converterModule;
    let node: Converter | null = null;
    let browser: Converter | null = null;
    const converters: ConverterSet = {
      get node() {
        return (node ??= converterModule.createConverter({ isJS: false, isBrowser: false }));
      },
      get browser() {
        return (browser ??= converterModule.createConverter({ isJS: false, isBrowser: true }));
      },
      close() {
        node?.close();
        browser?.close();
      },
    };
    void converters.node; // build the compiler now rather than in the first cell
    const sink: ConsoleInterface = {
      // tslab logs exactly one thing: the value of the cell's last expression.
      log: (value: unknown) => {
        this.capture.result = { value };
      },
      // ...and reports compile diagnostics and thrown values through error().
      error: (first: unknown, ...rest: unknown[]) => {
        if (first === DIAGNOSTIC_FORMAT && rest.length === 4) {
          const [file, line, column, message] = rest;
          this.capture.diagnostics.push({
            fileName: String(file).trim(),
            line: Number(line),
            column: Number(column),
            message: String(message),
          });
        } else {
          this.capture.thrown = { value: first };
        }
      },
    };
    this.executor = executorModule.createExecutor(this.rootDir, converters, sink);
    return this.executor;
  }

  /**
   * tslab runs each cell with `vm.runInThisContext(code, { breakOnSigint: true })`,
   * looked up on the vm module at call time; wrapping it reports when cell code runs.
   */
  private watchScriptRuns(): void {
    const vmModule = require("node:vm") as { runInThisContext: (code: string, options?: unknown) => unknown };
    const original = vmModule.runInThisContext;
    const marked = original as typeof original & { convnoteWatched?: boolean };
    if (marked.convnoteWatched) return;
    const onScript = this.onScript;
    const watched = function (this: unknown, code: string, options?: unknown): unknown {
      const cellRun = typeof options === "object" && options !== null && (options as { breakOnSigint?: unknown }).breakOnSigint === true;
      if (!cellRun) return original.call(this, code, options);
      onScript(true);
      try {
        return original.call(this, code, options);
      } finally {
        onScript(false);
      }
    };
    (watched as typeof watched & { convnoteWatched?: boolean }).convnoteWatched = true;
    vmModule.runInThisContext = watched;
  }

  async run(code: string): Promise<RunOutcome> {
    const executor = this.warm();
    this.capture = { diagnostics: [], thrown: null, result: null };
    let ok: boolean;
    try {
      ok = await executor.execute(expandShorthandProperties(code, this.tsModule!));
    } catch (error) {
      // tslab itself failed (not the user's code); still report it as the cell's error.
      return { ok: false, error: exceptionError(error) };
    }
    const { diagnostics, thrown, result } = this.capture;
    this.capture = { diagnostics: [], thrown: null, result: null };
    if (!ok) {
      if (diagnostics.length > 0) return { ok: false, error: compileError(code, diagnostics) };
      if (thrown) return { ok: false, error: exceptionError(thrown.value) };
      return { ok: false, error: { ename: "Error", evalue: "the cell failed", traceback: ["the cell failed"] } };
    }
    // A `/** @module name */` cell succeeds even with diagnostics: show them as warnings.
    const warnings = diagnostics.map((d) => `${d.fileName ? `${d.fileName} ` : ""}${d.line}:${d.column} - ${d.message}`);
    return { ok: true, hasValue: result !== null, value: result?.value, warnings };
  }

  /** Declares typed top-level constants holding the given values, as if a cell had. */
  async declare(bindings: Record<string, TypedBinding>): Promise<RunOutcome> {
    const names = Object.keys(bindings);
    if (names.length === 0) return { ok: true, hasValue: false, value: undefined, warnings: [] };
    for (const name of names) {
      if (!isIdentifier(name)) {
        return {
          ok: false,
          error: {
            ename: "BindingError",
            evalue: `'${name}' cannot be a TypeScript variable name`,
            traceback: [`BindingError: '${name}' cannot be a TypeScript variable name; use letters, digits, _ or $, not starting with a digit`],
          },
        };
      }
    }
    const globals = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
    const store = (globals[BINDINGS_KEY] ??= new Map<string, unknown>());
    for (const name of names) store.set(name, bindings[name]!.value);
    const lines = names.map(
      (name) =>
        `const ${name}: ${bindings[name]!.type} = (globalThis as any)[Symbol.for("convnote.kernel.pendingBindings")].get(${JSON.stringify(name)});`,
    );
    try {
      const outcome = await this.run(lines.join("\n"));
      if (!outcome.ok) {
        outcome.error.ename = "BindingError";
        outcome.error.traceback.unshift("BindingError: could not declare the cell's variables in TypeScript:");
      }
      return outcome;
    } finally {
      for (const name of names) store.delete(name);
    }
  }

  interrupt(): void {
    this.executor?.interrupt();
  }

  complete(code: string, cursorPos: number): CellCompletion {
    const executor = this.warm();
    const info: CompletionInfo = executor.complete(code, codePointsToUtf16(code, cursorPos));
    return {
      matches: info.candidates,
      cursorStart: utf16ToCodePoints(code, info.start),
      cursorEnd: utf16ToCodePoints(code, info.end),
    };
  }

  /** The type and documentation of the name under the cursor, or null. */
  inspect(code: string, cursorPos: number): string | null {
    const executor = this.warm();
    let pos = codePointsToUtf16(code, cursorPos);
    // Frontends send the position just after the name (`foo|`); step back into it.
    let info = executor.inspect(code, pos);
    if (!info && pos > 0) info = executor.inspect(code, --pos);
    if (!info || !this.printQuickInfo) return null;
    const text = this.printQuickInfo(info);
    return text === "" ? null : text;
  }

  isComplete(code: string): IsCompleteReply {
    this.warm();
    const ts = this.tsModule!;
    const source = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const diagnostics = (source as unknown as { parseDiagnostics?: { start: number; length: number; code: number; messageText: unknown }[] })
      .parseDiagnostics ?? [];
    if (diagnostics.length === 0) return { status: "complete" };
    // More input could fix only errors that sit at the very end, pointing at no token.
    const end = code.trimEnd().length;
    const UNTERMINATED_TEMPLATE = 1160;
    for (const d of diagnostics) {
      const atEnd = d.start >= end && d.length === 0;
      const asksForMore = typeof d.messageText === "string" && (d.messageText.endsWith(" expected.") || d.code === UNTERMINATED_TEMPLATE);
      if (!atEnd || !asksForMore) return { status: "invalid" };
    }
    // Two trailing newlines force the cell to run, as in tslab and IPython.
    if (/\n\s*\n\s*$/.test(code)) return { status: "complete" };
    const hint = this.converterModule!.isCompleteCode(code);
    return { status: "incomplete", indent: hint.indent ?? "" };
  }

  close(): void {
    this.executor?.close();
    this.executor = null;
  }
}
