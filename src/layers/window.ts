// Size, stride and padding arguments shared by convolution and pooling, and where such a window
// slides on an input.
import { getInts, getWord, type ResolvedArguments } from "./arguments.js";
import type { ArgumentSpec } from "./arguments.js";
import type { KindError } from "./kind.js";
import { axisOutput, type Padding } from "./output-size.js";
import { describeRank, spatialOf, type Shape } from "./shape.js";

export interface WindowSettings {
  size: number[];
  stride: number[];
  padding: Padding;
}

export function windowSettings(
  args: ResolvedArguments,
  defaults: { size: number[]; stride?: "size"; defaultPadding: Padding },
): WindowSettings | KindError {
  const size = getInts(args, "size") ?? defaults.size;
  const stride = getInts(args, "stride") ?? (defaults.stride === "size" ? size : [1]);
  const pad = getInts(args, "pad");
  const paddingWord = getWord(args, "padding");
  const rounding = getWord(args, "rounding");
  if (pad !== undefined && paddingWord !== undefined) {
    return { code: "bad-argument", message: `pad ${pad.join("x")} and /${paddingWord} contradict each other`, hint: "write either an explicit pad or /same or /valid" };
  }
  let padding: Padding;
  if (pad !== undefined) padding = { mode: "explicit", pad, rounding: rounding === "floor" ? "floor" : "exact" };
  else if (paddingWord === "same") padding = { mode: "same" };
  else if (paddingWord === "valid") padding = { mode: "valid" };
  else if (rounding === "floor" && defaults.defaultPadding.mode === "explicit") padding = { ...defaults.defaultPadding, rounding: "floor" };
  else padding = defaults.defaultPadding;
  if (rounding !== undefined && padding.mode !== "explicit") {
    return { code: "bad-argument", message: `/${rounding} needs an explicit pad`, hint: "write /p1/floor, or leave out /floor" };
  }
  return { size, stride, padding };
}

/** `/s2`, `/p0`, `/same` ...: the part of a label after the sizes; defaults left out. */
export function windowSuffix(stride: number[], padding: Padding, kind: "conv" | "pool", size: number[] = []): string {
  let out = "";
  const strideIsDefault = kind === "conv" ? stride.every((s) => s === 1) : stride.join("x") === size.join("x");
  if (!strideIsDefault) out += `/s${stride.join("x")}`;
  if (padding.mode === "explicit") {
    const isPoolDefault = kind === "pool" && padding.pad.every((p) => p === 0);
    if (!isPoolDefault) out += `/p${padding.pad.join("x")}`;
    if (padding.rounding === "floor") out += "/floor";
  } else if (!(kind === "conv" && padding.mode === "same")) {
    out += `/${padding.mode}`;
  }
  return out;
}

/** Where a window slides over every spatial axis: sizes per axis, the output size, the counts. */
export interface SlidWindow {
  kernel: number[];
  stride: number[];
  dilation: number[];
  /** The output's spatial size, per axis (NaN where the input's is not known). */
  output: number[];
  /** Taps of one window (k*k). */
  window: number;
  /** Output positions (h*w). */
  positions: number;
}

/**
 * The window of a convolution-like layer on this input: one value per axis for kernel, stride and
 * dilation (`3` means 3 on every axis), and the output size by the lecture's rule on each axis.
 */
export function slideWindow(input: Shape, w: { kernel: number[]; stride: number[]; dilation?: number[]; padding: Padding }, keyword: string, takesPaddingWords = true): SlidWindow | KindError {
  if (input.length < 2) return { code: "wrong-rank", message: `${keyword} needs an image or a sequence, but gets ${describeRank(input)}`, hint: `put ${keyword} before the first FC (or GAP)` };
  const spatial = spatialOf(input);
  const perAxis = (values: number[], what: string): number[] | KindError => {
    if (values.length === 1) return spatial.map(() => values[0]!);
    if (values.length === spatial.length) return values;
    return { code: "wrong-rank", message: `a ${spatial.length}-D input takes one ${what} per axis (${spatial.length}), not ${values.join("x")}`, hint: spatial.length === 1 ? `write ${keyword}${values[0]}` : `write ${keyword}${values[0]}x${values[0]}` };
  };
  const kernel = perAxis(w.kernel, "filter size");
  const stride = perAxis(w.stride, "stride");
  const dilation = perAxis(w.dilation ?? [1], "dilation");
  for (const v of [kernel, stride, dilation]) if (!Array.isArray(v)) return v;
  const [k, s, d] = [kernel, stride, dilation] as number[][];
  const output: number[] = [];
  for (let axis = 0; axis < spatial.length; axis++) {
    const r = axisOutput({ input: spatial[axis]!, extent: d![axis]! * (k![axis]! - 1) + 1, stride: s![axis]! }, w.padding, axis);
    if (!r.ok) return takesPaddingWords ? r : { ...r, hint: r.hint.replace(/;? ?or \/same to keep partial windows.*$/, "; or /floor to drop the remainder") };
    output.push(r.output);
  }
  return { kernel: k!, stride: s!, dilation: d!, output, window: k!.reduce((a, b) => a * b, 1), positions: output.reduce((a, b) => a * b, 1) };
}

/** A slid window, or the error to return from `infer`. */
export function isSlid(value: SlidWindow | KindError): value is SlidWindow {
  return "positions" in value;
}

/** The window arguments of a convolution-like layer whose size is kept by default (CONV, DWCONV, SEPCONV). */
export const convolutionWindowArguments: readonly ArgumentSpec[] = [
  { name: "size", type: "ints", doc: "filter size k or hxw", defaultText: "3" },
  { name: "stride", type: "ints", doc: "step between windows", defaultText: "1" },
  { name: "pad", type: "ints", doc: "zero padding on each side; then the size must come out whole", min: 0 },
  { name: "padding", type: "word", choices: ["same", "valid"], doc: "same: keep ceil(N/S); valid: no padding", defaultText: "same" },
  { name: "rounding", type: "word", choices: ["exact", "floor"], doc: "with an explicit pad: exact (error if not whole) or floor", defaultText: "exact" },
];

/** Bias and initialisation, as every weight layer takes them. */
export const weightArguments: readonly ArgumentSpec[] = [
  { name: "bias", type: "boolean", doc: "whether the layer has biases", defaultText: "yes, unless batch norm follows" },
  { name: "init", type: "word", choices: ["glorot", "he", "zeros"], doc: "weight initialisation", defaultText: "the network's (glorot)" },
];
