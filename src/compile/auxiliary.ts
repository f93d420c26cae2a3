// The training side of AUX heads: the compiled model is the network without them (what inference
// runs, evaluates and saves); training uses a second model on the same layers whose one output is
// the main output and each head's, side by side ([batch, classes * (1 + heads)]), so that fit()
// can weight the heads' losses itself (tfjs's lossWeights are not implemented, and its logs of
// several outputs' validation losses are mislabelled).
import { tf } from "../backend/tf.js";

export interface AuxiliaryTraining {
  /** One output: the main output's class scores, then each head's, concatenated. Shares every layer with the inference model. */
  model: tf.LayersModel;
  /** The classes each output predicts (the main output's: every head predicts the same labels). */
  classes: number;
  /** The main output, then each head: its loss weight (1 for the main output; GoogLeNet's heads 0.3) and whether it ends in softmax. */
  outputs: { weight: number; softmax: boolean }[];
}

const trainingOf = new WeakMap<tf.LayersModel, AuxiliaryTraining>();

/** Builds the training model of `inference` from its main output and the heads' outputs, and keeps it for fit(). */
export function withAuxiliaryHeads(inference: tf.LayersModel, input: tf.SymbolicTensor, main: tf.SymbolicTensor, heads: { output: tf.SymbolicTensor; weight: number; softmax: boolean }[], mainSoftmax: boolean): AuxiliaryTraining {
  const joined = tf.layers.concatenate({ axis: -1, name: "auxiliary_heads" }).apply([main, ...heads.map((h) => h.output)]) as tf.SymbolicTensor;
  const training: AuxiliaryTraining = {
    model: tf.model({ inputs: input, outputs: joined, name: `${inference.name}_training` }),
    classes: main.shape[main.shape.length - 1]!,
    outputs: [{ weight: 1, softmax: mainSoftmax }, ...heads.map(({ weight, softmax }) => ({ weight, softmax }))],
  };
  trainingOf.set(inference, training);
  freeHeadsWith(inference, training.model);
  return training;
}

/**
 * Makes `inference.dispose()` free what only the training model holds: the heads' layers and the
 * optimizer fit() gave it. Disposing the training model itself would dispose the shared layers a
 * second time, which tfjs refuses.
 */
function freeHeadsWith(inference: tf.LayersModel, training: tf.LayersModel): void {
  const disposeInference = inference.dispose.bind(inference);
  inference.dispose = () => {
    const result = disposeInference();
    if (result.refCountAfterDispose !== 0) return result;
    const shared = new Set(inference.layers);
    for (const layer of training.layers) if (!shared.has(layer)) result.numDisposedVariables += layer.dispose().numDisposedVariables;
    (training.optimizer as tf.Optimizer | undefined)?.dispose();
    return result;
  };
}

/** The model to train `model` with, when its network has AUX heads. */
export function auxiliaryTraining(model: tf.LayersModel): AuxiliaryTraining | undefined {
  return trainingOf.get(model);
}
