// Flatten: a volume laid out as one vector.
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";
import type { LayerKindDefinition } from "./kind.js";
import { shapeSize, sizeNeeded } from "./shape.js";

export interface FlattenSettings {
  kind: "flatten";
}

export const flatten: LayerKindDefinition<FlattenSettings> = {
  kind: "flatten",
  title: "Flatten",
  doc: "Lays a volume out as one vector (`7x7x512` becomes `25088`). Implied before the first FC, so it is rarely written.",
  keywords: [{ word: "FLATTEN", summary: "volume to vector (implied before FC)" }],
  syntax: ["FLATTEN"],
  examples: ["INPUT 7x7x512 FLATTEN FC-10"],
  arguments: [],
  naming: { prefix: () => "FLATTEN", count: "own" },
  conventions: { activation: "none", bias: false },
  settings: () => ({ kind: "flatten" }),
  infer(_s, input) {
    if (!Number.isFinite(shapeSize(input))) return { ok: false, ...sizeNeeded("FLATTEN", input) };
    return { ok: true, value: { output: [shapeSize(input)], weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "global" } } };
  },
  // tfjs's Flatten refuses an input that is already a vector (after GAP): it is then a no-op reshape.
  compile: (layer) => [layer.inputShape.length <= 1 ? tf.layers.reshape({ targetShape: [shapeSize(layer.inputShape)], name: tfName(layer.name) }) : tf.layers.flatten({ name: tfName(layer.name) })],
  label: () => "FLATTEN",
};
