// Training progress on a terminal: on a TTY one line per epoch redrawn in place with \r (bar,
// batch, ETA, loss, accuracy); elsewhere (a pipe, a CI log) one plain line per finished epoch.
import { formatDuration, formatNumber } from "../render/format.js";
import type { BatchProgress, EpochLog } from "../train/fit.js";

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;

function bar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${"=".repeat(filled)}${filled < width ? ">" : ""}${" ".repeat(Math.max(0, width - filled - 1))}]`;
}

const fixed = (value: number | undefined, digits = 4) => (value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits));

/** Seconds left, from the average time per batch so far over the whole fit. */
export function etaSeconds(p: BatchProgress): number {
  const done = p.epoch * p.batches + p.batch + 1;
  const total = p.epochs * p.batches;
  return done > 0 ? (p.elapsedSeconds / done) * Math.max(0, total - done) : NaN;
}

/**
 * `epoch 2/3 [=====>      ] 120/375 ETA 0:12 loss 0.2345 acc 0.9312`; the bar shrinks (down to
 * 8 characters) so that the line fits in `columns`.
 */
export function formatBatchLine(p: BatchProgress, columns = Infinity): string {
  const width = String(p.batches).length;
  const parts = (barText: string) =>
    [
      `epoch ${p.epoch + 1}/${p.epochs}`,
      barText,
      `${String(p.batch + 1).padStart(width)}/${p.batches}`,
      `ETA ${formatDuration(etaSeconds(p))}`,
      `loss ${fixed(p.loss)}`,
      `acc ${fixed(p.accuracy)}`,
    ].join(" ");
  const withoutBar = parts("[]").length;
  const barWidth = Math.max(8, Math.min(BAR_WIDTH, columns - 1 - withoutBar));
  return parts(bar((p.batch + 1) / p.batches, barWidth));
}

/** `epoch 2/3 loss 0.2345 acc 0.9312 val_loss 0.2011 val_acc 0.9400 lr 0.001 (6.1 s)` */
export function formatEpochLine(log: EpochLog, epochs: number): string {
  const parts = [`epoch ${log.epoch + 1}/${epochs}`, `loss ${fixed(log.loss)}`, `acc ${fixed(log.accuracy)}`];
  if (log.valLoss !== undefined) parts.push(`val_loss ${fixed(log.valLoss)}`);
  if (log.valAccuracy !== undefined) parts.push(`val_acc ${fixed(log.valAccuracy)}`);
  parts.push(`lr ${formatNumber(log.learningRate, 3)}`, `(${log.seconds.toFixed(1)} s)`);
  return parts.join(" ");
}

/** Writes progress as batches and epochs end; at most `redrawMs` apart on a terminal. */
export class TrainingProgress {
  private lastDraw = -Infinity;
  private drawnWidth = 0;

  constructor(
    private readonly out: ProgressOutput,
    private readonly epochs: number,
    private readonly redrawMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The terminal's width; a pseudo-terminal without a size reports 0. */
  private get columns(): number {
    const columns = this.out.columns ?? 0;
    return columns >= 20 ? columns : 120;
  }

  private redraw(line: string, fit = true): void {
    const columns = this.columns;
    const text = fit && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
    // Spaces over what is left of a longer previous line.
    this.out.write(`\r${text}${" ".repeat(Math.max(0, this.drawnWidth - text.length))}`);
    this.drawnWidth = text.length;
  }

  batchEnd(p: BatchProgress): void {
    if (!this.out.isTTY) return;
    const t = this.now();
    if (t - this.lastDraw < this.redrawMs && p.batch + 1 < p.batches) return;
    this.lastDraw = t;
    this.redraw(formatBatchLine(p, this.columns));
  }

  epochEnd(log: EpochLog): void {
    const line = formatEpochLine(log, this.epochs);
    if (this.out.isTTY) {
      // Kept whole: it stays on the screen (a narrow terminal wraps it).
      this.redraw(line, false);
      this.out.write("\n");
      this.drawnWidth = 0;
    } else {
      this.out.write(`${line}\n`);
    }
  }
}
