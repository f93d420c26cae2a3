// Grouped convolution (AlexNet's two towers, ResNeXt) as a serializable tfjs layer: the channels and
// the filters are split into `groups` groups, and each group of filters sees only its own channels.
// Built from split, conv2d and concat, ops with gradients on every tfjs backend.
import { tf } from "../backend/tf.js";
import type { WeightInitializer } from "./initializers.js";

export interface GroupedConv2DArgs {
  filters: number;
  groups: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: "same" | "valid";
  useBias: boolean;
  kernelInitializer?: WeightInitializer;
  kernelRegularizer?: ReturnType<typeof tf.regularizers.l1l2>;
  name?: string;
}

/** Output length along one axis of a convolution window (null where the input's is not known). */
export function convLength(n: number | null, kernel: number, stride: number, dilation: number, padding: "same" | "valid"): number | null {
  if (n === null || n < 0) return null;
  return padding === "same" ? Math.ceil(n / stride) : Math.floor((n - (dilation * (kernel - 1) + 1)) / stride) + 1;
}

export class GroupedConv2D extends tf.layers.Layer {
  static className = "ConvNoteGroupedConv2D";
  private readonly args: GroupedConv2DArgs;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1]!;
    const { kernelSize, groups, filters } = this.args;
    this.kernel = this.addWeight("kernel", [kernelSize[0], kernelSize[1], channels / groups, filters], "float32", this.args.kernelInitializer ?? tf.initializers.glorotUniform({}), this.args.kernelRegularizer);
    if (this.args.useBias) this.bias = this.addWeight("bias", [filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const { kernelSize: k, strides: s, dilationRate: d, padding } = this.args;
    return [batch ?? null, convLength(h ?? null, k[0], s[0], d[0], padding), convLength(w ?? null, k[1], s[1], d[1], padding), this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const { groups, strides, dilationRate, padding } = this.args;
      const xs = tf.split(x, groups, 3);
      const ks = tf.split(this.kernel!.read() as tf.Tensor4D, groups, 3) as tf.Tensor4D[];
      const ys = xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, ks[g]!, strides, padding, "NHWC", dilationRate));
      const y = groups === 1 ? ys[0]! : tf.concat(ys, 3);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { filters, groups, kernelSize, strides, dilationRate, padding, useBias } = this.args;
    return { ...super.getConfig(), filters, groups, kernelSize, strides, dilationRate, padding, useBias };
  }
}

tf.serialization.registerClass(GroupedConv2D);
