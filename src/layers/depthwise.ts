// Depthwise convolution: one k x k filter per input channel (or `m` of them), each seeing only its
// own channel; MobileNet's first half of a separable convolution.
import { tf } from "../backend/tf.js";
import { activationOption, as2d, explicitPadding, perAxis, tfName, tfPadding, weightOptions } from "../compile/parts.js";
import { getBoolean, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import type { Padding } from "./output-size.js";
import { channelsOf, type Shape } from "./shape.js";
import { convolutionWindowArguments, isSlid, slideWindow, weightArguments, windowSettings, windowSuffix } from "./window.js";

export interface DepthwiseSettings {
  kind: "depthwise";
  /** Filters per input channel (Keras's depth_multiplier). */
  multiplier: number;
  kernel: number[];
  stride: number[];
  padding: Padding;
  bias: boolean | undefined;
  init: string | undefined;
}

/** `[k, k]` for an image, `[k, 1]` for a sequence seen as a one-column image. */
export const asImageWindow = (values: number[], rank: number): [number, number] => (rank === 3 ? [perAxis(values, 0), perAxis(values, 1)] : [values[0]!, 1]);

export const depthwise: LayerKindDefinition<DepthwiseSettings> = {
  kind: "depthwise",
  title: "Depthwise convolution",
  doc: [
    "A depthwise convolution gives every input channel its own `k x k` filter, which sees only that",
    "channel: `C` channels in, `C` out (`C*m` with a multiplier `m`). Parameters: `(k*k)*C*m` weights",
    "and `C*m` biases, against `(k*k*C)*n` for a CONV: the spatial filtering of MobileNet, mixed across",
    "channels afterwards by a 1x1 CONV (or written at once as SEPCONV). Padding and stride as for CONV;",
    "followed by ReLU unless an activation is written.",
  ].join("\n"),
  keywords: [{ word: "DWCONV", summary: "depthwise convolution, e.g. DWCONV3 (one 3x3 filter per channel)" }],
  syntax: ["DWCONVk", "DWCONVk-m", "DWCONVk/sS", "DWCONV(size=k, multiplier=m, stride=s)"],
  examples: ["INPUT 112x112x32 DWCONV3 CONV1-64  # MobileNet's first block: 320 + 2,112 parameters", "INPUT 112x112x64 DWCONV3/s2  # 56x56x64"],
  arguments: [
    { name: "multiplier", type: "int", doc: "filters per input channel (depth multiplier)", defaultText: "1" },
    ...convolutionWindowArguments,
    ...weightArguments,
  ],
  suffix: "size",
  dash: "multiplier",
  naming: { prefix: () => "DWCONV", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  fusesActivation: () => true,
  diagram: { colour: "#a9d6e5" },

  settings(args: ResolvedArguments): DepthwiseSettings | KindError {
    const window = windowSettings(args, { size: [3], defaultPadding: { mode: "same" } });
    if ("code" in window) return window;
    return { kind: "depthwise", multiplier: getNumber(args, "multiplier") ?? 1, kernel: window.size, stride: window.stride, padding: window.padding, bias: getBoolean(args, "bias"), init: getWord(args, "init") };
  },

  infer(s: DepthwiseSettings, input: Shape): InferResult {
    const slid = slideWindow(input, s, "DWCONV");
    if (!isSlid(slid)) return { ok: false, ...slid };
    const c = channelsOf(input);
    const out = c * s.multiplier;
    return {
      ok: true,
      value: {
        output: [...slid.output, out],
        weights: slid.window * out,
        biases: s.bias === false ? 0 : out,
        nonTrainable: 0,
        macs: slid.positions * slid.window * out,
        reach: { type: "window", kernel: slid.kernel, stride: slid.stride, dilation: slid.kernel.map(() => 1) },
        formula: { weights: `(${slid.kernel.join("*")})*${c}${s.multiplier > 1 ? `*${s.multiplier}` : ""}`, biases: `${out}` },
      },
    };
  },

  compile(layer, ctx) {
    const s = layer.settings;
    const rank = layer.inputShape.length;
    const depthwise = tf.layers.depthwiseConv2d({
      kernelSize: asImageWindow(s.kernel, rank),
      strides: asImageWindow(s.stride, rank),
      depthMultiplier: s.multiplier,
      padding: tfPadding(s.padding),
      useBias: s.bias !== false,
      ...activationOption(layer.activation),
      ...weightOptions(ctx, s.init, "depthwise"),
      name: tfName(layer.name),
    });
    return [...explicitPadding(s.padding, layer.name, layer.inputShape), ...as2d(layer.name, layer.inputShape, layer.outputShape, [depthwise])];
  },

  label(s: DepthwiseSettings): string {
    return `DWCONV${s.kernel.join("x")}${s.multiplier > 1 ? `-${s.multiplier}` : ""}${windowSuffix(s.stride, s.padding, "conv")}`;
  },
};
