// The stable JSON form of a checked network, printed by `convnote summary --json`. Scripts depend
// on these exact keys; extend only by adding keys, never by renaming or removing one.
import type { CheckedNetwork, ReceptiveField } from "./network.js";

export interface SummaryJsonLayer {
  name: string;
  kind: string;
  /** [h, w, c], [length, c] or [n]. */
  outputShape: number[];
  weights: number;
  biases: number;
  params: number;
  trainable: number;
  memory: number;
  macs: number;
  /** A number when all spatial axes agree, else one entry per axis. */
  receptiveField: { size: number | number[]; jump: number | number[] };
}

export interface SummaryJson {
  layers: SummaryJsonLayer[];
  totals: { params: number; trainableParams: number; nonTrainableParams: number; memory: number; memoryBytes: number; macs: number };
}

function collapse(values: number[]): number | number[] {
  return values.every((v) => v === values[0]) ? values[0] ?? 1 : values;
}

function receptiveFieldJson(rf: ReceptiveField): SummaryJsonLayer["receptiveField"] {
  return { size: collapse(rf.size), jump: collapse(rf.jump) };
}

export function summaryJson(network: CheckedNetwork): SummaryJson {
  return {
    layers: network.rows.map((row) => ({
      name: row.name,
      kind: row.kind,
      outputShape: [...row.outputShape],
      weights: row.weights,
      biases: row.biases,
      params: row.params,
      trainable: row.trainable,
      memory: row.memory,
      macs: row.macs,
      receptiveField: receptiveFieldJson(row.receptiveField),
    })),
    totals: {
      params: network.totals.params,
      trainableParams: network.totals.trainableParams,
      nonTrainableParams: network.totals.nonTrainableParams,
      memory: network.totals.memory,
      memoryBytes: network.totals.memoryBytes,
      macs: network.totals.macs,
    },
  };
}
