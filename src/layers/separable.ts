// Depthwise separable convolution (Xception, MobileNet): a depthwise k x k filter per channel, with
// no bias, then a pointwise 1x1 convolution that mixes the channels into n outputs, with bias.
import { tf } from "../backend/tf.js";
import { activationOption, as2d, explicitPadding, tfName, tfPadding, weightOptions } from "../compile/parts.js";
import { getBoolean, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import { asImageWindow } from "./depthwise.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import type { Padding } from "./output-size.js";
import { channelsOf, type Shape } from "./shape.js";
import { convolutionWindowArguments, isSlid, slideWindow, weightArguments, windowSettings, windowSuffix } from "./window.js";

export interface SeparableSettings {
  kind: "separable";
  filters: number;
  multiplier: number;
  kernel: number[];
  stride: number[];
  padding: Padding;
  bias: boolean | undefined;
  init: string | undefined;
}

export const separable: LayerKindDefinition<SeparableSettings> = {
  kind: "separable",
  title: "Separable convolution",
  doc: [
    "A depthwise separable convolution: a depthwise `k x k` filter per input channel (no bias), then a",
    "pointwise 1x1 convolution to `n` channels (with bias), as Keras's SeparableConv2D. Parameters:",
    "`(k*k)*C*m + (C*m)*n` weights and `n` biases, against `(k*k*C)*n + n` for `CONVk-n`: for 3x3",
    "filters about 8 to 9 times fewer (Xception, MobileNet). Padding and stride as for CONV (on the",
    "depthwise part); followed by ReLU unless an activation is written.",
  ].join("\n"),
  keywords: [{ word: "SEPCONV", summary: "separable convolution, e.g. SEPCONV3-64 (depthwise 3x3, then 1x1 to 64)" }],
  syntax: ["SEPCONVk-n", "SEPCONVk-n/sS", "SEPCONV(filters=n, size=k, multiplier=m)"],
  examples: ["INPUT 56x56x32 SEPCONV3-64  # 3*3*32 + 32*64 + 64 = 2,400 parameters (CONV3-64: 18,496)"],
  arguments: [
    { name: "filters", type: "int", doc: "output channels of the pointwise 1x1 convolution", defaultText: "32" },
    { name: "multiplier", type: "int", doc: "depthwise filters per input channel (depth multiplier)", defaultText: "1" },
    ...convolutionWindowArguments,
    ...weightArguments,
  ],
  suffix: "size",
  dash: "filters",
  naming: { prefix: () => "SEPCONV", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  fusesActivation: () => true,
  diagram: { colour: "#61a5c2" },

  settings(args: ResolvedArguments): SeparableSettings | KindError {
    const window = windowSettings(args, { size: [3], defaultPadding: { mode: "same" } });
    if ("code" in window) return window;
    return {
      kind: "separable",
      filters: getNumber(args, "filters") ?? 32,
      multiplier: getNumber(args, "multiplier") ?? 1,
      kernel: window.size,
      stride: window.stride,
      padding: window.padding,
      bias: getBoolean(args, "bias"),
      init: getWord(args, "init"),
    };
  },

  infer(s: SeparableSettings, input: Shape): InferResult {
    const slid = slideWindow(input, s, "SEPCONV");
    if (!isSlid(slid)) return { ok: false, ...slid };
    const c = channelsOf(input);
    const middle = c * s.multiplier;
    return {
      ok: true,
      value: {
        output: [...slid.output, s.filters],
        weights: slid.window * middle + middle * s.filters,
        biases: s.bias === false ? 0 : s.filters,
        nonTrainable: 0,
        macs: slid.positions * (slid.window * middle + middle * s.filters),
        reach: { type: "window", kernel: slid.kernel, stride: slid.stride, dilation: slid.kernel.map(() => 1) },
        formula: { weights: `(${slid.kernel.join("*")})*${middle} + ${middle}*${s.filters}`, biases: `${s.filters}` },
      },
    };
  },

  compile(layer, ctx) {
    const s = layer.settings;
    const rank = layer.inputShape.length;
    const separable = tf.layers.separableConv2d({
      filters: s.filters,
      kernelSize: asImageWindow(s.kernel, rank),
      strides: asImageWindow(s.stride, rank),
      depthMultiplier: s.multiplier,
      padding: tfPadding(s.padding),
      useBias: s.bias !== false,
      ...activationOption(layer.activation),
      ...weightOptions(ctx, s.init, "depthwise"),
      ...weightOptions(ctx, s.init, "pointwise"),
      name: tfName(layer.name),
    });
    return [...explicitPadding(s.padding, layer.name, layer.inputShape), ...as2d(layer.name, layer.inputShape, layer.outputShape, [separable])];
  },

  label(s: SeparableSettings): string {
    return `SEPCONV${s.kernel.join("x")}-${s.filters}${s.multiplier > 1 ? `/multiplier=${s.multiplier}` : ""}${windowSuffix(s.stride, s.padding, "conv")}`;
  },
};
