// Shared by the training tests: the best backend available here, networks compiled from text, and
// weights read back as plain arrays so that tests can compare them exactly.
import { describeBackend, initBackend, tf } from "../../src/backend/index.js";
import { compileNetwork, type CompileOptions } from "../../src/compile/index.js";
import type { Initializer } from "../../src/shapes/defaults.js";
import { mustCheck } from "../helpers.js";

/** Starts the backend ConvNote would choose (tfjs-node, else wasm, else cpu) and names it. */
export async function bestBackend(): Promise<string> {
  await initBackend();
  // A test file before this one may have switched backends for a comparison; use the chosen one.
  const report = describeBackend();
  if (tf.getBackend() !== report.tfjsBackend) await tf.setBackend(report.tfjsBackend);
  return report.name;
}

export function compileText(source: string, seed = 1, init?: Initializer): tf.LayersModel {
  const options: CompileOptions = { seed };
  if (init !== undefined) options.init = init;
  return compileNetwork(mustCheck(source), options).model;
}

/** Every weight of the named layers (all layers when omitted), as arrays, keyed layer/index. */
export function weightValues(model: tf.LayersModel, layerNames?: readonly string[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const layer of model.layers) {
    if (layerNames && !layerNames.includes(layer.name)) continue;
    layer.weights.forEach((w, i) => out.set(`${layer.name}/${i}`, w.read().dataSync() as Float32Array));
  }
  return out;
}

/** Largest absolute difference between two weight snapshots with the same keys. */
export function largestChange(before: Map<string, Float32Array>, after: Map<string, Float32Array>): number {
  let largest = 0;
  for (const [key, a] of before) {
    const b = after.get(key);
    if (!b) throw new Error(`weight ${key} is missing after`);
    for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  }
  return largest;
}

/** Class probabilities of a model for a batch of inputs, as one array. */
export function predictArray(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}
