// The slides' optimizers as tfjs optimizers, and changing their learning rate while training.
import { tf } from "../backend/tf.js";
import type { OptimizerSettings } from "./settings.js";

export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
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

/** tfjs's SGD keeps the rate in a cached scalar (setLearningRate); Adam and RMSprop read a field. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const withSetter = optimizer as tf.Optimizer & { setLearningRate?: (lr: number) => void };
  if (typeof withSetter.setLearningRate === "function") withSetter.setLearningRate(learningRate);
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}
