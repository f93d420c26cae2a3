// Data augmentation as the first layer: random flips, crops, shifts and rotations of each training
// picture (AlexNet's slide: random 224x224 crops of 256x256 images and their mirror images); at
// test time the picture is left as it is, or centre-cropped. No parameters.
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";
import { mulberry32 } from "../data/random.js";
import { getBoolean, getInts, getNumber, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import { channelsOf, spatialOf, type Shape } from "./shape.js";

export interface AugmentSettings {
  kind: "augment";
  /** Mirror left-right with probability 1/2. */
  flip: boolean;
  /** A random crop of this size in training, the centre one at test time. */
  crop: number[] | undefined;
  /** Shift by up to this fraction of the size, each axis. */
  translate: number;
  /** Rotate by up to this many degrees either way. */
  rotate: number;
}

export const augment: LayerKindDefinition<AugmentSettings> = {
  kind: "augment",
  title: "Data augmentation",
  doc: [
    "Random changes to each training picture, drawn afresh for every example of every batch, so the",
    "network sees more varied data: `flip` mirrors left-right half of the time, `crop=N` takes a random",
    "N x N window, `translate=f` shifts by up to f of the size (zeros come in), `rotate=d` turns by up",
    "to d degrees either way. At test time (evaluate, predict) the picture passes unchanged, or its",
    "centre N x N is taken. AlexNet trained on random 224x224 crops of 256x256 images and their mirror",
    "images. No parameters; it reads the input itself, so it comes right after INPUT.",
  ].join("\n"),
  keywords: [{ word: "AUGMENT", summary: "random flips, crops, shifts, rotations in training, e.g. AUGMENT(flip, crop=224)" }],
  syntax: ["AUGMENT(flip)", "AUGMENT(flip, crop=n, translate=f, rotate=d)"],
  examples: ["INPUT 256x256x3 AUGMENT(flip, crop=227) CONV11-96/s4/p0  # AlexNet's crops and mirror images", "INPUT 28x28 AUGMENT(translate=0.1, rotate=10) CONV5-6 POOL2 FC-10 SOFTMAX"],
  arguments: [
    { name: "flip", type: "boolean", doc: "mirror left-right half of the time (written alone: AUGMENT(flip))", defaultText: "false" },
    { name: "crop", type: "ints", doc: "random crop of n x n (or hxw) in training, the centre crop at test time", defaultText: "none" },
    { name: "translate", type: "fraction", doc: "shift by up to this fraction of the height and width", defaultText: "0" },
    { name: "rotate", type: "number", doc: "rotate by up to this many degrees either way", defaultText: "0" },
  ],
  naming: { prefix: () => "AUGMENT", count: "own" },
  conventions: { activation: "none", bias: false },
  readsInput: { input: "image", message: "AUGMENT changes the input pictures, so it comes right after INPUT HxWxC", hint: "write INPUT 32x32x3 AUGMENT(flip, crop=28) ..." },
  diagram: { colour: "#e9ecef" },

  settings(args: ResolvedArguments): AugmentSettings | KindError {
    return { kind: "augment", flip: getBoolean(args, "flip") ?? false, crop: getInts(args, "crop"), translate: getNumber(args, "translate") ?? 0, rotate: getNumber(args, "rotate") ?? 0 };
  },

  infer(s: AugmentSettings, input: Shape): InferResult {
    const spatial = spatialOf(input);
    let output = spatial;
    if (s.crop) {
      const crop = spatial.map((_, i) => s.crop![i] ?? s.crop![0]!);
      const tooLarge = crop.findIndex((c, i) => c > spatial[i]!);
      if (tooLarge >= 0) return { ok: false, code: "size-too-small", message: `a ${crop.join("x")} crop does not fit in ${spatial.join("x")}`, hint: `crop at most ${spatial.join("x")}` };
      output = crop;
    }
    return { ok: true, value: { output: [...output, channelsOf(input)], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" } } };
  },

  compile: (layer, ctx) => [new Augment({ ...layer.settings, outputSize: [layer.outputShape[0]!, layer.outputShape[1]!], seed: ctx.nextSeed() ?? Date.now() % 2 ** 31, name: tfName(layer.name) })],

  label(s: AugmentSettings): string {
    const parts = [s.flip ? "flip" : "", s.crop ? `crop=${s.crop.join("x")}` : "", s.translate ? `translate=${s.translate}` : "", s.rotate ? `rotate=${s.rotate}` : ""].filter((p) => p !== "");
    return `AUGMENT(${parts.join(", ")})`;
  },
};

interface AugmentArgs {
  flip: boolean;
  translate: number;
  rotate: number;
  /** The output's height and width (the crop, or the input's size); NaN where not known. */
  outputSize: [number, number];
  seed: number;
  name?: string;
}

/**
 * The layer. In training, one nearest-neighbour sampling map per example (crop, shift, rotation and
 * mirror composed) is computed here and applied by one gather; outside the picture reads a zero.
 * At test time: the centre crop, or the input as it is. It is the first layer, so no gradient has
 * to pass through it.
 */
export class Augment extends tf.layers.Layer {
  static className = "ConvNoteAugment";
  private readonly args: AugmentArgs;
  private readonly random: () => number;

  constructor(args: AugmentArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.args = args;
    this.random = mulberry32(args.seed); // seeded: a seeded model augments the same way every run
  }

  private size(h: number, w: number): [number, number] {
    const [oh, ow] = this.args.outputSize;
    return [Number.isFinite(oh) ? oh : h, Number.isFinite(ow) ? ow : w];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [oh, ow] = this.args.outputSize;
    return [shape[0] ?? null, Number.isFinite(oh) ? oh : shape[1] ?? null, Number.isFinite(ow) ? ow : shape[2] ?? null, shape[3] ?? null];
  }

  /** For each example, the input pixel (row * W + column, or H*W for a zero) of every output pixel, offset by the example. */
  private samplingMaps(batch: number, h: number, w: number): Int32Array {
    const [oh, ow] = this.size(h, w);
    const { flip, translate, rotate } = this.args;
    const maps = new Int32Array(batch * oh * ow);
    // Indices into all examples' pixels laid end to end, each example followed by one zero pixel.
    const stride = h * w + 1;
    const uniform = (lo: number, hi: number) => lo + (hi - lo) * this.random();
    for (let e = 0; e < batch; e++) {
      // The centre of the window in the input: a random crop position, then a random shift.
      const cy = (h - 1) / 2 + Math.round(uniform(-(h - oh) / 2, (h - oh) / 2)) + Math.round(uniform(-translate * h, translate * h));
      const cx = (w - 1) / 2 + Math.round(uniform(-(w - ow) / 2, (w - ow) / 2)) + Math.round(uniform(-translate * w, translate * w));
      const angle = (uniform(-rotate, rotate) * Math.PI) / 180;
      const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
      const mirror = flip && this.random() < 0.5;
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const [u, v] = [y - (oh - 1) / 2, x - (ow - 1) / 2];
          const sy = Math.round(cy + cos * u - sin * v);
          let sx = Math.round(cx + sin * u + cos * v);
          if (mirror) sx = w - 1 - sx;
          maps[(e * oh + y) * ow + x] = e * stride + (sy >= 0 && sy < h && sx >= 0 && sx < w ? sy * w + sx : h * w);
        }
      }
    }
    return maps;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const [batch, h, w, c] = x.shape;
      const [oh, ow] = this.size(h, w);
      if (!kwargs["training"]) {
        if (oh === h && ow === w) return x;
        return tf.slice(x, [0, Math.floor((h - oh) / 2), Math.floor((w - ow) / 2), 0], [batch, oh, ow, c]);
      }
      const pixels = tf.reshape(tf.concat([tf.reshape(x, [batch, h * w, c]), tf.zeros([batch, 1, c])], 1), [batch * (h * w + 1), c]);
      const maps = tf.tensor1d(this.samplingMaps(batch, h, w), "int32");
      return tf.reshape(tf.gather(pixels, maps), [batch, oh, ow, c]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { flip, translate, rotate, outputSize, seed } = this.args;
    return { ...super.getConfig(), flip, translate, rotate, outputSize: outputSize.map((v) => (Number.isFinite(v) ? v : null)), seed };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const size = (config["outputSize"] as (number | null)[]).map((v) => v ?? Number.NaN);
    return new cls({ ...config, outputSize: size });
  }
}

tf.serialization.registerClass(Augment);
