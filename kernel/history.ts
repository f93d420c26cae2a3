// The session's input history, answering history_request (tail, range, search)
// the way IPython's history manager does for one session held in memory.
import type { HistoryEntry, HistoryRequest } from "./messages.js";

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
  query(request: HistoryRequest): HistoryEntry[] {
    const format = (e: Entry): HistoryEntry => [HISTORY_SESSION, e.line, request.output ? [e.input, e.output] : e.input];
    switch (request.hist_access_type) {
      case "tail":
        return (request.n === null ? this.entries : this.entries.slice(Math.max(0, this.entries.length - request.n))).map(format);
      case "range": {
        // 0 (or this session's number) is the current session; negative ones are earlier sessions, never kept.
        if (request.session !== 0 && request.session !== HISTORY_SESSION) return [];
        const { start, stop } = request;
        return this.entries.filter((e) => e.line >= start && (stop === null || e.line < stop)).map(format);
      }
      case "search": {
        const regexp = globToRegExp(request.pattern);
        let matches = this.entries.filter((e) => regexp.test(e.input));
        if (request.unique) {
          // Keep the latest occurrence of each input, in order.
          const seen = new Set<string>();
          matches = matches.reverse().filter((e) => (seen.has(e.input) ? false : (seen.add(e.input), true))).reverse();
        }
        if (request.n !== null) matches = matches.slice(Math.max(0, matches.length - request.n));
        return matches.map(format);
      }
    }
  }
}
