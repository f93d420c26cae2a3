/**
 * Kernel fills for tfjs's pure-JS 'cpu' backend: convolution forward and both gradients as
 * im2col + blocked product (conv_js.ts), and the pooling gradients (pool_js.ts).
 * NCHW data or unusual fused-conv options go to the stock kernel the fill replaced.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from "./conv_js.js";
import {
  attrsOf,
  callStock,
  input,
  shape4,
  type KernelArgs,
  type KernelFill,
  type StockLookup,
} from "./fill_types.js";
import { avgPoolGradKernel, maxPoolGradKernel } from "./pool_kernels.js";
import { resizeNearestNeighborGradKernel } from "./resize_kernels.js";
import { sumKernel } from "./sum_kernel.js";
import { padKernel, sliceKernel } from "./box_kernels.js";
import { binaryKernel } from "./binary_kernels.js";
import { cpuStore, type FloatStore } from "./tensor_access.js";

const { computeConv2DInfo } = tf.backend_util;

function store(args: KernelArgs): FloatStore {
  return cpuStore(args.backend as MathBackendCPU);
}

function conv2d(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.Conv2DAttrs>(args);
    if (a.dataFormat === "NCHW") return callStock(stock, tf.Conv2D, args, "NCHW data");
    const x = input(args, "x", tf.Conv2D);
    const filter = input(args, "filter", tf.Conv2D);
    const g = computeConv2DInfo(shape4(x.shape, "Conv2D x"), shape4(filter.shape, "Conv2D filter"),
      a.strides, a.dilations, a.pad, a.dimRoundingMode, false, "channelsLast");
    const s = store(args);
    return s.write(g.outShape, conv2dForward(s.read(x), s.read(filter), g));
  };
}

/** Activations FusedConv2D may carry; 'prelu' needs its weights, read separately. */
function applyActivation(y: Float32Array, activation: string, leakyAlpha: number, prelu: Float32Array | null, channels: number): boolean {
  switch (activation) {
    case "linear":
      return true;
    case "relu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0;
      return true;
    case "relu6":
      for (let i = 0; i < y.length; i++) y[i] = y[i] < 0 ? 0 : y[i] > 6 ? 6 : y[i];
      return true;
    case "elu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = Math.exp(y[i]) - 1;
      return true;
    case "sigmoid":
      for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-y[i]));
      return true;
    case "leakyrelu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= leakyAlpha;
      return true;
    case "prelu":
      if (prelu === null) return false;
      if (prelu.length === 1) {
        for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= prelu[0];
        return true;
      }
      if (prelu.length === channels) {
        for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= prelu[i % channels];
        return true;
      }
      return false;
    default:
      return false;
  }
}

function fusedConv2d(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.FusedConv2DAttrs>(args);
    const x = input(args, "x", tf.FusedConv2D);
    const filter = input(args, "filter", tf.FusedConv2D);
    const bias = args.inputs.bias ?? null;
    const preluWeights = args.inputs.preluActivationWeights ?? null;
    const channels = filter.shape[3];
    const biasSize = bias === null ? 0 : tf.util.sizeFromShape(bias.shape);
    const preluSize = preluWeights === null ? 0 : tf.util.sizeFromShape(preluWeights.shape);
    const simple =
      a.dataFormat !== "NCHW" &&
      (bias === null || ((biasSize === 1 || biasSize === channels) && bias.shape.length <= 1)) &&
      (preluWeights === null || ((preluSize === 1 || preluSize === channels) && preluWeights.shape.length <= 1));
    if (!simple) return callStock(stock, tf.FusedConv2D, args, "NCHW data or a broadcast bias/PReLU shape");
    const g = computeConv2DInfo(shape4(x.shape, "FusedConv2D x"), shape4(filter.shape, "FusedConv2D filter"),
      a.strides, a.dilations, a.pad, a.dimRoundingMode, false, "channelsLast");
    const s = store(args);
    const y = conv2dForward(s.read(x), s.read(filter), g);
    if (bias !== null) {
      const b = s.read(bias);
      if (biasSize === 1) for (let i = 0; i < y.length; i++) y[i] += b[0];
      else for (let i = 0; i < y.length; i++) y[i] += b[i % channels];
    }
    const prelu = preluWeights === null ? null : s.read(preluWeights);
    if (!applyActivation(y, a.activation ?? "linear", a.leakyreluAlpha ?? 0.2, prelu, channels)) {
      return callStock(stock, tf.FusedConv2D, args, `activation '${a.activation}'`);
    }
    return s.write(g.outShape, y);
  };
}

function conv2dBackpropInputKernel(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.Conv2DBackpropInputAttrs>(args);
    if (a.dataFormat === "NCHW") return callStock(stock, tf.Conv2DBackpropInput, args, "NCHW data");
    const dy = input(args, "dy", tf.Conv2DBackpropInput);
    const filter = input(args, "filter", tf.Conv2DBackpropInput);
    const g = computeConv2DInfo(shape4(a.inputShape, "Conv2DBackpropInput inputShape"),
      shape4(filter.shape, "Conv2DBackpropInput filter"), a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
    const s = store(args);
    return s.write(g.inShape, conv2dBackpropInput(s.read(dy), s.read(filter), g));
  };
}

function conv2dBackpropFilterKernel(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.Conv2DBackpropFilterAttrs>(args);
    if (a.dataFormat === "NCHW") return callStock(stock, tf.Conv2DBackpropFilter, args, "NCHW data");
    const x = input(args, "x", tf.Conv2DBackpropFilter);
    const dy = input(args, "dy", tf.Conv2DBackpropFilter);
    const g = computeConv2DInfo(shape4(x.shape, "Conv2DBackpropFilter x"),
      shape4(a.filterShape, "Conv2DBackpropFilter filterShape"), a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
    const s = store(args);
    return s.write(g.filterShape, conv2dBackpropFilter(s.read(x), s.read(dy), g));
  };
}

export function cpuFills(stock: StockLookup): KernelFill[] {
  const im2col = "im2col + 4x4 register-blocked JS matrix product";
  return [
    { kernelName: tf.Conv2D, backendName: "cpu", reason: "faster", how: im2col, kernelFunc: conv2d(stock) },
    { kernelName: tf.FusedConv2D, backendName: "cpu", reason: "faster", how: `${im2col}, bias and activation in place`, kernelFunc: fusedConv2d(stock) },
    { kernelName: tf.Conv2DBackpropInput, backendName: "cpu", reason: "faster", how: `${im2col} (dy·Wᵀ then col2im)`, kernelFunc: conv2dBackpropInputKernel(stock) },
    { kernelName: tf.Conv2DBackpropFilter, backendName: "cpu", reason: "faster", how: `${im2col} (dyᵀ·im2col(x))`, kernelFunc: conv2dBackpropFilterKernel(stock) },
    { kernelName: tf.MaxPoolGrad, backendName: "cpu", reason: "faster", how: "one pass per window over contiguous channels", kernelFunc: maxPoolGradKernel(store) },
    { kernelName: tf.Slice, backendName: "cpu", reason: "faster", how: "float32: a box copied a run of the last axis at a time (stock: element by element); others: stock", kernelFunc: sliceKernel(stock, store) },
    { kernelName: tf.PadV2, backendName: "cpu", reason: "faster", how: "float32: filled, then the input copied in a run of the last axis at a time; others: stock", kernelFunc: padKernel(stock, store) },
    { kernelName: tf.Sum, backendName: "cpu", reason: "faster", how: "sums over leading axes (bias gradients) in one pass; other sums: stock", kernelFunc: sumKernel(stock, store) },
    ...([[tf.Add, "add"], [tf.Sub, "sub"], [tf.Multiply, "mul"]] as const).map(([kernelName, op]): KernelFill => ({
      kernelName, backendName: "cpu", reason: "faster",
      how: "float32, equal shapes or a trailing-dimension (bias/scalar) operand, one tight loop; others: stock",
      kernelFunc: binaryKernel(kernelName, op, stock, store),
    })),
    { kernelName: tf.AvgPoolGrad, backendName: "cpu", reason: "correct", how: "divides by the in-bounds window size, as the forward AvgPool does", kernelFunc: avgPoolGradKernel(store) },
    { kernelName: tf.ResizeNearestNeighborGrad, backendName: "cpu", reason: "correct", how: "the forward kernel's exact adjoint (stock is wrong for a batch above 1)", kernelFunc: resizeNearestNeighborGradKernel(store) },
  ];
}
