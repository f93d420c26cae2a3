/** Pooling-gradient kernels for the backends whose memory JS can read (cpu, wasm). */
import * as tf from "@tensorflow/tfjs";
import { attrsOf, input, shape4, type KernelArgs } from "./fill_types.js";
import { avgPoolBackprop, maxPoolBackprop } from "./pool_js.js";
import type { FloatStore } from "./tensor_access.js";

const { computePool2DInfo } = tf.backend_util;

/** MaxPoolGrad kernel over a backend's float store (tensor_access.ts). */
export function maxPoolGradKernel(readWrite: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.MaxPoolGradAttrs>(args);
    const dy = input(args, "dy", tf.MaxPoolGrad);
    const x = input(args, "input", tf.MaxPoolGrad);
    const g = computePool2DInfo(shape4(x.shape, "MaxPoolGrad input"), a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const s = readWrite(args);
    return s.write(x.shape, maxPoolBackprop(s.read(dy), s.read(x), g));
  };
}

/** AvgPoolGrad kernel over a backend's float store (tensor_access.ts). */
export function avgPoolGradKernel(readWrite: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.AvgPoolGradAttrs>(args);
    const dy = input(args, "dy", tf.AvgPoolGrad);
    const x = input(args, "input", tf.AvgPoolGrad);
    const g = computePool2DInfo(shape4(x.shape, "AvgPoolGrad input"), a.filterSize, a.strides, 1, a.pad);
    const s = readWrite(args);
    return s.write(x.shape, avgPoolBackprop(s.read(dy), g));
  };
}
