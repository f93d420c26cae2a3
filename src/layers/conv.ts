// Convolution: n filters of k x k over the full depth of the input, 2-D on images, 1-D on sequences.
import { tf } from "../backend/tf.js";
import { GroupedConv2D } from "../compile/grouped-conv.js";
import { activationOption, as2d, explicitPadding, perAxis, tfName, tfPadding, weightOptions } from "../compile/parts.js";
import { getBoolean, getInts, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import type { Padding } from "./output-size.js";
import { channelsOf, type Shape } from "./shape.js";
import { convolutionWindowArguments, isSlid, slideWindow, weightArguments, windowSettings, windowSuffix } from "./window.js";

export interface ConvSettings {
  kind: "conv";
  filters: number;
  kernel: number[];
  stride: number[];
  dilation: number[];
  /** Grouped convolution (AlexNet's two towers): each of `groups` groups of filters sees its own share of the channels. */
  groups: number;
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
    ...convolutionWindowArguments,
    { name: "dilation", type: "ints", doc: "spacing between filter taps", defaultText: "1" },
    { name: "groups", type: "int", doc: "split the channels and the filters into this many groups, each filter seeing only its group's channels (AlexNet's two GPUs)", defaultText: "1" },
    ...weightArguments,
  ],
  suffix: "size",
  dash: "filters",
  naming: { prefix: () => "CONV", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  fusesActivation: (s) => s.groups === 1,
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
      groups: getNumber(args, "groups") ?? 1,
      padding: window.padding,
      bias: getBoolean(args, "bias"),
      init: getWord(args, "init"),
    };
  },

  infer(s: ConvSettings, input: Shape): InferResult {
    const slid = slideWindow(input, s, "CONV");
    if (!isSlid(slid)) return { ok: false, ...slid };
    const cin = channelsOf(input);
    const groups = s.groups;
    if (groups > 1) {
      const fits = cin % groups === 0 && s.filters % groups === 0;
      if (!fits) {
        const [count, what] = cin % groups !== 0 ? [cin, "input channels"] : [s.filters, "filters"];
        const divisors = Array.from({ length: Math.min(cin, s.filters) }, (_, i) => i + 1).filter((g) => g > 1 && cin % g === 0 && s.filters % g === 0);
        const fix = divisors.length > 0 ? `use ${divisors.slice(0, 4).map((g) => `/g${g}`).join(", ")} (dividing both ${cin} channels and ${s.filters} filters), or no /g` : "leave out /g: no number of groups divides both";
        const share = Math.round((count / groups) * 100) / 100;
        return { ok: false, code: "shape-mismatch", message: `${count} ${what} / ${groups} groups = ${share} is not a whole number: every group needs the same share of the channels and of the filters`, hint: fix };
      }
    }
    const perGroup = cin / groups;
    return {
      ok: true,
      value: {
        output: [...slid.output, s.filters],
        weights: slid.window * perGroup * s.filters,
        biases: s.bias === false ? 0 : s.filters,
        nonTrainable: 0,
        macs: slid.positions * s.filters * slid.window * perGroup,
        reach: { type: "window", kernel: slid.kernel, stride: slid.stride, dilation: slid.dilation },
        formula: { weights: `(${[...slid.kernel, groups > 1 ? `${cin}/${groups}` : cin].join("*")})*${s.filters}`, biases: `${s.filters}` },
      },
    };
  },

  compile(layer, ctx) {
    const s = layer.settings;
    const padding = explicitPadding(s.padding, layer.name, layer.inputShape);
    const weights = { useBias: s.bias !== false, ...weightOptions(ctx, s.init), name: tfName(layer.name) };
    if (s.groups > 1) {
      const two = (v: number[]) => (layer.inputShape.length === 3 ? [perAxis(v, 0), perAxis(v, 1)] : [v[0]!, 1]) as [number, number];
      const grouped = new GroupedConv2D({ ...weights, filters: s.filters, groups: s.groups, kernelSize: two(s.kernel), strides: two(s.stride), dilationRate: two(s.dilation), padding: tfPadding(s.padding) });
      return [...padding, ...as2d(layer.name, layer.inputShape, layer.outputShape, [grouped])];
    }
    const common = { ...weights, filters: s.filters, padding: tfPadding(s.padding), ...activationOption(layer.activation) };
    const conv =
      layer.inputShape.length === 3
        ? tf.layers.conv2d({ ...common, kernelSize: [perAxis(s.kernel, 0), perAxis(s.kernel, 1)], strides: [perAxis(s.stride, 0), perAxis(s.stride, 1)], dilationRate: [perAxis(s.dilation, 0), perAxis(s.dilation, 1)] })
        : tf.layers.conv1d({ ...common, kernelSize: s.kernel[0]!, strides: s.stride[0]!, dilationRate: s.dilation[0]! });
    return [...padding, conv];
  },

  label(s: ConvSettings): string {
    return `CONV${s.kernel.join("x")}-${s.filters}${windowSuffix(s.stride, s.padding, "conv")}${s.dilation.some((x) => x !== 1) ? `/d${s.dilation.join("x")}` : ""}${s.groups > 1 ? `/g${s.groups}` : ""}`;
  },
};
