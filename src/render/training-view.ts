/**
 * The live training view: loss and accuracy curves plus a progress line (epoch, batch, ETA,
 * current metrics), as one bundle the kernel displays and then updates in place.
 */

import { renderChart } from "./charts/render.js";
import { PALETTE, type FigureSpec, type LineChartSpec, type LineTrace } from "./charts/spec.js";
import { renderSvg } from "./charts/svg.js";
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
    const xMax = Math.max(1, o.progress?.epochs ?? 0, ...history.map((r) => r.epoch + 1));
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

export function progressSummary(history: MetricRecord[], progress: TrainingProgress): ProgressSummary {
  const { epoch, epochs, batch, batches, elapsedSeconds } = progress;
  const raw = batches > 0 ? (epoch + Math.min(batch, batches) / batches) / Math.max(1, epochs) : epoch / Math.max(1, epochs);
  const fraction = Math.min(1, Math.max(0, raw));
  const done = fraction >= 1;
  const etaSeconds = done ? 0 : fraction > 0 ? (elapsedSeconds * (1 - fraction)) / fraction : NaN;
  const shownEpoch = Math.min(epochs, epoch + 1);
  const position = `epoch ${shownEpoch}/${epochs}${batches > 0 ? `  batch ${Math.min(batch, batches)}/${batches}` : ""}`;
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

function timing(s: ProgressSummary, elapsed: number): string {
  return s.done ? `done in ${formatDuration(elapsed)}` : `elapsed ${formatDuration(elapsed)}  ETA ${formatDuration(s.etaSeconds)}`;
}

/** One text line: position, a [####----] bar, percent, time. */
export function progressLine(history: MetricRecord[], progress: TrainingProgress, barWidth = TRAINING_VIEW_DEFAULTS.barWidth): string {
  const s = progressSummary(history, progress);
  const filled = Math.round(s.fraction * barWidth);
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
  return `${s.position}  ${bar} ${Math.floor(s.fraction * 100)}%  ${timing(s, progress.elapsedSeconds)}`;
}

/** The live view: progress bar and metrics above the curves, in HTML (no script) and text. */
export function renderTrainingView(state: { history: MetricRecord[]; progress: TrainingProgress }, options: TrainingViewOptions = {}): MimeBundle {
  const o = withDefaults(TRAINING_VIEW_DEFAULTS, options);
  const { history, progress } = state;
  const s = progressSummary(history, progress);
  const figure = trainingCurvesSpec(history, { ...o, progress });
  const chart = o.interactive ? renderChart(figure, { interactive: true }) : undefined;
  const chartHtml = chart ? chart[MIME_HTML]! : `<div class="convnote-chart">${renderSvg(figure)}</div>`;
  const percent = Math.floor(s.fraction * 100);
  const color = s.done ? PALETTE[2] : PALETTE[0];
  const html = [
    `<div class="convnote-training" style="font:12px sans-serif">`,
    `<div style="display:flex;align-items:center;gap:10px;flex-wrap:wrap">`,
    `<span class="position" style="font-weight:bold;white-space:pre">${escapeHtml(s.position)}</span>`,
    `<div role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${percent}" style="width:240px;height:10px;background:#e6e6e6;border-radius:3px;overflow:hidden">`,
    `<div style="width:${(s.fraction * 100).toFixed(1)}%;height:100%;background:${color}"></div></div>`,
    `<span class="timing" style="white-space:pre">${percent}%  ${escapeHtml(timing(s, progress.elapsedSeconds))}</span>`,
    `</div>`,
    `<div class="metrics" style="margin:4px 0 6px 0;font-family:monospace;white-space:pre">${escapeHtml(s.metrics || "no metrics yet")}</div>`,
    chartHtml,
    `</div>`,
  ].join("");
  const text = [progressLine(history, progress, o.barWidth), s.metrics || "no metrics yet"].join("\n");
  // The finished view also carries the curves as a picture, for viewers that run no JavaScript (PDF, GitHub).
  return mimeBundle(text, { [MIME_HTML]: html, [MIME_SVG]: chart?.[MIME_SVG] });
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
