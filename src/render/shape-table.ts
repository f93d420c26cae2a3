// The shape table of a checked network as a MIME bundle: the columns of summary-columns.ts as an
// HTML table, branches and skip blocks nested under their merge row, totals at the foot; the text
// form is `convnote summary`'s.
import type { CheckedNetwork, TableRow } from "../shapes/network.js";
import { escapeHtml } from "./html.js";
import { mimeBundle, type MimeBundle } from "./mime.js";
import { summaryCells, totalLines, type SummaryColumn, type SummaryPrintOptions } from "./summary-columns.js";
import { summaryText } from "./summary-text.js";
import { htmlTable, type CellInput } from "./table.js";

export interface ShapeTableOptions extends SummaryPrintOptions {
  title?: string;
}

/** Merge rows (add, concatenate) are shaded, as a fill a sanitizer keeps (table.ts). */
const MERGE_FILL = "#f3f6fa";

function cell(column: SummaryColumn, row: TableRow, text: string, first: boolean): CellInput {
  const merge = row.node.type !== "layer";
  const style = `padding:2px 6px;text-align:${column.align}${merge ? ";font-style:italic" : ""}`;
  const fill = merge ? { background: MERGE_FILL } : {};
  const indent = first && row.depth > 0 ? `<font color="#9999aa">${"│&nbsp;".repeat(row.depth)}</font>` : "";
  if (!column.code && indent === "") return { text, style, ...fill };
  const body = column.code && text !== "" ? `<code>${escapeHtml(text)}</code>` : escapeHtml(text);
  return { html: indent + body, style, ...fill };
}

export function shapeTableHtml(network: CheckedNetwork, options: ShapeTableOptions = {}): string {
  const { settings, columns, cells } = summaryCells(network, options);
  const table = htmlTable(
    cells.map((row, r) => row.map((text, c) => cell(columns[c]!, network.rows[r]!, text, c === 0))),
    {
      header: columns.map((c) => ({ text: c.header(settings), header: true, style: "padding:2px 6px;text-align:left;border-bottom:1px solid #999" })),
      style: "border-collapse:collapse;font-size:12px;font-family:sans-serif",
    },
  );
  const [first, ...rest] = totalLines(network, settings).map(escapeHtml);
  const totals = [`<b>${first!.replace(/^Total:/, "Total:</b>")}`, ...rest];
  const title = options.title ? `<div style="font-weight:bold;margin-bottom:4px">${escapeHtml(options.title)}</div>` : "";
  return `<div class="convnote-shape-table">${title}${table}<div style="font-size:12px;font-family:sans-serif;margin-top:4px">${totals.join("<br>")}</div></div>`;
}

export function renderShapeTable(network: CheckedNetwork, options: ShapeTableOptions = {}): MimeBundle {
  return mimeBundle(summaryText(network, options), { "text/html": shapeTableHtml(network, options) });
}
