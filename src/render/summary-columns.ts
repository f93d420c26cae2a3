// The columns of the shape table, once, in the style of torchinfo's column settings: each has an
// id, a header and how to read it from a row. `convnote summary` (text), the notebook's HTML table,
// the reference's Markdown tables, Shift-Tab inspection and `convnote summary --json` are printers
// over this list; a new column is one entry here.
import { activationLabel, type ActivationSettings } from "../layers/activation.js";
import { formatShape } from "../layers/shape.js";
import type { CheckedNetwork, ReceptiveField, TableRow } from "../shapes/network.js";

/** Which parameters a table counts: the cs231n slide counts weights only; Keras and PyTorch count biases too. */
export type CountingConvention = "weights" | "all";

export interface SummaryOptions {
  convention: CountingConvention;
}

export const SUMMARY_DEFAULTS: SummaryOptions = { convention: "all" };

export type ColumnId = "name" | "written" | "then" | "output" | "params" | "memory" | "macs" | "receptiveField";

export interface SummaryColumn {
  id: ColumnId;
  header(options: SummaryOptions): string;
  /** The text table writes the cell as `key: value` (the VGG slide's `memory: ...  params: ...`). */
  key?: string;
  align: "left" | "right";
  /** Shown as code (the notation as written). */
  code?: boolean;
  text(row: TableRow, options: SummaryOptions): string;
  /** What the column gives each layer of `convnote summary --json`. Stable: keys are only ever added. */
  json?(row: TableRow): Record<string, unknown>;
}

/** An unknown size (INPUT ?x?x3) is NaN in the checked network, `?` in every table and null in JSON. */
const known = (n: number) => Number.isFinite(n);
export const orNull = (n: number): number | null => (known(n) ? n : null);

export function withCommas(n: number): string {
  return known(n) ? n.toLocaleString("en-US") : "?";
}

/** 150528 -> 150K, 3211264 -> 3.2M, 4096 -> 4096, as on the VGG slide. */
export function compact(n: number): string {
  if (!known(n)) return "?";
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

export function bytes(n: number): string {
  if (!known(n)) return "?";
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** `[224x224x64]`; `[?x?x64]` where the size is not known. */
export function shapeText(shape: readonly number[]): string {
  return `[${formatShape(shape)}]`;
}

/** `224*224*64=3.2M`, or `4096` for a vector. */
export function memoryFormula(row: TableRow): string {
  const shape = row.outputShape;
  if (shape.length === 1) return known(row.memory) ? String(row.memory) : "?";
  return `${shape.map((v) => (known(v) ? String(v) : "?")).join("*")}=${compact(row.memory)}`;
}

/**
 * `(3*3*3)*64 + 64 = 1,792` (all) or `(3*3*3)*64 = 1,728` (weights only): the kind's formula for
 * each part (src/layers), summed, and what it comes to.
 */
export function parameterFormula(row: TableRow, convention: CountingConvention): string {
  const counted = convention === "weights" ? row.weights : row.params;
  if (counted === 0) return "0";
  const formula = row.formula ?? {};
  const terms: string[] = [];
  if (row.weights !== 0) terms.push(formula.weights ?? withCommas(row.weights));
  if (convention === "all") {
    if (row.biases !== 0) terms.push(formula.biases ?? withCommas(row.biases));
    if (row.nonTrainable !== 0) terms.push(`${formula.nonTrainable ?? withCommas(row.nonTrainable)} non-trainable`);
  }
  const sum = terms.join(" + ");
  return sum === withCommas(counted) ? sum : `${sum} = ${withCommas(counted)}`;
}

const allSame = (values: readonly number[]) => values.every((v) => Object.is(v, values[0]));
const axes = (values: readonly number[]) => (allSame(values) ? withCommas(values[0]!) : values.map(withCommas).join("x"));

/**
 * `5 (jump 2)`, `3x5 (jump 1x2)` when the axes differ, `28 (whole input, jump 4)` once it covers
 * the input (it is capped there), `-` for a vector input (no spatial axes).
 */
export function receptiveFieldText(rf: ReceptiveField): string {
  return rf.size.length === 0 ? "-" : `${axes(rf.size)} (${rf.whole ? "whole input, " : ""}jump ${axes(rf.jump)})`;
}

/** `RELU`, `LRELU0.2`; nothing for none. */
export function activationText(activation: ActivationSettings | undefined): string {
  return activation && activation.fn !== "linear" ? activationLabel(activation) : "";
}

function collapse(values: readonly number[]): number | number[] {
  return allSame(values) ? values[0] ?? 1 : [...values];
}

export const summaryColumns: readonly SummaryColumn[] = [
  { id: "name", header: () => "layer", align: "left", text: (row) => row.name, json: (row) => ({ name: row.name }) },
  { id: "written", header: () => "written", align: "left", code: true, text: (row) => row.label, json: (row) => ({ kind: row.kind }) },
  { id: "then", header: () => "then", align: "left", text: (row) => activationText(row.activation) },
  { id: "output", header: () => "output", align: "right", text: (row) => shapeText(row.outputShape), json: (row) => ({ outputShape: row.outputShape.map(orNull) }) },
  {
    id: "params",
    header: (o) => (o.convention === "weights" ? "weights" : "parameters"),
    key: "params",
    align: "right",
    text: (row, o) => parameterFormula(row, o.convention),
    json: (row) => ({ weights: row.weights, biases: row.biases, params: row.params, trainable: row.trainable }),
  },
  { id: "memory", header: () => "memory (values)", key: "memory", align: "right", text: memoryFormula, json: (row) => ({ memory: orNull(row.memory) }) },
  { id: "macs", header: () => "multiply-adds", key: "MACs", align: "right", text: (row) => compact(row.macs), json: (row) => ({ macs: orNull(row.macs) }) },
  {
    id: "receptiveField",
    header: () => "receptive field",
    key: "RF",
    align: "right",
    text: (row) => receptiveFieldText(row.receptiveField),
    json: (row) => ({ receptiveField: { size: collapse(row.receptiveField.size), jump: collapse(row.receptiveField.jump), ...(row.receptiveField.whole && { whole: true }) } }),
  },
];

/** The columns with these ids, in the list's order (all of them by default). */
export function columnsFor(ids?: readonly ColumnId[]): readonly SummaryColumn[] {
  return ids ? summaryColumns.filter((c) => ids.includes(c.id)) : summaryColumns;
}

export interface SummaryPrintOptions extends Partial<SummaryOptions> {
  /** Only these columns (all by default). */
  columns?: readonly ColumnId[];
}

/** What a printer prints: the options with their defaults, the columns, and each row's cells as text. */
export function summaryCells(network: CheckedNetwork, options: SummaryPrintOptions): { settings: SummaryOptions; columns: readonly SummaryColumn[]; cells: string[][] } {
  const settings = { ...SUMMARY_DEFAULTS, ...options };
  const columns = columnsFor(options.columns);
  return { settings, columns, cells: network.rows.map((row) => columns.map((column) => column.text(row, settings))) };
}

/** The totals under the table: parameters, memory, multiply-adds; one wording for every printer. */
export function totalLines(network: CheckedNetwork, options: SummaryOptions): string[] {
  const t = network.totals;
  const counted =
    options.convention === "weights"
      ? `${withCommas(t.weights)} weights (biases not counted, as the cs231n table)`
      : `${withCommas(t.params)} parameters (${withCommas(t.trainableParams)} trainable, ${withCommas(t.nonTrainableParams)} non-trainable${t.auxiliaryParams > 0 ? `; ${withCommas(t.auxiliaryParams)} in auxiliary heads, trained and then dropped at inference` : ""})`;
  return [
    `Total: ${counted}`,
    `memory per image: ${withCommas(t.memory)} values = ${bytes(t.memoryBytes)} forward, about ${bytes(2 * t.memoryBytes)} forward + backward`,
    `${withCommas(t.macs)} multiply-adds (${compact(t.macs)}) per image; parameters take ${bytes(t.params * 4)} at float32`,
  ];
}
