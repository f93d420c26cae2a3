// AlexNet's local response normalization as a serializable tfjs layer:
//   b = a / (k + alpha * sum of a^2 over `size` neighbouring channels)^beta
// tfjs has the op (tf.localResponseNormalization, with a gradient on every backend) but no layer.
import { tf } from "../backend/tf.js";

export interface LrnLayerArgs {
  size: number;
  alpha: number;
  beta: number;
  k: number;
  name?: string;
}

export class LocalResponseNormalization extends tf.layers.Layer {
  static className = "LocalResponseNormalization";
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(args: LrnLayerArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.size = args.size;
    this.alpha = args.alpha;
    this.beta = args.beta;
    this.k = args.k;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    // tfjs sums over [c - depthRadius, c + depthRadius]: `size` channels in all.
    return tf.tidy(() => tf.localResponseNormalization(x, Math.floor(this.size / 2), this.k, this.alpha, this.beta));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, alpha: this.alpha, beta: this.beta, k: this.k };
  }
}

tf.serialization.registerClass(LocalResponseNormalization);
