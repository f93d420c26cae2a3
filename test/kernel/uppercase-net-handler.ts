// A tiny real language-cell handler for the kernel tests: `%%net NAME` cells
// upper-case their body, show it, and bind NAME (a string) and NAME_lines (a number).
// A `!` in the body is an error with a caret under it, as the real language reports.
import type { LanguageCellHandler, LanguageCellResult, LanguageCompletion, MimeBundle } from "../../kernel/language-cells.js";

const KEYWORDS = ["INPUT", "CONV", "POOL", "FC", "SOFTMAX"];

interface ParsedCell {
  name: string | undefined;
  body: string;
  bodyStart: number;
}

function parse(cellText: string): ParsedCell {
  const newline = cellText.indexOf("\n");
  const header = newline < 0 ? cellText : cellText.slice(0, newline);
  const name = header.trim().split(/\s+/)[1];
  const bodyStart = newline < 0 ? cellText.length : newline + 1;
  return { name, body: cellText.slice(bodyStart), bodyStart };
}

function wordAt(text: string, pos: number): { start: number; end: number; word: string } {
  let start = pos;
  while (start > 0 && /\w/.test(text[start - 1]!)) start--;
  let end = pos;
  while (end < text.length && /\w/.test(text[end]!)) end++;
  return { start, end, word: text.slice(start, end) };
}

export class UpperCaseNetHandler implements LanguageCellHandler {
  execute(cellText: string): LanguageCellResult {
    const { name, body } = parse(cellText);
    if (!name) {
      return {
        error: {
          ename: "NetSyntaxError",
          evalue: "%%net needs a NAME",
          traceback: ["line 1: %%net needs a NAME", `    ${cellText.split("\n")[0]}`, "         ^", "hint: write %%net NAME"],
        },
      };
    }
    const bang = body.indexOf("!");
    if (bang >= 0) {
      const lineIndex = body.slice(0, bang).split("\n").length - 1;
      const line = body.split("\n")[lineIndex]!;
      const column = bang - body.lastIndexOf("\n", bang - 1) - 1;
      return {
        error: {
          ename: "NetSyntaxError",
          evalue: `unexpected '!' on line ${lineIndex + 2}`,
          traceback: [`line ${lineIndex + 2}: unexpected '!'`, `    ${line}`, `    ${" ".repeat(column)}^`, "hint: remove the '!'"],
        },
      };
    }
    const upper = body.toUpperCase();
    return {
      bundle: { "text/plain": upper, "text/html": `<pre>${upper}</pre>` },
      bindings: {
        [name]: { value: upper, type: "string" },
        [`${name}_lines`]: { value: body.split("\n").length },
      },
    };
  }

  complete(cellText: string, cursorPos: number): LanguageCompletion {
    const { start, word } = wordAt(cellText, cursorPos);
    const prefix = cellText.slice(start, cursorPos).toUpperCase();
    const matches = KEYWORDS.filter((k) => k.startsWith(prefix));
    return { matches, cursorStart: start, cursorEnd: start + word.length };
  }

  inspect(cellText: string, cursorPos: number): MimeBundle | null {
    const { word } = wordAt(cellText, Math.max(0, cursorPos - (/\w/.test(cellText[cursorPos] ?? "") ? 0 : 1)));
    const keyword = word.toUpperCase();
    return KEYWORDS.includes(keyword) ? { "text/plain": `${keyword}: a test-language keyword` } : null;
  }

  isComplete(cellText: string): "complete" | "incomplete" | "invalid" {
    const { body } = parse(cellText);
    if (body.includes("!")) return "invalid";
    return body.trimEnd().endsWith("\\") ? "incomplete" : "complete";
  }
}
