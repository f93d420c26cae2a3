// The aligned text table of `convnote summary`, in the VGG slide's style:
//   CONV1  CONV3-64  RELU  [224x224x64]  params: (3*3*3)*64 + 64 = 1,792  memory: 224*224*64=3.2M ...
import type { CheckedNetwork } from "../shapes/network.js";
import { columnsFor, SUMMARY_DEFAULTS, totalLines, type ColumnId, type SummaryOptions } from "./summary-columns.js";

export interface SummaryTextOptions extends Partial<SummaryOptions> {
  /** Only these columns (all by default). */
  columns?: readonly ColumnId[];
}

export function summaryText(network: CheckedNetwork, options: SummaryTextOptions = {}): string {
  const settings = { ...SUMMARY_DEFAULTS, ...options };
  const columns = columnsFor(options.columns);
  const table = network.rows.map((row) =>
    columns.map((column, i) => {
      const text = column.text(row, settings);
      const indented = i === 0 ? "  ".repeat(row.depth) + text : text;
      return column.key ? `${column.key}: ${indented}` : indented;
    }),
  );
  const widths = columns.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const lines = table.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd());
  return [...lines, "", ...totalLines(network, settings)].join("\n");
}
