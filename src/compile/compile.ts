// The checked network to a tf.LayersModel: a straight walk. A chain becomes a tf.Sequential;
// branches (concatenate) and skip blocks (add or concatenate, with the shortcut's projection)
// use the functional API.
import { tf } from "../backend/tf.js";
import type { CheckedLayer, CheckedNetwork, CheckedNode } from "../shapes/network.js";
import type { Initializer } from "../shapes/defaults.js";
import { kindDefinition } from "../layers/registry.js";
import { activationLayer, fusedActivation } from "./activations.js";
import { withAuxiliaryHeads, type AuxiliaryTraining } from "./auxiliary.js";
import { tfName, type LayerBuildContext } from "./parts.js";

export interface CompileOptions {
  /** Overrides the network's DEFAULTS(init=...) and per-layer init. */
  init?: Initializer;
  /** Seeds the weight initialisers, for reproducible runs. */
  seed?: number;
  /** The model's name. */
  name?: string;
  /** L1/L2 penalties on CONV and FC weights; default: the network's TRAIN(l1=..., l2=...). */
  regularization?: { l1: number; l2: number };
}

export interface CompiledNetwork {
  /** What inference runs: the network without its AUX heads. */
  model: tf.LayersModel;
  /** With AUX heads: the model training uses (main output, then each head's) and the loss weights. */
  training?: AuxiliaryTraining;
  network: CheckedNetwork;
  /** For each checked layer (by slide name), the tfjs layers that compute it. */
  tfLayers: Map<string, tf.layers.Layer[]>;
}

/** Whether a sequence (the main chain, or a head) ends in SOFTMAX: then its loss takes probabilities. */
function endsInSoftmax(nodes: readonly CheckedNode[]): boolean {
  const last = nodes.filter((n) => n.type !== "aux").pop();
  return last?.type === "layer" && (last.activation?.fn === "softmax" || (last.settings.kind === "activation" && last.settings.fn === "softmax"));
}

function isChain(nodes: readonly CheckedNode[]): boolean {
  return nodes.every((n) => n.type === "layer");
}

class Walker {
  readonly tfLayers = new Map<string, tf.layers.Layer[]>();
  /** Each AUX head's output and loss weight, in order. */
  readonly heads: { output: tf.SymbolicTensor; weight: number; softmax: boolean }[] = [];
  readonly ctx: LayerBuildContext;

  constructor(network: CheckedNetwork, options: CompileOptions) {
    let seed = options.seed;
    const init = options.init ?? network.defaults.init;
    const regularization = options.regularization ?? { l1: network.training?.l1 ?? 0, l2: network.training?.l2 ?? 0 };
    this.ctx = { init, nextSeed: () => (seed === undefined ? undefined : seed++) };
    if (regularization.l1 > 0 || regularization.l2 > 0) this.ctx.regularization = regularization;
  }

  /** The kind's own layers, then its activation where the kind's tfjs layer did not apply it itself. */
  layersOf(layer: CheckedLayer): tf.layers.Layer[] {
    const definition = kindDefinition(layer.kind);
    const built = definition.compile(layer, this.ctx);
    const activation = layer.activation;
    if (activation && activation.fn !== "linear" && !(definition.fusesActivation?.(layer.settings) && fusedActivation(activation))) {
      built.push(activationLayer(activation, tfName(layer.name, activation.fn), layer.outputShape.length));
    }
    this.tfLayers.set(layer.name, built);
    return built;
  }

  applyLayer(layer: CheckedLayer, x: tf.SymbolicTensor): tf.SymbolicTensor {
    return this.layersOf(layer).reduce((t, l) => l.apply(t) as tf.SymbolicTensor, x);
  }

  applySequence(nodes: readonly CheckedNode[], x: tf.SymbolicTensor): tf.SymbolicTensor {
    return nodes.reduce((t, node) => this.applyNode(node, t), x);
  }

  applyNode(node: CheckedNode, x: tf.SymbolicTensor): tf.SymbolicTensor {
    if (node.type === "layer") return this.applyLayer(node, x);
    if (node.type === "branches") {
      const outputs = node.branches.map((branch) => this.applySequence(branch, x));
      const merge = outputs.length === 1 ? outputs[0]! : (tf.layers.concatenate({ axis: -1, name: tfName(node.name) }).apply(outputs) as tf.SymbolicTensor);
      return merge;
    }
    if (node.type === "aux") {
      this.heads.push({ output: this.applySequence(node.body, x), weight: node.weight, softmax: endsInSoftmax(node.body) });
      return x;
    }
    const body = this.applySequence(node.body, x);
    const shortcut = node.projection.reduce((t, layer) => this.applyLayer(layer, t), x);
    const mergeLayer = node.kind === "add" ? tf.layers.add({ name: tfName(node.name) }) : tf.layers.concatenate({ axis: -1, name: tfName(node.name) });
    const merged = mergeLayer.apply([shortcut, body]) as tf.SymbolicTensor;
    if (!node.activation || node.activation.fn === "linear") return merged;
    return activationLayer(node.activation, tfName(node.name, node.activation.fn), node.outputShape.length).apply(merged) as tf.SymbolicTensor;
  }
}

export function compileNetwork(network: CheckedNetwork, options: CompileOptions = {}): CompiledNetwork {
  const walker = new Walker(network, options);
  // A size known only when the network runs (?) is null for tfjs.
  const inputShape = network.input.outputShape.map((v) => (Number.isFinite(v) ? v : null));
  const name = options.name ?? "convnote";
  let model: tf.LayersModel;
  if (isChain(network.nodes)) {
    const sequential = tf.sequential({ name });
    sequential.add(tf.layers.inputLayer({ inputShape, name: "input" }));
    for (const node of network.nodes as CheckedLayer[]) for (const layer of walker.layersOf(node)) sequential.add(layer);
    model = sequential;
  } else {
    const input = tf.input({ shape: inputShape, name: "input" });
    const output = walker.applySequence(network.nodes, input);
    model = tf.model({ inputs: input, outputs: output, name });
    if (walker.heads.length > 0) {
      const training = withAuxiliaryHeads(model, input, output, walker.heads, endsInSoftmax(network.nodes));
      return { model, training, network, tfLayers: walker.tfLayers };
    }
  }
  return { model, network, tfLayers: walker.tfLayers };
}

/** Parameters of the tfjs layers behind each checked layer, for comparing with the checked counts. */
export function compiledParamsByLayer(compiled: CompiledNetwork): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [name, layers] of compiled.tfLayers) counts.set(name, layers.reduce((sum, l) => sum + l.countParams(), 0));
  return counts;
}
