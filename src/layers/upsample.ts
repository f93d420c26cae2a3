// Nearest-neighbour upsampling: every value repeated s times along each axis; no parameters.
import { tf } from "../backend/tf.js";
import { as2d, tfName } from "../compile/parts.js";
import { getInts, type ResolvedArguments } from "./arguments.js";
import { asImageWindow } from "./depthwise.js";
import type { InferResult, LayerKindDefinition } from "./kind.js";
import { channelsOf, describeRank, spatialOf, type Shape } from "./shape.js";

export interface UpsampleSettings {
  kind: "upsample";
  factor: number[];
}

export const upsample: LayerKindDefinition<UpsampleSettings> = {
  kind: "upsample",
  title: "Upsampling",
  doc: [
    "Nearest-neighbour upsampling: every value is repeated `s` times along each axis (`s x s` times on",
    "an image), so `UPSAMPLE2` makes 14x14 into 28x28 with the depth kept. No parameters: the",
    "learned alternative is DECONV. Written `UPSAMPLE2x1` it repeats rows only.",
  ].join("\n"),
  keywords: [{ word: "UPSAMPLE", summary: "nearest-neighbour upsampling, e.g. UPSAMPLE2 (14x14 -> 28x28)" }],
  syntax: ["UPSAMPLEs", "UPSAMPLEhxw", "UPSAMPLE(size=s)"],
  examples: ["INPUT 7x7x64 UPSAMPLE2 CONV3-32 UPSAMPLE2 CONV3-1  # 14x14x64, then 28x28x32"],
  arguments: [{ name: "size", type: "ints", doc: "repetitions along each axis", defaultText: "2" }],
  suffix: "size",
  naming: { prefix: () => "UPSAMPLE", count: "own" },
  conventions: { activation: "none", bias: false },
  diagram: { colour: "#ffe8a3" },
  settings: (args: ResolvedArguments) => ({ kind: "upsample", factor: getInts(args, "size") ?? [2] }),
  infer(s: UpsampleSettings, input: Shape): InferResult {
    if (input.length < 2) return { ok: false, code: "wrong-rank", message: `UPSAMPLE needs an image or a sequence, but gets ${describeRank(input)}` };
    const spatial = spatialOf(input);
    if (s.factor.length !== 1 && s.factor.length !== spatial.length) return { ok: false, code: "wrong-rank", message: `a ${spatial.length}-D input takes one size per axis, not ${s.factor.join("x")}` };
    const factor = spatial.map((_, i) => s.factor[i] ?? s.factor[0]!);
    return { ok: true, value: { output: [...spatial.map((n, i) => n * factor[i]!), channelsOf(input)], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "upsample", factor, kernel: factor } } };
  },
  compile(layer) {
    const size = asImageWindow(layer.settings.factor, layer.inputShape.length);
    return as2d(layer.name, layer.inputShape, layer.outputShape, [tf.layers.upSampling2d({ size, name: tfName(layer.name) })]);
  },
  label: (s) => `UPSAMPLE${s.factor.join("x")}`,
};
