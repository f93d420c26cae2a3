// Global pooling: one value per channel, the mean (GAP) or the maximum (GMP, "max over time").
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";
import { getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, LayerKindDefinition } from "./kind.js";
import { channelsOf, describeRank, type Shape } from "./shape.js";

export interface GlobalPoolSettings {
  kind: "global-pool";
  mode: "max" | "avg";
}

export const globalPool: LayerKindDefinition<GlobalPoolSettings> = {
  kind: "global-pool",
  title: "Global pooling",
  doc: [
    "Global average pooling (`GAP`) replaces each channel by its mean over all positions, so an",
    "`H x W x C` volume becomes a vector of `C` values (GoogLeNet and ResNet use it instead of large",
    "FC layers). Global max pooling (`GMP`) keeps each channel's maximum: on a sequence this is the",
    "max-over-time pooling of text CNNs. No parameters.",
  ].join("\n"),
  keywords: [
    { word: "GAP", summary: "global average pooling: HxWxC to C", preset: { mode: "avg" } },
    { word: "GMP", summary: "global max pooling (max over time): HxWxC or LxC to C", preset: { mode: "max" } },
  ],
  syntax: ["GAP", "GMP"],
  examples: ["INPUT 7x7x512 GAP FC-1000 SOFTMAX", "INPUT1D 60x50 CONV3-100 GMP"],
  arguments: [{ name: "mode", type: "word", choices: ["max", "avg"], doc: "average or maximum" }],
  naming: { prefix: (s) => (s.mode === "avg" ? "GAP" : "GMP"), count: "own" },
  conventions: { activation: "none", bias: false },
  diagram: { colour: "#fb8500" },
  settings(args: ResolvedArguments): GlobalPoolSettings {
    return { kind: "global-pool", mode: getWord(args, "mode") === "max" ? "max" : "avg" };
  },
  infer(_s: GlobalPoolSettings, input: Shape): InferResult {
    if (input.length < 2) return { ok: false, code: "wrong-rank", message: `global pooling needs an image or a sequence, but gets ${describeRank(input)}` };
    return { ok: true, value: { output: [channelsOf(input)], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "global" } } };
  },
  compile(layer) {
    const name = tfName(layer.name);
    const image = layer.inputShape.length === 3;
    if (layer.settings.mode === "avg") return [image ? tf.layers.globalAveragePooling2d({ name }) : tf.layers.globalAveragePooling1d({ name })];
    return [image ? tf.layers.globalMaxPooling2d({ name }) : tf.layers.globalMaxPooling1d({ name })];
  },
  label(s: GlobalPoolSettings): string {
    return s.mode === "avg" ? "GAP" : "GMP";
  },
};
