/**
 * The output-size rule of a convolution or pooling window, as the lecture
 * writes it: (N - F + 2P)/S + 1 for an N-wide input, F-wide filter, padding P
 * and stride S. When the division is not exact the filter does not fit
 * evenly, and the result says so in the lecture's words:
 *   "(7 - 3)/3 + 1 = 2.33 is not a whole number".
 */

export type OutputSize =
  | { ok: true; size: number; formula: string }
  | { ok: false; value: number; formula: string; message: string };

/** The formula as printed, e.g. "(7 - 3)/3 + 1" or "(7 - 3 + 2*1)/1 + 1". */
export function outputSizeFormula(n: number, f: number, stride: number, pad: number): string {
  const padding = pad === 0 ? "" : ` + 2*${pad}`;
  return `(${n} - ${f}${padding})/${stride} + 1`;
}

/** At most two decimals, as the slides print 2.33 (4.5 stays 4.5). */
function formatNumber(x: number): string {
  return String(Number(x.toFixed(2)));
}

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
  if (!Number.isInteger(value)) {
    return { ok: false, value, formula, message: `${formula} = ${formatNumber(value)} is not a whole number` };
  }
  return { ok: true, size: value, formula };
}

/** The size, or an Error carrying the lecture's message (`where` names the caller). */
export function requireOutputSize(n: number, f: number, stride: number, pad: number, where: string): number {
  const result = outputSize(n, f, stride, pad);
  if (!result.ok) throw new Error(`${where}: ${result.message}; change the stride or the padding`);
  return result.size;
}
