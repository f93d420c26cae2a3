// Word embedding: each token id of a sequence looked up in a learned table of vectors, the first
// layer of a text CNN (Kim 2014).
import { tf } from "../backend/tf.js";
import type { WeightInitializer } from "../compile/initializers.js";
import { tfName } from "../compile/parts.js";
import { getNumber, type ResolvedArguments } from "./arguments.js";
import type { InferResult, LayerKindDefinition } from "./kind.js";
import { channelsOf, formatShape, type Shape } from "./shape.js";

export interface EmbedSettings {
  kind: "embed";
  vocabulary: number;
  dimension: number;
}

export const embed: LayerKindDefinition<EmbedSettings> = {
  kind: "embed",
  title: "Word embedding",
  doc: [
    "A word embedding: the input is a sequence of token ids (`INPUT1D L`, ids from 0 to V - 1), and",
    "each id is replaced by its row of a learned `V x D` table, so `INPUT1D 60 EMBED5000-128` gives a",
    "`60x128` sequence of word vectors for the 1-D convolutions after it (Kim 2014's text CNN).",
    "Parameters: `V*D`. It reads the input itself, so it comes right after `INPUT1D`.",
  ].join("\n"),
  keywords: [{ word: "EMBED", summary: "word embedding, e.g. EMBED5000-128 (5000 words, vectors of 128)" }],
  syntax: ["EMBEDv-d", "EMBED(vocabulary=v, dimension=d)"],
  examples: ["INPUT1D 60 EMBED5000-128 CONV3-100 GMP FC-2 SOFTMAX  # 640,000 + 38,500 + 202 parameters"],
  arguments: [
    { name: "vocabulary", type: "int", doc: "number of distinct token ids (V): ids are 0 to V - 1", defaultText: "10000" },
    { name: "dimension", type: "int", doc: "length of each word vector (D)", defaultText: "128" },
  ],
  suffix: "vocabulary",
  dash: "dimension",
  naming: { prefix: () => "EMBED", count: "own" },
  conventions: { activation: "none", bias: false },
  readsInput: {
    input: "sequence",
    message: "EMBED looks up token ids, so it comes right after INPUT1D L (a sequence of L token ids)",
    hint: "write INPUT1D 60 EMBED5000-128 ... (60 ids from 0 to 4999)",
  },
  diagram: { colour: "#caffbf" },
  settings: (args: ResolvedArguments) => ({ kind: "embed", vocabulary: getNumber(args, "vocabulary") ?? 10_000, dimension: getNumber(args, "dimension") ?? 128 }),
  infer(s: EmbedSettings, input: Shape): InferResult {
    if (input.length !== 2 || channelsOf(input) !== 1) {
      return { ok: false, code: "wrong-rank", message: `EMBED reads one token id per position, but gets [${formatShape(input)}]`, hint: `write INPUT1D ${input[0]} (one id per position)` };
    }
    const weights = s.vocabulary * s.dimension;
    return { ok: true, value: { output: [input[0]!, s.dimension], weights, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" }, formula: { weights: `${s.vocabulary}*${s.dimension}` } } };
  },
  compile: (layer, ctx) => [new Embedding({ vocabulary: layer.settings.vocabulary, dimension: layer.settings.dimension, seed: ctx.nextSeed(), name: tfName(layer.name) })],
  label: (s) => `EMBED${s.vocabulary}-${s.dimension}`,
};

/**
 * The lookup as a tfjs layer: gather rows of the table; the table's gradient scatters (adds) the
 * incoming gradient back into the rows that were used. tfjs's own embedding layer needs
 * UnsortedSegmentSum for that, which the WASM backend lacks; scatterND is on every backend.
 */
export class Embedding extends tf.layers.Layer {
  static className = "ConvNoteEmbedding";
  readonly vocabulary: number;
  readonly dimension: number;
  private readonly initializer: WeightInitializer;
  private table?: tf.LayerVariable;

  constructor(args: { vocabulary: number; dimension: number; seed?: number | undefined; name?: string }) {
    super(args.name === undefined ? {} : { name: args.name });
    this.vocabulary = args.vocabulary;
    this.dimension = args.dimension;
    // Keras's default for embeddings: uniform in [-0.05, 0.05].
    this.initializer = tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, ...(args.seed === undefined ? {} : { seed: args.seed }) });
  }

  override build(): void {
    this.table = this.addWeight("embeddings", [this.vocabulary, this.dimension], "float32", this.initializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, shape[1] ?? null, this.dimension];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const ids = tf.cast(tf.reshape(x, [-1]), "int32");
      const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [table, save] = args as [tf.Tensor, tf.GradSaveFunc];
        save([ids]);
        return { value: tf.gather(table, ids), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(tf.reshape(saved[0]!, [-1, 1]), dy, table.shape) };
      });
      return tf.reshape(lookup(this.table!.read()), [x.shape[0]!, x.shape[1]!, this.dimension]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), vocabulary: this.vocabulary, dimension: this.dimension };
  }
}

tf.serialization.registerClass(Embedding);
