// Small Markdown writers for the generated reference, and checked example blocks: every
// ```convnote block the reference shows is checked here while it is written, and again by a test
// that reads the committed file.
import { formatDiagnostic } from "../dsl/diagnostics.js";
import { checkNetwork } from "../shapes/check.js";
import type { CheckedNetwork, TableRow } from "../shapes/network.js";

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

function activationText(row: TableRow): string {
  const fn = row.activation?.fn;
  return fn === undefined || fn === "linear" ? "" : fn.toUpperCase() + (row.activation?.alpha !== undefined ? ` ${row.activation.alpha}` : "");
}

function axes(values: readonly number[]): string {
  if (values.length === 0) return "-";
  return values.every((v) => v === values[0]) ? `${values[0]}` : values.join("x");
}

/** The value of a product such as `(3*3*64)*64`, or NaN for anything else. */
function product(formula: string): number {
  if (!/^[\d*() ]+$/.test(formula)) return Number.NaN;
  return formula.replace(/[() ]/g, "").split("*").map(Number).reduce((a, b) => a * b, 1);
}

/**
 * `36,928 = (3*3*64)*64 + 64` (weights as the slides count them, plus biases), or for batch norm
 * `256 = 2*64 + 128 non-trainable`. The formula is shown only for the count it multiplies out to.
 */
export function parameterText(row: TableRow): string {
  if (row.params === 0) return "0";
  const parts: string[] = [];
  const formula = row.formula?.weights;
  const value = formula === undefined ? Number.NaN : product(formula);
  if (value === row.weights) {
    parts.push(formula!);
    if (row.biases > 0) parts.push(count(row.biases));
  } else if (value === row.trainable) {
    parts.push(formula!);
  } else if (row.trainable > 0) {
    parts.push(count(row.trainable));
  }
  if (row.nonTrainable > 0) parts.push(`${count(row.nonTrainable)} non-trainable`);
  const sum = parts.join(" + ");
  return sum === count(row.params) ? sum : `${count(row.params)} = ${sum}`;
}

/** The checker's table: one row per layer and merge, as `convnote summary` prints it. */
export function shapeTable(network: CheckedNetwork): string {
  return table(
    ["layer", "written", "then", "output", "parameters", "receptive field"],
    network.rows.map((r) => [
      `${"\u00a0\u00a0".repeat(r.depth)}${r.name}`,
      code(r.label),
      activationText(r),
      r.outputShape.join("x"),
      parameterText(r),
      r.receptiveField.size.length === 0 ? "-" : `${axes(r.receptiveField.size)} (jump ${axes(r.receptiveField.jump)})`,
    ]),
  );
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
