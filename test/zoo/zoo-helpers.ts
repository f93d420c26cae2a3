// Helpers for the zoo tests: checking an entry, and summing over the layers inside a block.
import { formatDiagnostic } from "../../src/dsl/diagnostics.js";
import { checkNetwork } from "../../src/shapes/check.js";
import type { CheckedLayer, CheckedNetwork, CheckedNode } from "../../src/shapes/network.js";
import type { ZooEntry } from "../../src/zoo/index.js";

/** The entry's checked network; fails with the formatted diagnostics when it does not check. */
export function checkEntry(entry: ZooEntry): CheckedNetwork {
  const result = checkNetwork(entry.source);
  if (!result.network || result.diagnostics.length > 0) {
    throw new Error(`${entry.name} does not check:\n${result.diagnostics.map((d) => formatDiagnostic(d, entry.source, entry.name)).join("\n")}`);
  }
  return result.network;
}

/** Every layer inside a node (branches, skip bodies and projections included), in order. */
export function layersUnder(node: CheckedNode): CheckedLayer[] {
  if (node.type === "layer") return [node];
  if (node.type === "branches") return node.branches.flatMap((b) => b.flatMap(layersUnder));
  return [...node.body.flatMap(layersUnder), ...(node.type === "skip" ? node.projection : [])];
}

export function sumUnder(nodes: readonly CheckedNode[], pick: (layer: CheckedLayer) => number): number {
  return nodes.flatMap(layersUnder).reduce((sum, layer) => sum + pick(layer), 0);
}

export const shapeOf = (node: { outputShape: readonly number[] }): number[] => [...node.outputShape];

/** The text without comments, blank lines or repeated spaces: what the checker reads. */
export function withoutComments(source: string): string {
  return source
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line !== "")
    .join(" ")
    .replace(/\s+/g, " ");
}
