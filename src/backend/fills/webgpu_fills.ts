/**
 * Kernel fills for the 'webgpu' backend (tfjs-backend-webgpu 4.22).
 *
 * Found by training every layer kind ConvNote compiles (conv 'same'/'valid'/explicit padding,
 * strides 1-4, dilations, conv1d, depthwise/separable, max/avg/global pooling, batch norm, LRN,
 * dropout, residual adds, concatenation, every activation) on webgpu and comparing forward values
 * and gradients with the CPU backend (test/backend/webgpu.test.ts): every kernel is there and
 * agrees to ~1e-7 except one.
 *
 *  - AvgPoolGrad: like tfjs's stock cpu and wasm kernels, it divides every window's gradient by
 *    the full filter size, while the forward AvgPool divides a 'same'-padded border window by the
 *    pixels it covers; border pixels get too small a gradient (pool_js.ts has the CPU version).
 *
 * A fill here cannot read tensor values in JS (a GPU buffer has no synchronous read in Node),
 * so it is written with the backend's own kernels: dy is scaled per window by
 * (filter size / pixels covered), a [1, outH, outW, 1] factor computed from the shapes alone,
 * and the stock kernel then spreads it.
 */
import * as tf from "@tensorflow/tfjs";
import { attrsOf, callStock, input, shape4, type KernelArgs, type KernelFill, type StockLookup } from "./fill_types.js";

const { computePool2DInfo } = tf.backend_util;

interface TensorMaker {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** filterSize / (pixels of the window inside the input), per output position; null when every window is whole. */
export function avgPoolBorderFactors(g: tf.backend_util.Conv2DInfo): Float32Array | null {
  const full = g.filterHeight * g.filterWidth;
  const factors = new Float32Array(g.outHeight * g.outWidth);
  let partial = false;
  for (let oh = 0; oh < g.outHeight; oh++) {
    const top = oh * g.strideHeight - g.padInfo.top;
    const rows = Math.min(g.inHeight, top + g.filterHeight) - Math.max(0, top);
    for (let ow = 0; ow < g.outWidth; ow++) {
      const left = ow * g.strideWidth - g.padInfo.left;
      const cols = Math.min(g.inWidth, left + g.filterWidth) - Math.max(0, left);
      const covered = Math.max(1, rows * cols);
      if (covered !== full) partial = true;
      factors[oh * g.outWidth + ow] = full / covered;
    }
  }
  return partial ? factors : null;
}

function avgPoolGradKernel(stock: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.AvgPoolGradAttrs>(args);
    const dy = input(args, "dy", tf.AvgPoolGrad);
    const x = input(args, "input", tf.AvgPoolGrad);
    const g = computePool2DInfo(shape4(x.shape, "AvgPoolGrad input"), a.filterSize, a.strides, 1, a.pad);
    const factors = avgPoolBorderFactors(g);
    if (factors === null) return callStock(stock, tf.AvgPoolGrad, args, "pass-through");
    const backend = args.backend as unknown as TensorMaker;
    const scale = backend.makeTensorInfo([1, g.outHeight, g.outWidth, 1], "float32", factors);
    let scaled: tf.TensorInfo | null = null;
    try {
      // Multiply is not replaced on webgpu: the registry's kernel is the stock one.
      const multiply = (name: string) => tf.getKernel(name, "webgpu")?.kernelFunc;
      scaled = callStock(multiply, tf.Multiply, { inputs: { a: dy, b: scale }, backend: args.backend, attrs: {} }, "scaling dy");
      return callStock(stock, tf.AvgPoolGrad, { ...args, inputs: { dy: scaled, input: x } }, "spreading the scaled dy");
    } finally {
      backend.disposeData(scale.dataId);
      if (scaled !== null) backend.disposeData(scaled.dataId);
    }
  };
}

export function webgpuFills(stock: StockLookup): KernelFill[] {
  return [
    {
      kernelName: tf.AvgPoolGrad,
      backendName: "webgpu",
      reason: "correct",
      how: "dy scaled by filter size / pixels covered at 'same'-padded borders, then the stock kernel",
      kernelFunc: avgPoolGradKernel(stock),
    },
  ];
}
