// The slides' optimizers as tfjs optimizers, and changing their learning rate while training.
import { tf } from "../backend/tf.js";
import type { OptimizerSettings } from "./settings.js";

function optimizerFor(settings: OptimizerSettings): tf.Optimizer {
  switch (settings.kind) {
    case "sgd":
      return settings.momentum > 0 || settings.nesterov
        ? tf.train.momentum(settings.learningRate, settings.momentum, settings.nesterov)
        : tf.train.sgd(settings.learningRate);
    case "rmsprop":
      return tf.train.rmsprop(settings.learningRate, settings.decay, settings.momentum, settings.epsilon);
    case "adam":
      return tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
  }
}

/**
 * The optimizer for `settings`. Its dispose() frees all its state and may be called more than
 * once: the model that owns it frees it (ownOptimizer), and code written before that, which freed
 * it by hand, must not fail on tfjs's "Variable ... was already disposed".
 */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  const optimizer = optimizerFor(settings);
  const dispose = optimizer.dispose.bind(optimizer);
  let disposed = false;
  optimizer.dispose = () => {
    if (disposed) return;
    disposed = true;
    dispose();
    // tfjs 4.22's MomentumOptimizer.dispose() forgets the rate scalar its SGD base class keeps.
    const rate = (optimizer as unknown as { c?: tf.Tensor }).c;
    if (rate && !rate.isDisposed) rate.dispose();
  };
  return optimizer;
}

/**
 * Makes `model.dispose()` free its optimizer's state (Adam's moments, momentum's velocities, SGD's
 * rate scalar). tfjs 4.22 does so only for an optimizer that compile() made from a name
 * (LayersModel.isOptimizerOwned); ours are built from settings, so without this every trained
 * model left 22 tensors behind with Adam (1 with SGD) on a small network.
 */
export function ownOptimizer(model: tf.LayersModel): void {
  (model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
}

/** tfjs's SGD keeps the rate in a cached scalar (setLearningRate); Adam and RMSprop read a field. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const withSetter = optimizer as tf.Optimizer & { setLearningRate?: (lr: number) => void };
  if (typeof withSetter.setLearningRate === "function") withSetter.setLearningRate(learningRate);
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}
