/**
 * The output-size rule of a convolution or pooling window, as the lecture
 * writes it: (N - F + 2P)/S + 1 for an N-wide input, F-wide filter, padding P
 * and stride S. When the division is not exact the filter does not fit
 * evenly, and the result says so in the lecture's words:
 *   "(7 - 3)/3 + 1 = 2.33 is not a whole number".
 */

import { axisOutput, outputSizeFormula } from "../layers/output-size.js";

// One source for the formula and its message: the checker's (src/layers/output-size.ts).
export { outputSizeFormula };

export type OutputSize =
  | { ok: true; size: number; formula: string }
  | { ok: false; value: number; formula: string; message: string };

export function outputSize(n: number, f: number, stride = 1, pad = 0): OutputSize {
  for (const [name, value, min] of [["N", n, 1], ["F", f, 1], ["stride", stride, 1], ["pad", pad, 0]] as const) {
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`outputSize: ${name} must be an integer >= ${min}, got ${value}`);
    }
  }
  const formula = outputSizeFormula(n, f, stride, pad);
  const value = (n - f + 2 * pad) / stride + 1;
  if (f > n + 2 * pad) {
    return {
      ok: false,
      value,
      formula,
      message: `the ${f}-wide filter is larger than the ${n + 2 * pad}-wide padded input (${n} + 2*${pad})`,
    };
  }
  const checked = axisOutput({ input: n, extent: f, stride }, { mode: "explicit", pad: [pad], rounding: "exact" }, 0);
  return checked.ok ? { ok: true, size: checked.output, formula } : { ok: false, value, formula, message: checked.message };
}

/** The size, or an Error carrying the lecture's message (`where` names the caller). */
export function requireOutputSize(n: number, f: number, stride: number, pad: number, where: string): number {
  const result = outputSize(n, f, stride, pad);
  if (!result.ok) throw new Error(`${where}: ${result.message}; change the stride or the padding`);
  return result.size;
}
