/**
 * Float32 Add / Sub / Multiply for the 'cpu' backend without tfjs's generic template, whose
 * same-shape loop indexes with `%` through a shared closure and whose broadcast loop (a bias
 * add: [N,H,W,C] + [C]) allocates index arrays per element. Handles equal shapes and a right
 * operand that matches the left one's trailing dimensions (bias, scalar); anything else goes to
 * the stock kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { callStock, input, type KernelArgs, type StockLookup } from "./fill_types.js";
import type { FloatStore } from "./tensor_access.js";

type Op = "add" | "sub" | "mul";

/** True when `small` equals the last dimensions of `big` (a scalar counts). */
function isTrailing(big: number[], small: number[]): boolean {
  if (small.length > big.length) return false;
  const offset = big.length - small.length;
  return small.every((d, i) => d === big[offset + i]);
}

function combine(op: Op, a: Float32Array, b: Float32Array, out: Float32Array, swap: boolean): void {
  const n = out.length;
  const m = b.length;
  // b repeats every m elements of a (m === n for equal shapes).
  if (op === "add") {
    for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) out[i] = a[i] + b[j];
  } else if (op === "mul") {
    for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) out[i] = a[i] * b[j];
  } else if (!swap) {
    for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) out[i] = a[i] - b[j];
  } else {
    for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) out[i] = b[j] - a[i];
  }
}

export function binaryKernel(kernelName: string, op: Op, stock: StockLookup, store: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const a = input(args, "a", kernelName);
    const b = input(args, "b", kernelName);
    if (a.dtype !== "float32" || b.dtype !== "float32") return callStock(stock, kernelName, args, "pass-through");
    // Put the operand with the full shape first; remember the swap for subtraction.
    let big = a;
    let small = b;
    let swap = false;
    if (!isTrailing(a.shape, b.shape)) {
      if (!isTrailing(b.shape, a.shape)) return callStock(stock, kernelName, args, "pass-through");
      big = b;
      small = a;
      swap = true;
    }
    const size = tf.util.sizeFromShape(big.shape);
    if (tf.util.sizeFromShape(small.shape) === 0 || size === 0) return callStock(stock, kernelName, args, "pass-through");
    const s = store(args);
    const out = new Float32Array(size);
    combine(op, s.read(big), s.read(small), out, swap);
    return s.write(big.shape, out);
  };
}
