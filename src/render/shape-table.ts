// The shape table of a checked network as a MIME bundle: the columns of summary-columns.ts as an
// HTML table, branches and skip blocks nested under their merge row, totals at the foot; the text
// form is `convnote summary`'s.
import type { CheckedNetwork, TableRow } from "../shapes/network.js";
import { escapeHtml } from "./html.js";
import { mimeBundle, type MimeBundle } from "./mime.js";
import { columnsFor, SUMMARY_DEFAULTS, totalLines, type ColumnId, type SummaryColumn, type SummaryOptions } from "./summary-columns.js";
import { summaryText } from "./summary-text.js";
import { htmlTable, type CellInput } from "./table.js";

export interface ShapeTableOptions extends Partial<SummaryOptions> {
  title?: string;
  /** Only these columns (all by default). */
  columns?: readonly ColumnId[];
}

const mergeStyle = "background:#f3f6fa;font-style:italic";

function cell(column: SummaryColumn, row: TableRow, options: SummaryOptions, first: boolean): CellInput {
  const text = column.text(row, options);
  const merge = row.node.type !== "layer" ? `;${mergeStyle}` : "";
  const style = `padding:2px 6px;text-align:${column.align}${merge}`;
  const indent = first && row.depth > 0 ? `<span style="color:#99a">${"│&nbsp;".repeat(row.depth)}</span>` : "";
  if (!column.code && indent === "") return { text, style };
  const body = column.code && text !== "" ? `<code>${escapeHtml(text)}</code>` : escapeHtml(text);
  return { html: indent + body, style };
}

export function shapeTableHtml(network: CheckedNetwork, options: ShapeTableOptions = {}): string {
  const settings = { ...SUMMARY_DEFAULTS, ...options };
  const columns = columnsFor(options.columns);
  const table = htmlTable(
    network.rows.map((row) => columns.map((column, i) => cell(column, row, settings, i === 0))),
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
