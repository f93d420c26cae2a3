/**
 * Pooling kernels on oneDNN: MaxPool and AvgPool with their gradients, in the layout the input
 * arrives in. A training MaxPool keeps oneDNN's workspace with its output, so MaxPoolGrad
 * does not search the windows again.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon.js";
import { attrsOf, input, shape4, type KernelArgs, type KernelFill, type StockLookup } from "../../fills/fill_types.js";
import { fallBack, nativeBackend, recordingGradients } from "./context.js";
import { paddingFits, poolGeometry } from "./geometry.js";

const { computePool2DInfo } = tf.backend_util;

function forward(addon: NativeAddon, previous: StockLookup, kind: "max" | "avg") {
  const kernelName = kind === "max" ? tf.MaxPool : tf.AvgPool;
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.MaxPoolAttrs>(args);
    const backend = nativeBackend(args);
    const x = input(args, "x", kernelName);
    const xData = backend.nativeInput(x);
    if (xData === null) return fallBack(previous, kernelName, args);
    const info = computePool2DInfo(shape4(x.shape, `${kernelName} x`), a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (!paddingFits(info)) return fallBack(previous, kernelName, args);
    const training = kind === "max" && recordingGradients(tf.engine());
    const result = addon.pool2d(kind, xData.data, xData.layout, poolGeometry(info), training);
    return backend.poolOutput(info.outShape, result, xData.layout);
  };
}

function maxPoolGrad(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.MaxPoolGradAttrs>(args);
    const backend = nativeBackend(args);
    const dy = input(args, "dy", tf.MaxPoolGrad);
    const x = input(args, "input", tf.MaxPoolGrad);
    const y = input(args, "output", tf.MaxPoolGrad);
    const dyData = backend.nativeInput(dy);
    const xData = backend.nativeInput(x);
    if (dyData === null || xData === null) return fallBack(previous, tf.MaxPoolGrad, args);
    const info = computePool2DInfo(shape4(x.shape, "MaxPoolGrad input"), a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (!paddingFits(info)) return fallBack(previous, tf.MaxPoolGrad, args);
    const geometry = poolGeometry(info);
    let saved = backend.poolWorkspace(y);
    if (saved === undefined || saved.sourceLayout !== xData.layout) {
      // The forward pass ran elsewhere (or in another layout): find the maxima again.
      const again = addon.pool2d("max", xData.data, xData.layout, geometry, true);
      addon.release(again.data);
      saved = { workspace: again.workspace!, sourceLayout: xData.layout };
    }
    return backend.output(x.shape, addon.pool2dBackward("max", dyData.data, dyData.layout, saved.sourceLayout, geometry, saved.workspace));
  };
}

function avgPoolGrad(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.AvgPoolGradAttrs>(args);
    const backend = nativeBackend(args);
    const dy = input(args, "dy", tf.AvgPoolGrad);
    const x = input(args, "input", tf.AvgPoolGrad);
    const dyData = backend.nativeInput(dy);
    const xData = backend.nativeInput(x);
    if (dyData === null || xData === null) return fallBack(previous, tf.AvgPoolGrad, args);
    const info = computePool2DInfo(shape4(x.shape, "AvgPoolGrad input"), a.filterSize, a.strides, 1, a.pad);
    if (!paddingFits(info)) return fallBack(previous, tf.AvgPoolGrad, args);
    return backend.output(x.shape, addon.pool2dBackward("avg", dyData.data, dyData.layout, xData.layout, poolGeometry(info), null));
  };
}

export function poolOps(addon: NativeAddon, previous: StockLookup): KernelFill[] {
  return [
    { kernelName: tf.MaxPool, backendName: "native", reason: "faster", how: "oneDNN max pooling; keeps the argmax workspace for the gradient", kernelFunc: forward(addon, previous, "max") },
    { kernelName: tf.AvgPool, backendName: "native", reason: "faster", how: "oneDNN average pooling over the in-bounds window", kernelFunc: forward(addon, previous, "avg") },
    { kernelName: tf.MaxPoolGrad, backendName: "native", reason: "faster", how: "oneDNN max-pooling backward from the forward workspace", kernelFunc: maxPoolGrad(addon, previous) },
    { kernelName: tf.AvgPoolGrad, backendName: "native", reason: "faster", how: "oneDNN average-pooling backward", kernelFunc: avgPoolGrad(addon, previous) },
  ];
}
