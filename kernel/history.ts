// The session's input history, answering history_request (tail, range, search)
// the way IPython's history manager does for one session held in memory.
import type { Json, JsonObject } from "./wire.js";

/** The session number this kernel reports; there are no earlier sessions on record. */
export const HISTORY_SESSION = 1;

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

/** IPython's search uses SQLite GLOB: `*` any run, `?` one character, `[...]` a class; whole-string match. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) source += "\\[";
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith("^")) body = `\\^${body.slice(1)}`;
        source += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export class History {
  private readonly entries: Entry[] = [];

  record(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** The text/plain of the line's execute_result, for requests with output: true. */
  setOutput(line: number, output: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.line === line) {
        entry.output = output;
        return;
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** The `history` list of a history_reply for the request's content. */
  query(request: JsonObject): Json[] {
    const output = request["output"] === true;
    const format = (e: Entry): Json => [HISTORY_SESSION, e.line, output ? [e.input, e.output] : e.input];
    const n = typeof request["n"] === "number" ? request["n"] : null;
    switch (request["hist_access_type"]) {
      case "tail":
        return (n === null ? this.entries : this.entries.slice(Math.max(0, this.entries.length - n))).map(format);
      case "range": {
        const session = typeof request["session"] === "number" ? request["session"] : 0;
        // 0 (or this session's number) is the current session; negative ones are earlier sessions, never kept.
        if (session !== 0 && session !== HISTORY_SESSION) return [];
        const start = typeof request["start"] === "number" ? request["start"] : 1;
        const stop = typeof request["stop"] === "number" ? request["stop"] : null;
        return this.entries.filter((e) => e.line >= start && (stop === null || e.line < stop)).map(format);
      }
      case "search": {
        const pattern = typeof request["pattern"] === "string" ? request["pattern"] : "*";
        const regexp = globToRegExp(pattern);
        let matches = this.entries.filter((e) => regexp.test(e.input));
        if (request["unique"] === true) {
          // Keep the latest occurrence of each input, in order.
          const seen = new Set<string>();
          matches = matches.reverse().filter((e) => (seen.has(e.input) ? false : (seen.add(e.input), true))).reverse();
        }
        if (n !== null) matches = matches.slice(Math.max(0, matches.length - n));
        return matches.map(format);
      }
      default:
        return [];
    }
  }
}
