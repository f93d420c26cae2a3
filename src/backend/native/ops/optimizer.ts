/** ConvNoteAdam: one Adam update of a variable and its two moments in one kernel (training.ts). */
import * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon.js";
import { attrsOf, input, type KernelArgs, type KernelFill } from "../../fills/fill_types.js";
import { nativeBackend } from "./context.js";

export const ADAM = "ConvNoteAdam";

export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

function adam(addon: NativeAddon) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const a = attrsOf<AdamAttrs>(args);
    const backend = nativeBackend(args);
    const plain = (name: string): Float32Array => {
      const t = input(args, name, ADAM);
      const values = t.dtype === "float32" ? backend.data.get(t.dataId)?.values : undefined;
      if (!(values instanceof Float32Array)) throw new Error(`${ADAM}: '${name}' must be float32`);
      return values;
    };
    const value = input(args, "value", ADAM);
    const out = addon.adam(plain("value"), plain("m"), plain("v"), plain("gradient"), a.learningRate, a.beta1, a.beta2, a.epsilon,
      a.oneMinusAccBeta1, a.oneMinusAccBeta2);
    return out.map((values) => backend.output(value.shape, values));
  };
}

export function optimizerOps(addon: NativeAddon): KernelFill[] {
  return [{ kernelName: ADAM, backendName: "native", reason: "faster", how: "Adam's update of a variable and its moments in one pass", kernelFunc: adam(addon) as tf.KernelFunc }];
}
