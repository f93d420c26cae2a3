// Transposed convolution ("deconvolution"): each input value spreads a k x k filter over the output
// at stride s, so the size grows: (N - 1)*s - 2p + k, as PyTorch's ConvTranspose2d.
import { tf } from "../backend/tf.js";
import { activationOption, as2d, tfName, weightOptions } from "../compile/parts.js";
import { getBoolean, getInts, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import { asImageWindow } from "./depthwise.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import { channelsOf, describeRank, spatialOf, type Shape } from "./shape.js";
import { weightArguments } from "./window.js";

export interface DeconvSettings {
  kind: "deconv";
  filters: number;
  kernel: number[];
  stride: number[];
  /** Cropped from each side of the full output; undefined with /same (output N*s). */
  pad: number[] | undefined;
  bias: boolean | undefined;
  init: string | undefined;
}

const axisValue = (values: readonly number[], axis: number) => values[axis] ?? values[0]!;

/** `(16 - 1)*2 - 2*1 + 4`. */
function deconvFormula(n: number, s: number, p: number, k: number): string {
  return `(${n} - 1)*${s}${p > 0 ? ` - 2*${p}` : ""} + ${k}`;
}

export const deconv: LayerKindDefinition<DeconvSettings> = {
  kind: "deconv",
  title: "Transposed convolution",
  doc: [
    "A transposed convolution (often called deconvolution; `TCONV` is the same word): each input",
    "value spreads its own copy of `n` filters of `k x k` over the output, at stride `s`, so the map",
    "grows instead of shrinking. Output size per axis `(N - 1)*s - 2p + k` (PyTorch's ConvTranspose2d,",
    "without output padding): `DECONV4-16/s2/p1` doubles 16x16 to 32x32. `/same` gives exactly `N*s`",
    "(TensorFlow's same). Parameters: `(k*k*C_in)*n` weights and `n` biases. Used to upsample in",
    "segmentation networks, autoencoders and GAN generators; followed by ReLU unless an activation is",
    "written. The pad must be less than the filter size (it crops the output), and the output must",
    "have at least one value.",
  ].join("\n"),
  keywords: [
    { word: "DECONV", summary: "transposed convolution, e.g. DECONV4-16/s2/p1 (16 filters of 4x4: 16x16 -> 32x32)" },
    { word: "TCONV", summary: "transposed convolution, same as DECONV" },
  ],
  syntax: ["DECONVk-n/sS/pP", "DECONVk-n/sS/same", "TCONVk-n/sS", "DECONV(filters=n, size=k, stride=s, pad=p)"],
  examples: ["INPUT 16x16x32 DECONV4-16/s2/p1  # (16 - 1)*2 - 2*1 + 4 = 32: 32x32x16", "INPUT 1x1x100 DECONV4-512/nobias  # DCGAN's first layer, (1 - 1)*1 + 4 = 4: 4x4x512"],
  arguments: [
    { name: "filters", type: "int", doc: "number of filters (output channels)", defaultText: "32" },
    { name: "size", type: "ints", doc: "filter size k or hxw", defaultText: "3" },
    { name: "stride", type: "ints", doc: "how far apart the input values spread their filters (the upsampling factor)", defaultText: "1" },
    { name: "pad", type: "ints", doc: "cropped from each side of the output", defaultText: "0", min: 0 },
    { name: "padding", type: "word", choices: ["same"], doc: "same: output exactly N*s" },
    ...weightArguments,
  ],
  suffix: "size",
  dash: "filters",
  naming: { prefix: () => "DECONV", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  fusesActivation: () => true,
  diagram: { colour: "#52b69a" },

  settings(args: ResolvedArguments): DeconvSettings | KindError {
    const kernel = getInts(args, "size") ?? [3];
    const pad = getInts(args, "pad");
    if (pad !== undefined && getWord(args, "padding") === "same") return { code: "bad-argument", message: `pad ${pad.join("x")} and /same contradict each other`, hint: "write either an explicit pad or /same" };
    return {
      kind: "deconv",
      filters: getNumber(args, "filters") ?? 32,
      kernel,
      stride: getInts(args, "stride") ?? [1],
      pad: getWord(args, "padding") === "same" ? undefined : (pad ?? [0]),
      bias: getBoolean(args, "bias"),
      init: getWord(args, "init"),
    };
  },

  infer(s: DeconvSettings, input: Shape): InferResult {
    if (input.length < 2) return { ok: false, code: "wrong-rank", message: `DECONV needs an image or a sequence, but gets ${describeRank(input)}`, hint: "put DECONV before the first FC" };
    const spatial = spatialOf(input);
    for (const [values, what] of [[s.kernel, "filter size"], [s.stride, "stride"], [s.pad ?? [0], "pad"]] as const) {
      if (values.length !== 1 && values.length !== spatial.length) return { ok: false, code: "wrong-rank", message: `a ${spatial.length}-D input takes one ${what} per axis, not ${values.join("x")}` };
    }
    const output: number[] = [];
    for (let axis = 0; axis < spatial.length; axis++) {
      const [n, k, st] = [spatial[axis]!, axisValue(s.kernel, axis), axisValue(s.stride, axis)];
      if (s.pad === undefined) {
        output.push(n * st);
        continue;
      }
      const p = axisValue(s.pad, axis);
      if (p > k - 1) return { ok: false, code: "size-too-small", message: `pad ${p} crops more than a ${k}-wide filter adds at each border (at most k - 1 = ${k - 1})`, hint: `use /p${Math.max(0, Math.min(k - 1, Math.floor((k - st) / 2)))}, or /same for an output of ${Number.isFinite(n) ? n * st : "N*s"}` };
      const size = (n - 1) * st - 2 * p + k;
      if (size < 1) return { ok: false, code: "size-too-small", message: `${deconvFormula(n, st, p, k)} = ${size} leaves no output`, hint: "use a smaller pad or a larger filter" };
      output.push(size);
    }
    const cin = channelsOf(input);
    const window = s.kernel.length === 1 ? axisValue(s.kernel, 0) ** spatial.length : s.kernel.reduce((a, b) => a * b, 1);
    const kernel = spatial.map((_, i) => axisValue(s.kernel, i));
    return {
      ok: true,
      value: {
        output: [...output, s.filters],
        weights: window * cin * s.filters,
        biases: s.bias === false ? 0 : s.filters,
        nonTrainable: 0,
        macs: spatial.reduce((a, b) => a * b, 1) * cin * window * s.filters,
        reach: { type: "upsample", factor: spatial.map((_, i) => axisValue(s.stride, i)), kernel },
        formula: { weights: `(${[...kernel, cin].join("*")})*${s.filters}`, biases: `${s.filters}` },
      },
    };
  },

  compile(layer, ctx) {
    const s = layer.settings;
    const rank = layer.inputShape.length;
    const kernel = asImageWindow(s.kernel, rank);
    const stride = asImageWindow(s.stride, rank);
    const deconv = tf.layers.conv2dTranspose({
      filters: s.filters,
      kernelSize: kernel,
      strides: stride,
      padding: s.pad === undefined ? "same" : "valid",
      useBias: s.bias !== false,
      ...activationOption(layer.activation),
      ...weightOptions(ctx, s.init),
      name: tfName(layer.name),
    });
    const layers: tf.layers.Layer[] = [deconv];
    if (s.pad !== undefined) {
      // tfjs's valid output is (N - 1)*s + max(k, s): crop p at both ends, and the max(s - k, 0) extra at the end.
      const pad: [number, number] = rank === 3 ? asImageWindow(s.pad, rank) : [s.pad[0]!, 0];
      const crop = (axis: 0 | 1): [number, number] => [pad[axis], pad[axis] + Math.max(0, stride[axis] - kernel[axis])];
      if (crop(0).some((c) => c > 0) || crop(1).some((c) => c > 0)) layers.push(tf.layers.cropping2D({ cropping: [crop(0), crop(1)], name: tfName(layer.name, "crop") }));
    }
    return as2d(layer.name, layer.inputShape, layer.outputShape, layers);
  },

  label(s: DeconvSettings): string {
    const stride = s.stride.every((v) => v === 1) ? "" : `/s${s.stride.join("x")}`;
    const pad = s.pad === undefined ? "/same" : s.pad.every((p) => p === 0) ? "" : `/p${s.pad.join("x")}`;
    return `DECONV${s.kernel.join("x")}-${s.filters}${stride}${pad}`;
  },
};
