// Pictures of what a trained model holds: a layer's filters, and its activation maps for one input.
// The tensors are read here, asynchronously (a GPU backend has no synchronous read in Node);
// src/render draws plain arrays.
import { tf } from "../backend/tf.js";
import { layerNamed, modelUpTo } from "./probe.js";
import { renderActivationMaps } from "../render/activations.js";
import { renderFilters, type FilterOptions } from "../render/filters.js";
import type { ActivationOptions } from "../render/activations.js";
import type { MimeBundle } from "../render/mime.js";
import type { Examples } from "../train/examples.js";

/** The filters of a CONV layer (by slide name, e.g. "CONV1"), scaled up as a PNG grid. */
export async function showFilters(model: tf.LayersModel, layer: string, options: FilterOptions = {}): Promise<MimeBundle> {
  const kernel = layerNamed(model, layer).getWeights()[0];
  if (!kernel || kernel.rank !== 4) throw new Error(`${layer} has no 2-D convolution filters to show`);
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  return renderFilters(await kernel.data(), [kh, kw, cin, cout], { title: layer.toUpperCase(), ...options });
}

/** Example `index` of a data set as a one-example batch. */
function exampleTensor(examples: Examples, index: number): tf.Tensor {
  const size = examples.shape.reduce((a, b) => a * b, 1);
  return tf.tensor(examples.images.subarray(index * size, (index + 1) * size), [1, ...examples.shape]);
}

/** The outputs of `layer` for one example: one image per channel ("one image becomes a stack of filtered images"). */
export async function showActivations(model: tf.LayersModel, layer: string, examples: Examples, index = 0, options: ActivationOptions = {}): Promise<MimeBundle> {
  const probe = modelUpTo(model, layerNamed(model, layer));
  const values = tf.tidy(() => {
    const output = probe.predict(exampleTensor(examples, index)) as tf.Tensor;
    return output.squeeze([0]);
  });
  try {
    if (values.rank !== 3) throw new Error(`${layer} outputs [${values.shape.join("x")}], not an image volume`);
    return renderActivationMaps(await values.data(), values.shape, options);
  } finally {
    values.dispose();
  }
}
