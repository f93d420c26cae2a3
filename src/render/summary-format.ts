// Numbers as the lecture slides write them, shared by the text table and the HTML shape table.
import type { ActivationSettings } from "../layers/activation.js";
import { activationLabel } from "../layers/activation.js";
import type { TableRow } from "../shapes/network.js";

/** Which parameters a table counts: the cs231n slide counts weights only; Keras and PyTorch count biases too. */
export type CountingConvention = "weights" | "all";

export function withCommas(n: number): string {
  return n.toLocaleString("en-US");
}

/** 150528 -> 150K, 3211264 -> 3.2M, 4096 -> 4096, as on the VGG slide. */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join("x")}]`;
}

/** `224*224*64=3.2M`. */
export function memoryFormula(row: TableRow): string {
  const shape = row.outputShape;
  return shape.length === 1 ? String(row.memory) : `${shape.join("*")}=${compact(row.memory)}`;
}

/** `(3*3*3)*64 = 1,728` (weights) or `(3*3*3)*64 + 64 = 1,792` (all). */
export function paramsFormula(row: TableRow, convention: CountingConvention): string {
  const counted = convention === "weights" ? row.weights : row.params;
  if (counted === 0) return "0";
  if (row.kind === "batch-norm") {
    const c = row.outputShape[row.outputShape.length - 1]!;
    return convention === "weights" ? `${c} = ${withCommas(c)}` : `4*${c} = ${withCommas(counted)} (${withCommas(row.trainable)} trainable)`;
  }
  const formula = row.formula?.weights ?? withCommas(row.weights);
  if (convention === "weights" || row.biases === 0) return `${formula} = ${withCommas(counted)}`;
  return `${formula} + ${row.biases} = ${withCommas(counted)}`;
}

export function receptiveFieldText(row: TableRow): string {
  const { size, jump } = row.receptiveField;
  const axes = (v: number[]) => (v.every((x) => x === v[0]) ? String(v[0] ?? 1) : v.join("x"));
  return `${axes(size)} (jump ${axes(jump)})`;
}

export function activationText(activation: ActivationSettings | undefined): string {
  return activation ? activationLabel(activation) : "";
}
