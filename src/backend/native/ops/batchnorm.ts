/**
 * FusedBatchNorm (tf.batchNorm, what tf.layers.batchNormalization runs) as one pass per
 * channel, x·a + b with a = scale/√(variance+ε) and b = offset − mean·a worked out first for the
 * C channels, in the layout x arrives in.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon.js";
import { attrsOf, input, type KernelArgs, type KernelFill, type StockLookup } from "../../fills/fill_types.js";
import { NATIVE_MIN_ELEMENTS } from "./elementwise.js";
import { fallBack, nativeBackend } from "./context.js";

function batchNorm(addon: NativeAddon, previous: StockLookup) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { varianceEpsilon } = attrsOf<tf.FusedBatchNormAttrs>(args);
    const backend = nativeBackend(args);
    const x = input(args, "x", tf.FusedBatchNorm);
    const xData = backend.nativeInput(x);
    const channels = x.shape[x.shape.length - 1];
    // Per-channel vectors only ([C], or [1,1,1,C]); anything else broadcasts in ways this does not.
    const vector = (name: string): Float32Array | null | undefined => {
      const t = args.inputs[name];
      if (t === undefined || t === null) return null;
      const data = backend.nativeInput(t);
      return data !== null && data.layout === 0 && t.shape[t.shape.length - 1] === channels && tf.util.sizeFromShape(t.shape) === channels
        ? data.data : undefined;
    };
    const mean = vector("mean"), variance = vector("variance"), offset = vector("offset"), scale = vector("scale");
    if (xData === null || x.shape.length !== 4 || !mean || !variance || offset === undefined || scale === undefined ||
      (xData.layout === 0 && tf.util.sizeFromShape(x.shape) < NATIVE_MIN_ELEMENTS)) {
      return fallBack(previous, tf.FusedBatchNorm, args);
    }
    const a = new Float32Array(channels);
    const b = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      a[c] = (scale ? scale[c] : 1) / Math.sqrt(variance[c] + varianceEpsilon);
      b[c] = (offset ? offset[c] : 0) - mean[c] * a[c];
    }
    return backend.output(x.shape, addon.channelAffine(xData.data, xData.layout, x.shape, a, b));
  };
}

export function batchNormOps(addon: NativeAddon, previous: StockLookup): KernelFill[] {
  return [{ kernelName: tf.FusedBatchNorm, backendName: "native", reason: "faster", how: "one pass per channel in the input's layout", kernelFunc: batchNorm(addon, previous) }];
}
