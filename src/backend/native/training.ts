/**
 * Training paths that tfjs leaves unfused, fused on the native backend.
 *
 * While it records gradients, `tf.fused.conv2d` (what tf.layers.conv2d calls) does not use the
 * FusedConv2D kernel: it runs Conv2D, then Add for the bias, then Relu, and its gradient runs
 * Step and Multiply for the ReLU — four extra passes over every activation, each a new array.
 * On the native backend this module makes a training convolution one FusedConv2D kernel (bias
 * and ReLU as oneDNN post-ops) with a registered gradient whose ReLU part is one oneDNN pass
 * (ConvNoteReluGrad). The gradient is lazy per input, as tfjs's own are, so a frozen layer's
 * filter gradient and the input image's gradient are never computed.
 *
 * Every other case — another backend, other activations, dilation, no bias, NCHW — goes the way
 * it went before. The Relu op's own gradient uses the same one-pass kernel on native.
 *
 * Batch normalization's gradient (tfjs-core's FusedBatchNorm gradient) tiles 1/σ to the full
 * size of the input before multiplying: a JavaScript Tile the size of an activation. On native
 * the same formula broadcasts the per-channel vector instead, which the per-channel kernels do
 * in one pass in the input's own layout.
 */
import * as tf from "@tensorflow/tfjs";
import { input, type KernelArgs } from "../fills/fill_types.js";
import { NATIVE_BACKEND, type NativeBackend } from "./backend.js";

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

/** tfjs-core's FusedBatchNorm gradient for per-channel moments, broadcasting instead of tiling. */
function batchNormGradient(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | undefined, epsilon: number) {
  const axes = [0, 1, 2];
  const scaleValue = scale ?? tf.scalar(1);
  const xMinusMean = tf.sub(x, mean);
  const dyTimesScale = tf.mul(dy, scaleValue);
  const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)));
  const minusHalfRCube = tf.mul(tf.mul(tf.mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance), tf.scalar(-0.5));
  return {
    x: () => tf.mul(dy, tf.mul(oneOverSqrtVariance, scaleValue)),
    mean: () => tf.sum(tf.mul(dyTimesScale, tf.neg(oneOverSqrtVariance)), axes),
    variance: () => tf.sum(tf.mul(tf.mul(xMinusMean, minusHalfRCube), dyTimesScale), axes),
    scale: () => tf.sum(tf.mul(dy, tf.mul(xMinusMean, oneOverSqrtVariance)), axes),
    offset: () => tf.sum(dy, axes),
  };
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
      const [x, mean, variance, scale] = saved;
      if (!onNative() || stockBatchNorm === undefined || mean.rank !== 1 || x.rank !== 4) return stockBatchNorm!.gradFunc(dy, saved, attrs);
      return batchNormGradient(dy as tf.Tensor, x, mean, variance, scale, (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon);
    },
  });

  const fusedOps = tf.fused as unknown as { conv2d: typeof tf.fused.conv2d };
  const before = fusedOps.conv2d;
  const fusedWhileTraining: typeof tf.fused.conv2d = <T extends tf.Tensor3D | tf.Tensor4D>(args: FusedConv2dArgs): T => {
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

