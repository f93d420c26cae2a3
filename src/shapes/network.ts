// The checked network: the single source of truth downstream of the language. Every layer has its
// slide name, settings, shapes, parameter counts, memory, multiply-adds and receptive field. The
// compiler walks `nodes`; tables and JSON read `rows`.
import type { Span } from "../dsl/span.js";
import type { ActivationSettings } from "../layers/activation.js";
import type { ParameterFormula } from "../layers/kind.js";
import type { LayerKind, LayerSettings } from "../layers/registry.js";
import type { Shape } from "../layers/shape.js";
import type { NetworkDefaults } from "./defaults.js";
import type { TrainingSettings } from "../train/settings.js";

export interface ReceptiveField {
  /** Input positions one output value sees, per spatial axis ([h, w] or [length]). */
  size: number[];
  /** Input positions between neighbouring output values, per spatial axis. */
  jump: number[];
  /** Set when the field covers the whole input: the size is capped there, on every row alike. */
  whole?: true;
}

export interface LayerStats {
  inputShape: Shape;
  outputShape: Shape;
  weights: number;
  biases: number;
  trainable: number;
  nonTrainable: number;
  /** trainable + nonTrainable (Keras's "Total params"). */
  params: number;
  /** Values in the output (per example); bytes at float32 are 4x. */
  memory: number;
  macs: number;
  receptiveField: ReceptiveField;
}

export interface CheckedLayer extends LayerStats {
  type: "layer";
  /** The slide name: CONV1, POOL1, NORM1, FC6 ... */
  name: string;
  kind: LayerKind;
  /** The short notation: CONV3-64, POOL3/s2, FC-4096. */
  label: string;
  settings: LayerSettings;
  /** Applied to the output; absent means none (linear). */
  activation?: ActivationSettings;
  /** How the parameters count: `(3*3*3)*64` weights, `64` biases. */
  formula?: ParameterFormula;
  /** A dense layer that flattens its input volume first. */
  flattensInput: boolean;
  span: Span;
}

/** `{ a | b | c }`: the branches and the concatenation that joins them. */
export interface CheckedBranches extends LayerStats {
  type: "branches";
  name: string;
  kind: "concat";
  branches: CheckedNode[][];
  span: Span;
}

/** `RES[...]` (add) or `CAT[...]` (concat): the body, the shortcut's projection, the merge. */
export interface CheckedSkip extends LayerStats {
  type: "skip";
  name: string;
  kind: "add" | "concat";
  body: CheckedNode[];
  /** A 1x1 convolution (and batch norm when the body has one) where the shapes differ. */
  projection: CheckedLayer[];
  activation?: ActivationSettings;
  span: Span;
}

/** `AUX[...]`: a side head off the main chain (auxiliary classifier), trained with loss weight `weight`, dropped at inference. Its stats describe the head's output. */
export interface CheckedAux extends LayerStats {
  type: "aux";
  name: string;
  kind: "aux";
  weight: number;
  body: CheckedNode[];
  span: Span;
}

export type CheckedNode = CheckedLayer | CheckedBranches | CheckedSkip | CheckedAux;

/** One line of a shape table, in order: layers, then a block's merge after its parts. */
export interface TableRow extends LayerStats {
  name: string;
  kind: LayerKind | "concat" | "add" | "aux";
  label: string;
  /** 0 at the top level, +1 inside each branch or skip block. */
  depth: number;
  formula?: ParameterFormula;
  activation?: ActivationSettings;
  node: CheckedNode;
}

export interface Totals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Of `params`, those of AUX heads: trained, then dropped at inference. */
  auxiliaryParams: number;
  /** Weights only (the cs231n table's convention), biases not counted. */
  weights: number;
  biases: number;
  /** Values in all outputs, input included, per example. */
  memory: number;
  memoryBytes: number;
  macs: number;
}

export interface CheckedNetwork {
  source: string;
  input: CheckedLayer;
  /** Everything after the input, in order. */
  nodes: CheckedNode[];
  rows: TableRow[];
  totals: Totals;
  outputShape: Shape;
  defaults: NetworkDefaults;
  training?: TrainingSettings;
}
