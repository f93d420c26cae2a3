/**
 * "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten (the rule d3 and most plotting
 * libraries use), a domain extended to whole steps, and labels without float noise.
 */

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** A step of 1, 2 or 5 x 10^k giving about `count` intervals over [start, stop]. */
export function tickStep(start: number, stop: number, count: number): number {
  const raw = Math.abs(stop - start) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return factor * 10 ** power;
}

/** i * step, computed as i / (1 / step) for small steps so 0.1 * 3 prints as 0.3. */
function multiple(i: number, step: number): number {
  const inverse = Math.round(1 / step);
  const v = step < 1 && Math.abs(inverse * step - 1) < 1e-9 ? i / inverse : i * step;
  return v + 0; // turns -0 into 0
}

/** Ticks at multiples of a nice step inside [min, max]. */
export function linearTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return Number.isFinite(min) ? [min] : [];
  const step = tickStep(min, max, count);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(multiple(i, step));
  return ticks;
}

/** Widens [min, max] to whole steps; a single value becomes a small range around it. */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.5;
    min -= pad;
    max += pad;
  }
  // Two rounds, because widening can change the step (as d3's nice() does).
  for (let round = 0; round < 2; round++) {
    const step = tickStep(min, max, count);
    min = multiple(Math.floor(min / step + 1e-9), step);
    max = multiple(Math.ceil(max / step - 1e-9), step);
  }
  return [min, max];
}

/** A domain that exactly covers the data (for x), padded only when it is a single value. */
export function extentDomain(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return min === 0 ? [-1, 1] : [min - Math.abs(min) * 0.5, max + Math.abs(max) * 0.5];
  return [min, max];
}

/** The label of a tick on an axis whose ticks are `step` apart: just enough decimals. */
export function formatTick(value: number, step: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-4) return value.toExponential(Math.max(0, Math.min(6, Math.round(-Math.log10(step / abs))))).replace(/\.?0+e/, "e");
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** Powers of ten within [min, max] (both > 0), with 2x and 5x between them when the range is short. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const factors = hi - lo <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let p = lo; p <= hi; p++) {
    for (const f of factors) {
      const v = f * 10 ** p;
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(Number(v.toPrecision(12)));
    }
  }
  return ticks;
}

/** A log domain widened to whole powers of ten. */
export function logDomain(min: number, max: number): [number, number] {
  if (!(min > 0) || !(max > 0)) return [1, 10];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi === lo) hi = lo + 1;
  return [10 ** lo, 10 ** hi];
}

export function formatLogTick(value: number): string {
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5 ? String(Number(value.toPrecision(6))) : value.toExponential(0);
}
