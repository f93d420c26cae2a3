// ELU with a scale other than 1 (ELU0.1): x if x > 0 else alpha * (exp(x) - 1), as a serializable
// tfjs layer. tfjs's own ELU layer refuses any alpha but 1 ("not supported ... yet").
import { tf } from "../backend/tf.js";

export interface ScaledEluArgs {
  alpha: number;
  name?: string;
}

export class ScaledElu extends tf.layers.Layer {
  static className = "ConvNoteELU";
  readonly alpha: number;

  constructor(args: ScaledEluArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.alpha = args.alpha;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // relu(x) + alpha * min(elu(x), 0): ops with gradients on every backend.
    return tf.tidy(() => tf.add(tf.relu(x), tf.mul(tf.minimum(tf.elu(x), 0), this.alpha)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

tf.serialization.registerClass(ScaledElu);
