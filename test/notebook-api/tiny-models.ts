// Shared by the notebook-api tests: seeded random images as a data set, and a model compiled
// from network text on the backend ConvNote chooses here.
import { tf } from "../../src/backend/tf.js";
import { createRng } from "../../src/data/random.js";
import type { Examples } from "../../src/train/examples.js";
import { compileText } from "../train/helpers.js";

export { bestBackend } from "../train/helpers.js";

/** `count` images of `shape` with values uniform in -1..1, labels cycling over `classes`. */
export function randomExamples(count: number, shape: [number, number, number], classes: number, seed = 3): Examples {
  const rng = createRng(seed);
  const size = shape[0] * shape[1] * shape[2];
  const images = Float32Array.from({ length: count * size }, () => rng.next() * 2 - 1);
  const labels = Int32Array.from({ length: count }, (_, i) => i % classes);
  return { name: "random", images, labels, shape, classNames: Array.from({ length: classes }, (_, c) => `class${c}`) };
}

/** The model for network text, its weights seeded. */
export function modelOf(source: string, seed = 1): tf.LayersModel {
  return compileText(source, seed);
}

/** The values of example i (HWC, flat), a copy. */
export function exampleValues(examples: Examples, i: number): Float32Array {
  const size = examples.shape.reduce((a, b) => a * b, 1);
  return examples.images.slice(i * size, (i + 1) * size);
}

/** Runs `fn` and returns how many tensors it left behind. */
export async function tensorsLeftBy(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
