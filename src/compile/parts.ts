// Building blocks the layer kinds (src/layers) use to compile themselves to tfjs: names, padding,
// weight initialisation and penalties, the activation a tfjs layer can apply itself.
import { tf } from "../backend/tf.js";
import type { ActivationSettings } from "../layers/activation.js";
import type { Padding } from "../layers/output-size.js";
import type { Shape } from "../layers/shape.js";
import type { Initializer } from "../shapes/defaults.js";
import { fusedActivation, type FusedName } from "./activations.js";
import { kernelInitializer, type WeightInitializer } from "./initializers.js";

export interface LayerBuildContext {
  init: Initializer;
  /** Next seed for a weight initialiser; undefined for unseeded. */
  nextSeed(): number | undefined;
  /** Penalties on the weights of weight layers (not biases), added to the loss. */
  regularization?: { l1: number; l2: number };
}

/** The tfjs name of a checked layer: `CONV1` -> `conv1`, parts get a suffix (`conv1_pad`). */
export function tfName(checkedName: string, part?: string): string {
  return part ? `${checkedName.toLowerCase()}_${part}` : checkedName.toLowerCase();
}

export function tfPadding(padding: Padding): "same" | "valid" {
  return padding.mode === "same" ? "same" : "valid";
}

/** The value for one axis: `[3]` is 3 on every axis. */
export function perAxis(values: readonly number[], axis: number): number {
  return values[axis] ?? values[0]!;
}

/** Initialiser (the layer's own, else the network's) and the weight penalty, as tfjs options. */
export function weightOptions(ctx: LayerBuildContext, init: string | undefined, prefix: "kernel" | "depthwise" | "pointwise" = "kernel"): Record<string, WeightInitializer | ReturnType<typeof tf.regularizers.l1l2>> {
  const options: Record<string, WeightInitializer | ReturnType<typeof tf.regularizers.l1l2>> = {
    [`${prefix}Initializer`]: kernelInitializer((init as Initializer | undefined) ?? ctx.init, ctx.nextSeed()),
  };
  if (ctx.regularization) options[`${prefix}Regularizer`] = tf.regularizers.l1l2(ctx.regularization);
  return options;
}

/** `activation: "relu"` for a tfjs layer that applies it itself; "linear" when it needs a layer of its own. */
export function activationOption(activation: ActivationSettings | undefined): { activation: FusedName } {
  return { activation: fusedActivation(activation) ?? "linear" };
}

/** A length, or -1 for reshape to work it out when it is not known until the network runs. */
const known = (n: number) => (Number.isFinite(n) ? n : -1);

/** A 1-D input [length, channels] seen as a 2-D one [length, 1, channels], and back (the length may be unknown). */
export function as2d(name: string, inputShape: Shape, outputShape: Shape, core: tf.layers.Layer[]): tf.layers.Layer[] {
  if (inputShape.length !== 2) return core;
  return [
    tf.layers.reshape({ targetShape: [known(inputShape[0]!), 1, inputShape[1]!], name: tfName(name, "as2d") }),
    ...core,
    tf.layers.reshape({ targetShape: [known(outputShape[0]!), outputShape[1]!], name: tfName(name, "as1d") }),
  ];
}

/** Zero padding for an explicit pad; 1-D inputs go through a 2-D padding by a reshape. */
export function explicitPadding(padding: Padding, name: string, inputShape: Shape): tf.layers.Layer[] {
  if (padding.mode !== "explicit" || padding.pad.every((p) => p === 0)) return [];
  const pad = (axis: number) => perAxis(padding.pad, axis);
  if (inputShape.length === 3) {
    return [tf.layers.zeroPadding2d({ padding: [[pad(0), pad(0)], [pad(1), pad(1)]], name: tfName(name, "pad") })];
  }
  const channels = inputShape[1]!;
  return [
    tf.layers.reshape({ targetShape: [-1, 1, channels], name: tfName(name, "to2d") }),
    tf.layers.zeroPadding2d({ padding: [[pad(0), pad(0)], [0, 0]], name: tfName(name, "pad") }),
    tf.layers.reshape({ targetShape: [-1, channels], name: tfName(name, "to1d") }),
  ];
}
