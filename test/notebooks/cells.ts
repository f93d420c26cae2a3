// Cells of a notebook by their id (nbformat 4.5), and what their outputs say: the plain text a
// reader sees in a terminal and the words and numbers of the HTML a reader sees in Jupyter.
import assert from "node:assert/strict";
import { joined, type Cell } from "./run-notebook.js";

export type IdentifiedCell = Cell & { id?: string };

/** The cell with this id; fails naming the ids there are. */
export function cellById(cells: readonly IdentifiedCell[], id: string): IdentifiedCell {
  const found = cells.filter((c) => c.id === id);
  assert.equal(found.length, 1, `one cell with id ${id}; the ids are ${cells.map((c) => c.id).join(" ")}`);
  return found[0]!;
}

/** text/plain and printed text of the cell's outputs. */
export const plainText = (cell: Cell): string => (cell.outputs ?? []).map((o) => joined(o.data?.["text/plain"]) + joined(o.text)).join("\n");

/** The HTML of the cell's outputs. */
export const htmlText = (cell: Cell): string => (cell.outputs ?? []).map((o) => joined(o.data?.["text/html"])).join("\n");

/** The HTML's text with tags, scripts and styles gone and entities spelt out, whitespace squeezed. */
export function htmlWords(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Everything the cell's outputs say, as text: the plain text, then the HTML's words. */
export const readable = (cell: Cell): string => `${plainText(cell)}\n${htmlWords(htmlText(cell))}`;

/** The lines of a text table (or printed text) whose first column is `first`. */
export function lineStarting(text: string, first: string): string {
  const line = text.split("\n").find((l) => l.trimStart().startsWith(first));
  assert.ok(line, `a line starting ${JSON.stringify(first)} in:\n${text}`);
  return line;
}
