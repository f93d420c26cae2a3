// VGG's convention, applied to the elaborated network, as each kind declares it (its
// `conventions`, src/layers/kind.ts): every weight layer (CONV, FC ...) is followed by the network's
// default activation (ReLU) unless an activation is written right after it; the last weight layer
// of the network, and of each RES/CAT body, has none unless one is written; a weight layer directly
// followed by BN has no bias, and its activation moves after the BN. Activations written right
// after a weight layer or BN are fused into that layer; RES blocks get the activation after the sum
// (ResNet's ReLU) unless one is written right after the block. An AUX head, like a RES body, ends
// in a weight layer without activation (its class scores) unless one is written.
import type { ActivationSettings } from "../layers/activation.js";
import { kindDefinition, type LayerSettings } from "../layers/registry.js";
import type { ElabLayer, ElabNode } from "./elaborate.js";
import type { NetworkDefaults } from "./defaults.js";

const activationConvention = (node: ElabNode | undefined) => (node?.type === "layer" ? kindDefinition(node.settings.kind).conventions.activation : undefined);

/** A layer that gets the implied activation: CONV, FC and the other weight layers. */
function isWeightLayer(node: ElabNode | undefined): boolean {
  return activationConvention(node) === "implied";
}

/** A layer that is a nonlinearity by itself (MAXOUT): the weight layer before it gets none. */
function isNonlinearity(node: ElabNode | undefined): boolean {
  return activationConvention(node) === "is-one";
}

function asActivation(node: ElabNode | undefined): ActivationSettings | undefined {
  return node?.type === "layer" && node.settings.kind === "activation" ? node.settings : undefined;
}

/** A layer that takes the activation written after it, and the one a weight layer before it would get (BN). */
function takesActivation(node: ElabNode | undefined): node is ElabLayer {
  return activationConvention(node) === "written";
}

/** The last CONV or FC in depth-first order, inside blocks too (not inside AUX heads: they are outputs of their own). */
function lastWeightLayer(nodes: readonly ElabNode[]): ElabLayer | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.type === "layer" && isWeightLayer(node)) return node;
    if (node.type === "skip") {
      const inner = lastWeightLayer(node.body);
      if (inner) return inner;
    }
    if (node.type === "branches") {
      for (let b = node.branches.length - 1; b >= 0; b--) {
        const inner = lastWeightLayer(node.branches[b]!);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

function withBias(layer: ElabLayer, bias: boolean): ElabLayer {
  const s = layer.settings as LayerSettings & { bias?: boolean | undefined };
  if (kindDefinition(s.kind).conventions.bias && s.bias === undefined) return { ...layer, settings: { ...s, bias } as LayerSettings };
  return layer;
}

function implied(defaults: NetworkDefaults): ActivationSettings | undefined {
  return defaults.activation.fn === "linear" ? undefined : defaults.activation;
}

function applyToSequence(sequence: readonly ElabNode[], defaults: NetworkDefaults, lastWeight: ElabLayer | undefined): ElabNode[] {
  const out: ElabNode[] = [];
  for (let i = 0; i < sequence.length; i++) {
    const node = sequence[i]!;
    if (node.type === "branches") {
      out.push({ ...node, branches: node.branches.map((b) => applyToSequence(b, defaults, lastWeight)) });
      continue;
    }
    if (node.type === "aux") {
      // A head ends in its own class scores: its last weight layer has no activation unless written.
      out.push({ ...node, body: applyToSequence(node.body, defaults, lastWeightLayer(node.body)) });
      continue;
    }
    if (node.type === "skip") {
      const skip = { ...node, body: applyToSequence(node.body, defaults, lastWeightLayer(node.body)) };
      if (node.merge === "add") {
        const written = asActivation(sequence[i + 1]);
        const activation = written ?? implied(defaults);
        if (written) i++;
        if (activation) skip.activation = activation;
      }
      out.push(skip);
      continue;
    }
    if (isWeightLayer(node)) {
      const layer0 = node as ElabLayer;
      const next = sequence[i + 1];
      const written = asActivation(next);
      if (written) {
        out.push({ ...withBias(layer0, defaults.bias), activation: written });
        i++;
      } else if (isNonlinearity(next)) {
        out.push(withBias(layer0, defaults.bias));
      } else if (takesActivation(next)) {
        out.push(withBias(layer0, false));
        const afterNorm = asActivation(sequence[i + 2]);
        const activation = afterNorm ?? (node === lastWeight ? undefined : implied(defaults));
        out.push(activation ? { ...next, activation } : next);
        i += afterNorm ? 2 : 1;
      } else {
        const activation = node === lastWeight ? undefined : implied(defaults);
        const layer = withBias(layer0, defaults.bias);
        out.push(activation ? { ...layer, activation } : layer);
      }
      continue;
    }
    const written = takesActivation(node) ? asActivation(sequence[i + 1]) : undefined;
    if (written) {
      out.push({ ...node, activation: written });
      i++;
    } else {
      out.push(node);
    }
  }
  return out;
}

export function applyConventions(nodes: readonly ElabNode[], defaults: NetworkDefaults): ElabNode[] {
  return applyToSequence(nodes, defaults, lastWeightLayer(nodes));
}
