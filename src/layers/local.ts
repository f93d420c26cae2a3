// Locally connected ("unshared") convolution: a window like CONV's, but every output position has
// its own filters and bias (Keras's LocallyConnected2D, DeepFace). With /tN, tiled convolution:
// t x t sets of filters taken in turn across the positions (Goodfellow et al., ch. 9).
import { tf } from "../backend/tf.js";
import { as2d, explicitPadding, tfName, weightOptions } from "../compile/parts.js";
import type { WeightInitializer } from "../compile/initializers.js";
import { getBoolean, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import { asImageWindow } from "./depthwise.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import type { Padding } from "./output-size.js";
import { channelsOf, type Shape } from "./shape.js";
import { isSlid, slideWindow, weightArguments, windowSettings } from "./window.js";

export interface LocalSettings {
  kind: "local";
  filters: number;
  kernel: number[];
  stride: number[];
  padding: Padding;
  /** Tiled convolution: t filter sets per axis, cycled over the positions; undefined: one per position. */
  tiles: number | undefined;
  bias: boolean | undefined;
  init: string | undefined;
}

export const local: LayerKindDefinition<LocalSettings> = {
  kind: "local",
  title: "Locally connected layer",
  doc: [
    "A locally connected (unshared) convolution: the window slides as in CONV, but every output",
    "position has its own `n` filters and its own biases, nothing is shared (Keras's",
    "LocallyConnected2D; DeepFace). Parameters: `(H_out*W_out)*(k*k*C_in)*n` weights and",
    "`(H_out*W_out)*n` biases, so the input's size must be known. No padding unless written (`/p1`),",
    "as in Keras. `/tN` makes it a tiled convolution (Goodfellow et al., ch. 9): `t x t` sets of",
    "filters, taken in turn from one position to the next, the middle ground between CONV (t = 1) and",
    "LOCAL: `(t*t)*(k*k*C_in)*n` weights and `(t*t)*n` biases. Followed by ReLU unless an activation",
    "is written.",
  ].join("\n"),
  keywords: [{ word: "LOCAL", summary: "locally connected (unshared) convolution, e.g. LOCAL3-64; tiled with /t2" }],
  syntax: ["LOCALk-n", "LOCALk-n/sS/pP", "LOCALk-n/tT", "LOCAL(filters=n, size=k, stride=s, tiles=t)"],
  examples: ["INPUT 32x32x3 LOCAL3-64  # 30x30 positions, each with its own 64 filters: 1,612,800 parameters", "INPUT 32x32x3 LOCAL3-64/t2  # tiled: 2x2 filter sets, 7,168 parameters"],
  arguments: [
    { name: "filters", type: "int", doc: "filters at each position (output channels)", defaultText: "32" },
    { name: "size", type: "ints", doc: "window size k or hxw", defaultText: "3" },
    { name: "stride", type: "ints", doc: "step between windows", defaultText: "1" },
    { name: "pad", type: "ints", doc: "zero padding on each side; the size must come out whole", defaultText: "0", min: 0 },
    { name: "rounding", type: "word", choices: ["exact", "floor"], doc: "exact (error if not whole) or floor", defaultText: "exact" },
    { name: "tiles", type: "int", doc: "tiled convolution: t x t filter sets taken in turn across the positions", defaultText: "one set per position" },
    ...weightArguments,
  ],
  suffix: "size",
  dash: "filters",
  naming: { prefix: () => "LOCAL", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  diagram: { colour: "#b8c0ff" },

  settings(args: ResolvedArguments): LocalSettings | KindError {
    const window = windowSettings(args, { size: [3], defaultPadding: { mode: "explicit", pad: [0], rounding: "exact" } });
    if ("code" in window) return window;
    return { kind: "local", filters: getNumber(args, "filters") ?? 32, kernel: window.size, stride: window.stride, padding: window.padding, tiles: getNumber(args, "tiles"), bias: getBoolean(args, "bias"), init: getWord(args, "init") };
  },

  infer(s: LocalSettings, input: Shape): InferResult {
    const slid = slideWindow(input, s, "LOCAL", false);
    if (!isSlid(slid)) return { ok: false, ...slid };
    if (!Number.isFinite(slid.positions)) {
      return { ok: false, code: "wrong-rank", message: "LOCAL has its own filters at every position, so it needs to know the input's size, which is ? here", hint: "give INPUT a size, or use CONV (shared filters work at any size)" };
    }
    const cin = channelsOf(input);
    const axes = slid.output.length;
    if (s.tiles !== undefined && slid.output.some((n) => n < s.tiles!)) {
      return { ok: false, code: "size-too-small", message: `${s.tiles} tiles per axis, but only ${slid.output.join("x")} positions`, hint: `use /t${Math.min(...slid.output)} or fewer` };
    }
    const sets = s.tiles === undefined ? slid.positions : s.tiles ** axes;
    const setsText = s.tiles === undefined ? `(${slid.output.join("*")})` : `(${Array(axes).fill(s.tiles).join("*")})`;
    const window = slid.window * cin;
    return {
      ok: true,
      value: {
        output: [...slid.output, s.filters],
        weights: sets * window * s.filters,
        biases: s.bias === false ? 0 : sets * s.filters,
        nonTrainable: 0,
        macs: slid.positions * window * s.filters,
        reach: { type: "window", kernel: slid.kernel, stride: slid.stride, dilation: slid.kernel.map(() => 1) },
        formula: { weights: `${setsText}*(${[...slid.kernel, cin].join("*")})*${s.filters}`, biases: `${setsText}*${s.filters}` },
      },
    };
  },

  compile(layer, ctx) {
    const s = layer.settings;
    const rank = layer.inputShape.length;
    const core = new LocallyConnected2D({
      filters: s.filters,
      kernelSize: asImageWindow(s.kernel, rank),
      strides: asImageWindow(s.stride, rank),
      tiles: s.tiles === undefined ? undefined : rank === 3 ? [s.tiles, s.tiles] : [s.tiles, 1],
      useBias: s.bias !== false,
      kernelInitializer: weightOptions(ctx, s.init)["kernelInitializer"] as WeightInitializer,
      name: tfName(layer.name),
    });
    return [...explicitPadding(s.padding, layer.name, layer.inputShape), ...as2d(layer.name, layer.inputShape, layer.outputShape, [core])];
  },
  fusesActivation: () => false,

  label(s: LocalSettings): string {
    const stride = s.stride.some((v) => v !== 1) ? `/s${s.stride.join("x")}` : "";
    const pad = s.padding.mode === "explicit" && s.padding.pad.some((p) => p !== 0) ? `/p${s.padding.pad.join("x")}` : "";
    const floor = s.padding.mode === "explicit" && s.padding.rounding === "floor" ? "/floor" : "";
    return `LOCAL${s.kernel.join("x")}-${s.filters}${stride}${pad}${floor}${s.tiles !== undefined ? `/t${s.tiles}` : ""}`;
  },
};

export interface LocallyConnectedArgs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  /** Filter sets per axis, cycled over the positions; undefined: one set per position. */
  tiles: [number, number] | undefined;
  useBias: boolean;
  kernelInitializer?: WeightInitializer;
  name?: string;
}

/**
 * The layer: the k*k windows gathered by slices (a zero pad and a reshape pick every s-th one), then
 * one matrix product per position (batchMatMul over the positions). Ops with gradients on every backend.
 */
export class LocallyConnected2D extends tf.layers.Layer {
  static className = "ConvNoteLocallyConnected2D";
  private readonly args: LocallyConnectedArgs;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  private grid: [number, number] = [0, 0];

  constructor(args: LocallyConnectedArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.args = args;
  }

  private outputGrid(shape: tf.Shape): [number, number] {
    const [, h, w] = shape;
    const { kernelSize: k, strides: s } = this.args;
    return [Math.floor((h! - k[0]) / s[0]) + 1, Math.floor((w! - k[1]) / s[1]) + 1];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.grid = this.outputGrid(shape);
    const sets = this.args.tiles ?? this.grid;
    const taps = this.args.kernelSize[0] * this.args.kernelSize[1] * shape[3]!;
    this.kernel = this.addWeight("kernel", [sets[0], sets[1], taps, this.args.filters], "float32", this.args.kernelInitializer ?? tf.initializers.glorotUniform({}));
    if (this.args.useBias) this.bias = this.addWeight("bias", [sets[0], sets[1], this.args.filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, ...this.outputGrid(shape), this.args.filters];
  }

  /** A per-position tensor [oh, ow, ...] from one of t x t sets [t, t, ...] (tiled), or as it is. */
  private perPosition(v: tf.Tensor): tf.Tensor {
    const tiles = this.args.tiles;
    if (!tiles) return v;
    const [oh, ow] = this.grid;
    const reps = [Math.ceil(oh / tiles[0]), Math.ceil(ow / tiles[1]), ...v.shape.slice(2).map(() => 1)];
    return tf.slice(tf.tile(v, reps), 0, [oh, ow, ...v.shape.slice(2)]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const [batch, , , channels] = x.shape;
      const [oh, ow] = this.grid;
      const { kernelSize: k, strides: s, filters } = this.args;
      // Zero rows and columns at the end, so that every tap's slice of oh*s rows fits.
      const padded = tf.pad(x, [[0, 0], [0, s[0] - 1], [0, s[1] - 1], [0, 0]]);
      const taps: tf.Tensor[] = [];
      for (let i = 0; i < k[0]; i++) {
        for (let j = 0; j < k[1]; j++) {
          const rows = tf.slice(padded, [0, i, j, 0], [batch, oh * s[0], ow * s[1], channels]);
          // Every s-th row, then every s-th column: split the axis into (positions, s) and keep the
          // first; in tensors of rank 3 (the webgpu backend pads, for the gradient, up to rank 4 only).
          const everyRow = s[0] === 1 ? rows : tf.slice(tf.reshape(rows, [batch * oh, s[0], ow * s[1] * channels]), [0, 0, 0], [batch * oh, 1, ow * s[1] * channels]);
          const everyColumn = s[1] === 1 ? everyRow : tf.slice(tf.reshape(everyRow, [batch * oh * ow, s[1], channels]), [0, 0, 0], [batch * oh * ow, 1, channels]);
          taps.push(tf.reshape(everyColumn, [batch, oh, ow, channels]));
        }
      }
      const patches = tf.reshape(tf.concat(taps, 3), [batch, oh * ow, -1]);
      const weights = tf.reshape(this.perPosition(this.kernel!.read()), [oh * ow, -1, filters]);
      const y = tf.transpose(tf.matMul(tf.transpose(patches, [1, 0, 2]), weights), [1, 0, 2]);
      const out = tf.reshape(y, [batch, oh, ow, filters]);
      return this.bias ? tf.add(out, this.perPosition(this.bias.read())) : out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { filters, kernelSize, strides, tiles, useBias } = this.args;
    return { ...super.getConfig(), filters, kernelSize, strides, tiles: tiles ?? null, useBias };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls({ ...config, tiles: config["tiles"] ?? undefined });
  }
}

tf.serialization.registerClass(LocallyConnected2D);
