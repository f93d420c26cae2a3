/**
 * Slice and PadV2 as copies of a box, one contiguous run at a time. The stock cpu
 * kernels (which the native backend inherits) move a cut-out element by element through
 * index arithmetic, and wasm's do no better: cropping the output of a transposed convolution
 * (DECONV4-16/s2/p1 on 14x14) took 1.4 s of a 1.7 s training step on native. Other dtypes go
 * to the stock kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { attrsOf, callStock, input, type KernelArgs, type StockLookup } from "./fill_types.js";
import type { FloatStore } from "./tensor_access.js";

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1]! * shape[axis + 1]!;
  return strides;
}

/**
 * Copies the box of `size` at `from` in `src` (row-major, `srcShape`) to `to` in `dst`
 * (`dstShape`).
 */
export function copyBox(
  src: Float32Array, srcShape: readonly number[], from: readonly number[],
  dst: Float32Array, dstShape: readonly number[], to: readonly number[], size: readonly number[],
): void {
  // Trailing axes taken whole on both sides are one run with the axis before them: a batch
  // cut from a dataset ([start, 0, 0, 0]) is then one memory copy.
  while (size.length > 1) {
    const last = size.length - 1;
    const whole = size[last] === srcShape[last] && size[last] === dstShape[last] && from[last] === 0 && to[last] === 0;
    if (!whole) break;
    const merge = (v: readonly number[], scale: number) => [...v.slice(0, last - 1), v[last - 1]! * scale];
    const n = size[last]!;
    [srcShape, dstShape, from, to, size] = [merge(srcShape, n), merge(dstShape, n), merge(from, n), merge(to, n), merge(size, n)];
  }
  const rank = size.length;
  if (rank === 0) {
    dst[0] = src[0]!;
    return;
  }
  if (size.some((n) => n === 0)) return;
  const srcStrides = stridesOf(srcShape);
  const dstStrides = stridesOf(dstShape);
  const run = size[rank - 1]!;
  const index = new Array<number>(rank - 1).fill(0);
  const rows = tf.util.sizeFromShape(size.slice(0, rank - 1));
  for (let row = 0; row < rows; row++) {
    let s = from[rank - 1]!;
    let d = to[rank - 1]!;
    for (let axis = 0; axis < rank - 1; axis++) {
      s += (from[axis]! + index[axis]!) * srcStrides[axis]!;
      d += (to[axis]! + index[axis]!) * dstStrides[axis]!;
    }
    if (run >= 64) dst.set(src.subarray(s, s + run), d);
    else for (let k = 0; k < run; k++) dst[d + k] = src[s + k]!;
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < size[axis]!) break;
      index[axis] = 0;
    }
  }
}

export function sliceKernel(stock: StockLookup, store: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const x = input(args, "x", tf.Slice);
    if (x.dtype !== "float32") return callStock(stock, tf.Slice, args, "pass-through");
    const a = attrsOf<tf.SliceAttrs>(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, a.begin, a.size);
    tf.slice_util.assertParamsValid(x as unknown as tf.Tensor, begin, size);
    const s = store(args);
    const out = new Float32Array(tf.util.sizeFromShape(size));
    copyBox(s.read(x), x.shape, begin, out, size, size.map(() => 0), size);
    return s.write(size, out);
  };
}

export function padKernel(stock: StockLookup, store: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const x = input(args, "x", tf.PadV2);
    if (x.dtype !== "float32") return callStock(stock, tf.PadV2, args, "pass-through");
    const a = attrsOf<tf.PadV2Attrs>(args);
    const before = a.paddings.map((p) => p[0]);
    const outShape = x.shape.map((n, axis) => a.paddings[axis]![0] + n + a.paddings[axis]![1]);
    const s = store(args);
    const out = new Float32Array(tf.util.sizeFromShape(outShape));
    if (a.constantValue !== 0) out.fill(a.constantValue);
    copyBox(s.read(x), x.shape, x.shape.map(() => 0), out, outShape, before, x.shape);
    return s.write(outShape, out);
  };
}
