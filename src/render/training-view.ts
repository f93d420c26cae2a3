/**
 * The live training view: loss and accuracy curves plus a progress line (epoch, batch, ETA,
 * current metrics), as one bundle the kernel displays and then updates in place.
 */

import { renderChart } from "./charts/render.js";
import { PALETTE, type FigureSpec, type LineChartSpec, type LineTrace } from "./charts/spec.js";
import { formatDuration, formatNumber } from "./format.js";
import { escapeHtml } from "./html.js";
import { MIME_HTML, MIME_SVG, mimeBundle, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";

/**
 * One entry of the training history. `epoch` and `batch` are 0-based, as tfjs callbacks pass
 * them; a record without `batch` is the end-of-epoch summary.
 */
export interface MetricRecord {
  epoch: number;
  batch?: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** Where training is: `epoch` is the current 0-based epoch, `batch` the batches done in it. */
export interface TrainingProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  elapsedSeconds: number;
  /** Set once training has ended: how (a stop before the end is reported where it happened). */
  ended?: "completed" | StoppedReason;
}

/**
 * "stopped at epoch 2, batch 4 of 169 (interrupted)": where a fit that did not run to its end
 * stopped; `epoch` counts from 1, `batch` is the batches finished in it.
 */
/** How a training run can end before its last batch. */
export type StoppedReason = "interrupted" | "early-stopping" | "diverged";

export function stoppedText(reason: StoppedReason, at: { epoch: number; batch: number; batches: number }): string {
  const why = reason === "early-stopping" ? "early stopping" : reason;
  if (reason === "early-stopping" || at.batch >= at.batches) return `stopped after epoch ${at.epoch} (${why})`;
  return `stopped at epoch ${at.epoch}, batch ${at.batch} of ${at.batches} (${why})`;
}

export interface TrainingViewOptions {
  title?: string;
  panelWidth?: number;
  panelHeight?: number;
  /** Draw per-batch losses as a faint line behind the per-epoch curve. */
  showBatches?: boolean;
  /** Batches per epoch, for placing per-batch points; defaults to progress.batches. */
  batchesPerEpoch?: number;
  /** Characters in the text progress bar. */
  barWidth?: number;
  /** Upgrade the charts to plotly (for the final display; live updates should stay static). */
  interactive?: boolean;
}

export const TRAINING_VIEW_DEFAULTS = { panelWidth: 420, panelHeight: 260, showBatches: true, barWidth: 30, interactive: false };

const TRAIN = "train";
const VALIDATION = "validation";
const BATCHES = "train (per batch)";

function has(v: number | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/**
 * The curves as a figure: x is in epochs, so epoch summaries sit at 1, 2, 3... and per-batch
 * points at fractions in between (batch b of epoch e at e + (b + 1) / batches).
 */
export function trainingCurvesSpec(history: MetricRecord[], options: TrainingViewOptions & { progress?: TrainingProgress } = {}): FigureSpec {
  const o = withDefaults(TRAINING_VIEW_DEFAULTS, options);
  const epochs = history.filter((r) => r.batch === undefined);
  const batches = history.filter((r) => r.batch !== undefined);
  const perEpoch = o.batchesPerEpoch ?? o.progress?.batches;
  const batchX = (r: MetricRecord): number => {
    const n = perEpoch ?? Math.max(...batches.filter((b) => b.epoch === r.epoch).map((b) => b.batch!)) + 1;
    return r.epoch + (r.batch! + 1) / Math.max(1, n);
  };
  const line = (name: string, records: MetricRecord[], pick: (r: MetricRecord) => number | undefined, x: (r: MetricRecord) => number, extra: Partial<LineTrace> = {}): LineTrace => {
    const kept = records.filter((r) => has(pick(r)));
    return { type: "line", name, x: kept.map(x), y: kept.map((r) => pick(r)!), ...extra };
  };
  const atEpochEnd = (r: MetricRecord): number => r.epoch + 1;
  const panel = (metric: "loss" | "accuracy"): LineChartSpec => {
    const train = metric === "loss" ? (r: MetricRecord) => r.loss : (r: MetricRecord) => r.accuracy;
    const val = metric === "loss" ? (r: MetricRecord) => r.valLoss : (r: MetricRecord) => r.valAccuracy;
    const traces: LineTrace[] = [];
    if (o.showBatches && batches.some((r) => has(train(r)))) {
      traces.push(line(BATCHES, batches, train, batchX, { color: PALETTE[0], opacity: 0.3, width: 1, markers: false, hideInLegend: metric !== "loss" }));
    }
    traces.push(line(TRAIN, epochs, train, atEpochEnd, { color: PALETTE[0] }));
    if (history.some((r) => has(val(r)))) traces.push(line(VALIDATION, epochs.filter((r) => has(val(r))), val, atEpochEnd, { color: PALETTE[1], dash: "dash" }));
    // Live, x spans the planned epochs so the chart does not rescale; stopped early, only what ran.
    const planned = o.progress ? (stoppedEarly(o.progress) ? o.progress.epoch + 1 : o.progress.epochs) : 0;
    const xMax = Math.max(1, planned, ...history.map((r) => r.epoch + 1));
    return { kind: "line", title: metric, traces, x: { title: "epoch", range: [0, xMax] }, y: { title: metric } };
  };
  const panels: LineChartSpec[] = [panel("loss")];
  if (history.some((r) => has(r.accuracy) || has(r.valAccuracy))) panels.push(panel("accuracy"));
  const figure: FigureSpec = { panels, panelWidth: o.panelWidth, panelHeight: o.panelHeight };
  if (o.title) figure.title = o.title;
  return figure;
}

/** The latest value of each metric in the history. */
export function currentMetrics(history: MetricRecord[]): { loss?: number; accuracy?: number; valLoss?: number; valAccuracy?: number } {
  const last = (pick: (r: MetricRecord) => number | undefined): number | undefined => {
    for (let i = history.length - 1; i >= 0; i--) {
      const v = pick(history[i]!);
      if (has(v)) return v;
    }
    return undefined;
  };
  const out: { loss?: number; accuracy?: number; valLoss?: number; valAccuracy?: number } = {};
  const loss = last((r) => r.loss);
  const accuracy = last((r) => r.accuracy);
  const valLoss = last((r) => r.valLoss);
  const valAccuracy = last((r) => r.valAccuracy);
  if (loss !== undefined) out.loss = loss;
  if (accuracy !== undefined) out.accuracy = accuracy;
  if (valLoss !== undefined) out.valLoss = valLoss;
  if (valAccuracy !== undefined) out.valAccuracy = valAccuracy;
  return out;
}

export interface ProgressSummary {
  /** 0..1 */
  fraction: number;
  etaSeconds: number;
  done: boolean;
  /** e.g. "epoch 3/10  batch 45/60" */
  position: string;
  /** e.g. "loss 0.2314  acc 0.9312  val_loss 0.2511  val_acc 0.92" */
  metrics: string;
}

function stoppedEarly(progress: TrainingProgress): progress is TrainingProgress & { ended: StoppedReason } {
  return progress.ended !== undefined && progress.ended !== "completed";
}

export function progressSummary(history: MetricRecord[], progress: TrainingProgress): ProgressSummary {
  const { epoch, epochs, batch, batches, elapsedSeconds } = progress;
  const raw = batches > 0 ? (epoch + Math.min(batch, batches) / batches) / Math.max(1, epochs) : epoch / Math.max(1, epochs);
  const fraction = Math.min(1, Math.max(0, raw));
  const done = fraction >= 1 || progress.ended !== undefined;
  const etaSeconds = done ? 0 : fraction > 0 ? (elapsedSeconds * (1 - fraction)) / fraction : NaN;
  const shownEpoch = Math.min(epochs, epoch + 1);
  const position = stoppedEarly(progress)
    ? stoppedText(progress.ended, { epoch: epoch + 1, batch: Math.min(batch, batches), batches })
    : `epoch ${shownEpoch}/${epochs}${batches > 0 ? `  batch ${Math.min(batch, batches)}/${batches}` : ""}`;
  const m = currentMetrics(history);
  const metrics = [
    m.loss !== undefined ? `loss ${formatNumber(m.loss)}` : undefined,
    m.accuracy !== undefined ? `acc ${formatNumber(m.accuracy)}` : undefined,
    m.valLoss !== undefined ? `val_loss ${formatNumber(m.valLoss)}` : undefined,
    m.valAccuracy !== undefined ? `val_acc ${formatNumber(m.valAccuracy)}` : undefined,
  ]
    .filter((s) => s !== undefined)
    .join("  ");
  return { fraction, etaSeconds, done, position, metrics };
}

function timing(s: ProgressSummary, progress: TrainingProgress): string {
  const elapsed = progress.elapsedSeconds;
  if (stoppedEarly(progress)) return `stopped after ${formatDuration(elapsed)}`;
  return s.done ? `done in ${formatDuration(elapsed)}` : `elapsed ${formatDuration(elapsed)}  ETA ${formatDuration(s.etaSeconds)}`;
}

/** One text line: position, a [####----] bar, percent, time. */
export function progressLine(history: MetricRecord[], progress: TrainingProgress, barWidth = TRAINING_VIEW_DEFAULTS.barWidth): string {
  const s = progressSummary(history, progress);
  const filled = Math.round(s.fraction * barWidth);
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
  return `${s.position}  ${bar} ${Math.floor(s.fraction * 100)}%  ${timing(s, progress)}`;
}

/**
 * The live view: progress bar and metrics above the curves, in HTML (no script until the final,
 * interactive view) and text. Only elements and attributes that a notebook's HTML sanitizer
 * keeps carry meaning (a <progress> bar, the curves as an <img>): styles only decorate.
 */
export function renderTrainingView(state: { history: MetricRecord[]; progress: TrainingProgress }, options: TrainingViewOptions = {}): MimeBundle {
  const o = withDefaults(TRAINING_VIEW_DEFAULTS, options);
  const { history, progress } = state;
  const s = progressSummary(history, progress);
  const figure = trainingCurvesSpec(history, { ...o, progress });
  const chart = renderChart(figure, { interactive: o.interactive });
  const percent = Math.floor(s.fraction * 100);
  const color = stoppedEarly(progress) ? PALETTE[1] : s.done ? PALETTE[2] : PALETTE[0];
  const html = [
    `<div class="convnote-training" style="font:12px sans-serif">`,
    `<div style="display:flex;align-items:center;gap:10px;flex-wrap:wrap">`,
    `<b class="position" style="white-space:pre">${escapeHtml(s.position)}</b> `,
    `<progress max="100" value="${(s.fraction * 100).toFixed(1)}" style="width:240px;accent-color:${color}">${percent}%</progress> `,
    `<span class="timing" style="white-space:pre">${percent}%  ${escapeHtml(timing(s, progress))}</span>`,
    `</div>`,
    `<div class="metrics" style="margin:4px 0 6px 0;font-family:monospace;white-space:pre">${escapeHtml(s.metrics || "no metrics yet")}</div>`,
    chart[MIME_HTML],
    `</div>`,
  ].join("");
  const text = [progressLine(history, progress, o.barWidth), s.metrics || "no metrics yet"].join("\n");
  // The finished view also carries the curves as a picture, for viewers that run no JavaScript (PDF, GitHub).
  return mimeBundle(text, { [MIME_HTML]: html, [MIME_SVG]: o.interactive ? chart[MIME_SVG] : undefined });
}

/** The curves alone, interactive by default: for showing a finished run's history. */
export function renderTrainingCurves(history: MetricRecord[], options: TrainingViewOptions = {}): MimeBundle {
  const o = withDefaults({ ...TRAINING_VIEW_DEFAULTS, interactive: true }, options);
  return renderChart(trainingCurvesSpec(history, o), { interactive: o.interactive });
}

/**
 * A rate limiter for live updates: the returned function says whether to update now (at most
 * once per `intervalMs`); pass `true` for the final update, which always goes through.
 */
export function createThrottle(intervalMs: number, now: () => number = Date.now): (force?: boolean) => boolean {
  let last = -Infinity;
  return (force = false) => {
    const t = now();
    if (force || t - last >= intervalMs) {
      last = t;
      return true;
    }
    return false;
  };
}
