// Small Markdown writers for the generated reference, and checked example blocks: every
// ```convnote block the reference shows is checked here while it is written, and again by a test
// that reads the committed file.
import { formatDiagnostic } from "../dsl/diagnostics.js";
import { checkNetwork } from "../shapes/check.js";
import { summaryMarkdown } from "../render/summary-markdown.js";
import type { CheckedNetwork } from "../shapes/network.js";

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [`| ${header.map(cell).join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
}

export const code = (text: string) => `\`${text}\``;

export function fence(language: string, text: string): string {
  return "```" + language + "\n" + text.replace(/\n+$/, "") + "\n```";
}

export const count = (n: number) => n.toLocaleString("en-US");

/** A checked network or an Error that shows the diagnostics: generation stops on a bad example. */
export function mustCheck(source: string): CheckedNetwork {
  const result = checkNetwork(source);
  if (!result.network) {
    throw new Error(`a reference example does not check:\n${result.diagnostics.map((d) => formatDiagnostic(d, source, "example")).join("\n")}`);
  }
  return result.network;
}

/** The checker's table, with the columns `convnote summary` prints. */
export function shapeTable(network: CheckedNetwork): string {
  return summaryMarkdown(network);
}

/** One line under an example: what it checks to. */
export function resultLine(network: CheckedNetwork): string {
  return `Checks: output ${code(network.outputShape.join("x"))}, ${count(network.totals.params)} parameters.`;
}

export interface ExampleOptions {
  /** Also show the checker's table. */
  table?: boolean;
}

/** A ```convnote block that must check, with its result (and table) computed now. */
export function example(source: string, options: ExampleOptions = {}): string {
  const network = mustCheck(source);
  const parts = [fence("convnote", source), resultLine(network)];
  if (options.table) parts.push(shapeTable(network));
  return parts.join("\n\n");
}

/** A block that must NOT check, with the diagnostic the checker gives, as a student sees it. */
export function errorExample(source: string): string {
  const result = checkNetwork(source);
  if (result.network) throw new Error(`a reference error example checks without diagnostics: ${source}`);
  return fence("text", [source, "", ...result.diagnostics.map((d) => formatDiagnostic(d, source))].join("\n"));
}
