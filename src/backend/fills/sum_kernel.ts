/** Sum over leading axes, for the backends whose memory JS can read (cpu, wasm). */
import * as tf from "@tensorflow/tfjs";
import { attrsOf, callStock, input, type KernelArgs, type StockLookup } from "./fill_types.js";
import type { FloatStore } from "./tensor_access.js";

/**
 * Sum over leading axes (a bias gradient: [N,H,W,C] → [C]) as one JS pass. The stock wasm
 * kernel first transposes the reduced axes to the end (37 ms for 64x32x32x32 here), the stock
 * cpu kernel does the same in JS. Other sums go to the stock kernel.
 */
export function sumKernel(stock: StockLookup, store: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = attrsOf<tf.SumAttrs>(args);
    const x = input(args, "x", tf.Sum);
    const axes = tf.util.parseAxisParam(a.axis, x.shape).sort((p, q) => p - q);
    const isPrefix = axes.length > 0 && axes.every((ax, i) => ax === i);
    if (x.dtype !== "float32" || !isPrefix) return callStock(stock, tf.Sum, args, "pass-through");
    const outer = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const innerShape = x.shape.slice(axes.length);
    const inner = tf.util.sizeFromShape(innerShape);
    const s = store(args);
    const values = s.read(x);
    const acc = new Float64Array(inner);
    for (let i = 0; i < outer; i++) {
      const base = i * inner;
      for (let j = 0; j < inner; j++) acc[j] += values[base + j];
    }
    const outShape = a.keepDims ? [...axes.map(() => 1), ...innerShape] : innerShape;
    return s.write(outShape, Float32Array.from(acc));
  };
}
