// Pooling: max or average over k x k windows of each channel separately.
import { tf } from "../backend/tf.js";
import { explicitPadding, perAxis, tfName, tfPadding } from "../compile/parts.js";
import { getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import { axisOutput } from "./output-size.js";
import { channelsOf, describeRank, spatialOf, type Shape } from "./shape.js";
import { windowSettings, windowSuffix, type WindowSettings } from "./window.js";

export interface PoolSettings extends WindowSettings {
  kind: "pool";
  mode: "max" | "avg";
}

export const pool: LayerKindDefinition<PoolSettings> = {
  kind: "pool",
  title: "Pooling",
  doc: [
    "Max pooling (`POOL`, `MAXPOOL`) keeps the largest value of each `k x k` window; average",
    "pooling (`AVGPOOL`) keeps the mean. Each channel is pooled on its own, so the depth is kept.",
    "The stride is the window size unless written: `POOL2` is 2x2 at stride 2, `POOL3/2` and",
    "`POOL3/s2` are AlexNet's overlapping 3x3 windows at stride 2. No parameters.",
    "",
    "Without padding, `(N - F)/S + 1` must be a whole number, as in the lecture. `/same` keeps",
    "partial windows at the border (output `ceil(N/S)`, as TensorFlow does: the X-and-O slides",
    "pool a 7x7 map to 4x4); `/valid` drops them (output `floor((N - F)/S) + 1`).",
  ].join("\n"),
  keywords: [
    { word: "POOL", summary: "max pooling, e.g. POOL2 (2x2, stride 2)", preset: { mode: "max" } },
    { word: "MAXPOOL", summary: "max pooling, same as POOL", preset: { mode: "max" } },
    { word: "AVGPOOL", summary: "average pooling, e.g. AVGPOOL2", preset: { mode: "avg" } },
  ],
  syntax: ["POOLk", "POOLk/S", "POOLk/sS", "POOLk/same", "POOLk/valid", "AVGPOOLk", "POOL(size=k, stride=s)"],
  examples: [
    "INPUT 224x224x64 POOL2  # 112x112x64",
    "INPUT 55x55x96 POOL3/2  # AlexNet's overlapping pooling: 27x27x96",
    "INPUT 7x7x3 POOL2/same  # X-and-O: partial windows kept, 4x4x3",
    "INPUT 28x28x6 AVGPOOL2  # LeNet's subsampling: 14x14x6",
  ],
  arguments: [
    { name: "size", type: "ints", doc: "window size k or hxw", defaultText: "2" },
    { name: "stride", type: "ints", doc: "step between windows", defaultText: "the window size" },
    { name: "pad", type: "ints", doc: "padding on each side", defaultText: "0", min: 0 },
    { name: "padding", type: "word", choices: ["same", "valid"], doc: "same: keep partial windows; valid: drop them" },
    { name: "rounding", type: "word", choices: ["exact", "floor"], doc: "with an explicit pad: exact or floor", defaultText: "exact" },
    { name: "mode", type: "word", choices: ["max", "avg"], doc: "max or average", defaultText: "max" },
  ],
  suffix: "size",
  naming: { prefix: () => "POOL", count: "own" },
  conventions: { activation: "none", bias: false },
  diagram: { colour: "#ffb703" },

  settings(args: ResolvedArguments): PoolSettings | KindError {
    const window = windowSettings(args, { size: [2], stride: "size", defaultPadding: { mode: "explicit", pad: [0], rounding: "exact" } });
    if ("code" in window) return window;
    return { kind: "pool", mode: getWord(args, "mode") === "avg" ? "avg" : "max", ...window };
  },

  infer(s: PoolSettings, input: Shape): InferResult {
    if (input.length < 2) {
      return { ok: false, code: "wrong-rank", message: `pooling needs an image or a sequence, but gets ${describeRank(input)}`, hint: "pool before the first FC" };
    }
    const spatial = spatialOf(input);
    const size = s.size.length === 1 ? spatial.map(() => s.size[0]!) : s.size;
    const stride = s.stride.length === 1 ? spatial.map(() => s.stride[0]!) : s.stride;
    if (size.length !== spatial.length || stride.length !== spatial.length) {
      return { ok: false, code: "wrong-rank", message: `a ${spatial.length}-D input takes one window size per axis, not ${s.size.join("x")}` };
    }
    const output: number[] = [];
    for (let axis = 0; axis < spatial.length; axis++) {
      const r = axisOutput({ input: spatial[axis]!, extent: size[axis]!, stride: stride[axis]! }, s.padding, axis);
      if (!r.ok) return r;
      output.push(r.output);
    }
    return {
      ok: true,
      value: { output: [...output, channelsOf(input)], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "window", kernel: size, stride, dilation: size.map(() => 1) } },
    };
  },

  compile(layer) {
    const s = layer.settings;
    const name = tfName(layer.name);
    const padding = tfPadding(s.padding);
    let pool: tf.layers.Layer;
    if (layer.inputShape.length === 3) {
      const args = { poolSize: [perAxis(s.size, 0), perAxis(s.size, 1)] as [number, number], strides: [perAxis(s.stride, 0), perAxis(s.stride, 1)] as [number, number], padding, name };
      pool = s.mode === "max" ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    } else {
      const args = { poolSize: s.size[0]!, strides: s.stride[0]!, padding, name };
      pool = s.mode === "max" ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args);
    }
    // Pools follow ReLUs, so zero padding equals the -infinity padding max pooling would want.
    return [...explicitPadding(s.padding, layer.name, layer.inputShape), pool];
  },

  label(s: PoolSettings): string {
    return `${s.mode === "avg" ? "AVGPOOL" : "POOL"}${s.size.join("x")}${windowSuffix(s.stride, s.padding, "pool", s.size)}`;
  },
};
