/**
 * Convolution kernels on oneDNN: Conv2D, FusedConv2D (bias and activation as post-ops),
 * Conv2DBackpropInput and Conv2DBackpropFilter. NCHW data, PReLU, broadcast biases and other
 * dtypes go to the kernel these replace.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon.js";
import { attrsOf, input, shape4, type KernelArgs, type KernelFill, type StockLookup } from "../../fills/fill_types.js";
import { FUSED_ACTIVATIONS } from "./activations.js";
import { fallBack, nativeBackend, recordingGradients } from "./context.js";
import { convGeometry, paddingFits } from "./geometry.js";

const { computeConv2DInfo } = tf.backend_util;


function forward(addon: NativeAddon, previous: StockLookup, kernelName: string) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.FusedConv2DAttrs>(args);
    const backend = nativeBackend(args);
    const x = input(args, "x", kernelName);
    const filter = input(args, "filter", kernelName);
    const bias = args.inputs.bias ?? null;
    const activation = FUSED_ACTIVATIONS[a.activation ?? "linear"];
    const xData = backend.nativeInput(x);
    const filterData = backend.filterInput(filter);
    const biasData = bias === null ? null : backend.nativeInput(bias);
    const biasFits = bias === null || (bias.shape.length === 1 && bias.shape[0] === filter.shape[3]);
    if (a.dataFormat === "NCHW" || activation === undefined || args.inputs.preluActivationWeights || xData === null ||
      filterData === null || !biasFits || (bias !== null && (biasData === null || biasData.layout !== 0))) {
      return fallBack(previous, kernelName, args);
    }
    const info = computeConv2DInfo(shape4(x.shape, `${kernelName} x`), shape4(filter.shape, `${kernelName} filter`),
      a.strides, a.dilations, a.pad, a.dimRoundingMode, false, "channelsLast");
    if (!paddingFits(info)) return fallBack(previous, kernelName, args);
    const training = recordingGradients(tf.engine());
    const result = addon.conv2d(xData.data, xData.layout, filterData.data, filterData.layout, biasData?.data ?? null, convGeometry(info),
      activation, a.leakyreluAlpha ?? 0.2, training);
    // In inference the same filter comes back call after call: keep it in the primitive's layout.
    // In training each step brings a new filter, and reordering it twice would cost more.
    if (!training && result.weightsLayout !== 0) backend.keepReorderedFilter(filter, result.weightsLayout);
    return backend.output(info.outShape, result);
  };
}

function backpropInput(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.Conv2DBackpropInputAttrs>(args);
    const backend = nativeBackend(args);
    const dy = input(args, "dy", tf.Conv2DBackpropInput);
    const filter = input(args, "filter", tf.Conv2DBackpropInput);
    const dyData = backend.nativeInput(dy);
    const filterData = backend.nativeInput(filter);
    if (a.dataFormat === "NCHW" || dyData === null || filterData === null || filterData.layout !== 0) {
      return fallBack(previous, tf.Conv2DBackpropInput, args);
    }
    const info = computeConv2DInfo(shape4(a.inputShape, "Conv2DBackpropInput inputShape"), shape4(filter.shape, "Conv2DBackpropInput filter"),
      a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
    if (!paddingFits(info)) return fallBack(previous, tf.Conv2DBackpropInput, args);
    return backend.output(info.inShape, addon.conv2dBackpropInput(dyData.data, dyData.layout, filterData.data, convGeometry(info)));
  };
}

function backpropFilter(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.Conv2DBackpropFilterAttrs>(args);
    const backend = nativeBackend(args);
    const x = input(args, "x", tf.Conv2DBackpropFilter);
    const dy = input(args, "dy", tf.Conv2DBackpropFilter);
    const xData = backend.nativeInput(x);
    const dyData = backend.nativeInput(dy);
    if (a.dataFormat === "NCHW" || xData === null || dyData === null) return fallBack(previous, tf.Conv2DBackpropFilter, args);
    const info = computeConv2DInfo(shape4(x.shape, "Conv2DBackpropFilter x"), shape4(a.filterShape, "Conv2DBackpropFilter filterShape"),
      a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
    if (!paddingFits(info)) return fallBack(previous, tf.Conv2DBackpropFilter, args);
    return backend.output(info.filterShape, addon.conv2dBackpropFilter(xData.data, xData.layout, dyData.data, dyData.layout, convGeometry(info)));
  };
}

export function convOps(addon: NativeAddon, previous: StockLookup): KernelFill[] {
  const how = "oneDNN convolution in its own blocked layout";
  return [
    { kernelName: tf.Conv2D, backendName: "native", reason: "faster", how, kernelFunc: forward(addon, previous, tf.Conv2D) },
    { kernelName: tf.FusedConv2D, backendName: "native", reason: "faster", how: `${how}, bias and activation fused`, kernelFunc: forward(addon, previous, tf.FusedConv2D) },
    { kernelName: tf.Conv2DBackpropInput, backendName: "native", reason: "faster", how: "oneDNN backward-data convolution", kernelFunc: backpropInput(addon, previous) },
    { kernelName: tf.Conv2DBackpropFilter, backendName: "native", reason: "faster", how: "oneDNN backward-weights convolution", kernelFunc: backpropFilter(addon, previous) },
  ];
}
