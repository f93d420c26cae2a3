// Learning-rate schedules as plain state machines, so they are testable without training.
import type { LearningRateSchedule, Metric } from "./settings.js";

/** The Deep Learning book's linear decay: eps_k = (1 - a) eps_0 + a eps_tau, a = k / tau, then eps_tau. */
export function linearDecay(initial: number, final: number, steps: number, step: number): number {
  const a = Math.min(step / steps, 1);
  return (1 - a) * initial + a * final;
}

const higherIsBetter = (metric: Metric) => metric.endsWith("accuracy");

/** Divide the rate by 1/factor when `monitor` has not improved for `patience` epochs (AlexNet's rule). */
export class PlateauSchedule {
  private best: number | undefined;
  private wait = 0;

  constructor(private readonly schedule: LearningRateSchedule & { kind: "plateau" }) {}

  /** The new rate after an epoch with these logs; `current` when nothing changes. */
  afterEpoch(logs: Partial<Record<Metric, number>>, current: number): number {
    const value = logs[this.schedule.monitor];
    if (value === undefined) return current;
    const improved =
      this.best === undefined || (higherIsBetter(this.schedule.monitor) ? value > this.best + this.schedule.minDelta : value < this.best - this.schedule.minDelta);
    if (improved) {
      this.best = value;
      this.wait = 0;
      return current;
    }
    if (++this.wait <= this.schedule.patience) return current;
    this.wait = 0;
    return Math.max(current * this.schedule.factor, this.schedule.minLearningRate);
  }
}

/** Stop when `monitor` has not improved for `patience` epochs; remembers the best epoch. */
export class EarlyStoppingState {
  private best: number | undefined;
  private wait = 0;
  bestEpoch = -1;

  constructor(
    private readonly monitor: Metric,
    private readonly patience: number,
    private readonly minDelta: number,
  ) {}

  /** True when training should stop after this epoch. */
  afterEpoch(epoch: number, logs: Partial<Record<Metric, number>>): boolean {
    const value = logs[this.monitor];
    if (value === undefined) return false;
    const improved = this.best === undefined || (higherIsBetter(this.monitor) ? value > this.best + this.minDelta : value < this.best - this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return false;
    }
    return ++this.wait > this.patience;
  }
}
