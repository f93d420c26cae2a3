// The shape table as Markdown, for the language reference: the same columns as `convnote summary`.
import type { CheckedNetwork } from "../shapes/network.js";
import { summaryCells, type SummaryPrintOptions } from "./summary-columns.js";

const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function summaryMarkdown(network: CheckedNetwork, options: SummaryPrintOptions = {}): string {
  const { settings, columns, cells } = summaryCells(network, options);
  const rows = cells.map((row, r) =>
    row.map((text, c) => (c === 0 ? "\u00a0\u00a0".repeat(network.rows[r]!.depth) : "") + (columns[c]!.code && text !== "" ? `\`${text}\`` : text)),
  );
  const header = columns.map((c) => c.header(settings));
  const rule = columns.map((c) => (c.align === "right" ? "---:" : "---"));
  return [header, rule, ...rows].map((r) => `| ${r.map(escape).join(" | ")} |`).join("\n");
}
