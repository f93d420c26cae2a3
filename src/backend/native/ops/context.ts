/** What every native kernel needs: its backend, and the kernel to hand a case it does not cover. */
import type * as tf from "@tensorflow/tfjs";
import type { KernelArgs, StockLookup } from "../../fills/fill_types.js";
import { callStock } from "../../fills/fill_types.js";
import type { NativeBackend } from "../backend.js";

export function nativeBackend(args: KernelArgs): NativeBackend {
  return args.backend as NativeBackend;
}

/** Runs the kernel the native one replaced (a ConvNote JS fill or tfjs's own). */
export function fallBack(previous: StockLookup, kernelName: string, args: KernelArgs): tf.TensorInfo {
  return callStock(previous, kernelName, args, "a case the native kernel does not cover");
}

/** True while tfjs records operations for a gradient (inside fit, minimize, tf.grad). */
export function recordingGradients(engine: { state: { gradientDepth: number } }): boolean {
  return engine.state.gradientDepth > 0;
}
