/**
 * The kernels the native backend registers over the CPU backend's: oneDNN kernels first, then
 * ConvNote's JS fills (fills/cpu_fills.ts) for the kernels oneDNN does not take, then tfjs's
 * own. Each native kernel hands what it does not cover to the one beneath it.
 */
import type * as tf from "@tensorflow/tfjs";
import type { KernelFill, StockLookup } from "../fills/fill_types.js";
import { cpuFills } from "../fills/cpu_fills.js";
import type { NativeAddon } from "./addon.js";
import { batchNormOps } from "./ops/batchnorm.js";
import { convOps } from "./ops/conv.js";
import { elementwiseOps } from "./ops/elementwise.js";
import { matmulOps } from "./ops/matmul.js";
import { optimizerOps } from "./ops/optimizer.js";
import { poolOps } from "./ops/pool.js";

/** A native kernel's failure that was answered by the kernel beneath it instead. */
export interface NativeFailure {
  kernel: string;
  message: string;
}

const failures: NativeFailure[] = [];

/** Every native kernel failure so far in this process (tests require none). */
export function nativeFailures(): readonly NativeFailure[] {
  return failures;
}

/**
 * The kernel, guarded: should oneDNN refuse a configuration (it throws), the kernel beneath
 * answers, and the failure is recorded rather than lost or shown to a student as a crash.
 */
function guarded(fill: KernelFill, beneath: StockLookup): KernelFill {
  const kernelFunc: tf.KernelFunc = (args) => {
    try {
      return fill.kernelFunc(args);
    } catch (e) {
      const fallback = beneath(fill.kernelName);
      if (fallback === undefined) throw e;
      failures.push({ kernel: fill.kernelName, message: e instanceof Error ? e.message : String(e) });
      return fallback(args);
    }
  };
  return { ...fill, kernelFunc };
}

export function nativeFills(addon: NativeAddon, stock: StockLookup): KernelFill[] {
  const js = cpuFills(stock).map((f): KernelFill => ({ ...f, backendName: "native" }));
  const jsByName = new Map(js.map((f) => [f.kernelName, f.kernelFunc]));
  const beneath: StockLookup = (name) => jsByName.get(name) ?? stock(name);
  const native = [...convOps(addon, beneath), ...poolOps(addon, beneath), ...elementwiseOps(addon, beneath), ...matmulOps(addon, beneath), ...batchNormOps(addon, beneath), ...optimizerOps(addon)];
  const nativeNames = new Set(native.map((f) => f.kernelName));
  return [...js.filter((f) => !nativeNames.has(f.kernelName)), ...native.map((f) => guarded(f, beneath))];
}
