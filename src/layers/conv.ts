// Convolution: n filters of k x k over the full depth of the input, 2-D on images, 1-D on sequences.
import { tf } from "../backend/tf.js";
import { activationOption, explicitPadding, perAxis, tfName, tfPadding, weightOptions } from "../compile/parts.js";
import { getBoolean, getInts, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import { axisOutput, type Padding } from "./output-size.js";
import { channelsOf, describeRank, spatialOf, type Shape } from "./shape.js";
import { windowSettings, windowSuffix } from "./window.js";

export interface ConvSettings {
  kind: "conv";
  filters: number;
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: Padding;
  /** Undefined: by convention (no bias when batch norm follows, else the network default). */
  bias: boolean | undefined;
  init: string | undefined;
}

export const conv: LayerKindDefinition<ConvSettings> = {
  kind: "conv",
  title: "Convolution",
  doc: [
    "A convolution layer: `n` filters, each `k x k` and as deep as its input, slide over the input",
    "at stride `s`. Each filter gives one output channel, so the output depth is `n`. Parameters:",
    "`(k*k*C_in)*n` weights and `n` biases.",
    "",
    "By default the border is zero-padded so that the size is kept at stride 1 (cs231n's",
    "`P = (F - 1)/2`; TensorFlow's `same`, output `ceil(N/S)`). An explicit pad (`/p0`, `pad=0`)",
    "uses the lecture's formula `(N - F + 2P)/S + 1` and must give a whole number; add `/floor` to",
    "drop the remainder as PyTorch does. `/valid` is TensorFlow's `valid` (no padding, remainder",
    "dropped). On a sequence input (INPUT1D) the same words give a 1-D convolution of width `k`.",
    "The layer is followed by ReLU unless an activation is written right after it; the last weight",
    "layer of the network has no activation unless one is written.",
  ].join("\n"),
  keywords: [{ word: "CONV", summary: "convolution, e.g. CONV3-64 (64 filters of 3x3)" }],
  syntax: ["CONVk-n", "CONVhxw-n", "CONVk-n/sS/pP/dD", "CONVk-n/same", "CONVk-n/valid", "CONV(filters=n, size=k, stride=s, pad=p, dilation=d)"],
  examples: [
    "INPUT 32x32x3 CONV5-10/p2  # ten 5x5 filters: 32x32x10, 760 parameters",
    "INPUT 227x227x3 CONV11-96/s4/p0  # AlexNet's CONV1: 55x55x96",
    "INPUT 56x56x64 CONV1-32  # a 1x1 convolution: 56x56x32",
    "INPUT 28x28x1 CONV3-8/d2  # dilated: a 5x5 reach with 3x3 weights",
    "INPUT1D 60x50 CONV3-100 GMP  # 1-D convolution over a sentence",
  ],
  arguments: [
    { name: "filters", type: "int", doc: "number of filters (output channels)", defaultText: "32" },
    { name: "size", type: "ints", doc: "filter size k or hxw", defaultText: "3" },
    { name: "stride", type: "ints", doc: "step between windows", defaultText: "1" },
    { name: "pad", type: "ints", doc: "zero padding on each side; then the size must come out whole", min: 0 },
    { name: "padding", type: "word", choices: ["same", "valid"], doc: "same: keep ceil(N/S); valid: no padding", defaultText: "same" },
    { name: "rounding", type: "word", choices: ["exact", "floor"], doc: "with an explicit pad: exact (error if not whole) or floor", defaultText: "exact" },
    { name: "dilation", type: "ints", doc: "spacing between filter taps", defaultText: "1" },
    { name: "bias", type: "boolean", doc: "whether the layer has biases", defaultText: "yes, unless batch norm follows" },
    { name: "init", type: "word", choices: ["glorot", "he", "zeros"], doc: "weight initialisation", defaultText: "the network's (glorot)" },
  ],
  suffix: "size",
  dash: "filters",
  naming: { prefix: () => "CONV", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  fusesActivation: true,
  diagram: { colour: "#8ecae6" },

  settings(args: ResolvedArguments): ConvSettings | KindError {
    const window = windowSettings(args, { size: [3], defaultPadding: { mode: "same" } });
    if ("code" in window) return window;
    return {
      kind: "conv",
      filters: getNumber(args, "filters") ?? 32,
      kernel: window.size,
      stride: window.stride,
      dilation: getInts(args, "dilation") ?? [1],
      padding: window.padding,
      bias: getBoolean(args, "bias"),
      init: getWord(args, "init"),
    };
  },

  infer(s: ConvSettings, input: Shape): InferResult {
    if (input.length < 2) {
      return { ok: false, code: "wrong-rank", message: `CONV needs an image or a sequence, but gets ${describeRank(input)}`, hint: "put convolutions before the first FC" };
    }
    const spatial = spatialOf(input);
    const perAxis = (values: number[], what: string): number[] | KindError => {
      if (values.length === 1) return spatial.map(() => values[0]!);
      if (values.length === spatial.length) return values;
      return { code: "wrong-rank", message: `a ${spatial.length}-D input takes one ${what} per axis (${spatial.length}), not ${values.join("x")}`, hint: spatial.length === 1 ? `write CONV${values[0]}` : `write CONV${values[0]}x${values[0]}` };
    };
    const kernel = perAxis(s.kernel, "filter size");
    const stride = perAxis(s.stride, "stride");
    const dilation = perAxis(s.dilation, "dilation");
    for (const v of [kernel, stride, dilation]) if (!Array.isArray(v)) return { ok: false, ...v };
    const k = kernel as number[];
    const st = stride as number[];
    const d = dilation as number[];
    const output: number[] = [];
    for (let axis = 0; axis < spatial.length; axis++) {
      const r = axisOutput({ input: spatial[axis]!, extent: d[axis]! * (k[axis]! - 1) + 1, stride: st[axis]! }, s.padding, axis);
      if (!r.ok) return r;
      output.push(r.output);
    }
    const cin = channelsOf(input);
    const window = k.reduce((a, b) => a * b, 1);
    const positions = output.reduce((a, b) => a * b, 1);
    const weights = window * cin * s.filters;
    return {
      ok: true,
      value: {
        output: [...output, s.filters],
        weights,
        biases: s.bias === false ? 0 : s.filters,
        nonTrainable: 0,
        macs: positions * s.filters * window * cin,
        reach: { type: "window", kernel: k, stride: st, dilation: d },
        formula: { weights: `(${[...k, cin].join("*")})*${s.filters}`, biases: `${s.filters}` },
      },
    };
  },

  compile(layer, ctx) {
    const s = layer.settings;
    const common = { filters: s.filters, padding: tfPadding(s.padding), useBias: s.bias !== false, ...activationOption(layer.activation), ...weightOptions(ctx, s.init), name: tfName(layer.name) };
    const conv =
      layer.inputShape.length === 3
        ? tf.layers.conv2d({ ...common, kernelSize: [perAxis(s.kernel, 0), perAxis(s.kernel, 1)], strides: [perAxis(s.stride, 0), perAxis(s.stride, 1)], dilationRate: [perAxis(s.dilation, 0), perAxis(s.dilation, 1)] })
        : tf.layers.conv1d({ ...common, kernelSize: s.kernel[0]!, strides: s.stride[0]!, dilationRate: s.dilation[0]! });
    return [...explicitPadding(s.padding, layer.name, layer.inputShape), conv];
  },

  label(s: ConvSettings): string {
    return `CONV${s.kernel.join("x")}-${s.filters}${windowSuffix(s.stride, s.padding, "conv")}${s.dilation.some((x) => x !== 1) ? `/d${s.dilation.join("x")}` : ""}`;
  },
};
