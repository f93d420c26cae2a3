// Saliency maps (Simonyan, Vedaldi & Zisserman 2013, "Deep inside convolutional networks"):
// which pixels, changed a little, would change a class score the most? The gradient of the
// class score with respect to the input, |gradient| taken largest over the colour channels.
// The score is the one before softmax: the softmax probability can also rise by lowering the
// other classes' scores, which says nothing about this class.
import { tf } from "../backend/tf.js";
import { formatNumber } from "../render/format.js";
import { imageBundle } from "../render/image-grid.js";
import type { MimeBundle } from "../render/mime.js";
import { saliencyGrid, type SaliencyOptions } from "../render/saliency.js";
import { exampleCount, toTensors, type Examples } from "../train/examples.js";
import { endsInSoftmax } from "../train/fit.js";
import { modelUpTo } from "./probe.js";

export interface SaliencyMapOptions {
  /** Whose score to differentiate: a class index, the model's own answer ("predicted", the default) or the example's true class ("label"). */
  classIndex?: number | "predicted" | "label";
}

export interface SaliencyMap {
  /** |d score / d pixel|, largest over the input channels: height * width values, row-major. */
  values: Float32Array;
  /** [height, width] of the input. */
  shape: [number, number];
  /** The example's index in the data set. */
  index: number;
  /** The class whose score was differentiated. */
  classIndex: number;
  /** That class's score before softmax. */
  score: number;
  /** Its softmax probability. */
  probability: number;
  /** The class with the highest score. */
  predicted: number;
  /** The example's true class. */
  label: number;
}

/**
 * A function from inputs to class scores before softmax (logits), [batch, classes]. A network
 * that ends in FC-n SOFTMAX has the softmax fused into its last Dense layer: the scores are then
 * that layer's affine part, applied to what the layer receives.
 */
export function classScoreFunction(model: tf.LayersModel): (x: tf.Tensor) => tf.Tensor {
  if (!endsInSoftmax(model)) return (x) => model.apply(x) as tf.Tensor;
  const last = model.layers[model.layers.length - 1]!;
  const before = modelUpTo(model, last, "input");
  const kind = last.getClassName();
  if (kind === "Activation") return (x) => before.apply(x) as tf.Tensor;
  if (kind === "Dense") {
    return (x) => {
      const [kernel, bias] = last.getWeights();
      const product = tf.matMul(before.apply(x) as tf.Tensor2D, kernel as tf.Tensor2D);
      return bias ? tf.add(product, bias) : product;
    };
  }
  throw new Error(`saliency: the last layer ${last.name.toUpperCase()} (${kind}) applies softmax itself; end the network in FC-n SOFTMAX or a separate SOFTMAX so the scores before softmax can be read`);
}

function checkIndex(examples: Examples, index: number): void {
  if (examples.shape.length !== 3) throw new RangeError(`saliency: examples of shape [${examples.shape.join(", ")}] are not images [h, w, c]`);
  const n = exampleCount(examples);
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`saliency: example ${index} is outside 0..${n - 1} of ${examples.name ?? "the data set"}`);
}

function pickClass(choice: SaliencyMapOptions["classIndex"], predicted: number, label: number, classes: number): number {
  if (choice === undefined || choice === "predicted") return predicted;
  if (choice === "label") return label;
  if (!Number.isInteger(choice) || choice < 0 || choice >= classes) throw new RangeError(`saliency: classIndex ${choice} is outside 0..${classes - 1}`);
  return choice;
}

/**
 * The saliency map of example `index` (every tensor it makes is freed before it returns).
 * Values are read asynchronously, which a GPU backend (webgpu in Node) requires.
 */
export async function saliencyMap(model: tf.LayersModel, examples: Examples, index: number, options: SaliencyMapOptions = {}): Promise<SaliencyMap> {
  checkIndex(examples, index);
  const scoresOf = classScoreFunction(model);
  const label = examples.labels[index]!;
  const { x, y } = toTensors(examples, index, index + 1);
  const made: tf.Tensor[] = [x, y];
  try {
    const scoreTensor = tf.tidy(() => scoresOf(x));
    made.push(scoreTensor);
    const scores = Array.from(await scoreTensor.data());
    const predicted = scores.indexOf(Math.max(...scores));
    const classIndex = pickClass(options.classIndex, predicted, label, scores.length);
    const saliency = tf.tidy(() => {
      // Picks the score by a one-hot product rather than gather: gather's gradient needs
      // UnsortedSegmentSum, which the WASM backend lacks.
      const pick = tf.oneHot(tf.tensor1d([classIndex], "int32"), scores.length);
      const gradient = tf.grad((input: tf.Tensor) => scoresOf(input).mul(pick).sum())(x);
      // [1, h, w, c] -> [h, w]: one number per pixel, the channel that reacts most.
      return gradient.abs().max(-1).squeeze([0]);
    });
    made.push(saliency);
    const top = Math.max(...scores);
    const total = scores.reduce((sum, s) => sum + Math.exp(s - top), 0);
    return {
      values: Float32Array.from(await saliency.data()),
      shape: [saliency.shape[0]!, saliency.shape[1]!] as [number, number],
      index,
      classIndex,
      score: scores[classIndex]!,
      probability: Math.exp(scores[classIndex]! - top) / total,
      predicted,
      label,
    };
  } finally {
    tf.dispose(made);
  }
}

/** Examples beside their saliency heat maps, one row each: picture, heat map, overlay. */
export async function showSaliency(model: tf.LayersModel, examples: Examples, indices: number | readonly number[], options: SaliencyMapOptions & SaliencyOptions = {}): Promise<MimeBundle> {
  const list = typeof indices === "number" ? [indices] : [...indices];
  const name = (c: number) => examples.classNames[c] ?? String(c);
  const maps: SaliencyMap[] = [];
  for (const i of list) maps.push(await saliencyMap(model, examples, i, options));
  const items = maps.map((m) => {
    const size = examples.shape.reduce((a, b) => a * b, 1);
    return {
      image: { values: examples.images.subarray(m.index * size, (m.index + 1) * size), shape: examples.shape },
      saliency: { values: m.values, shape: m.shape },
      label: `#${m.index} true ${name(m.label)}`,
      heatLabel: `score ${name(m.classIndex)}`,
    };
  });
  const grid = saliencyGrid(items, options);
  const lines = maps.map(
    (m) =>
      `#${m.index}: true ${name(m.label)}, predicted ${name(m.predicted)}; gradient of the score of ${name(m.classIndex)} ` +
      `(${formatNumber(m.score, 3)} before softmax, p = ${formatNumber(m.probability, 3)})`,
  );
  const text = ["|d score / d pixel|, largest over the input channels (Simonyan et al. 2013)", ...lines, grid.text].join("\n");
  return imageBundle(grid.image, { text, alt: `saliency maps of ${list.length} images` });
}
