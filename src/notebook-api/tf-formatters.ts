/**
 * How tfjs values show as a cell's last expression, as Keras and PyTorch users expect:
 * - a tf.Tensor: its values as a table when small, as pictures when it is an image or a
 *   batch of images, else its shape, dtype and statistics;
 * - a tf.LayersModel: a layer table (name, type, output shape, parameters) with totals;
 * - a History from fit/fitLive: the loss and accuracy curves and a one-line summary.
 *
 * Values are recognised by shape, not by class, so this module never loads TensorFlow.js
 * (the kernel registers it at start-up without paying for tfjs).
 */
import type { tf } from "../backend/tf.js";
import { formatNumber, formatPercent, formatShape } from "../render/format.js";
import { escapeHtml } from "../render/html.js";
import { renderImages } from "../render/images.js";
import { mimeBundle, type MimeBundle } from "../render/mime.js";
import { htmlTable, textTable, type CellInput } from "../render/table.js";
import { renderTrainingCurves, stoppedText } from "../render/training-view.js";
import type { History } from "../train/fit.js";
import { inKernel } from "./display.js";
import { registerDisplayFormatter } from "./formatters.js";
import { historyRecords, shownByFitLiveInThisCell } from "./live-training.js";

/** Tensors up to this many values show every value. */
export const TENSOR_TABLE_MAX_VALUES = 400;
/** Image batches up to this many images show as a grid. */
export const TENSOR_IMAGES_MAX = 64;

const count = (n: number) => n.toLocaleString("en-US");

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

export function isTensor(value: unknown): value is tf.Tensor {
  return isObject(value) && Array.isArray(value["shape"]) && typeof value["dtype"] === "string" && typeof value["dataSync"] === "function" && "isDisposed" in value;
}

export function isLayersModel(value: unknown): value is tf.LayersModel {
  return isObject(value) && Array.isArray(value["layers"]) && typeof value["countParams"] === "function" && typeof value["predict"] === "function";
}

export function isHistory(value: unknown): value is History {
  return isObject(value) && Array.isArray(value["epochs"]) && Array.isArray(value["batches"]) && typeof value["stopReason"] === "string";
}

/** Image-like: [h, w, 1|3] or [n, h, w, 1|3] with a few images of at least 4x4. */
function imageLayout(shape: readonly number[]): boolean {
  const channels = shape[shape.length - 1];
  const [h, w] = shape.length === 3 ? shape : shape.slice(1, 3);
  if (channels !== 1 && channels !== 3) return false;
  if (h === undefined || w === undefined || h < 4 || w < 4) return false;
  return shape.length === 3 || (shape.length === 4 && shape[0]! <= TENSOR_IMAGES_MAX);
}

interface Statistics {
  min: number;
  max: number;
  mean: number;
  std: number;
}

function statistics(values: ArrayLike<number>): Statistics {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(squares / values.length) };
}

function tensorHeading(tensor: tf.Tensor): string {
  return `Tensor ${tensor.dtype} [${formatShape(tensor.shape)}] (${count(tensor.size)} values)`;
}

/** Rows of a rank-0, 1 or 2 tensor for a table. */
function valueRows(values: ArrayLike<number>, shape: readonly number[]): string[][] {
  const columns = shape.length === 2 ? shape[1]! : Math.max(values.length, 1);
  const rows: string[][] = [];
  for (let start = 0; start < values.length; start += columns) {
    rows.push(Array.from(Array.prototype.slice.call(values, start, start + columns) as number[], (v) => formatNumber(v)));
  }
  return rows;
}

export function tensorBundle(tensor: tf.Tensor): MimeBundle {
  if (tensor.isDisposed) return mimeBundle(`Tensor (disposed) [${formatShape(tensor.shape)}]`);
  if (tensor.dtype === "string") return mimeBundle(tensor.toString(true));
  const heading = tensorHeading(tensor);
  const values = tensor.dataSync() as ArrayLike<number>;
  if (tensor.rank <= 2 && tensor.size <= TENSOR_TABLE_MAX_VALUES) {
    const rows = valueRows(values, tensor.shape);
    return mimeBundle(`${heading}\n${textTable(rows)}`, {
      "text/html": htmlTable(rows, { caption: heading, className: "convnote-tensor" }),
    });
  }
  const stats = statistics(values);
  const summary = `min ${formatNumber(stats.min)}, max ${formatNumber(stats.max)}, mean ${formatNumber(stats.mean)}, std ${formatNumber(stats.std)}`;
  if (imageLayout(tensor.shape)) {
    const batch = tensor.rank === 3 ? [1, ...tensor.shape] : tensor.shape;
    const pictures = renderImages({ values, shape: batch });
    return mimeBundle(`${heading}\n${summary}`, {
      "text/html": `<div><div>${escapeHtml(heading)}: ${escapeHtml(summary)}</div>${pictures["text/html"] ?? ""}</div>`,
      "image/png": pictures["image/png"],
    });
  }
  return mimeBundle(`${heading}\n${summary}`, { "text/html": `<div class="convnote-tensor">${escapeHtml(heading)}<br>${escapeHtml(summary)}</div>` });
}

function outputShapeText(layer: tf.layers.Layer): string {
  let shape: unknown;
  try {
    shape = layer.outputShape;
  } catch {
    return "(multiple)"; // a layer used at several places has no single output shape
  }
  const one = (s: unknown): string => (Array.isArray(s) ? `[${s.map((d) => (d === null ? "batch" : String(d))).join(", ")}]` : String(s));
  return Array.isArray(shape) && Array.isArray(shape[0]) ? shape.map(one).join(" ") : one(shape);
}

export function modelBundle(model: tf.LayersModel): MimeBundle {
  const header = ["layer", "type", "output shape", "parameters", "trainable"];
  const rows = model.layers.map((layer) => [layer.name, layer.getClassName(), outputShapeText(layer), count(layer.countParams()), layer.trainable ? "yes" : "no"]);
  const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  const total = model.countParams();
  const totals = `total ${count(total)} parameters: ${count(trainable)} trainable, ${count(total - trainable)} non-trainable`;
  const title = `Model "${model.name}" (${model.layers.length} layers)`;
  const htmlRows: CellInput[][] = rows.map((r) => r.map((text, i) => (i === 3 ? { text, style: "text-align:right" } : text)));
  return mimeBundle(`${title}\n${textTable(rows, { header })}\n${totals}`, {
    "text/html": `<div class="convnote-model">${htmlTable(htmlRows, { header, caption: title })}<div>${escapeHtml(totals)}</div></div>`,
  });
}

/** "History: 3 epochs (completed) in 41.2 s on native; loss 0.0712, accuracy 97.8%; ..." */
export function historySummary(history: History): string {
  const last = history.epochs[history.epochs.length - 1];
  const epochs = `${history.epochs.length} epoch${history.epochs.length === 1 ? "" : "s"}`;
  // A diverged fit's stopMessage (below) says where it stopped and why.
  const how = history.stopReason !== "completed" && history.stopReason !== "diverged" && history.stoppedAt ? stoppedText(history.stopReason, history.stoppedAt) : history.stopReason;
  const parts = [`${epochs} (${how}) in ${history.seconds.toFixed(1)} s on ${history.backend}`];
  if (last) {
    parts.push(`loss ${formatNumber(last.loss)}, accuracy ${formatPercent(last.accuracy)}`);
    if (last.valLoss !== undefined) parts.push(`validation loss ${formatNumber(last.valLoss)}`);
    if (last.valAccuracy !== undefined) parts.push(`validation accuracy ${formatPercent(last.valAccuracy)}`);
  }
  return `History: ${parts.join("; ")}${history.stopMessage ? `\n${history.stopMessage}` : ""}`;
}

export function historyBundle(history: History): MimeBundle {
  const summary = historySummary(history);
  // fitLive's own view already shows these curves just above: one line, not the same chart twice.
  if (history.batches.length === 0 || shownByFitLiveInThisCell(history)) return mimeBundle(summary, { "text/html": `<div class="convnote-history">${escapeHtml(summary)}</div>` });
  // Interactive where a kernel shows it (plotly arrives with the kernelspec's kernel.js); a picture regardless.
  const interactive = inKernel();
  const curves = renderTrainingCurves(historyRecords(history), { interactive });
  const { "text/plain": curvesText, ...rich } = curves;
  return mimeBundle(`${summary}\n${curvesText}`, { ...rich, "text/html": `<div class="convnote-history">${escapeHtml(summary)}</div>${curves["text/html"] ?? ""}` });
}

/** Registers the three formatters (idempotent: they replace themselves by name). */
export function registerTfDisplayFormatters(): void {
  registerDisplayFormatter({
    name: "tf.Tensor",
    matches: isTensor,
    format: tensorBundle,
    // Caches the values on the CPU, so that tensorBundle's dataSync() works on webgpu too.
    prepare: (tensor: tf.Tensor) => (tensor.isDisposed || tensor.dtype === "string" ? Promise.resolve() : tensor.data()),
  });
  registerDisplayFormatter({ name: "tf.LayersModel", matches: isLayersModel, format: modelBundle });
  registerDisplayFormatter({ name: "training History", matches: isHistory, format: historyBundle });
}
