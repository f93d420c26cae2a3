// Training in a notebook: one output that updates in place (progress bar, loss and accuracy curves)
// at most a few times a second. The kernel's interrupt ends the training, not the cell: fitLive
// returns the History (stopped where it was, weights kept) and the cell goes on.
import type { tf } from "../backend/tf.js";
import { plotlyLibraryBundle } from "../render/assets.js";
import { escapeHtml } from "../render/html.js";
import { createThrottle, renderTrainingCurves, renderTrainingView, type MetricRecord, type TrainingProgress } from "../render/training-view.js";
import type { TrainingSettings } from "../train/settings.js";
import type { Examples } from "../train/examples.js";
import { fit, type FitOptions, type History } from "../train/fit.js";
import { display, inKernel, interruptSignal } from "./display.js";

export interface LiveFitOptions extends FitOptions {
  /** Minimum milliseconds between display updates. */
  updateEveryMs?: number;
  title?: string;
}

let plotlyShown = false;

/**
 * Puts plotly.js (4.9 MB) into the notebook once per kernel session, for a front end that does not
 * load the kernelspec's kernel.js (JupyterLab, VS Code): there charts are otherwise their static
 * picture. Notebook 6 gets plotly.js from the kernelspec, so ConvNote never calls this itself and
 * a saved notebook stays small.
 */
export function ensurePlotly(): void {
  if (plotlyShown || !inKernel()) return;
  display(plotlyLibraryBundle());
  plotlyShown = true;
}

/**
 * Histories whose curves fitLive already showed, with the cell that showed them (the cell's
 * interrupt signal is one object per cell): as that cell's value they show as one line, not as
 * the same chart again. On globalThis, as the display formatters are.
 */
function liveShown(): WeakMap<History, AbortSignal> {
  const global = globalThis as Record<symbol, unknown>;
  return (global[Symbol.for("convnote.fitLive.shown")] ??= new WeakMap<History, AbortSignal>()) as WeakMap<History, AbortSignal>;
}

/** True when `history` came from a fitLive in the cell that is running now (its chart is on screen). */
export function shownByFitLiveInThisCell(history: History): boolean {
  return inKernel() && liveShown().get(history) === interruptSignal();
}

export function historyRecords(history: History): MetricRecord[] {
  const batches: MetricRecord[] = history.batches.map((b) => ({ epoch: b.epoch, batch: b.batch, loss: b.loss, accuracy: b.accuracy }));
  const epochs: MetricRecord[] = history.epochs.map((e) => {
    const record: MetricRecord = { epoch: e.epoch, loss: e.loss, accuracy: e.accuracy };
    if (e.valLoss !== undefined) record.valLoss = e.valLoss;
    if (e.valAccuracy !== undefined) record.valAccuracy = e.valAccuracy;
    return record;
  });
  return [...batches, ...epochs];
}

/**
 * fit() with a live view; returns the history. The final view has interactive plotly curves and
 * says where training stopped if it did not run to the end (an interrupt, early stopping).
 */
export async function fitLive(model: tf.LayersModel, train: Examples, options: LiveFitOptions = {}, base?: TrainingSettings): Promise<History> {
  const records: MetricRecord[] = [];
  let progress: TrainingProgress = { epoch: 0, epochs: options.settings?.epochs ?? base?.epochs ?? 10, batch: 0, batches: 1, elapsedSeconds: 0 };
  const view = options.title === undefined ? {} : { title: options.title };
  const handle = display(renderTrainingView({ history: records, progress }, view));
  const shouldUpdate = createThrottle(options.updateEveryMs ?? 400);
  const signal = options.signal ?? interruptSignal();
  const history = await fit(
    model,
    train,
    {
      ...options,
      signal,
      onBatchEnd: async (p) => {
        records.push({ epoch: p.epoch, batch: p.batch, loss: p.loss, accuracy: p.accuracy });
        progress = { epoch: p.epoch, epochs: p.epochs, batch: p.batch + 1, batches: p.batches, elapsedSeconds: p.elapsedSeconds };
        if (shouldUpdate()) handle.update(renderTrainingView({ history: records, progress }, view));
        await options.onBatchEnd?.(p);
      },
      onEpochEnd: async (log, h) => {
        const record: MetricRecord = { epoch: log.epoch, loss: log.loss, accuracy: log.accuracy };
        if (log.valLoss !== undefined) record.valLoss = log.valLoss;
        if (log.valAccuracy !== undefined) record.valAccuracy = log.valAccuracy;
        records.push(record);
        handle.update(renderTrainingView({ history: records, progress }, view));
        await options.onEpochEnd?.(log, h);
      },
    },
    base,
  );
  const at = history.stoppedAt;
  const ended: TrainingProgress = at
    ? { ...progress, epoch: at.epoch - 1, batch: at.batch, batches: at.batches, ended: history.stopReason }
    : { ...progress, epoch: progress.epochs - 1, batch: progress.batches, ended: history.stopReason };
  handle.update(renderTrainingView({ history: records, progress: { ...ended, elapsedSeconds: history.seconds || progress.elapsedSeconds } }, { ...view, interactive: inKernel() }));
  if (inKernel()) liveShown().set(history, interruptSignal());
  // Shown under the curves whether or not the cell shows the History: a diverged fit is not a result.
  if (history.stopMessage) display({ "text/plain": history.stopMessage, "text/html": `<div style="color:#b71c1c;font-weight:bold">${escapeHtml(history.stopMessage)}</div>` });
  return history;
}

export { renderTrainingCurves };
