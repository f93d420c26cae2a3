// Transfer learning as the slides teach it: take a trained network, cut it after a layer, put a
// new head on it (written in ConvNote's language), and either keep the base fixed (a feature
// extractor), fine-tune everything, or freeze only the first layers. The new model shares the
// base's layers (and weights) with the trained model; freezing takes effect at the next fit(),
// which compiles the model again.
import { tf } from "../backend/tf.js";
import { compileNetwork } from "../compile/compile.js";
import { tfName } from "../compile/parts.js";
import { checkOrThrow } from "../shapes/check.js";
import type { CheckedNetwork } from "../shapes/network.js";
import type { Initializer } from "../shapes/defaults.js";

/**
 * - "base": every layer of the base is frozen, only the head learns (fixed feature extractor);
 * - "none": everything learns (fine-tuning);
 * - { firstLayers: n }: the base's first n layers that have weights (CONV, FC, BN, ...) are frozen;
 * - { through: "CONV3" }: the base is frozen up to and including that layer.
 */
export type FreezeMode = "base" | "none" | { firstLayers: number } | { through: string };

export interface TransferOptions {
  /** The last layer kept from the base: its slide name ("POOL2", "FC6") or its tfjs name. */
  cutAfter: string;
  /** The new layers, e.g. "FC-64 FC-5 SOFTMAX"; checked as `INPUT <cut shape>` followed by this. */
  head: string;
  /** Default "base". */
  freeze?: FreezeMode;
  /** Seeds the head's weight initialisers. */
  seed?: number;
  /** Overrides the head's DEFAULTS(init=...). */
  init?: Initializer;
  /** The new model's name. */
  name?: string;
}

/** Head layers are renamed with this prefix so that their names cannot clash with the base's. */
export const HEAD_PREFIX = "head_";

const isInputLayer = (layer: tf.layers.Layer) => layer.getClassName() === "InputLayer";

/** The slide names a model's layers answer to: `conv1` and its parts `conv1_pad`, `conv1_relu` are CONV1. */
export function slideNames(model: tf.LayersModel): string[] {
  const names: string[] = [];
  for (const layer of model.layers) {
    if (isInputLayer(layer)) continue;
    const name = layer.name.toUpperCase().replace(/_(PAD|TO2D|TO1D|FLATTEN|[A-Z]*RELU|ELU|SIGMOID|TANH|SOFTPLUS|SOFTMAX|LINEAR)$/, "");
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The last tfjs layer that computes the named layer: `FC6` is `fc6` (after `fc6_flatten`), `CONV1`
 * with an activation that has its own layer is `conv1_lrelu`. A tfjs name matches exactly too.
 */
export function findCutLayer(model: tf.LayersModel, name: string): tf.layers.Layer {
  const exact = model.layers.find((l) => l.name === name);
  if (exact) return exact;
  const lower = tfName(name.trim());
  const parts = model.layers.filter((l) => l.name === lower || l.name.startsWith(`${lower}_`));
  const last = parts[parts.length - 1];
  if (!last) {
    throw new Error(`transfer: the model has no layer '${name}'; cut after one of ${slideNames(model).join(", ")}`);
  }
  return last;
}

/** One example's shape at a layer's output (the batch axis dropped). */
export function outputShapeOf(layer: tf.layers.Layer): number[] {
  const shape = layer.outputShape;
  if (Array.isArray(shape[0])) throw new Error(`transfer: layer ${layer.name} has several outputs; cut after a layer with one`);
  return (shape as (number | null)[]).slice(1).map((d, i) => {
    if (d === null) throw new Error(`transfer: axis ${i + 1} of ${layer.name}'s output has no fixed size`);
    return d;
  });
}

/** The INPUT statement that starts a head fed by this shape. */
export function inputStatement(shape: readonly number[]): string {
  if (shape.length === 3 || shape.length === 1) return `INPUT ${shape.join("x")}`;
  if (shape.length === 2) return `INPUT1D ${shape.join("x")}`;
  throw new Error(`transfer: cannot put a head on an output of shape [${shape.join(", ")}]`);
}

/** The head as a checked network; the INPUT line is line 1, so the head's own text starts on line 2. */
export function checkHead(head: string, shape: readonly number[]): CheckedNetwork {
  return checkOrThrow(`${inputStatement(shape)}\n${head}`, {}, "head");
}

/** A fresh, unbuilt copy of a layer with another name (same settings, same seeded initialisers). */
function renamedCopy(layer: tf.layers.Layer, name: string): tf.layers.Layer {
  const className = layer.getClassName();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`transfer: layer class ${className} is not registered with tf.serialization`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, { ...layer.getConfig(), name }) as tf.layers.Layer;
}

/** Applies a compiled head's layers, renamed, to `input`, keeping its graph (chains, branches, skips). */
function applyHead(head: tf.LayersModel, input: tf.SymbolicTensor): tf.SymbolicTensor {
  const outputs = new Map<string, tf.SymbolicTensor>();
  for (const layer of head.layers) {
    if (isInputLayer(layer)) {
      outputs.set(layer.name, input);
      continue;
    }
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const inputs = inbound.map((l) => {
      const t = outputs.get(l.name);
      if (!t) throw new Error(`transfer: head layer ${layer.name} comes before its input ${l.name}`);
      return t;
    });
    const copy = renamedCopy(layer, `${HEAD_PREFIX}${layer.name}`);
    outputs.set(layer.name, copy.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor);
  }
  const last = head.outputs[0]?.sourceLayer.name;
  const out = last === undefined ? undefined : outputs.get(last);
  if (!out) throw new Error("transfer: the head has no output");
  return out;
}

const hasWeights = (layer: tf.layers.Layer) => layer.weights.length > 0;

/**
 * Sets which layers learn. Head layers (named head_...) always learn; the base's layers follow
 * `mode`. Call it again to change phases (e.g. train the head, then fine-tune everything with a
 * lower rate); it takes effect at the next fit().
 */
export function freezeBase(model: tf.LayersModel, mode: FreezeMode): void {
  const base = model.layers.filter((l) => !isInputLayer(l) && !l.name.startsWith(HEAD_PREFIX));
  let frozen: Set<tf.layers.Layer>;
  if (mode === "base") frozen = new Set(base);
  else if (mode === "none") frozen = new Set();
  else if ("firstLayers" in mode) {
    if (!Number.isInteger(mode.firstLayers) || mode.firstLayers < 0) throw new Error(`freeze: firstLayers must be a whole number >= 0, got ${mode.firstLayers}`);
    const weighted = base.filter(hasWeights);
    if (mode.firstLayers > weighted.length) {
      throw new Error(`freeze: the base has ${weighted.length} layers with weights (${weighted.map((l) => l.name.toUpperCase()).join(", ")}), not ${mode.firstLayers}`);
    }
    const lastFrozen = mode.firstLayers === 0 ? -1 : base.indexOf(weighted[mode.firstLayers - 1]!);
    frozen = new Set(base.slice(0, lastFrozen + 1));
  } else {
    const through = findCutLayer(model, mode.through);
    frozen = new Set(base.slice(0, base.indexOf(through) + 1));
  }
  for (const layer of model.layers) {
    if (isInputLayer(layer)) continue;
    layer.trainable = !frozen.has(layer);
  }
  keepFrozenBatchNormsInInference(model);
}

const patched = new WeakSet<tf.layers.Layer>();

/**
 * A frozen batch-norm layer normalises with its stored mean and variance and leaves them alone,
 * as in Keras: in training mode tfjs would use the batch's statistics and update the moving ones,
 * so a "fixed" feature extractor would still change. Applied per layer; follows `trainable`.
 */
export function keepFrozenBatchNormsInInference(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization" || patched.has(layer)) continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => call(inputs, layer.trainable ? kwargs : { ...kwargs, training: false });
    patched.add(layer);
  }
}

/** A new model: the base up to `cutAfter`, then the head; frozen as `freeze` says. */
export function transfer(base: tf.LayersModel, options: TransferOptions): tf.LayersModel {
  const cut = findCutLayer(base, options.cutAfter);
  if (isInputLayer(cut)) throw new Error("transfer: cut after a layer, not after the input");
  const shape = outputShapeOf(cut);
  const headNetwork = checkHead(options.head, shape);
  const compileOptions: { seed?: number; init?: Initializer } = {};
  if (options.seed !== undefined) compileOptions.seed = options.seed;
  if (options.init !== undefined) compileOptions.init = options.init;
  const head = compileNetwork(headNetwork, compileOptions).model;
  const cutOutput = cut.output;
  if (Array.isArray(cutOutput)) throw new Error(`transfer: layer ${cut.name} has several outputs; cut after a layer with one`);
  const output = applyHead(head, cutOutput);
  head.dispose();
  const model = tf.model({ inputs: base.inputs, outputs: output, name: options.name ?? `${base.name}_transfer` });
  freezeBase(model, options.freeze ?? "base");
  return model;
}
