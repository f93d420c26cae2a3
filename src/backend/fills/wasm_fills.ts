/**
 * Kernel fills for the 'wasm' backend (tfjs-backend-wasm 4.22).
 *
 * As shipped it registers Conv2D and Conv2DBackpropInput but not Conv2DBackpropFilter, so any
 * model with a trainable conv layer fails in fit() with "Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'"; the depthwise gradients are missing too. The conv gradients
 * are routed through wasm's own XNNPACK Conv2D (wasm_conv_route.ts); the depthwise ones run
 * as JS loops over the wasm heap.
 *
 * Some stock kernels give wrong results (found by the property tests in
 * test/backend/kernel_fills.test.ts):
 *  - Conv2D, FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2D return all zeros
 *    (FusedConv2D: just the bias) for 'same' padding whenever TensorFlow's SAME rule gives a
 *    negative total padding on an axis, i.e. the stride is larger than the filter and the
 *    windows stop short of the edge (e.g. 8×8 input, 3×3 filter, stride 4). They pass XNNPACK
 *    its TENSORFLOW_SAME_PADDING flag; the same convolution given as explicit padding is right,
 *    so 'same' is rewritten to the explicit padding tfjs computes.
 *  - MaxPoolGrad drops gradients of channels > 0 whose window maximum is negative (e.g. a 1×1
 *    pool over two channels with values [-1, -2] gives dx [dy0, 0]); it is replaced by the JS
 *    kernel that the 'cpu' fills use.
 *  - AvgPoolGrad: see pool_js.ts.
 *  - ResizeNearestNeighborGrad with halfPixelCenters: not the forward's adjoint (resize_kernels.ts).
 * And two are slow paths: BatchMatMul with transposed operands, Sum over leading axes.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { depthwiseBackpropFilter, depthwiseBackpropInput } from "./conv_js.js";
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
import { wasmStore, type FloatStore } from "./tensor_access.js";
import {
  runWasm,
  inputGradientRouteApplies,
  wasmConv2dFilterGradient,
  wasmConv2dInputGradientStride1,
} from "./wasm_conv_route.js";

const { computeConv2DInfo } = tf.backend_util;

function backendOf(args: KernelArgs): BackendWasm {
  return args.backend as BackendWasm;
}

function store(args: KernelArgs): FloatStore {
  return wasmStore(backendOf(args));
}

function requireNHWC(dataFormat: string | undefined, kernelName: string): void {
  if (dataFormat === "NCHW") {
    throw new Error(`${kernelName} on wasm: only NHWC (channels-last) data is supported; transpose NCHW input first`);
  }
}

/** Calls the stock kernel with 'same' padding spelled out as explicit padding. */
function explicitSamePadding(stock: StockLookup, kernelName: string, depthwise: boolean) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<{
      pad: tf.Conv2DAttrs["pad"];
      strides: number | [number, number];
      dilations?: number | [number, number];
      dimRoundingMode?: "floor" | "round" | "ceil";
      dataFormat?: string;
    }>(args);
    if (a.pad !== "same") return callStock(stock, kernelName, args, "pass-through");
    requireNHWC(a.dataFormat, kernelName);
    const x = input(args, "x", kernelName);
    const filter = input(args, "filter", kernelName);
    const g = computeConv2DInfo(shape4(x.shape, `${kernelName} x`), shape4(filter.shape, `${kernelName} filter`),
      a.strides, a.dilations ?? 1, "same", a.dimRoundingMode, depthwise, "channelsLast");
    const pad: tf.Conv2DAttrs["pad"] = [[0, 0], [g.padInfo.top, g.padInfo.bottom], [g.padInfo.left, g.padInfo.right], [0, 0]];
    return callStock(stock, kernelName, { ...args, attrs: { ...args.attrs, pad } }, "pass-through");
  };
}

function conv2dBackpropFilterKernel(args: KernelArgs): tf.TensorInfo {
  const a = attrsOf<tf.Conv2DBackpropFilterAttrs>(args);
  requireNHWC(a.dataFormat, tf.Conv2DBackpropFilter);
  const x = input(args, "x", tf.Conv2DBackpropFilter);
  const dy = input(args, "dy", tf.Conv2DBackpropFilter);
  const g = computeConv2DInfo(shape4(x.shape, "Conv2DBackpropFilter x"),
    shape4(a.filterShape, "Conv2DBackpropFilter filterShape"), a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
  return wasmConv2dFilterGradient(backendOf(args), x, dy, g);
}

function conv2dBackpropInputKernel(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.Conv2DBackpropInputAttrs>(args);
    const dy = input(args, "dy", tf.Conv2DBackpropInput);
    const filter = input(args, "filter", tf.Conv2DBackpropInput);
    if (a.dataFormat !== "NCHW") {
      const g = computeConv2DInfo(shape4(a.inputShape, "Conv2DBackpropInput inputShape"),
        shape4(filter.shape, "Conv2DBackpropInput filter"), a.strides, 1, a.pad, a.dimRoundingMode, false, "channelsLast");
      if (inputGradientRouteApplies(g)) return wasmConv2dInputGradientStride1(backendOf(args), dy, filter, g);
    }
    return callStock(stock, tf.Conv2DBackpropInput, args, "strided or NCHW input gradient");
  };
}

function depthwiseFilterKernel(args: KernelArgs): tf.TensorInfo {
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  const a = attrsOf<tf.DepthwiseConv2dNativeBackpropFilterAttrs>(args);
  const x = input(args, "x", name);
  const dy = input(args, "dy", name);
  const filterShape = shape4(a.filterShape, `${name} filterShape`);
  const g = computeConv2DInfo(shape4(x.shape, `${name} x`), filterShape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
  const s = store(args);
  return s.write(filterShape, depthwiseBackpropFilter(s.read(x), s.read(dy), g, filterShape[3]));
}

function depthwiseInputKernel(args: KernelArgs): tf.TensorInfo {
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  const a = attrsOf<tf.DepthwiseConv2dNativeBackpropInputAttrs>(args);
  const dy = input(args, "dy", name);
  const filter = input(args, "filter", name);
  const filterShape = shape4(filter.shape, `${name} filter`);
  const g = computeConv2DInfo(shape4(a.inputShape, `${name} inputShape`), filterShape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
  const s = store(args);
  return s.write(g.inShape, depthwiseBackpropInput(s.read(dy), s.read(filter), g, filterShape[3]));
}

/**
 * The stock BatchMatMul runs XNNPACK only for untransposed operands; with transposeA or
 * transposeB (every dense-layer gradient) it falls to scalar loops, ~9 ms instead of ~1 ms for
 * LeNet's 64x400x120. Transposing the operand first with wasm's Transpose is cheaper.
 */
function batchMatMulKernel(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.BatchMatMulAttrs>(args);
    if (!a.transposeA && !a.transposeB) return callStock(stock, tf.BatchMatMul, args, "pass-through");
    const backend = backendOf(args);
    const temporaries: tf.TensorInfo[] = [];
    const untransposed = (t: tf.TensorInfo): tf.TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      const last = perm.length - 1;
      [perm[last - 1], perm[last]] = [perm[last], perm[last - 1]];
      const out = runWasm(backend, "Transpose", { x: t }, { perm });
      temporaries.push(out);
      return out;
    };
    try {
      const lhs = input(args, "a", tf.BatchMatMul);
      const rhs = input(args, "b", tf.BatchMatMul);
      return callStock(stock, tf.BatchMatMul, {
        ...args,
        inputs: { a: a.transposeA ? untransposed(lhs) : lhs, b: a.transposeB ? untransposed(rhs) : rhs },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }, "pass-through");
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

export function wasmFills(stock: StockLookup): KernelFill[] {
  const samePad = "stock kernel with 'same' padding passed as explicit padding (stock XNNPACK SAME path returns zeros when stride > filter)";
  return [
    { kernelName: tf.Conv2D, backendName: "wasm", reason: "correct", how: samePad, kernelFunc: explicitSamePadding(stock, tf.Conv2D, false) },
    { kernelName: tf.FusedConv2D, backendName: "wasm", reason: "correct", how: samePad, kernelFunc: explicitSamePadding(stock, tf.FusedConv2D, false) },
    {
      kernelName: tf.DepthwiseConv2dNative, backendName: "wasm", reason: "correct", how: samePad,
      kernelFunc: explicitSamePadding(stock, tf.DepthwiseConv2dNative, true),
    },
    {
      kernelName: tf.FusedDepthwiseConv2D, backendName: "wasm", reason: "correct", how: samePad,
      kernelFunc: explicitSamePadding(stock, tf.FusedDepthwiseConv2D, true),
    },
    {
      kernelName: tf.Conv2DBackpropFilter, backendName: "wasm", reason: "missing",
      how: "XNNPACK Conv2D of xᵀ with dyᵀ (stride↔dilation swapped), then transpose",
      kernelFunc: conv2dBackpropFilterKernel,
    },
    {
      kernelName: tf.Conv2DBackpropInput, backendName: "wasm", reason: "faster",
      how: "stride 1: XNNPACK Conv2D of dy with the 180°-rotated, channel-swapped filter; strided: stock kernel",
      kernelFunc: conv2dBackpropInputKernel(stock),
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: "wasm", reason: "missing",
      how: "JS loops over the wasm heap", kernelFunc: depthwiseFilterKernel,
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: "wasm", reason: "missing",
      how: "JS loops over the wasm heap", kernelFunc: depthwiseInputKernel,
    },
    {
      kernelName: tf.BatchMatMul, backendName: "wasm", reason: "faster",
      how: "transposed operands are transposed first, so XNNPACK's GEMM runs instead of scalar loops",
      kernelFunc: batchMatMulKernel(stock),
    },
    {
      kernelName: tf.Slice, backendName: "wasm", reason: "faster",
      how: "float32: a box copied over the heap a run of the last axis at a time; others: stock",
      kernelFunc: sliceKernel(stock, store),
    },
    {
      kernelName: tf.PadV2, backendName: "wasm", reason: "faster",
      how: "float32: filled, then the input copied in over the heap a run of the last axis at a time; others: stock",
      kernelFunc: padKernel(stock, store),
    },
    {
      kernelName: tf.Sum, backendName: "wasm", reason: "faster",
      how: "sums over leading axes (bias gradients) in one JS pass over the heap; other sums: stock",
      kernelFunc: sumKernel(stock, store),
    },
    {
      kernelName: tf.MaxPoolGrad, backendName: "wasm", reason: "correct",
      how: "JS over the wasm heap (stock kernel loses negative maxima of channels > 0)",
      kernelFunc: maxPoolGradKernel(store),
    },
    {
      kernelName: tf.AvgPoolGrad, backendName: "wasm", reason: "correct",
      how: "JS over the wasm heap; divides by the in-bounds window size, as the forward AvgPool does",
      kernelFunc: avgPoolGradKernel(store),
    },
    {
      kernelName: tf.ResizeNearestNeighborGrad, backendName: "wasm", reason: "correct",
      how: "JS over the wasm heap, the forward kernel's exact adjoint (stock is wrong with halfPixelCenters)",
      kernelFunc: resizeNearestNeighborGradKernel(store),
    },
  ];
}
