/**
 * The kernels the native backend registers over the CPU backend's: oneDNN kernels first, then
 * ConvNote's JS fills (fills/cpu_fills.ts) for the kernels oneDNN does not take, then tfjs's
 * own. Each native kernel hands what it does not cover to the one beneath it.
 */
import type { KernelFill, StockLookup } from "../fills/fill_types.js";
import { cpuFills } from "../fills/cpu_fills.js";
import type { NativeAddon } from "./addon.js";
import { convOps } from "./ops/conv.js";
import { elementwiseOps } from "./ops/elementwise.js";
import { matmulOps } from "./ops/matmul.js";
import { poolOps } from "./ops/pool.js";

export function nativeFills(addon: NativeAddon, stock: StockLookup): KernelFill[] {
  const js = cpuFills(stock).map((f): KernelFill => ({ ...f, backendName: "native" }));
  const jsByName = new Map(js.map((f) => [f.kernelName, f.kernelFunc]));
  const beneath: StockLookup = (name) => jsByName.get(name) ?? stock(name);
  const native = [...convOps(addon, beneath), ...poolOps(addon, beneath), ...elementwiseOps(addon, beneath), ...matmulOps(addon, beneath)];
  const nativeNames = new Set(native.map((f) => f.kernelName));
  return [...js.filter((f) => !nativeNames.has(f.kernelName)), ...native];
}
