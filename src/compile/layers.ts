// One checked layer to the tfjs layers that compute it, in order. Most map to one tfjs layer;
// an explicit pad adds a ZeroPadding layer before the convolution, a dense layer on a volume a
// Flatten, and an activation that tfjs cannot fuse its own layer after.
import { tf } from "../backend/tf.js";
import type { ConvSettings } from "../layers/conv.js";
import type { Padding } from "../layers/output-size.js";
import type { PoolSettings } from "../layers/pool.js";
import type { CheckedLayer } from "../shapes/network.js";
import type { Initializer } from "../shapes/settings.js";
import { activationLayer, fusedActivation } from "./activations.js";
import { kernelInitializer } from "./initializers.js";
import { LocalResponseNormalization } from "./lrn-layer.js";

export interface LayerBuildContext {
  init: Initializer;
  /** Next seed for a weight initialiser; undefined for unseeded. */
  nextSeed(): number | undefined;
  /** Penalties on CONV and FC weights (not biases), added to the loss. */
  regularization?: { l1: number; l2: number };
}

function weightRegularizer(ctx: LayerBuildContext) {
  return ctx.regularization ? { kernelRegularizer: tf.regularizers.l1l2(ctx.regularization) } : {};
}

/** The tfjs name of a checked layer: `CONV1` -> `conv1`, parts get a suffix (`conv1_pad`). */
export function tfName(checkedName: string, part?: string): string {
  return part ? `${checkedName.toLowerCase()}_${part}` : checkedName.toLowerCase();
}

function tfPadding(padding: Padding): "same" | "valid" {
  return padding.mode === "same" ? "same" : "valid";
}

/** Zero padding for an explicit pad; 1-D inputs go through a 2-D padding by a reshape. */
function explicitPadding(padding: Padding, layer: CheckedLayer): tf.layers.Layer[] {
  if (padding.mode !== "explicit" || padding.pad.every((p) => p === 0)) return [];
  const rank = layer.inputShape.length;
  const pad = (axis: number) => padding.pad[axis] ?? padding.pad[0]!;
  if (rank === 3) {
    return [tf.layers.zeroPadding2d({ padding: [[pad(0), pad(0)], [pad(1), pad(1)]], name: tfName(layer.name, "pad") })];
  }
  const [length, channels] = layer.inputShape as [number, number];
  return [
    tf.layers.reshape({ targetShape: [length, 1, channels], name: tfName(layer.name, "to2d") }),
    tf.layers.zeroPadding2d({ padding: [[pad(0), pad(0)], [0, 0]], name: tfName(layer.name, "pad") }),
    tf.layers.reshape({ targetShape: [length + 2 * pad(0), channels], name: tfName(layer.name, "to1d") }),
  ];
}

function withActivation(layer: CheckedLayer, core: tf.layers.Layer[]): tf.layers.Layer[] {
  const fused = fusedActivation(layer.activation);
  const canFuse = layer.kind === "conv" || layer.kind === "dense";
  if (!layer.activation || layer.activation.fn === "linear" || (canFuse && fused)) return core;
  return [...core, activationLayer(layer.activation, tfName(layer.name, layer.activation.fn), layer.outputShape.length)];
}

function convLayers(layer: CheckedLayer, s: ConvSettings, ctx: LayerBuildContext): tf.layers.Layer[] {
  const fused = fusedActivation(layer.activation) ?? "linear";
  const common = {
    filters: s.filters,
    padding: tfPadding(s.padding),
    useBias: s.bias !== false,
    activation: fused,
    kernelInitializer: kernelInitializer((s.init as Initializer | undefined) ?? ctx.init, ctx.nextSeed()),
    ...weightRegularizer(ctx),
    name: tfName(layer.name),
  };
  const spatialRank = layer.inputShape.length - 1;
  const axis = (values: number[], i: number) => values[i] ?? values[0]!;
  const conv =
    spatialRank === 2
      ? tf.layers.conv2d({ ...common, kernelSize: [axis(s.kernel, 0), axis(s.kernel, 1)], strides: [axis(s.stride, 0), axis(s.stride, 1)], dilationRate: [axis(s.dilation, 0), axis(s.dilation, 1)] })
      : tf.layers.conv1d({ ...common, kernelSize: s.kernel[0]!, strides: s.stride[0]!, dilationRate: s.dilation[0]! });
  return withActivation(layer, [...explicitPadding(s.padding, layer), conv]);
}

function poolLayers(layer: CheckedLayer, s: PoolSettings): tf.layers.Layer[] {
  const name = tfName(layer.name);
  const padding = tfPadding(s.padding);
  const axis = (values: number[], i: number) => values[i] ?? values[0]!;
  let pool: tf.layers.Layer;
  if (layer.inputShape.length === 3) {
    const args = { poolSize: [axis(s.size, 0), axis(s.size, 1)] as [number, number], strides: [axis(s.stride, 0), axis(s.stride, 1)] as [number, number], padding, name };
    pool = s.mode === "max" ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
  } else {
    const args = { poolSize: s.size[0]!, strides: s.stride[0]!, padding, name };
    pool = s.mode === "max" ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args);
  }
  // Pools follow ReLUs, so zero padding equals the -infinity padding max pooling would want.
  return [...explicitPadding(s.padding, layer), pool];
}

export function tfLayersFor(layer: CheckedLayer, ctx: LayerBuildContext): tf.layers.Layer[] {
  const s = layer.settings;
  const name = tfName(layer.name);
  switch (s.kind) {
    case "input":
      return [];
    case "conv":
      return convLayers(layer, s, ctx);
    case "pool":
      return poolLayers(layer, s);
    case "global-pool": {
      const spatial2d = layer.inputShape.length === 3;
      if (s.mode === "avg") return [spatial2d ? tf.layers.globalAveragePooling2d({ name }) : tf.layers.globalAveragePooling1d({ name })];
      return [spatial2d ? tf.layers.globalMaxPooling2d({ name }) : tf.layers.globalMaxPooling1d({ name })];
    }
    case "dense": {
      const dense = tf.layers.dense({
        units: s.units,
        useBias: s.bias !== false,
        activation: fusedActivation(layer.activation) ?? "linear",
        kernelInitializer: kernelInitializer((s.init as Initializer | undefined) ?? ctx.init, ctx.nextSeed()),
        ...weightRegularizer(ctx),
        name,
      });
      const flatten = layer.flattensInput ? [tf.layers.flatten({ name: tfName(layer.name, "flatten") })] : [];
      return withActivation(layer, [...flatten, dense]);
    }
    case "flatten":
      return [tf.layers.flatten({ name })];
    case "dropout":
      return [tf.layers.dropout({ rate: s.rate, name })];
    case "batch-norm":
      return withActivation(layer, [tf.layers.batchNormalization({ axis: -1, momentum: s.momentum, epsilon: s.epsilon, name })]);
    case "lrn":
      return [new LocalResponseNormalization({ size: s.size, alpha: s.alpha, beta: s.beta, k: s.k, name })];
    case "activation":
      return [activationLayer(s, name, layer.outputShape.length)];
  }
}
