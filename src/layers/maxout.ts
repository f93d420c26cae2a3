// Maxout (Goodfellow et al. 2013), cross-channel pooling: the maximum of each group of k channels
// (or units), so C channels become C/k. No parameters; the nonlinearity of the layer before it.
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";
import { getNumber, type ResolvedArguments } from "./arguments.js";
import type { InferResult, LayerKindDefinition } from "./kind.js";
import { channelsOf, spatialOf, type Shape } from "./shape.js";

export interface MaxoutSettings {
  kind: "maxout";
  pieces: number;
}

export const maxout: LayerKindDefinition<MaxoutSettings> = {
  kind: "maxout",
  title: "Maxout",
  doc: [
    "Maxout, or pooling across channels (Goodfellow et al. 2013; Deep Learning book, ch. 9): the",
    "channels (or the units of a vector) are taken in groups of `k` neighbours and each group gives",
    "its maximum, so `C` channels become `C/k`. It is the nonlinearity of the layer before it: a CONV",
    "or FC written right before MAXOUT gets no ReLU (`CONV3-64 MAXOUT4` is 16 maxout units of 4",
    "linear pieces each). With groups of filters that detect rotated versions of a pattern, the",
    "maximum is invariant to the rotation. No parameters; `C` must be a multiple of `k`.",
  ].join("\n"),
  keywords: [{ word: "MAXOUT", summary: "maxout over groups of k channels or units, e.g. MAXOUT4 (64 -> 16)" }],
  syntax: ["MAXOUTk", "MAXOUT(pieces=k)"],
  examples: ["INPUT 28x28 CONV5-48 MAXOUT2 POOL2 FC-240 MAXOUT5 FC-10 SOFTMAX  # 24 maps, 48 units"],
  arguments: [{ name: "pieces", type: "int", doc: "channels (linear pieces) per maxout unit", defaultText: "2" }],
  suffix: "pieces",
  naming: { prefix: () => "MAXOUT", count: "own" },
  conventions: { activation: "is-one", bias: false },
  diagram: { colour: "#f4acb7" },
  settings: (args: ResolvedArguments) => ({ kind: "maxout", pieces: getNumber(args, "pieces") ?? 2 }),
  infer(s: MaxoutSettings, input: Shape): InferResult {
    const c = channelsOf(input);
    if (c % s.pieces !== 0) {
      const fits = [2, 3, 4, 5, 6, 8].filter((k) => c % k === 0).slice(0, 3);
      const what = input.length === 1 ? "units" : "channels";
      return {
        ok: false,
        code: "shape-mismatch",
        message: `${c} ${what} / ${s.pieces} pieces = ${Math.round((c / s.pieces) * 100) / 100} is not a whole number: every maxout unit takes ${s.pieces} ${what}`,
        hint: fits.length > 0 ? `use ${fits.map((k) => `MAXOUT${k}`).join(", ")}, or make the layer before give a multiple of ${s.pieces}` : `make the layer before give a multiple of ${s.pieces} ${what}`,
      };
    }
    return { ok: true, value: { output: [...spatialOf(input), c / s.pieces], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" } } };
  },
  compile: (layer) => [new Maxout({ pieces: layer.settings.pieces, name: tfName(layer.name) })],
  label: (s) => `MAXOUT${s.pieces}`,
};

/** The layer: the last axis split into (C/k, k), then the maximum over k. Reshape and max have gradients on every backend. */
export class Maxout extends tf.layers.Layer {
  static className = "ConvNoteMaxout";
  readonly pieces: number;

  constructor(args: { pieces: number; name?: string }) {
    super(args.name === undefined ? {} : { name: args.name });
    this.pieces = args.pieces;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), shape[shape.length - 1]! / this.pieces];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const c = x.shape[x.shape.length - 1]!;
      // [positions, units, pieces] whatever the rank, so every backend's kernels (rank 4 at most on webgpu) apply.
      const groups = tf.max(tf.reshape(x, [-1, c / this.pieces, this.pieces]), -1);
      return tf.reshape(groups, [...x.shape.slice(0, -1), c / this.pieces]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pieces: this.pieces };
  }
}

tf.serialization.registerClass(Maxout);
