// The stable JSON form of a checked network, printed by `convnote summary --json`: per layer, the
// keys its columns give (src/render/summary-columns.ts), and the totals. Scripts depend on these
// exact keys; extend only by adding keys, never by renaming or removing one.
import type { CheckedNetwork } from "../shapes/network.js";
import { orNull, summaryColumns } from "./summary-columns.js";

export interface SummaryJsonLayer {
  name: string;
  kind: string;
  /** [h, w, c], [length, c] or [n]; null for a size not known (INPUT ?x?x3). */
  outputShape: (number | null)[];
  weights: number;
  biases: number;
  params: number;
  trainable: number;
  memory: number | null;
  macs: number | null;
  /** A number when all spatial axes agree, else one entry per axis. */
  receptiveField: { size: number | number[]; jump: number | number[]; whole?: true };
}

export interface SummaryJson {
  layers: SummaryJsonLayer[];
  totals: { params: number; trainableParams: number; nonTrainableParams: number; memory: number | null; memoryBytes: number | null; macs: number | null };
}

export function summaryJson(network: CheckedNetwork): SummaryJson {
  const t = network.totals;
  return {
    layers: network.rows.map((row) => Object.assign({}, ...summaryColumns.map((column) => column.json?.(row) ?? {})) as SummaryJsonLayer),
    totals: { params: t.params, trainableParams: t.trainableParams, nonTrainableParams: t.nonTrainableParams, memory: orNull(t.memory), memoryBytes: orNull(t.memoryBytes), macs: orNull(t.macs) },
  };
}
