// Training that diverges (a learning rate far too large) stops at the first batch whose loss or
// weights are not finite numbers, with the last finite weights put back and a message that names
// the likely cause. The loss alone is not enough: tfjs clips the cross-entropy's probabilities, so
// on some backends (WASM) NaN outputs still read as a finite loss of -log(1e-7) = 16.1181.
import { tf } from "../backend/tf.js";
import { formatNumber } from "../render/format.js";
import { LEARNING_RATE_HINT } from "./settings.js";

/** Weights as a batch started from them; references to the tensors' data, which an optimizer step replaces rather than overwrites, so no copy. */
interface Snapshot {
  weights: tf.Tensor[];
  epoch: number;
  batch: number;
}

async function allFinite(model: tf.LayersModel): Promise<boolean> {
  const weights = model.trainableWeights;
  if (weights.length === 0) return true;
  // 0 * x is NaN exactly where x is NaN or infinite; a sum of the weights themselves could overflow.
  const probe = tf.tidy(() => tf.addN(weights.map((w) => tf.sum(tf.mul(w.read(), 0)))));
  const value = (await probe.data())[0]!;
  probe.dispose();
  return value === 0;
}

export class DivergenceWatch {
  private start: Snapshot | undefined;
  /** The weights the latest sound batch started from: its loss and the weights after its step were finite. */
  private lastGood: Snapshot | undefined;
  private kept: Snapshot | undefined;
  /** Set once the fit diverged: what happened, the likely cause, the fix, which weights are kept. */
  message: string | undefined;

  constructor(private readonly model: tf.LayersModel) {}

  get diverged(): boolean {
    return this.message !== undefined;
  }

  batchBegins(epoch: number, batch: number): void {
    if (this.diverged) return;
    if (this.start) tf.dispose(this.start.weights);
    this.start = { weights: this.model.getWeights().map((w) => w.clone()), epoch, batch };
  }

  /** After each batch: true when the fit must stop now. */
  async batchEnded(loss: number, learningRate: number): Promise<boolean> {
    if (this.diverged || !this.start) return false;
    const lossFinite = Number.isFinite(loss);
    if (lossFinite && (await allFinite(this.model))) {
      if (this.lastGood) tf.dispose(this.lastGood.weights);
      this.lastGood = this.start;
      this.start = undefined;
      return false;
    }
    // Not this batch's start: weights that step to NaN were already producing NaN outputs (which a
    // clipped loss can hide), so the start of the last sound batch, or of training.
    this.kept = this.lastGood ?? this.start;
    const what = lossFinite
      ? `the weights stopped being finite numbers (the loss still reads ${formatNumber(loss)}, as the cross-entropy is clipped)`
      : `the loss became ${loss} (not a finite number)`;
    const kept = this.kept.epoch === 0 && this.kept.batch === 0 ? "as they were before training" : `as they were before epoch ${this.kept.epoch + 1}, batch ${this.kept.batch + 1}, the last batch that kept them finite`;
    this.message =
      `training stopped at epoch ${this.start.epoch + 1}, batch ${this.start.batch + 1}: ${what}. ` +
      `The likely cause is the learning rate, ${formatNumber(learningRate, 3)}: too large for this network; try ${LEARNING_RATE_HINT}. ` +
      `(NaN or infinite values in the training data do the same.) The weights are kept ${kept}.`;
    return true;
  }

  /** Puts the kept weights back into the model (after the fit, once tfjs has stopped). */
  restore(): void {
    if (this.kept) this.model.setWeights(this.kept.weights);
  }

  dispose(): void {
    for (const snapshot of new Set([this.start, this.lastGood, this.kept])) if (snapshot) tf.dispose(snapshot.weights);
    this.start = this.lastGood = this.kept = undefined;
  }
}
