/**
 * BatchMatMul and _FusedMatMul on oneDNN (dense layers forward, and both of their gradients,
 * which tfjs writes as products with a transposed operand). Batch dimensions must agree;
 * broadcast batches, PReLU and tiny products go to the kernel these replace.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon.js";
import { attrsOf, input, type KernelArgs, type KernelFill, type StockLookup } from "../../fills/fill_types.js";
import { FUSED_ACTIVATIONS } from "./activations.js";
import { fallBack, nativeBackend } from "./context.js";

/** Below this many multiply-adds the JavaScript product is as quick as a call into the addon. */
const NATIVE_MIN_MACS = 4096;

function product(addon: NativeAddon, previous: StockLookup, kernelName: string) {
  return (args: KernelArgs): tf.TensorInfo => {
    const attrs = attrsOf<tf._FusedMatMulAttrs>(args);
    const backend = nativeBackend(args);
    const a = input(args, "a", kernelName);
    const b = input(args, "b", kernelName);
    const bias = args.inputs.bias ?? null;
    const activation = FUSED_ACTIVATIONS[attrs.activation ?? "linear"];
    const aData = backend.nativeInput(a);
    const bData = backend.nativeInput(b);
    const biasData = bias === null ? null : backend.nativeInput(bias);
    if (aData === null || bData === null || a.shape.length < 2 || a.shape.length !== b.shape.length || activation === undefined ||
      args.inputs.preluActivationWeights || (bias !== null && biasData === null)) {
      return fallBack(previous, kernelName, args);
    }
    const rank = a.shape.length;
    const batchShape = a.shape.slice(0, rank - 2);
    if (!tf.util.arraysEqual(batchShape, b.shape.slice(0, rank - 2))) return fallBack(previous, kernelName, args);
    const [m, k] = attrs.transposeA ? [a.shape[rank - 1], a.shape[rank - 2]] : [a.shape[rank - 2], a.shape[rank - 1]];
    const [kb, n] = attrs.transposeB ? [b.shape[rank - 1], b.shape[rank - 2]] : [b.shape[rank - 2], b.shape[rank - 1]];
    const batch = tf.util.sizeFromShape(batchShape);
    const biasFits = bias === null || tf.util.sizeFromShape(bias.shape) === n && bias.shape[bias.shape.length - 1] === n;
    if (k !== kb || !biasFits || batch * m * n * k < NATIVE_MIN_MACS) return fallBack(previous, kernelName, args);
    const out = addon.matmul(aData.data, bData.data, batch, m, k, n, attrs.transposeA, attrs.transposeB, biasData?.data ?? null,
      activation, attrs.leakyreluAlpha ?? 0.2);
    return backend.output([...batchShape, m, n], out);
  };
}

export function matmulOps(addon: NativeAddon, previous: StockLookup): KernelFill[] {
  const how = "oneDNN matmul, transposed operands read through strides";
  return [
    { kernelName: tf.BatchMatMul, backendName: "native", reason: "faster", how, kernelFunc: product(addon, previous, tf.BatchMatMul) },
    { kernelName: tf._FusedMatMul, backendName: "native", reason: "faster", how: `${how}, bias and activation fused`, kernelFunc: product(addon, previous, tf._FusedMatMul) },
  ];
}
