// Labelled examples as training code sees them. An ImageDataset (src/data) is one; a text corpus
// embedded as [length, dim] vectors is another: `shape` is one example's shape without the batch.
import { tf } from "../backend/tf.js";

export interface Examples {
  name?: string;
  /** N examples, each `shape`, row-major (NHWC for images). */
  images: Float32Array;
  labels: Int32Array;
  shape: readonly number[];
  classNames: readonly string[];
}

export function exampleCount(examples: Examples): number {
  return examples.labels.length;
}

/** Inputs and one-hot targets as tensors; the caller disposes them. */
export function toTensors(examples: Examples, start = 0, end = exampleCount(examples)): { x: tf.Tensor; y: tf.Tensor } {
  const size = examples.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(examples.images.subarray(start * size, end * size), [end - start, ...examples.shape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(examples.labels.subarray(start, end), "int32"), examples.classNames.length).toFloat());
  return { x, y };
}
