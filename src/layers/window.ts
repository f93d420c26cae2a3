// Size, stride and padding arguments shared by convolution and pooling.
import { getInts, getWord, type ResolvedArguments } from "./arguments.js";
import type { KindError } from "./kind.js";
import type { Padding } from "./output-size.js";

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
