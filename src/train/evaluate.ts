// Accuracy, loss, confusion matrix, per-class accuracy and top-k accuracy on a data set.
import { tf } from "../backend/tf.js";
import { exampleCount, toTensors, type Examples } from "./examples.js";
import { endsInSoftmax } from "./fit.js";

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** Fraction of examples whose class is among the k highest scores. */
  topK: { k: number; accuracy: number };
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  perClassAccuracy: number[];
  classNames: readonly string[];
  count: number;
}

/**
 * Class probabilities for every example, computed in batches. Read asynchronously: a GPU
 * backend (webgpu in Node) cannot read results synchronously, and no backend then stalls.
 */
export async function predictProbabilities(model: tf.LayersModel, examples: Examples, batchSize = 256): Promise<Float32Array> {
  const n = exampleCount(examples);
  const classes = examples.classNames.length;
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const probabilities = tf.tidy(() => {
      const { x } = toTensors(examples, start, end);
      // predict's own default splits a batch into 32s; the batch here is already sized.
      const scores = model.predict(x, { batchSize: end - start }) as tf.Tensor;
      return endsInSoftmax(model) ? scores : tf.softmax(scores);
    });
    try {
      out.set((await probabilities.data()) as Float32Array, start * classes);
    } finally {
      probabilities.dispose();
    }
  }
  return out;
}

export async function evaluate(model: tf.LayersModel, examples: Examples, options: { topK?: number; batchSize?: number } = {}): Promise<Evaluation> {
  const n = exampleCount(examples);
  const classes = examples.classNames.length;
  const k = Math.min(options.topK ?? 5, classes);
  const probabilities = await predictProbabilities(model, examples, options.batchSize);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let loss = 0;
  let correct = 0;
  let inTopK = 0;
  for (let i = 0; i < n; i++) {
    const row = probabilities.subarray(i * classes, (i + 1) * classes);
    const truth = examples.labels[i]!;
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (row[c]! > row[predicted]!) predicted = c;
    const higher = row.reduce((count, p) => count + (p > row[truth]! ? 1 : 0), 0);
    confusion[truth]![predicted]!++;
    if (predicted === truth) correct++;
    if (higher < k) inTopK++;
    loss -= Math.log(Math.max(row[truth]!, 1e-7));
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c]! / total;
  });
  return { loss: loss / n, accuracy: correct / n, topK: { k, accuracy: inTopK / n }, confusion, perClassAccuracy, classNames: examples.classNames, count: n };
}
