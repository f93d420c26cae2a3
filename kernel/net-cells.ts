// `%%net NAME` cells: the cell's text is a network in ConvNote's language. Running it checks it,
// shows the shape table and diagram, and binds NAME (a Network) for later TypeScript cells.
// Completion, inspection and is_complete come from src/completion.
import { diagnosticSummary, formatDiagnostic } from "../src/dsl/diagnostics.js";
import { completeNetwork, inspectNetwork, isNetworkComplete } from "../src/completion/index.js";
import { MIMEBUNDLE } from "../src/notebook-api/display.js";
import { Network } from "../src/notebook-api/network.js";
import { checkNetwork } from "../src/shapes/check.js";
import type { LanguageCellHandler, LanguageCellResult, MimeBundle } from "./language-cells.js";

const header = /^(\s*)%%net\b([^\n]*)/;

interface NetCell {
  /** The cell with its %%net line blanked, so offsets, lines and columns are the cell's own. */
  source: string;
  name?: string;
  nameError?: string;
}

function splitCell(cellText: string): NetCell {
  const match = header.exec(cellText);
  if (!match) return { source: cellText };
  const blanked = cellText.slice(0, match[1]!.length) + " ".repeat(match[0].length - match[1]!.length) + cellText.slice(match[0].length);
  const args = match[2]!.trim();
  if (args === "") return { source: blanked };
  if (!/^[A-Za-z_$][\w$]*$/.test(args)) return { source: blanked, nameError: `'%%net ${args}': the name must be one TypeScript identifier, e.g. %%net lenet` };
  return { source: blanked, name: args };
}

function failure(ename: string, evalue: string, traceback: string[]): LanguageCellResult {
  return { error: { ename, evalue, traceback } };
}

export function createNetCellHandler(): LanguageCellHandler {
  return {
    execute(cellText: string): LanguageCellResult {
      const cell = splitCell(cellText);
      if (cell.nameError) return failure("UsageError", cell.nameError, [`UsageError: ${cell.nameError}`]);
      try {
        const result = checkNetwork(cell.source);
        if (!result.network) {
          const traceback = result.diagnostics.map((d) => formatDiagnostic(d, cell.source, "cell"));
          return failure("ConvNoteError", diagnosticSummary(result.diagnostics[0]!), traceback);
        }
        const network = new Network(result.network, cell.name);
        const shown: LanguageCellResult = { bundle: network[MIMEBUNDLE]() };
        if (cell.name) shown.bindings = { [cell.name]: { value: network, type: 'import("convnote").Network' } };
        return shown;
      } catch (error) {
        // A bug in ConvNote, not in the cell: say so, keep the kernel alive.
        const message = error instanceof Error ? error.message : String(error);
        return failure("InternalError", message, [`InternalError: ${message}`, "This is a bug in ConvNote; please report it with the cell's text."]);
      }
    },
    complete(cellText: string, cursorPos: number) {
      const completion = completeNetwork(splitCell(cellText).source, cursorPos);
      return { matches: completion.matches, cursorStart: completion.cursorStart, cursorEnd: completion.cursorEnd };
    },
    inspect(cellText: string, cursorPos: number): MimeBundle | null {
      const found = inspectNetwork(splitCell(cellText).source, cursorPos);
      return found ? { "text/plain": found.plain, "text/markdown": found.markdown } : null;
    },
    isComplete(cellText: string) {
      return isNetworkComplete(splitCell(cellText).source);
    },
  };
}
