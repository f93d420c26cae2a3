/**
 * The naive convolution (plain loops) used by the demos, written for reading,
 * not speed. Layout as on the cs231n slides (channels first):
 *   input[c][row][col], filters[k][c][row][col], output[k][row][col].
 *
 * Like a CNN layer (and cs231n, and tf.conv2d) this is cross-correlation: the
 * filter is laid on the window as printed, not flipped. Each output value is
 * sum over c, i, j of window[c][i][j] * filter[k][c][i][j], plus bias[k].
 */

import { requireOutputSize } from "./output-size.js";

export type Matrix = number[][];
export type Volume = number[][][];

export interface ConvOptions {
  /** Step between windows, same along rows and columns. Default 1. */
  stride?: number;
  /** Zeros added on every side. Default 0. */
  pad?: number;
}

/** One multiplication inside a window. Coordinates are in the padded input. */
export interface ConvTerm {
  channel: number;
  row: number;
  col: number;
  input: number;
  weight: number;
  product: number;
}

/** How one output value came about. */
export interface ConvStep {
  /** Output cell: filter (output channel) k, row, col. */
  filter: number;
  row: number;
  col: number;
  /** The window in padded-input coordinates (top-left corner and size). */
  window: { top: number; left: number; height: number; width: number };
  terms: ConvTerm[];
  /** Sum of the products. */
  sum: number;
  bias: number;
  /** sum + bias, the output value. */
  value: number;
}

/** Arithmetic done, counted while computing. */
export interface OperationCount {
  multiplies: number;
  /** Additions summing the products, plus one per output when a bias is added. */
  additions: number;
  total: number;
}

export interface ConvTrace {
  output: Volume;
  /** The zero-padded input the windows were taken from. */
  padded: Volume;
  steps: ConvStep[];
  operations: OperationCount;
}

/** Shape [C, H, W] of a volume, checking that it is rectangular. */
export function volumeShape(v: Volume, what = "volume"): [number, number, number] {
  const c = v.length;
  const h = v[0]?.length ?? 0;
  const w = v[0]?.[0]?.length ?? 0;
  if (c === 0 || h === 0 || w === 0) throw new Error(`${what}: must be a non-empty [channels][rows][cols] array`);
  v.forEach((plane, ci) => {
    if (plane.length !== h) throw new Error(`${what}: channel ${ci} has ${plane.length} rows, channel 0 has ${h}`);
    plane.forEach((row, ri) => {
      if (row.length !== w) throw new Error(`${what}: channel ${ci} row ${ri} has ${row.length} values, expected ${w}`);
    });
  });
  return [c, h, w];
}

/** Adds `pad` zeros on all four sides of every channel. */
export function padInput(input: Volume, pad: number): Volume {
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`padInput: pad must be an integer >= 0, got ${pad}`);
  const [, , w] = volumeShape(input, "padInput input");
  const zeroRow = (): number[] => new Array<number>(w + 2 * pad).fill(0);
  return input.map((plane) => [
    ...Array.from({ length: pad }, zeroRow),
    ...plane.map((row) => [...new Array<number>(pad).fill(0), ...row, ...new Array<number>(pad).fill(0)]),
    ...Array.from({ length: pad }, zeroRow),
  ]);
}

export function conv2d(input: Volume, filters: Volume[], biases: number[] | null, options?: ConvOptions): Volume;
export function conv2d(
  input: Volume,
  filters: Volume[],
  biases: number[] | null,
  options: ConvOptions & { trace: true },
): ConvTrace;
/**
 * Convolves a [C][H][W] input with K filters [K][C][FH][FW] and adds one bias
 * per filter (null = no bias). Returns [K][H'][W'] with
 * H' = (H - FH + 2*pad)/stride + 1, or, with `trace: true`, the output plus
 * every step and the operation count. Throws when the windows do not fit
 * evenly, with the lecture's "... is not a whole number" message.
 */
export function conv2d(
  input: Volume,
  filters: Volume[],
  biases: number[] | null,
  options: ConvOptions & { trace?: boolean } = {},
): Volume | ConvTrace {
  const stride = options.stride ?? 1;
  const pad = options.pad ?? 0;
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`conv2d: stride must be an integer >= 1, got ${stride}`);
  const [c, h, w] = volumeShape(input, "conv2d input");
  if (filters.length === 0) throw new Error("conv2d: need at least one filter");
  const [fc, fh, fw] = volumeShape(filters[0] as Volume, "conv2d filter 0");
  filters.forEach((f, k) => {
    const [kc, kh, kw] = volumeShape(f, `conv2d filter ${k}`);
    if (kc !== c) throw new Error(`conv2d: filter ${k} has ${kc} channels but the input has ${c}; they must match`);
    if (kh !== fh || kw !== fw) throw new Error(`conv2d: filter ${k} is ${kh}x${kw}, filter 0 is ${fh}x${fw}; all must match`);
  });
  if (fc !== c) throw new Error(`conv2d: filters have ${fc} channels but the input has ${c}; they must match`);
  if (biases !== null && biases.length !== filters.length) {
    throw new Error(`conv2d: ${filters.length} filters need ${filters.length} biases, got ${biases.length}`);
  }
  const outH = requireOutputSize(h, fh, stride, pad, "conv2d (rows)");
  const outW = requireOutputSize(w, fw, stride, pad, "conv2d (columns)");

  const padded = padInput(input, pad);
  const trace = options.trace === true;
  const steps: ConvStep[] = [];
  let multiplies = 0;
  let additions = 0;

  const output: Volume = filters.map((filter, k) => {
    const bias = biases === null ? 0 : (biases[k] as number);
    const map: Matrix = [];
    for (let row = 0; row < outH; row++) {
      const outRow: number[] = [];
      for (let col = 0; col < outW; col++) {
        const top = row * stride;
        const left = col * stride;
        const terms: ConvTerm[] = [];
        let sum = 0;
        let first = true;
        for (let ch = 0; ch < c; ch++) {
          for (let i = 0; i < fh; i++) {
            for (let j = 0; j < fw; j++) {
              const x = (padded[ch] as Matrix)[top + i]?.[left + j] as number;
              const weight = ((filter[ch] as Matrix)[i] as number[])[j] as number;
              const product = x * weight;
              multiplies++;
              if (first) first = false;
              else additions++;
              sum += product;
              if (trace) terms.push({ channel: ch, row: top + i, col: left + j, input: x, weight, product });
            }
          }
        }
        if (biases !== null) additions++;
        const value = sum + bias;
        outRow.push(value);
        if (trace) {
          steps.push({ filter: k, row, col, window: { top, left, height: fh, width: fw }, terms, sum, bias, value });
        }
      }
      map.push(outRow);
    }
    return map;
  });

  if (!trace) return output;
  return { output, padded, steps, operations: { multiplies, additions, total: multiplies + additions } };
}

/**
 * One step as text for a demo, e.g.
 * "out[0][0][0] = 0*1 + 0*1 + ... + 1*-1 = 3; 3 + 1 (bias) = 4".
 */
export function formatStep(step: ConvStep): string {
  const products = step.terms.map((t) => `${t.input}*${t.weight}`).join(" + ");
  return `out[${step.filter}][${step.row}][${step.col}] = ${products} = ${step.sum}; ${step.sum} + ${step.bias} (bias) = ${step.value}`;
}
