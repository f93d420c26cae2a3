/**
 * A confusion matrix as an HTML table heatmap (no script, so it shows everywhere): counts,
 * colours normalised per true class, per-class accuracy, overall accuracy.
 */

import { formatPercent } from "./format.js";
import { escapeHtml } from "./html.js";
import { MIME_HTML, mimeBundle, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";
import { hexColor, htmlTable, textTable, type TableCell } from "./table.js";

export interface ConfusionOptions {
  /** Names of the classes, index order; default "0", "1", ... */
  classNames?: string[];
  title?: string;
  /** The colour of a cell holding a whole row's examples (hex #rrggbb). */
  color?: string;
}

export const CONFUSION_DEFAULTS = { color: "#08519c" };

export interface ClassSummary {
  name: string;
  /** Examples whose true class this is. */
  count: number;
  correct: number;
  /** correct / count; NaN when the class has no examples. */
  accuracy: number;
}

export interface ConfusionSummary {
  total: number;
  correct: number;
  accuracy: number;
  perClass: ClassSummary[];
}

/** Counts[true][predicted] from label and prediction indices. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses?: number): number[][] {
  if (labels.length !== predictions.length) {
    throw new RangeError(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions; they must pair up`);
  }
  let n = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < labels.length; i++) n = Math.max(n, labels[i]! + 1, predictions[i]! + 1);
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!;
    const p = predictions[i]!;
    if (!(Number.isInteger(t) && Number.isInteger(p) && t >= 0 && p >= 0 && t < n && p < n)) {
      throw new RangeError(`confusionMatrix: example ${i} has label ${t} and prediction ${p}; both must be class indices 0..${n - 1}`);
    }
    m[t]![p]!++;
  }
  return m;
}

function checkSquare(matrix: number[][]): void {
  const n = matrix.length;
  matrix.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`renderConfusionMatrix: row ${i} has ${row.length} entries; a ${n}-class matrix is ${n}x${n} (rows true, columns predicted)`);
  });
}

export function confusionSummary(matrix: number[][], classNames?: string[]): ConfusionSummary {
  checkSquare(matrix);
  const perClass = matrix.map((row, i) => {
    const count = row.reduce((a, b) => a + b, 0);
    const correct = row[i]!;
    return { name: classNames?.[i] ?? String(i), count, correct, accuracy: count > 0 ? correct / count : NaN };
  });
  const total = perClass.reduce((a, c) => a + c.count, 0);
  const correct = perClass.reduce((a, c) => a + c.correct, 0);
  return { total, correct, accuracy: total > 0 ? correct / total : NaN, perClass };
}

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`renderConfusionMatrix: color "${hex}" must be written #rrggbb`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Rows are true classes, columns predicted classes. */
export function renderConfusionMatrix(matrix: number[][], options: ConfusionOptions = {}): MimeBundle {
  const o = withDefaults(CONFUSION_DEFAULTS, options);
  const summary = confusionSummary(matrix, o.classNames);
  const names = summary.perClass.map((c) => c.name);
  const [cr, cg, cb] = hexToRgb(o.color);
  const cell = "padding:3px 8px;text-align:right;min-width:2.5em;border:1px solid #fff";
  const head = "padding:3px 8px;text-align:center";
  const headFill = "#f4f4f4";
  const rows = matrix.map((row, i): (string | TableCell)[] => {
    const count = summary.perClass[i]!.count;
    const cells = row.map((v, j): TableCell => {
      const share = count > 0 ? v / count : 0;
      const bg = hexColor([255 + (cr - 255) * share, 255 + (cg - 255) * share, 255 + (cb - 255) * share]);
      const fg = share > 0.55 ? "#ffffff" : v === 0 ? "#bbbbbb" : "#222222";
      return {
        text: v,
        className: i === j ? "count diagonal" : "count",
        background: bg,
        color: fg,
        style: `${cell}${i === j ? ";font-weight:bold" : ""}`,
        attrs: { "data-row": i, "data-col": j, title: `true ${names[i]}, predicted ${names[j]}: ${v} (${formatPercent(share)} of ${names[i]})` },
      };
    });
    const acc = summary.perClass[i]!.accuracy;
    return [{ text: names[i]!, header: true, style: head, background: headFill }, ...cells, { text: formatPercent(acc), className: "class-accuracy", style: cell, background: "#fafafa", attrs: { "data-row": i } }];
  });
  const header: TableCell[] = [
    { html: "true&nbsp;\\&nbsp;predicted", style: `${head};font-weight:normal`, color: "#555555", background: headFill },
    ...names.map((n): TableCell => ({ text: n, style: head, background: headFill })),
    { text: "accuracy", style: head, background: headFill },
  ];
  const overall = `overall accuracy ${formatPercent(summary.accuracy)} (${summary.correct} of ${summary.total} correct)`;
  const table = htmlTable(rows, { header, className: "convnote-confusion", style: "border-collapse:collapse;font:12px sans-serif" });
  const title = o.title ? `<div style="font:bold 13px sans-serif;margin-bottom:4px">${escapeHtml(o.title)}</div>` : "";
  const html = `<div class="convnote-confusion-matrix">${title}${table}<div class="overall" style="font:12px sans-serif;margin-top:4px">${escapeHtml(overall)}; rows: true class, columns: predicted class, colour: share of the row</div></div>`;

  const textRows = matrix.map((row, i) => [names[i]!, ...row, formatPercent(summary.perClass[i]!.accuracy)]);
  const text = [
    ...(o.title ? [o.title] : []),
    "rows: true class, columns: predicted class",
    textTable(textRows, { header: ["true\\pred", ...names, "accuracy"], align: ["left", ...names.map(() => "right" as const), "right"] }),
    overall,
  ].join("\n");
  return mimeBundle(text, { [MIME_HTML]: html });
}
