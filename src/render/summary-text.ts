// The aligned text table of `convnote summary`, in the VGG slide's style:
//   CONV1  CONV3-64  RELU  [224x224x64]  params: (3*3*3)*64 + 64 = 1,792  memory: 224*224*64=3.2M ...
import type { CheckedNetwork } from "../shapes/network.js";
import { summaryCells, totalLines, type SummaryPrintOptions } from "./summary-columns.js";

export type SummaryTextOptions = SummaryPrintOptions;

export function summaryText(network: CheckedNetwork, options: SummaryTextOptions = {}): string {
  const { settings, columns, cells } = summaryCells(network, options);
  const table = cells.map((row, r) => row.map((text, c) => (columns[c]!.key ? `${columns[c]!.key}: ` : "") + (c === 0 ? "  ".repeat(network.rows[r]!.depth) : "") + text));
  const widths = columns.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const lines = table.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd());
  return [...lines, "", ...totalLines(network, settings)].join("\n");
}
