/**
 * Training paths that tfjs leaves unfused, fused on the native backend.
 *
 * While it records gradients, `tf.fused.conv2d` (what tf.layers.conv2d calls) does not use the
 * FusedConv2D kernel: it runs Conv2D, then Add for the bias, then Relu, and its gradient runs
 * Step and Multiply for the ReLU — four extra passes over every activation, each a new array.
 * On the native backend this module makes a training convolution one FusedConv2D kernel (bias
 * and ReLU as oneDNN post-ops) with a registered gradient whose ReLU part is one oneDNN pass
 * (ConvNoteReluGrad). The gradient is lazy per input, as tfjs's own are, so a frozen layer's
 * filter gradient and the input image's gradient are never computed. A convolution with no bias
 * and no activation is trained as a plain Conv2D, whose gradient is lazy in the same way.
 *
 * Every other case — another backend, other activations, dilation, NCHW — goes the way
 * it went before. The Relu op's own gradient uses the same one-pass kernel on native.
 *
 * Batch normalization in training is tf.moments (mean, subtract, square, mean) then
 * tf.batchNorm, and its gradient some twenty operations over the whole activation, one a
 * JavaScript Tile. On native, tf.moments over batch, height and width is one kernel
 * (ConvNoteMoments), and tf.batchNorm of a batch by its own moments (what tf.layers does in
 * training) has one gradient kernel that gives dx through the moments as well, and the scale's
 * and offset's gradients (ops/batchnorm.ts): two passes where the moments' gradient and the sum
 * of the two parts of dx took two more. Other uses of the moments keep a one-pass gradient.
 *
 * tfjs's Adam runs a dozen small operations per variable per step, each with an engine call's
 * bookkeeping; on native one kernel (ConvNoteAdam) updates a variable and both its moments.
 */
import * as tf from "@tensorflow/tfjs";
import { input, type KernelArgs } from "../fills/fill_types.js";
import { NATIVE_BACKEND, type NativeBackend } from "./backend.js";
import { BATCH_NORM_GRAD, MOMENTS, MOMENTS_GRAD } from "./ops/batchnorm.js";
import { ADAM, type AdamAttrs } from "./ops/optimizer.js";

/** Kernel: dy where y > 0, else 0 (the ReLU gradient in one pass). */
export const RELU_GRAD = "ConvNoteReluGrad";

function onNative(): boolean {
  return tf.getBackend() === NATIVE_BACKEND;
}

function reluGradKernel(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as NativeBackend;
  const dy = input(args, "dy", RELU_GRAD);
  const y = input(args, "y", RELU_GRAD);
  const dyData = backend.nativeInput(dy);
  const yData = backend.nativeInput(y);
  if (dyData === null || yData === null || !tf.util.arraysEqual(dy.shape, y.shape)) {
    throw new Error(`${RELU_GRAD}: needs two float32 tensors of one shape, got [${dy.shape}] and [${y.shape}]`);
  }
  return backend.output(y.shape, backend.addon.reluBackward(dyData.data, dyData.layout, yData.data, yData.layout, y.shape));
}

/** The ReLU gradient: one native pass on the native backend, tfjs's formula elsewhere. */
function reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (onNative() && dy.dtype === "float32") return tf.engine().runKernel(RELU_GRAD, { dy, y }) as tf.Tensor;
  return tf.mul(dy, tf.cast(tf.step(y), "float32"));
}

type FusedConv2dArgs = Parameters<typeof tf.fused.conv2d>[0];

function trainsFused(args: FusedConv2dArgs): boolean {
  const activation = args.activation ?? "linear";
  const dilations = args.dilations ?? 1;
  const undilated = typeof dilations === "number" ? dilations === 1 : dilations.every((d) => d === 1);
  return onNative() && tf.engine().state.gradientDepth > 0 && (activation === "linear" || activation === "relu") &&
    args.bias != null && args.preluActivationWeights == null && (args.dataFormat ?? "NHWC") === "NHWC" &&
    undilated && (args.x as tf.Tensor).rank === 4 && (args.x as tf.Tensor).dtype === "float32";
}

function isBareConvInTraining(args: FusedConv2dArgs): boolean {
  return onNative() && tf.engine().state.gradientDepth > 0 && (args.activation ?? "linear") === "linear" &&
    args.bias == null && args.preluActivationWeights == null && (args.dataFormat ?? "NHWC") === "NHWC";
}

/** A per-channel vector as tfjs gave it ([C] or [1,1,1,C]) is what the native kernels take. */
function isChannelVector(t: tf.Tensor | undefined, channels: number): boolean {
  return t === undefined || (t.dtype === "float32" && t.size === channels && t.shape[t.rank - 1] === channels);
}

type MomentsFunction = (x: tf.Tensor | tf.TensorLike, axis?: number | number[], keepDims?: boolean) => { mean: tf.Tensor; variance: tf.Tensor };

/** Moments the native tf.moments computed, by their mean: the tensor and the variance that go with it. */
const ownMoments = new WeakMap<tf.Tensor, { x: tf.Tensor; variance: tf.Tensor }>();

/** tf.moments over batch, height and width of a 4-D float32 tensor, on native: one kernel. */
function nativeMoments(stock: MomentsFunction): MomentsFunction {
  return (x, axis, keepDims = false) => {
    const t = x instanceof tf.Tensor ? x : null;
    const axes = t === null ? [] : tf.util.parseAxisParam(axis ?? null as unknown as number[], t.shape).sort();
    if (!onNative() || t === null || t.rank !== 4 || t.dtype !== "float32" || keepDims || axes.join() !== "0,1,2") return stock(x, axis, keepDims);
    const [mean, variance] = tf.engine().runKernel(MOMENTS, { x: t }) as tf.Tensor[];
    ownMoments.set(mean!, { x: t, variance: variance! });
    return { mean: mean!, variance: variance! };
  };
}

type VectorLike = tf.Tensor1D | tf.Tensor4D | tf.TensorLike;
type BatchNorm4dFunction = (x: tf.Tensor4D | tf.TensorLike, mean: VectorLike, variance: VectorLike, offset?: VectorLike, scale?: VectorLike,
  varianceEpsilon?: number) => tf.Tensor4D;

/**
 * tf.batchNorm4d of a training batch by its own moments (from the native tf.moments), with a
 * scale and an offset, as tf.layers.batchNormalization trains: a custom gradient to x, scale and
 * offset whose dx includes the moments' gradient, so the moments' own gradient never runs.
 */
function nativeTrainingBatchNorm(stock: BatchNorm4dFunction): BatchNorm4dFunction {
  return (x, mean, variance, offset, scale, varianceEpsilon = 0.001) => {
    const own = mean instanceof tf.Tensor ? ownMoments.get(mean) : undefined;
    const channels = own?.x.shape[3] ?? 0;
    if (!onNative() || tf.engine().state.gradientDepth === 0 || own === undefined || own.x !== x || own.variance !== variance ||
      !(offset instanceof tf.Tensor) || !(scale instanceof tf.Tensor) || !isChannelVector(offset, channels) || !isChannelVector(scale, channels)) {
      return stock(x, mean, variance, offset, scale, varianceEpsilon);
    }
    const batchMean = mean as tf.Tensor;
    const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta] = args as tf.Tensor[];
      // Saved, not captured: tf.grads disposes the forward pass's other tensors before backprop.
      (args[3] as tf.GradSaveFunc)([input!, gamma!, batchMean, own.variance]);
      const value = tf.engine().runKernel(tf.FusedBatchNorm, { x: input, mean: batchMean, variance: own.variance, scale: gamma, offset: beta },
        { varianceEpsilon }) as tf.Tensor;
      const gradFunc = (dy: tf.Tensor, [savedX, savedScale, savedMean, savedVariance]: tf.Tensor[]) => {
        const [dx, dmean, dvariance, dscale, doffset] = tf.engine().runKernel(BATCH_NORM_GRAD,
          { dy, x: savedX!, mean: savedMean!, variance: savedVariance!, scale: savedScale! },
          { varianceEpsilon, throughMoments: true } as unknown as tf.NamedAttrMap) as tf.Tensor[];
        tf.dispose([dmean!, dvariance!]);
        return [dx!, tf.reshape(dscale!, gamma!.shape), tf.reshape(doffset!, beta!.shape)];
      };
      return { value, gradFunc };
    });
    return normalize(x as tf.Tensor, scale, offset) as tf.Tensor4D;
  };
}

/** An optimizer's gradient list entry (tfjs-core's NamedTensor, which tfjs does not export). */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** The fields of tfjs 4.22's AdamOptimizer that its applyGradients reads. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/** AdamOptimizer.applyGradients with one ConvNoteAdam kernel per variable (same arithmetic). */
function nativeAdamStep(this: AdamState, variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  const registered = tf.engine().registeredVariables;
  tf.tidy(() => {
    const [acc1, acc2] = [this.accBeta1.dataSync()[0]!, this.accBeta2.dataSync()[0]!];
    names.forEach((name, i) => {
      const value = registered[name]!;
      const moment = (list: AdamState["accumulatedFirstMoment"], suffix: string) =>
        (list[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) }).variable;
      const m = moment(this.accumulatedFirstMoment, "m");
      const v = moment(this.accumulatedSecondMoment, "v");
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const attrs: AdamAttrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
        oneMinusAccBeta1: 1 - acc1, oneMinusAccBeta2: 1 - acc2 };
      const [newValue, newM, newV] = tf.engine().runKernel(ADAM, { value, m, v, gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      m.assign(newM!);
      v.assign(newV!);
      value.assign(newValue!);
    });
    this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
    this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
  });
  this.incrementIterations();
}

let installed = false;

/** Installs the fused training paths (idempotent; they only act while 'native' is the backend). */
export function installFusedTraining(): void {
  if (installed) return;
  tf.registerKernel({ kernelName: RELU_GRAD, backendName: NATIVE_BACKEND, kernelFunc: reluGradKernel as tf.KernelFunc });

  const stockRelu = tf.getGradient(tf.Relu);
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      if (!onNative() || stockRelu === undefined) return stockRelu!.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => reluGrad(dy as tf.Tensor, x) };
    },
  });

  tf.registerGradient({
    kernelName: tf.FusedConv2D,
    inputsToSave: ["x", "filter", "bias"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, , y] = saved as tf.Tensor4D[];
      const a = attrs as unknown as tf.FusedConv2DAttrs;
      const dyAct = a.activation === "relu" ? reluGrad(dy as tf.Tensor, y) : (dy as tf.Tensor);
      const common = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat, dimRoundingMode: a.dimRoundingMode };
      return {
        x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dyAct, filter }, { ...common, inputShape: x.shape }) as tf.Tensor,
        filter: () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dyAct }, { ...common, filterShape: filter.shape }) as tf.Tensor,
        bias: () => tf.sum(dyAct, [0, 1, 2]),
      };
    },
  });

  const stockBatchNorm = tf.getGradient(tf.FusedBatchNorm);
  tf.registerGradient({
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ["x", "mean", "variance", "scale"],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as (tf.Tensor | undefined)[];
      const channels = x!.shape[x!.rank - 1]!;
      const native = onNative() && x!.rank === 4 && x!.dtype === "float32" && [mean, variance, scale].every((v) => isChannelVector(v, channels));
      if (!native || stockBatchNorm === undefined) return stockBatchNorm!.gradFunc(dy, saved, attrs);
      const [dx, dmean, dvariance, dscale, doffset] = tf.engine().runKernel(BATCH_NORM_GRAD,
        { dy: dy as tf.Tensor, x: x!, mean: mean!, variance: variance!, ...(scale ? { scale } : {}) }, attrs) as tf.Tensor[];
      const like = (g: tf.Tensor, t: tf.Tensor) => tf.reshape(g, t.shape);
      return {
        x: () => dx!,
        mean: () => like(dmean!, mean!),
        variance: () => like(dvariance!, variance!),
        scale: () => like(dscale!, scale ?? dscale!),
        offset: () => like(doffset!, dscale!),
      };
    },
  });

  tf.registerGradient({
    kernelName: MOMENTS,
    inputsToSave: ["x"],
    outputsToSave: [true, false],
    gradFunc: (dys, saved) => {
      const [dmean, dvariance] = dys as tf.Tensor[];
      const [x, mean] = saved;
      return { x: () => tf.engine().runKernel(MOMENTS_GRAD, { x: x!, mean: mean!, dmean: dmean!, dvariance: dvariance! }) as tf.Tensor };
    },
  });
  const adamPrototype = tf.AdamOptimizer.prototype as unknown as { applyGradients(g: tf.NamedTensorMap | NamedTensor[]): void };
  const stockAdam = adamPrototype.applyGradients;
  adamPrototype.applyGradients = function (this: AdamState, grads: tf.NamedTensorMap | NamedTensor[]) {
    const allFloat = (Array.isArray(grads) ? grads.map((g) => g.tensor) : Object.values(grads)).every((g) => g == null || g.dtype === "float32");
    return onNative() && allFloat ? nativeAdamStep.call(this, grads) : stockAdam.call(this, grads);
  };

  const core = require("@tensorflow/tfjs-core") as { moments: MomentsFunction; batchNorm4d: BatchNorm4dFunction };
  core.moments = nativeMoments(core.moments);
  core.batchNorm4d = nativeTrainingBatchNorm(core.batchNorm4d);

  const fusedOps = tf.fused as unknown as { conv2d: typeof tf.fused.conv2d };
  const before = fusedOps.conv2d;
  const fusedWhileTraining: typeof tf.fused.conv2d = <T extends tf.Tensor3D | tf.Tensor4D>(args: FusedConv2dArgs): T => {
    // A convolution with neither bias nor activation (before batch norm, as in ResNet) is a
    // plain Conv2D: tfjs would wrap it in a custom gradient that always computes the input's
    // gradient too, for the first layer an image nobody asked about.
    if (isBareConvInTraining(args)) {
      return tf.conv2d(args.x as T, args.filter as tf.Tensor4D, args.strides, args.pad, "NHWC", args.dilations ?? 1, args.dimRoundingMode);
    }
    if (!trainsFused(args)) return before<T>(args as Parameters<typeof before<T>>[0]);
    const attrs = {
      strides: args.strides, pad: args.pad, dataFormat: "NHWC", dilations: args.dilations ?? [1, 1],
      dimRoundingMode: args.dimRoundingMode, activation: args.activation ?? "linear", leakyreluAlpha: args.leakyreluAlpha,
    };
    const inputs = { x: args.x, filter: args.filter, bias: args.bias };
    return tf.engine().runKernel(tf.FusedConv2D, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as T;
  };
  fusedOps.conv2d = fusedWhileTraining;
  installed = true;
}

