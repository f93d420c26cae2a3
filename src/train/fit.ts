// Training a compiled model: validation curves, progress callbacks, the slides' optimizers and
// schedules, early stopping, and stopping on request with the weights kept.
import { describeBackend } from "../backend/index.js";
import { tf } from "../backend/tf.js";
import { auxiliaryTraining, type AuxiliaryTraining } from "../compile/auxiliary.js";
import { LEARNING_RATE_HINT, learningRateProblem, trainingSettings, type Metric, type TrainingSettings } from "./settings.js";
import { exampleCount, toTensors, type Examples } from "./examples.js";
import { DivergenceWatch } from "./divergence.js";
import { createOptimizer, getLearningRate, ownOptimizer, setLearningRate } from "./optimizers.js";
import { EarlyStoppingState, linearDecay, PlateauSchedule } from "./schedules.js";
import { withSeededRandom } from "./seeded-random.js";
import { trainingStopSignal } from "./stop.js";

export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  seconds: number;
}

export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  elapsedSeconds: number;
}

/** "diverged": a batch's loss or the weights after it were NaN or infinite; the last finite weights are kept (History.stopMessage says which). */
export type StopReason = "completed" | "early-stopping" | "interrupted" | "diverged";

/** Where a fit that did not run all its epochs stopped. */
export interface StoppedAt {
  /** The epoch it stopped in, counted from 1. */
  epoch: number;
  /** Batches it finished in that epoch (0 when it stopped before the first). */
  batch: number;
  /** Batches in a whole epoch. */
  batches: number;
}

export interface History {
  /** Whole epochs only: an epoch cut short by an interrupt is in `batches`, not here. */
  epochs: EpochLog[];
  /** Loss and accuracy of every batch, for fine-grained curves. */
  batches: { epoch: number; batch: number; loss: number; accuracy: number }[];
  stopReason: StopReason;
  /** Why training stopped early and what to do, in a sentence; set when it diverged. */
  stopMessage?: string;
  /** Set when training stopped before its last epoch's last batch (an interrupt, early stopping). */
  stoppedAt: StoppedAt | null;
  seconds: number;
  /** Training examples per second over the whole fit. */
  examplesPerSecond: number;
  backend: string;
}

export interface FitOptions {
  /** Overrides the network's TRAIN(...) settings, field by field. */
  settings?: Partial<TrainingSettings>;
  /** Held-out examples; without them the last `validationSplit` of the training set is held out. */
  validation?: Examples;
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  onEpochEnd?: (log: EpochLog, history: History) => void | Promise<void>;
  /**
   * Abort to stop after the current batch (the kernel's interrupt does this for every fit); the
   * fit then returns its History with the weights it has. Already aborted: nothing is trained.
   */
  signal?: AbortSignal;
}

/** True when the model's last layer applies softmax (then the loss takes probabilities). */
export function endsInSoftmax(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  return last?.getConfig()["activation"] === "softmax";
}

/** Cross-entropy on probabilities, or on raw class scores (logits) when the network has no softmax. */
export function classificationLoss(model: tf.LayersModel): string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor) {
  return endsInSoftmax(model) ? "categoricalCrossentropy" : (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
}

/**
 * With AUX heads: the loss is the main output's cross-entropy plus each head's times its weight
 * (GoogLeNet: 0.3), and the accuracy is the main output's. The training model's output holds the
 * main output's class scores, then each head's; the labels are repeated as many times.
 */
function auxiliaryLossAndAccuracy(heads: AuxiliaryTraining) {
  const k = heads.classes;
  const part = (yPred: tf.Tensor, i: number) => tf.slice(yPred, [0, i * k], [-1, k]);
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() =>
      heads.outputs
        .map(({ weight, softmax }, i) => tf.mul(softmax ? tf.mean(tf.metrics.categoricalCrossentropy(part(yTrue, i), part(yPred, i))) : tf.losses.softmaxCrossEntropy(part(yTrue, i), part(yPred, i)), weight))
        .reduce((sum, l) => tf.add(sum, l)),
    );
  // Named "accuracy": fit's logs read it under that name, as for a model without heads.
  const accuracy = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.tidy(() => tf.metrics.categoricalAccuracy(part(yTrue, 0), part(yPred, 0)));
  return { loss, accuracy };
}

/** The labels once per output of the training model of `model`'s AUX heads (as they are without heads). */
function withHeadTargets(model: tf.LayersModel, data: { x: tf.Tensor; y: tf.Tensor }): { x: tf.Tensor; y: tf.Tensor } {
  const heads = auxiliaryTraining(model);
  if (!heads) return data;
  const y = tf.tile(data.y, [1, heads.outputs.length]);
  data.y.dispose();
  return { x: data.x, y };
}

/** The model fit() trains: the model itself, or the training model of its AUX heads. */
export function trainedModel(model: tf.LayersModel): tf.LayersModel {
  return auxiliaryTraining(model)?.model ?? model;
}

export function compileForTraining(model: tf.LayersModel, settings: TrainingSettings): void {
  // Every fit compiles a fresh optimizer; the previous one's state (Adam's moments, momentum's
  // velocities) is never used again, so it is freed now; the model frees the new one with itself.
  const heads = auxiliaryTraining(model);
  const trained = heads?.model ?? model;
  const previous = trained.optimizer as tf.Optimizer | undefined;
  if (heads) {
    const { loss, accuracy } = auxiliaryLossAndAccuracy(heads);
    trained.compile({ optimizer: createOptimizer(settings.optimizer), loss, metrics: [accuracy] });
  } else {
    trained.compile({ optimizer: createOptimizer(settings.optimizer), loss: classificationLoss(model), metrics: ["accuracy"] });
  }
  ownOptimizer(trained);
  if (previous && previous !== trained.optimizer) previous.dispose();
}

const logValue = (logs: tf.Logs | undefined, ...names: string[]) => {
  for (const name of names) if (logs && typeof logs[name] === "number") return logs[name] as number;
  return undefined;
};

export async function fit(model: tf.LayersModel, train: Examples, options: FitOptions = {}, base?: TrainingSettings): Promise<History> {
  const regularized = model.layers.some((layer) => layer.getConfig()["kernelRegularizer"] != null);
  for (const penalty of ["l1", "l2"] as const) {
    // Regularisers are part of the layers (as in Keras): asked for only now, they would do nothing.
    if ((options.settings?.[penalty] ?? 0) > 0 && !regularized) {
      throw new Error(
        `fit(): '${penalty}' cannot be added to a model that is already built; write TRAIN(${penalty}=...) in the network text, ` +
          `or build it with model({ regularization: { l1, l2 } })`,
      );
    }
  }
  const settings = trainingSettings({ ...(base ?? {}), ...(options.settings ?? {}) });
  const rateProblem = learningRateProblem(settings.optimizer.learningRate);
  if (rateProblem) throw new Error(`fit(): ${rateProblem}; give ${LEARNING_RATE_HINT}`);
  compileForTraining(model, settings);
  const trained = trainedModel(model);
  const optimizer = trained.optimizer;
  const initialRate = settings.optimizer.learningRate;
  const plateau = settings.schedule.kind === "plateau" ? new PlateauSchedule(settings.schedule) : undefined;
  const early = settings.earlyStopping ? new EarlyStoppingState(settings.earlyStopping.monitor, settings.earlyStopping.patience, settings.earlyStopping.minDelta) : undefined;
  let bestWeights: tf.Tensor[] | undefined;
  const divergence = new DivergenceWatch(trained);

  const count = exampleCount(train);
  const heldOut = options.validation ? 0 : Math.floor(count * settings.validationSplit);
  const batches = Math.ceil((count - heldOut) / settings.batchSize);
  const { x, y } = withHeadTargets(model, toTensors(train));
  const validation = options.validation ? withHeadTargets(model, toTensors(options.validation)) : undefined;

  const history: History = { epochs: [], batches: [], stopReason: "completed", stoppedAt: null, seconds: 0, examplesPerSecond: 0, backend: describeBackend().name };
  const stop = trainingStopSignal(options.signal);
  const started = performance.now();
  let epochStarted = started;
  let step = 0;
  let trainedExamples = 0;
  /** Batches finished in the epoch running now. */
  let batchesDone = 0;
  try {
    // A cell interrupted during an earlier fit trains no more: its later fits return at once.
    if (stop.signal.aborted) {
      history.stopReason = "interrupted";
      history.stoppedAt = { epoch: 1, batch: 0, batches };
      return history;
    }
    await withSeededRandom(settings.seed, () => trained.fit(x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffle: true,
      verbose: 0,
      ...(validation ? { validationData: [validation.x, validation.y] as [tf.Tensor, tf.Tensor] } : heldOut > 0 ? { validationSplit: settings.validationSplit } : {}),
      callbacks: {
        onEpochBegin: async () => {
          epochStarted = performance.now();
          batchesDone = 0;
        },
        onBatchBegin: async (batch) => {
          divergence.batchBegins(history.epochs.length, batch);
          if (settings.schedule.kind === "linear") setLearningRate(optimizer, linearDecay(initialRate, settings.schedule.finalLearningRate, settings.schedule.steps, step));
        },
        onBatchEnd: async (batch, logs) => {
          step++;
          trainedExamples += logValue(logs, "size") ?? settings.batchSize;
          const epoch = history.epochs.length;
          const loss = logValue(logs, "loss") ?? NaN;
          const accuracy = logValue(logs, "acc", "accuracy") ?? NaN;
          batchesDone = batch + 1;
          history.batches.push({ epoch, batch, loss, accuracy });
          if (await divergence.batchEnded(loss, getLearningRate(optimizer))) {
            trained.stopTraining = true;
            history.stopReason = "diverged";
            history.stopMessage = divergence.message!;
            history.stoppedAt = { epoch: epoch + 1, batch: batch + 1, batches };
          }
          await options.onBatchEnd?.({ epoch, epochs: settings.epochs, batch, batches, loss, accuracy, elapsedSeconds: (performance.now() - started) / 1000 });
          if (stop.signal.aborted && !divergence.diverged) {
            trained.stopTraining = true;
            history.stopReason = "interrupted";
            history.stoppedAt = { epoch: epoch + 1, batch: batch + 1, batches };
          }
        },
        onEpochEnd: async (epoch, logs) => {
          // tfjs ends an interrupted epoch with averages over the batches it ran: not an epoch.
          if (batchesDone < batches) return;
          const log: EpochLog = {
            epoch,
            loss: logValue(logs, "loss") ?? NaN,
            accuracy: logValue(logs, "acc", "accuracy") ?? NaN,
            learningRate: getLearningRate(optimizer),
            seconds: (performance.now() - epochStarted) / 1000,
          };
          const valLoss = logValue(logs, "val_loss");
          const valAccuracy = logValue(logs, "val_acc", "val_accuracy");
          if (valLoss !== undefined) log.valLoss = valLoss;
          if (valAccuracy !== undefined) log.valAccuracy = valAccuracy;
          history.epochs.push(log);
          // An interrupt during the very last batch still ran everything.
          if (epoch + 1 === settings.epochs && history.stopReason === "interrupted") {
            history.stopReason = "completed";
            history.stoppedAt = null;
          }
          const metrics: Partial<Record<Metric, number>> = { loss: log.loss, accuracy: log.accuracy };
          if (valLoss !== undefined) metrics.val_loss = valLoss;
          if (valAccuracy !== undefined) metrics.val_accuracy = valAccuracy;
          if (plateau) setLearningRate(optimizer, plateau.afterEpoch(metrics, getLearningRate(optimizer)));
          if (early) {
            const shouldStop = early.afterEpoch(epoch, metrics);
            if (early.bestEpoch === epoch && settings.earlyStopping?.restoreBestWeights) {
              bestWeights?.forEach((t) => t.dispose());
              bestWeights = trained.getWeights().map((w) => w.clone());
            }
            if (shouldStop && !divergence.diverged) {
              trained.stopTraining = true;
              history.stopReason = "early-stopping";
              if (epoch + 1 < settings.epochs) history.stoppedAt = { epoch: epoch + 1, batch: batches, batches };
            }
          }
          await options.onEpochEnd?.(log, history);
        },
      },
    }));
    if (history.stopReason === "early-stopping" && bestWeights) trained.setWeights(bestWeights);
    divergence.restore();
  } finally {
    stop.done();
    x.dispose();
    y.dispose();
    validation?.x.dispose();
    validation?.y.dispose();
    bestWeights?.forEach((t) => t.dispose());
    divergence.dispose();
  }
  history.seconds = (performance.now() - started) / 1000;
  history.examplesPerSecond = history.seconds > 0 ? trainedExamples / history.seconds : 0;
  return history;
}
