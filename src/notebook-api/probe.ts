// Looking inside a trained model: a layer by its slide name (CONV2, FC4), and a model that stops
// at that layer, for reading what the layer makes of an input.
import { tf } from "../backend/tf.js";
import { tfName } from "../compile/parts.js";

/** The layer the shape table calls `name` (any case); the error lists the layers there are. */
export function layerNamed(model: tf.LayersModel, name: string): tf.layers.Layer {
  try {
    return model.getLayer(tfName(name));
  } catch {
    throw new Error(`the model has no layer ${name}; its layers are ${model.layers.map((l) => l.name.toUpperCase()).join(", ")}`);
  }
}

/**
 * A model from the same input to `layer`'s output (or to its input: what the layer receives),
 * sharing the trained weights; it holds no tensors of its own.
 */
export function modelUpTo(model: tf.LayersModel, layer: tf.layers.Layer, end: "output" | "input" = "output"): tf.LayersModel {
  const tensor = end === "output" ? layer.output : layer.input;
  if (Array.isArray(tensor)) throw new Error(`${layer.name.toUpperCase()} has ${tensor.length} ${end}s; pick a layer with one`);
  return tf.model({ inputs: model.inputs, outputs: tensor });
}
