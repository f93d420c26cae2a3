/**
 * Batch normalization on the native backend, per channel and in the layout the activation
 * arrives in:
 *  - FusedBatchNorm (tf.batchNorm): one pass, x·a + b with a = scale/√(variance+ε) and
 *    b = offset − mean·a worked out first for the C channels;
 *  - ConvNoteMoments: a batch's mean and variance per channel (what tf.moments computes with
 *    five operations over the whole activation), and ConvNoteMomentsGrad, its gradient;
 *  - ConvNoteBatchNormGrad: FusedBatchNorm's gradient to x, mean, variance, scale and offset
 *    at once (tfjs-core's takes about fifteen operations, one a Tile of the whole activation);
 *    with the attribute throughMoments, for a batch normalized by its own moments, dx includes
 *    the moments' gradient too (what ConvNoteMomentsGrad and an Add would otherwise give).
 * training.ts routes tf.moments and the gradients to them.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon.js";
import { attrsOf, input, type KernelArgs, type KernelFill, type StockLookup } from "../../fills/fill_types.js";
import type { NativeBackend } from "../backend.js";
import { NATIVE_MIN_ELEMENTS } from "./elementwise.js";
import { fallBack, nativeBackend } from "./context.js";

export const MOMENTS = "ConvNoteMoments";
export const MOMENTS_GRAD = "ConvNoteMomentsGrad";
export const BATCH_NORM_GRAD = "ConvNoteBatchNormGrad";

/** A per-channel vector ([C] or [1,1,1,C]) of plain float32 data; undefined when it is not one. */
function channelVector(backend: NativeBackend, t: tf.TensorInfo | undefined | null, channels: number): Float32Array | null | undefined {
  if (t === undefined || t === null) return null;
  const data = backend.nativeInput(t);
  return data !== null && data.layout === 0 && t.shape[t.shape.length - 1] === channels && tf.util.sizeFromShape(t.shape) === channels
    ? data.data : undefined;
}

function required(backend: NativeBackend, args: KernelArgs, name: string, kernelName: string, channels: number): Float32Array {
  const v = channelVector(backend, input(args, name, kernelName), channels);
  if (!v) throw new Error(`${kernelName}: '${name}' must be a float32 vector of ${channels} values`);
  return v;
}

function batchNorm(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { varianceEpsilon } = attrsOf<tf.FusedBatchNormAttrs>(args);
    const backend = nativeBackend(args);
    const x = input(args, "x", tf.FusedBatchNorm);
    const xData = backend.nativeInput(x);
    const channels = x.shape[x.shape.length - 1];
    const mean = channelVector(backend, args.inputs.mean, channels);
    const variance = channelVector(backend, args.inputs.variance, channels);
    const offset = channelVector(backend, args.inputs.offset, channels);
    const scale = channelVector(backend, args.inputs.scale, channels);
    if (xData === null || x.shape.length !== 4 || !mean || !variance || offset === undefined || scale === undefined ||
      (xData.layout === 0 && tf.util.sizeFromShape(x.shape) < NATIVE_MIN_ELEMENTS)) {
      return fallBack(previous, tf.FusedBatchNorm, args);
    }
    const a = new Float32Array(channels);
    const b = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      a[c] = (scale ? scale[c] : 1) / Math.sqrt(variance[c] + varianceEpsilon);
      b[c] = (offset ? offset[c] : 0) - mean[c] * a[c];
    }
    return backend.output(x.shape, addon.channelAffine(xData.data, xData.layout, x.shape, a, b));
  };
}

function activation(backend: NativeBackend, args: KernelArgs, name: string, kernelName: string) {
  const t = input(args, name, kernelName);
  const data = backend.nativeInput(t);
  if (data === null || t.shape.length !== 4) throw new Error(`${kernelName}: '${name}' must be a 4-D float32 tensor`);
  return { t, data };
}

function moments(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const backend = nativeBackend(args);
    const { t: x, data } = activation(backend, args, "x", MOMENTS);
    const { mean, variance } = addon.channelMoments(data.data, data.layout, x.shape);
    const channels = [x.shape[3]];
    return [backend.output(channels, mean), backend.output(channels, variance)];
  };
}

function momentsGrad(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = nativeBackend(args);
    const { t: x, data } = activation(backend, args, "x", MOMENTS_GRAD);
    const c = x.shape[3];
    const mean = required(backend, args, "mean", MOMENTS_GRAD, c);
    const dmean = required(backend, args, "dmean", MOMENTS_GRAD, c);
    const dvariance = required(backend, args, "dvariance", MOMENTS_GRAD, c);
    return backend.output(x.shape, addon.momentsBackward(data.data, data.layout, x.shape, mean, dmean, dvariance));
  };
}

function batchNormGrad(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const { varianceEpsilon, throughMoments } = attrsOf<tf.FusedBatchNormAttrs & { throughMoments?: boolean }>(args);
    const backend = nativeBackend(args);
    const { t: x, data: xData } = activation(backend, args, "x", BATCH_NORM_GRAD);
    const { data: dyData } = activation(backend, args, "dy", BATCH_NORM_GRAD);
    const c = x.shape[3];
    const scale = channelVector(backend, args.inputs.scale, c);
    if (scale === undefined) throw new Error(`${BATCH_NORM_GRAD}: 'scale' must be a float32 vector of ${c} values`);
    const g = addon.batchNormBackward(dyData.data, dyData.layout, xData.data, xData.layout, x.shape,
      required(backend, args, "mean", BATCH_NORM_GRAD, c), required(backend, args, "variance", BATCH_NORM_GRAD, c), scale, varianceEpsilon,
      throughMoments === true);
    return [backend.output(x.shape, g.dx), ...[g.dmean, g.dvariance, g.dscale, g.doffset].map((v) => backend.output([c], v))];
  };
}

export function batchNormOps(addon: NativeAddon, previous: StockLookup): KernelFill[] {
  const fill = (kernelName: string, how: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): KernelFill =>
    ({ kernelName, backendName: "native", reason: "faster", how, kernelFunc: kernelFunc as tf.KernelFunc });
  return [
    fill(tf.FusedBatchNorm, "one pass per channel in the input's layout", batchNorm(addon, previous)),
    fill(MOMENTS, "a batch's mean and variance per channel, two passes", moments(addon)),
    fill(MOMENTS_GRAD, "the moments' gradient in one pass", momentsGrad(addon)),
    fill(BATCH_NORM_GRAD, "batch norm's five gradients in one reading and one writing pass", batchNormGrad(addon)),
  ];
}
