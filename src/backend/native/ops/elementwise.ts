/**
 * Element-wise kernels and reductions on oneDNN, for tensors in a native layout (a ReLU or a
 * bias add right after a convolution, the ReLU gradient, a bias gradient) and for large plain
 * tensors. Small plain tensors — an optimizer's update of one filter — stay with the
 * JavaScript kernels, for which a call into the addon would cost more than the arithmetic.
 */
import * as tf from "@tensorflow/tfjs";
import type { BinaryOp, NativeAddon, ReduceOp, UnaryOp } from "../addon.js";
import { attrsOf, input, type KernelArgs, type KernelFill, type StockLookup } from "../../fills/fill_types.js";
import type { NativeInput } from "../backend.js";
import { fallBack, nativeBackend } from "./context.js";

/** Below this many elements a plain tensor stays with the JavaScript kernel. */
export const NATIVE_MIN_ELEMENTS = 16384;

function worthIt(data: NativeInput, shape: number[]): boolean {
  return data.layout !== 0 || tf.util.sizeFromShape(shape) >= NATIVE_MIN_ELEMENTS;
}

/** True when `small` broadcasts to `big` without growing it (tfjs aligns trailing dims). */
function broadcastsTo(small: number[], big: number[]): boolean {
  if (small.length > big.length) return false;
  const offset = big.length - small.length;
  return small.every((d, i) => d === 1 || d === big[offset + i]);
}

function unary(addon: NativeAddon, previous: StockLookup, kernelName: string, op: UnaryOp, alphaOf: (args: KernelArgs) => number = () => 0) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = nativeBackend(args);
    const x = input(args, "x", kernelName);
    const data = backend.nativeInput(x);
    const alpha = alphaOf(args);
    if (data === null || !worthIt(data, x.shape) || (op === "step" && alpha !== 0 && data.layout !== 0)) return fallBack(previous, kernelName, args);
    return backend.output(x.shape, addon.unary(op, data.data, data.layout, x.shape, alpha));
  };
}

const COMMUTATIVE: ReadonlySet<BinaryOp> = new Set(["add", "mul", "max", "min"]);

function binary(addon: NativeAddon, previous: StockLookup, kernelName: string, op: BinaryOp) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = nativeBackend(args);
    let a = input(args, "a", kernelName);
    let b = input(args, "b", kernelName);
    let aData = backend.nativeInput(a);
    let bData = backend.nativeInput(b);
    if (aData === null || bData === null) return fallBack(previous, kernelName, args);
    const sameShape = tf.util.arraysEqual(a.shape, b.shape);
    // The result takes the first operand's shape and layout: put the full-size, native-layout
    // operand first when the operation allows it.
    const swap = COMMUTATIVE.has(op) && ((!sameShape && broadcastsTo(a.shape, b.shape) && !broadcastsTo(b.shape, a.shape)) ||
      (sameShape && aData.layout === 0 && bData.layout !== 0));
    if (swap) {
      [a, b] = [b, a];
      [aData, bData] = [bData, aData];
    }
    if (!broadcastsTo(b.shape, a.shape) || !(worthIt(aData, a.shape) || bData.layout !== 0)) return fallBack(previous, kernelName, args);
    return backend.output(a.shape, addon.binary(op, aData.data, aData.layout, a.shape, bData.data, bData.layout, b.shape));
  };
}

function reduction(addon: NativeAddon, previous: StockLookup, kernelName: string, op: ReduceOp) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.SumAttrs>(args);
    const backend = nativeBackend(args);
    const x = input(args, "x", kernelName);
    const data = backend.nativeInput(x);
    if (data === null || !worthIt(data, x.shape)) return fallBack(previous, kernelName, args);
    const axes = tf.util.parseAxisParam(a.axis, x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = a.keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    const result = addon.reduce(op, data.data, data.layout, x.shape, kept);
    return result === null ? fallBack(previous, kernelName, args) : backend.output(outShape, result);
  };
}

/** AddN (gradients meeting at a tensor used twice, as in a residual block) as pairwise adds. */
function addN(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = nativeBackend(args);
    const tensors = args.inputs as unknown as tf.TensorInfo[];
    const data = tensors.map((t) => backend.nativeInput(t));
    const shape = tensors[0].shape;
    if (data.some((d) => d === null) || !tensors.every((t) => tf.util.arraysEqual(t.shape, shape)) ||
      !data.some((d) => worthIt(d!, shape))) {
      return fallBack(previous, tf.AddN, args);
    }
    let sum = addon.binary("add", data[0]!.data, data[0]!.layout, shape, data[1]!.data, data[1]!.layout, shape);
    for (let i = 2; i < data.length; i++) {
      const next = addon.binary("add", sum.data, sum.layout, shape, data[i]!.data, data[i]!.layout, shape);
      addon.release(sum.data);
      sum = next;
    }
    return backend.output(shape, sum);
  };
}

export function elementwiseOps(addon: NativeAddon, previous: StockLookup): KernelFill[] {
  const fill = (kernelName: string, how: string, kernelFunc: tf.KernelFunc): KernelFill =>
    ({ kernelName, backendName: "native", reason: "faster", how, kernelFunc });
  const unaries: [string, UnaryOp][] = [
    [tf.Relu, "relu"], [tf.Relu6, "relu6"], [tf.Elu, "elu"], [tf.Sigmoid, "sigmoid"], [tf.Tanh, "tanh"], [tf.Exp, "exp"],
    [tf.Log, "log"], [tf.Sqrt, "sqrt"], [tf.Square, "square"], [tf.Abs, "abs"], [tf.Neg, "neg"],
  ];
  const binaries: [string, BinaryOp][] = [
    [tf.Add, "add"], [tf.Sub, "sub"], [tf.Multiply, "mul"], [tf.RealDiv, "div"], [tf.Maximum, "max"], [tf.Minimum, "min"],
  ];
  const reductions: [string, ReduceOp][] = [[tf.Sum, "sum"], [tf.Mean, "mean"]];
  const inLayout = `in the tensor's own layout (native or, from ${NATIVE_MIN_ELEMENTS} elements, plain)`;
  return [
    ...unaries.map(([name, op]) => fill(name, `oneDNN eltwise ${inLayout}`, unary(addon, previous, name, op))),
    fill(tf.LeakyRelu, `oneDNN eltwise ${inLayout}`, unary(addon, previous, tf.LeakyRelu, "leakyrelu", (args) => attrsOf<tf.LeakyReluAttrs>(args).alpha)),
    fill(tf.Step, `one vectorised pass ${inLayout}`, unary(addon, previous, tf.Step, "step", (args) => attrsOf<tf.StepAttrs>(args).alpha ?? 0)),
    ...binaries.map(([name, op]) => fill(name, `oneDNN binary with broadcasting ${inLayout}`, binary(addon, previous, name, op))),
    ...reductions.map(([name, op]) => fill(name, `one pass over all values or per channel ${inLayout}; other reductions: the JS kernel`, reduction(addon, previous, name, op))),
    fill(tf.AddN, `pairwise oneDNN adds ${inLayout}`, addN(addon, previous)),
  ];
}

