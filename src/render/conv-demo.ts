/**
 * The cs231n convolution demo as HTML tables with the numbers: the zero-padded input volume per
 * channel, each filter per channel with its bias, and the output volume. A `step` highlights one
 * window and writes its sum out, the way the lecture animation walks through it.
 */

import { conv2d } from "../naive/conv2d.js";
import { formatNumber } from "./format.js";
import { escapeHtml } from "./html.js";
import { MIME_HTML, mimeBundle, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";
import { htmlTable, textTable, type TableCell } from "./table.js";

/** Plain arrays as the slides print them: input[c][row][col] (unpadded), filters[k][c][row][col]. */
export interface ConvDemoData {
  input: number[][][];
  filters: number[][][][];
  biases: number[];
  stride: number;
  pad: number;
  /** The expected output[k][row][col]; when given it is checked against the computed one. */
  output?: number[][][];
}

export interface ConvStep {
  filter: number;
  row: number;
  col: number;
}

export interface ConvDemoOptions {
  /** Highlight the window, filter and output cell of one step and write its sum out. */
  step?: ConvStep;
  title?: string;
}

export const CONV_DEMO_DEFAULTS = {};

interface Geometry {
  channels: number;
  height: number;
  width: number;
  kh: number;
  kw: number;
  outH: number;
  outW: number;
}

function geometry(d: ConvDemoData): Geometry {
  const channels = d.input.length;
  const height = d.input[0]?.length ?? 0;
  const width = d.input[0]?.[0]?.length ?? 0;
  const kh = d.filters[0]?.[0]?.length ?? 0;
  const kw = d.filters[0]?.[0]?.[0]?.length ?? 0;
  if (channels === 0 || height === 0 || width === 0) throw new RangeError("renderConvDemo: input must be input[channel][row][col] with at least one value");
  if (d.filters.length === 0 || kh === 0 || kw === 0) throw new RangeError("renderConvDemo: filters must be filters[k][channel][row][col] with at least one filter");
  d.filters.forEach((f, k) => {
    if (f.length !== channels) throw new RangeError(`renderConvDemo: filter ${k} has ${f.length} channels, the input has ${channels}; a filter spans the full input depth`);
    f.forEach((ch) => {
      if (ch.length !== kh || ch.some((r) => r.length !== kw)) throw new RangeError(`renderConvDemo: filter ${k} is not ${kh}x${kw} in every channel`);
    });
  });
  if (d.biases.length !== d.filters.length) throw new RangeError(`renderConvDemo: ${d.biases.length} biases for ${d.filters.length} filters; give one bias per filter`);
  if (!(Number.isInteger(d.stride) && d.stride >= 1 && Number.isInteger(d.pad) && d.pad >= 0)) {
    throw new RangeError(`renderConvDemo: stride ${d.stride} must be an integer >= 1 and pad ${d.pad} an integer >= 0`);
  }
  const spanH = height - kh + 2 * d.pad;
  const spanW = width - kw + 2 * d.pad;
  if (spanH < 0 || spanW < 0 || spanH % d.stride !== 0 || spanW % d.stride !== 0) {
    throw new RangeError(
      `renderConvDemo: (W - F + 2P) / S + 1 is not a whole number: (${width} - ${kw} + 2*${d.pad}) / ${d.stride} + 1; choose pad and stride so the filter tiles the padded input`,
    );
  }
  return { channels, height, width, kh, kw, outH: spanH / d.stride + 1, outW: spanW / d.stride + 1 };
}

/** Input value at padded coordinates (zero in the padding). */
function paddedValue(d: ConvDemoData, c: number, pr: number, pc: number): number {
  const r = pr - d.pad;
  const col = pc - d.pad;
  return d.input[c]?.[r]?.[col] ?? 0;
}

/** The output volume, from the naive convolution (src/naive) the other demos use too. */
export function convolveDemo(d: ConvDemoData): number[][][] {
  geometry(d);
  return conv2d(d.input, d.filters, d.biases, { stride: d.stride, pad: d.pad });
}

const num = (v: number): string => formatNumber(v, 6);
const factor = (v: number): string => (v < 0 ? `(${num(v)})` : num(v));

/** The written-out sum of one step: `(x*w + ...) + (...) + bias b = o`. */
export function stepSum(d: ConvDemoData, step: ConvStep): { expression: string; channelSums: number[]; bias: number; value: number } {
  const g = geometry(d);
  const filter = d.filters[step.filter]!;
  const groups: string[] = [];
  const channelSums: number[] = [];
  for (let c = 0; c < g.channels; c++) {
    const terms: string[] = [];
    let s = 0;
    for (let u = 0; u < g.kh; u++) {
      for (let v = 0; v < g.kw; v++) {
        const x = paddedValue(d, c, step.row * d.stride + u, step.col * d.stride + v);
        const w = filter[c]![u]![v]!;
        terms.push(`${factor(x)}*${factor(w)}`);
        s += x * w;
      }
    }
    groups.push(`(${terms.join(" + ")})`);
    channelSums.push(s);
  }
  const bias = d.biases[step.filter]!;
  const value = channelSums.reduce((a, b) => a + b, 0) + bias;
  return { expression: `${groups.join(" + ")} + bias ${num(bias)} = ${num(value)}`, channelSums, bias, value };
}

const CELL = "width:1.9em;height:1.6em;text-align:center;border:1px solid #ccc;padding:0";
const PAD_CELL = `${CELL};border-style:dashed`;
const WINDOW = "outline:2px solid #1f77b4;outline-offset:-2px";
const ACTIVE = "outline:2px solid #ff7f0e;outline-offset:-2px";
// Fills as table cell colours (bgcolor too, which an untrusted notebook keeps; outlines it drops).
const PAD_FILL = { background: "#f0f0f0", color: "#999999" };
const WINDOW_FILL = { background: "#cfe3ff" };
const ACTIVE_FILL = { background: "#ffe2b3" };

function gridTable(values: number[][], className: string, attrs: Record<string, string | number>, cellFor: (r: number, c: number, v: number) => TableCell): string {
  return htmlTable(
    values.map((row, r) => row.map((v, c) => cellFor(r, c, v))),
    { className, style: "border-collapse:collapse;font:12px monospace;margin:2px 0 8px 0", attrs, cellStyle: CELL },
  );
}

function label(text: string): string {
  return `<div style="font:12px monospace;color:#333">${escapeHtml(text)}</div>`;
}

function heading(text: string): string {
  return `<div style="font:bold 12px sans-serif;margin-bottom:4px">${escapeHtml(text)}</div>`;
}

/** The three columns of the demo as HTML tables (cells carry data-row/data-col), plus text/plain. */
export function renderConvDemo(data: ConvDemoData, options: ConvDemoOptions = {}): MimeBundle {
  const o = withDefaults(CONV_DEMO_DEFAULTS, options);
  const g = geometry(data);
  const output = convolveDemo(data);
  if (data.output) checkOutput(data.output, output);
  const step = o.step;
  if (step && !(step.filter >= 0 && step.filter < data.filters.length && step.row >= 0 && step.row < g.outH && step.col >= 0 && step.col < g.outW)) {
    throw new RangeError(`renderConvDemo: step ${JSON.stringify(step)} is outside the output (filters 0..${data.filters.length - 1}, rows 0..${g.outH - 1}, cols 0..${g.outW - 1})`);
  }
  const ph = g.height + 2 * data.pad;
  const pw = g.width + 2 * data.pad;
  const inWindow = (r: number, c: number): boolean =>
    !!step && r >= step.row * data.stride && r < step.row * data.stride + g.kh && c >= step.col * data.stride && c < step.col * data.stride + g.kw;

  const inputCol = [heading(`Input Volume (+pad ${data.pad}) (${ph}x${pw}x${g.channels})`)];
  for (let c = 0; c < g.channels; c++) {
    const padded = Array.from({ length: ph }, (_, r) => Array.from({ length: pw }, (_, col) => paddedValue(data, c, r, col)));
    inputCol.push(label(`x[:,:,${c}]`));
    inputCol.push(
      gridTable(padded, "convnote-conv-input", { "data-channel": c }, (r, col, v) => {
        const isPad = r < data.pad || col < data.pad || r >= data.pad + g.height || col >= data.pad + g.width;
        const win = inWindow(r, col);
        return {
          text: num(v),
          className: [isPad ? "pad" : "", win ? "window" : ""].filter(Boolean).join(" ") || undefined,
          style: `${isPad ? PAD_CELL : CELL}${win ? `;${WINDOW}` : ""}`,
          ...(isPad ? PAD_FILL : {}),
          ...(win ? WINDOW_FILL : {}),
          attrs: { "data-row": r, "data-col": col },
        };
      }),
    );
  }

  const filterCol: string[] = [];
  data.filters.forEach((filter, k) => {
    const active = step?.filter === k;
    const box: string[] = [heading(`Filter W${k} (${g.kh}x${g.kw}x${g.channels})`)];
    filter.forEach((channel, c) => {
      box.push(label(`w${k}[:,:,${c}]`));
      box.push(gridTable(channel, "convnote-conv-filter", { "data-filter": k, "data-channel": c }, (r, col, v) => ({ text: num(v), style: `${CELL}${active ? `;${WINDOW}` : ""}`, ...(active ? WINDOW_FILL : {}), attrs: { "data-row": r, "data-col": col } })));
    });
    box.push(heading(`Bias b${k} (1x1x1)`), label(`b${k}[:,:,0]`));
    box.push(gridTable([[data.biases[k]!]], "convnote-conv-bias", { "data-filter": k }, (_r, _c, v) => ({ text: num(v), style: `${CELL}${active ? `;${WINDOW}` : ""}`, ...(active ? WINDOW_FILL : {}), attrs: { "data-row": 0, "data-col": 0 } })));
    filterCol.push(`<div class="filter${active ? " active" : ""}" style="margin-bottom:8px">${box.join("")}</div>`);
  });

  const outputCol = [heading(`Output Volume (${g.outH}x${g.outW}x${data.filters.length})`)];
  output.forEach((channel, k) => {
    outputCol.push(label(`o[:,:,${k}]`));
    outputCol.push(
      gridTable(channel, "convnote-conv-output", { "data-channel": k }, (r, col, v) => {
        const active = !!step && step.filter === k && step.row === r && step.col === col;
        return { text: num(v), className: active ? "active" : undefined, style: `${CELL}${active ? `;${ACTIVE}` : ""}`, ...(active ? ACTIVE_FILL : {}), attrs: { "data-row": r, "data-col": col } };
      }),
    );
  });

  const column = (parts: string[]): string => `<div>${parts.join("")}</div>`;
  const summary = `input ${g.height}x${g.width}x${g.channels}, pad ${data.pad}, ${data.filters.length} filters ${g.kh}x${g.kw}x${g.channels}, stride ${data.stride} -> output ${g.outH}x${g.outW}x${data.filters.length}`;
  const sum = step ? stepSum(data, step) : undefined;
  const sumHtml = sum
    ? `<div class="convnote-conv-sum" style="font:12px monospace;margin-top:6px;max-width:60em">o[${step!.row},${step!.col},${step!.filter}] = ${escapeHtml(sum.expression)}<br/>channel sums ${escapeHtml(sum.channelSums.map(num).join(" + "))}, plus bias ${escapeHtml(num(sum.bias))} = ${escapeHtml(num(sum.value))}</div>`
    : "";
  const html = [
    `<div class="convnote-conv-demo">`,
    o.title ? `<div style="font:bold 13px sans-serif;margin-bottom:4px">${escapeHtml(o.title)}</div>` : "",
    `<div style="font:12px sans-serif;color:#555;margin-bottom:6px">${escapeHtml(summary)}</div>`,
    `<div style="display:flex;gap:28px;align-items:flex-start;flex-wrap:wrap">${column(inputCol)}${column(filterCol)}${column(outputCol)}</div>`,
    sumHtml,
    `</div>`,
  ].join("");

  const text = [
    ...(o.title ? [o.title] : []),
    `Convolution: ${summary}`,
    ...output.flatMap((channel, k) => [`o[:,:,${k}]`, textTable(channel.map((row) => row.map(num)), { align: channel[0]!.map(() => "right" as const) })]),
    ...(sum ? [`step: o[${step!.row},${step!.col},${step!.filter}] = ${sum.expression}`] : []),
  ].join("\n");
  return mimeBundle(text, { [MIME_HTML]: html });
}

function checkOutput(expected: number[][][], computed: number[][][]): void {
  computed.forEach((channel, k) =>
    channel.forEach((row, r) =>
      row.forEach((v, c) => {
        const e = expected[k]?.[r]?.[c];
        if (e === undefined || Math.abs(e - v) > 1e-9 * Math.max(1, Math.abs(v))) {
          throw new RangeError(`renderConvDemo: output[${k}][${r}][${c}] is given as ${e} but the input, filters and bias give ${v}; check the data (e.g. a typo in a filter)`);
        }
      }),
    ),
  );
}
