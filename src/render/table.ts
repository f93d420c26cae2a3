/** HTML and aligned plain-text tables, the building block of several renders. */

import { withDefaults } from "./options.js";
import { attributes, escapeHtml, type AttributeValue } from "./html.js";

export interface TableCell {
  /** Escaped on output. Ignored when `html` is given. */
  text?: string | number;
  /** Trusted, already-escaped HTML. */
  html?: string;
  header?: boolean;
  style?: string;
  /**
   * Fill and text colour, `#rrggbb`. Written as presentational HTML (`bgcolor`, `<font color>`)
   * as well as CSS: an untrusted notebook's sanitizer (Notebook 6) removes every style attribute
   * but keeps these, so the colours still show.
   */
  background?: string;
  color?: string;
  className?: string;
  colspan?: number;
  rowspan?: number;
  attrs?: Record<string, AttributeValue>;
}

export type CellInput = string | number | TableCell;

export interface HtmlTableOptions {
  header?: CellInput[];
  caption?: string;
  className?: string;
  style?: string;
  attrs?: Record<string, AttributeValue>;
  /** Style applied to every cell that sets none of its own. */
  cellStyle?: string;
}

export const HTML_TABLE_DEFAULTS: HtmlTableOptions = {
  cellStyle: "padding:2px 6px;text-align:right",
};

function toCell(input: CellInput): TableCell {
  return typeof input === "object" ? input : { text: input };
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** `#rrggbb` of an RGB triple (0-255 each). */
export function hexColor([r, g, b]: readonly [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0")).join("")}`;
}

function checkColor(color: string | undefined, what: string): void {
  if (color !== undefined && !HEX_COLOR.test(color)) throw new RangeError(`htmlTable: ${what} "${color}" must be written #rrggbb (HTML's bgcolor and <font color> take no other form)`);
}

function cellHtml(input: CellInput, defaultHeader: boolean, defaultStyle: string | undefined): string {
  const cell = toCell(input);
  checkColor(cell.background, "background");
  checkColor(cell.color, "color");
  const tag = cell.header ?? defaultHeader ? "th" : "td";
  const text = cell.html ?? escapeHtml(cell.text ?? "");
  const content = cell.color ? `<font color="${cell.color}">${text}</font>` : text;
  const colours = [cell.background ? `background:${cell.background}` : "", cell.color ? `color:${cell.color}` : ""].filter(Boolean).join(";");
  const style = [cell.style ?? defaultStyle, colours].filter(Boolean).join(";");
  const attrs = attributes({
    class: cell.className,
    style: style || undefined,
    bgcolor: cell.background,
    colspan: cell.colspan,
    rowspan: cell.rowspan,
    ...cell.attrs,
  });
  return `<${tag}${attrs}>${content}</${tag}>`;
}

/** A complete `<table>`; every piece of text is escaped unless passed as `html`. */
export function htmlTable(rows: CellInput[][], options: HtmlTableOptions = {}): string {
  const o = withDefaults(HTML_TABLE_DEFAULTS, options);
  const parts: string[] = [`<table${attributes({ class: o.className, style: o.style, ...o.attrs })}>`];
  if (o.caption !== undefined) parts.push(`<caption>${escapeHtml(o.caption)}</caption>`);
  if (o.header) parts.push(`<thead><tr>${o.header.map((c) => cellHtml(c, true, o.cellStyle)).join("")}</tr></thead>`);
  parts.push("<tbody>");
  for (const row of rows) parts.push(`<tr>${row.map((c) => cellHtml(c, false, o.cellStyle)).join("")}</tr>`);
  parts.push("</tbody></table>");
  return parts.join("");
}

export interface TextTableOptions {
  header?: string[];
  /** Per column; numbers default to right, text to left. */
  align?: ("left" | "right")[];
  /** Characters between columns. */
  gap?: number;
}

/** Monospace-aligned columns for `text/plain`, with a dashed rule under the header. */
export function textTable(rows: (string | number)[][], options: TextTableOptions = {}): string {
  const gap = " ".repeat(options.gap ?? 2);
  const all = (options.header ? [options.header, ...rows] : rows).map((r) => r.map((c) => String(c)));
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => (r[c] ?? "").length)));
  const numeric = Array.from({ length: columns }, (_, c) => rows.every((r) => r[c] === undefined || typeof r[c] === "number"));
  const align = (c: number): "left" | "right" => options.align?.[c] ?? (numeric[c] ? "right" : "left");
  const line = (r: string[]): string =>
    widths
      .map((w, c) => (align(c) === "right" ? (r[c] ?? "").padStart(w) : (r[c] ?? "").padEnd(w)))
      .join(gap)
      .trimEnd();
  const out = all.map(line);
  if (options.header) out.splice(1, 0, widths.map((w) => "-".repeat(w)).join(gap));
  return out.join("\n");
}
