/** Shared types and helpers of the kernel fills. */
import * as tf from "@tensorflow/tfjs";

/** Backends ConvNote installs kernel fills for. */
export type FillBackend = "cpu" | "wasm" | "native" | "webgpu";

/** What a fill does relative to the stock registry. */
export type FillReason =
  | "missing" // the backend has no kernel of that name; fit() fails without it
  | "faster" // the stock kernel works but is far slower than this one
  | "correct"; // the stock kernel gives a wrong result that this one fixes

export interface KernelFill {
  kernelName: string;
  backendName: FillBackend;
  reason: FillReason;
  /** One line for reports: how the fill computes its result. */
  how: string;
  kernelFunc: tf.KernelFunc;
}

/** The stock kernel a fill replaced, for shapes or layouts the fill leaves alone. */
export type StockLookup = (kernelName: string) => tf.KernelFunc | undefined;

export type KernelArgs = Parameters<tf.KernelFunc>[0];

export type Shape4 = [number, number, number, number];

export function shape4(shape: number[], what: string): Shape4 {
  if (shape.length !== 4) throw new Error(`${what}: expected a rank-4 NHWC shape, got [${shape.join(", ")}]`);
  return [shape[0], shape[1], shape[2], shape[3]];
}

export function input(args: KernelArgs, name: string, kernelName: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (t === undefined || t === null) throw new Error(`${kernelName}: missing input '${name}'`);
  return t;
}

export function attrsOf<T>(args: KernelArgs): T {
  return (args.attrs ?? {}) as unknown as T;
}

export function callStock(stock: StockLookup, kernelName: string, args: KernelArgs, why: string): tf.TensorInfo {
  const f = stock(kernelName);
  if (f === undefined) throw new Error(`${kernelName}: ${why}, and the backend has no stock kernel to fall back on`);
  const out = f(args);
  if (Array.isArray(out)) throw new Error(`${kernelName}: stock kernel returned several outputs`);
  return out;
}
