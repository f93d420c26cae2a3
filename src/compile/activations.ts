// Activation settings to tfjs: a name fused into CONV/FC where tfjs has one, else a layer.
import { tf } from "../backend/tf.js";
import type { ActivationSettings } from "../layers/activation.js";
import { ScaledElu } from "./elu-layer.js";

export type FusedName = "relu" | "sigmoid" | "tanh" | "softplus" | "softmax" | "linear" | "elu";

/** The identifier tfjs accepts as `activation:` for this function, or undefined when it needs a layer. */
export function fusedActivation(activation: ActivationSettings | undefined): FusedName | undefined {
  if (!activation) return "linear";
  switch (activation.fn) {
    case "relu":
    case "sigmoid":
    case "tanh":
    case "softplus":
    case "softmax":
    case "linear":
      return activation.fn;
    case "elu":
      return activation.alpha === undefined || activation.alpha === 1 ? "elu" : undefined;
    default:
      return undefined;
  }
}

/** A layer that applies `activation`, for activations that stand on their own or cannot be fused. */
export function activationLayer(activation: ActivationSettings, name: string, rank: number): tf.layers.Layer {
  switch (activation.fn) {
    case "lrelu":
      return tf.layers.leakyReLU({ alpha: activation.alpha ?? 0.01, name });
    case "prelu":
      // One slope per channel, shared over the spatial axes (PyTorch's num_parameters=C).
      return tf.layers.prelu({ sharedAxes: Array.from({ length: rank - 1 }, (_, i) => i + 1), name });
    case "elu":
      return activation.alpha === undefined || activation.alpha === 1 ? tf.layers.elu({ name }) : new ScaledElu({ alpha: activation.alpha, name });
    default:
      return tf.layers.activation({ activation: activation.fn, name });
  }
}
