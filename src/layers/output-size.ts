// The output-size rule of convolution and pooling, per spatial axis, in the lecture's terms:
// output = (N - F + 2P)/S + 1, which must be a whole number when the padding P is given.

/** How the border is handled. `explicit` with `exact` is the cs231n rule; `floor` is PyTorch's. */
export type Padding =
  | { mode: "same" }
  | { mode: "valid" }
  | { mode: "explicit"; pad: number[]; rounding: "exact" | "floor" };

export interface AxisWindow {
  input: number;
  /** Effective window extent: dilation * (kernel - 1) + 1. */
  extent: number;
  stride: number;
}

export type AxisResult =
  | { ok: true; output: number }
  | { ok: false; code: "size-not-whole" | "size-too-small"; message: string; hint: string };

function formatDecimal(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** `(7 - 3)/3 + 1` or `(7 - 3 + 2*1)/3 + 1`. */
export function outputSizeFormula(n: number, f: number, s: number, p: number): string {
  const numerator = p === 0 ? `${n} - ${f}` : `${n} - ${f} + 2*${p}`;
  return `(${numerator})/${s} + 1`;
}

function fits(n: number, f: number, s: number, p: number): boolean {
  const span = n - f + 2 * p;
  return span >= 0 && span % s === 0;
}

/** Strides and pads near the written ones that make the size whole, for the hint. */
function suggestions(n: number, f: number, s: number, p: number): string {
  const strides: number[] = [];
  for (let candidate = 1; candidate <= f && strides.length < 3; candidate++) {
    if (candidate !== s && fits(n, f, candidate, p)) strides.push(candidate);
  }
  const pads: number[] = [];
  for (let candidate = 0; candidate <= f && pads.length < 2; candidate++) {
    if (candidate !== p && fits(n, f, s, candidate)) pads.push(candidate);
  }
  const parts: string[] = [];
  const list = (xs: number[]) => (xs.length === 1 ? `${xs[0]}` : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`);
  if (strides.length > 0) parts.push(`stride ${list(strides)} (${strides.map((x) => `/s${x}`).join(", ")})`);
  if (pads.length > 0) parts.push(`pad ${list(pads)} (${pads.map((x) => `/p${x}`).join(", ")})`);
  const fix = parts.length > 0 ? `use ${parts.join(", or ")}; ` : "";
  return `${fix}or /same to keep partial windows (output ${Math.ceil(n / s)}), /valid to drop them (output ${Math.floor((n - f) / s) + 1})`;
}

/** Output length along one axis, or the lecture's error when the window does not fit. */
export function axisOutput(axis: AxisWindow, padding: Padding, axisIndex: number): AxisResult {
  const { input: n, extent: f, stride: s } = axis;
  // A size not known until the network runs (INPUT ?x?x3) stays unknown.
  if (!Number.isFinite(n)) return { ok: true, output: Number.NaN };
  if (padding.mode === "same") return { ok: true, output: Math.ceil(n / s) };
  const p = padding.mode === "explicit" ? padding.pad[axisIndex] ?? padding.pad[0]! : 0;
  const span = n - f + 2 * p;
  if (span < 0) {
    return {
      ok: false,
      code: "size-too-small",
      message: `a ${f}-wide window does not fit in ${n}${p > 0 ? ` padded by ${p}` : ""}: ${outputSizeFormula(n, f, s, p)} = ${formatDecimal(span / s + 1)}`,
      hint: `use a smaller window, more padding, or /same`,
    };
  }
  if (padding.mode === "valid" || (padding.mode === "explicit" && padding.rounding === "floor")) {
    return { ok: true, output: Math.floor(span / s) + 1 };
  }
  if (span % s !== 0) {
    return {
      ok: false,
      code: "size-not-whole",
      message: `${outputSizeFormula(n, f, s, p)} = ${formatDecimal(span / s + 1)} is not a whole number`,
      hint: suggestions(n, f, s, p),
    };
  }
  return { ok: true, output: span / s + 1 };
}
