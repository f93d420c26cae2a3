/**
 * Installs ConvNote's kernel fills into tfjs's global kernel registry.
 *
 * Which kernels, and why, was found by running `fit` of small CNNs (conv2d 'same'/'valid',
 * strides 1-4, dilations, conv1d, depthwise/separable, max/avg/global pooling, batchNorm,
 * dropout, relu/tanh/elu/leakyRelu/prelu/softplus/sigmoid, softmax cross-entropy) on each
 * backend of tfjs 4.22 in Node:
 *  - wasm: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 *    DepthwiseConv2dNativeBackpropInput are not registered, so training any conv net fails;
 *    the property tests also found wrong stock results (conv 'same' with stride > filter,
 *    MaxPoolGrad) and slow paths (transposed BatchMatMul, Sum) — see wasm_fills.ts.
 *  - every backend: gradients of dilated convolutions are refused by tfjs-core.
 *  - cpu: everything exists, but Conv2DBackpropFilter takes ~95% of a LeNet step (7.6 s of an
 *    8.1 s step here); conv, pooling-gradient, sum and elementwise fills make it ~40x faster.
 *  - cpu, wasm and webgpu: AvgPoolGrad ignores that 'same'-padded border windows average fewer pixels.
 */
import * as tf from "@tensorflow/tfjs";
import { cpuFills } from "./cpu_fills.js";
import { installDilatedConvGradients } from "./dilated_gradients.js";
import type { FillBackend, FillReason, KernelFill, StockLookup } from "./fill_types.js";
import { wasmFills } from "./wasm_fills.js";
import { loadAddon } from "../native/addon.js";
import { nativeFills } from "../native/fills.js";
import { webgpuFills } from "./webgpu_fills.js";

export type { FillBackend, FillReason } from "./fill_types.js";

/** One line of the install report. */
export interface InstalledFill {
  kernel: string;
  backend: string;
  /** 'added' where the backend had no such kernel, 'replaced' where a stock one was swapped out. */
  action: "added" | "replaced";
  reason: FillReason;
  how: string;
}

/** Stock configs that a fill replaced, per backend, so they can be put back. */
const replaced = new Map<string, Map<string, tf.KernelConfig | null>>();

function fillsFor(backendName: FillBackend, stock: StockLookup): KernelFill[] {
  switch (backendName) {
    case "cpu":
      return cpuFills(stock);
    case "wasm":
      return wasmFills(stock);
    case "webgpu":
      return webgpuFills(stock);
    case "native": {
      const load = loadAddon();
      if (!load.ok) throw new Error(`native kernel fills: ${load.why}`);
      return nativeFills(load.addon, stock);
    }
  }
}

function isFillBackend(name: string): name is FillBackend {
  return name === "cpu" || name === "wasm" || name === "native" || name === "webgpu";
}

/**
 * The kernels registered for `backendName` as tfjs ships them: fills that replaced a stock
 * kernel are swapped back, added ones left out. The native backend starts from the CPU
 * backend's stock kernels.
 */
export function stockKernelsOf(backendName: string): tf.KernelConfig[] {
  const saved = replaced.get(backendName);
  const configs: tf.KernelConfig[] = [];
  for (const config of tf.getKernelsForBackend(backendName)) {
    if (saved?.has(config.kernelName)) {
      const stock = saved.get(config.kernelName);
      if (stock) configs.push(stock);
    } else {
      configs.push(config);
    }
  }
  return configs;
}

/**
 * Registers the fills for `backendName` ('cpu', 'wasm', 'native' or 'webgpu'; other backends, such as tfjs-node's
 * 'tensorflow', get only the backend-independent dilated-conv gradients). Idempotent.
 */
export function installKernelFills(backendName: string): InstalledFill[] {
  installDilatedConvGradients();
  const report: InstalledFill[] = [
    {
      kernel: "Conv2D gradient (dilation > 1)",
      backend: "all",
      action: "replaced",
      reason: "missing",
      how: "tfjs-core refuses it; computed as two forward convolutions (see dilated_gradients.ts)",
    },
  ];
  if (!isFillBackend(backendName)) return report;

  let saved = replaced.get(backendName);
  const firstInstall = saved === undefined;
  if (saved === undefined) {
    saved = new Map();
    replaced.set(backendName, saved);
  }
  const stockConfigs = saved;
  // Fallbacks call the stock kernel captured before the first install, never a fill.
  const stock: StockLookup = (kernelName) => stockConfigs.get(kernelName)?.kernelFunc;
  for (const fill of fillsFor(backendName, stock)) {
    if (firstInstall) {
      const existing = tf.getKernel(fill.kernelName, backendName);
      stockConfigs.set(fill.kernelName, existing ?? null);
      if (existing !== undefined) tf.unregisterKernel(fill.kernelName, backendName);
      tf.registerKernel({ kernelName: fill.kernelName, backendName, kernelFunc: fill.kernelFunc });
    }
    report.push({
      kernel: fill.kernelName,
      backend: backendName,
      action: stockConfigs.get(fill.kernelName) ? "replaced" : "added",
      reason: fill.reason,
      how: fill.how,
    });
  }
  return report;
}

/**
 * Puts the stock kernels of `backendName` back (and removes added ones). For tests and
 * benchmarks that compare against tfjs as shipped; the dilated-conv gradients stay.
 */
export function removeKernelFills(backendName: string): void {
  const saved = replaced.get(backendName);
  if (saved === undefined) return;
  for (const [kernelName, config] of saved) {
    if (tf.getKernel(kernelName, backendName) !== undefined) tf.unregisterKernel(kernelName, backendName);
    if (config !== null) tf.registerKernel(config);
  }
  replaced.delete(backendName);
}

/** True while installKernelFills(backendName) is in effect. */
export function kernelFillsInstalled(backendName: string): boolean {
  return replaced.has(backendName);
}
