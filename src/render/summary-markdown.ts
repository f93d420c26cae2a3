// The shape table as Markdown, for the language reference: the same columns as `convnote summary`.
import type { CheckedNetwork } from "../shapes/network.js";
import { columnsFor, SUMMARY_DEFAULTS, type ColumnId, type SummaryOptions } from "./summary-columns.js";

export interface SummaryMarkdownOptions extends Partial<SummaryOptions> {
  columns?: readonly ColumnId[];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function summaryMarkdown(network: CheckedNetwork, options: SummaryMarkdownOptions = {}): string {
  const settings = { ...SUMMARY_DEFAULTS, ...options };
  const columns = columnsFor(options.columns);
  const rows = network.rows.map((row) =>
    columns.map((column, i) => {
      const text = column.text(row, settings);
      const shown = column.code && text !== "" ? `\`${text}\`` : text;
      return i === 0 ? "\u00a0\u00a0".repeat(row.depth) + shown : shown;
    }),
  );
  const header = columns.map((c) => c.header(settings));
  const rule = columns.map((c) => (c.align === "right" ? "---:" : "---"));
  return [header, rule, ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}
