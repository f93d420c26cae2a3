/**
 * A display range that ignores a few extreme values. An edge detector's response on a photo is
 * near zero almost everywhere with a handful of very strong pixels; stretching min..max would
 * leave every ordinary edge pale, so the range is cut at a quantile of the values instead.
 */

export interface QuantileRangeOptions {
  /**
   * true: [-m, m] with m the quantile of |value| (for signed responses shown on a diverging
   * map, zero stays white). false (default): [quantile 1 - q, quantile q] of the values.
   */
  symmetric?: boolean;
}

/** The value below which a fraction `q` of the sorted values lie (nearest rank). */
function quantileOfSorted(sorted: Float64Array, q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * The range holding the central fraction of the finite values, e.g. `quantileRange(v, 0.99)`
 * leaves out the top and bottom 1 %. Always a proper range: when the cut range is empty
 * (nearly constant data) it falls back to the data's min..max.
 */
export function quantileRange(values: ArrayLike<number>, q: number, options: QuantileRangeOptions = {}): [number, number] {
  if (!(q > 0.5 && q <= 1)) throw new RangeError(`quantileRange: q must lie in (0.5, 1], got ${q}; e.g. 0.99 leaves out the top 1 %`);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) finite.push(options.symmetric ? Math.abs(v) : v);
  }
  if (finite.length === 0) return [0, 0];
  const sorted = Float64Array.from(finite).sort();
  if (options.symmetric) {
    const m = quantileOfSorted(sorted, q) || sorted[sorted.length - 1]!;
    return [-m, m];
  }
  const lo = quantileOfSorted(sorted, 1 - q);
  const hi = quantileOfSorted(sorted, q);
  return lo < hi ? [lo, hi] : [sorted[0]!, sorted[sorted.length - 1]!];
}
