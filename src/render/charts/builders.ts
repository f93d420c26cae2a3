/**
 * Ready-made charts built from plain data: line charts, comparisons of several runs, function
 * plots and bar charts. Each has a `...Spec` function (the declarative spec, testable as data)
 * and a `render...` function returning the MIME bundle.
 */

import type { MimeBundle } from "../mime.js";
import { withDefaults } from "../options.js";
import { renderChart, type ChartRenderOptions } from "./render.js";
import { FIGURE_DEFAULTS, type BarChartSpec, type Dash, type FigureSpec, type LineChartSpec, type LineTrace } from "./spec.js";

/** One series: y values, with x defaulting to 1, 2, 3, ... (epochs). */
export interface Series {
  name: string;
  y: ArrayLike<number | null>;
  x?: ArrayLike<number>;
  color?: string;
  dash?: Dash;
  markers?: boolean;
}

export interface LineChartOptions extends ChartRenderOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  xRange?: [number, number];
  yRange?: [number, number];
  yScale?: "linear" | "log";
  width?: number;
  height?: number;
}

export const LINE_CHART_DEFAULTS = { xTitle: "x", yTitle: "y" };

function toTrace(series: Series): LineTrace {
  const y = Array.from(series.y, (v) => (v === null ? null : Number(v)));
  const x = series.x ? Array.from(series.x, Number) : y.map((_, i) => i + 1);
  if (x.length !== y.length) throw new RangeError(`chart series "${series.name}": ${x.length} x values for ${y.length} y values`);
  const trace: LineTrace = { type: "line", name: series.name, x, y };
  if (series.color) trace.color = series.color;
  if (series.dash) trace.dash = series.dash;
  if (series.markers !== undefined) trace.markers = series.markers;
  return trace;
}

/** A single line chart as a one-panel figure. */
function lineFigure(series: Series[], o: LineChartOptions): FigureSpec {
  const chart: LineChartSpec = {
    kind: "line",
    traces: series.map(toTrace),
    x: { title: o.xTitle, range: o.xRange },
    y: { title: o.yTitle, range: o.yRange, scale: o.yScale },
  };
  if (o.title) chart.title = o.title;
  return { panels: [chart], panelWidth: o.width ?? FIGURE_DEFAULTS.panelWidth, panelHeight: o.height ?? FIGURE_DEFAULTS.panelHeight };
}

export function lineChartSpec(series: Series[], options: LineChartOptions = {}): FigureSpec {
  return lineFigure(series, withDefaults(LINE_CHART_DEFAULTS, options));
}

export function renderLineChart(series: Series[], options: LineChartOptions = {}): MimeBundle {
  return renderChart(lineChartSpec(series, options), options);
}

export const COMPARISON_DEFAULTS = { xTitle: "epoch", yTitle: "loss", title: "comparison" };

/** Several runs on one plot, e.g. the loss curve of each optimizer: `{ sgd: [...], adam: [...] }`. */
export function comparisonChartSpec(series: Record<string, ArrayLike<number | null>> | Series[], options: LineChartOptions = {}): FigureSpec {
  const list = Array.isArray(series) ? series : Object.entries(series).map(([name, y]) => ({ name, y }));
  return lineFigure(list, withDefaults(COMPARISON_DEFAULTS, options));
}

export function renderComparisonChart(series: Record<string, ArrayLike<number | null>> | Series[], options: LineChartOptions = {}): MimeBundle {
  return renderChart(comparisonChartSpec(series, options), options);
}

export interface FunctionPlotOptions extends LineChartOptions {
  /** The x interval sampled. */
  domain?: [number, number];
  /** Evenly spaced samples including both ends (odd counts include the midpoint, e.g. 0). */
  samples?: number;
}

export const FUNCTION_PLOT_DEFAULTS = { domain: [-5, 5] as [number, number], samples: 201, xTitle: "x", yTitle: "f(x)", title: "activation functions" };

export type PlottedFunction = (x: number) => number;

/** Functions sampled over an interval, e.g. activation functions over [-5, 5]. */
export function functionPlotSpec(functions: Record<string, PlottedFunction> | { name: string; f: PlottedFunction }[], options: FunctionPlotOptions = {}): FigureSpec {
  const o = withDefaults(FUNCTION_PLOT_DEFAULTS, options);
  const [a, b] = o.domain;
  if (!(b > a) || !Number.isInteger(o.samples) || o.samples < 2) {
    throw new RangeError(`functionPlot: domain [${a}, ${b}] must be increasing and samples (${o.samples}) an integer >= 2`);
  }
  // x = a + i * step, rounded so grid points like 0 or 0.1 come out exact.
  const xs = Array.from({ length: o.samples }, (_, i) => Number((a + ((b - a) * i) / (o.samples - 1)).toPrecision(12)));
  const list = Array.isArray(functions) ? functions : Object.entries(functions).map(([name, f]) => ({ name, f }));
  const series = list.map(({ name, f }) => ({ name, x: xs, y: xs.map((x) => f(x)), markers: false }));
  return lineFigure(series, o);
}

export function renderFunctionPlot(functions: Record<string, PlottedFunction> | { name: string; f: PlottedFunction }[], options: FunctionPlotOptions = {}): MimeBundle {
  return renderChart(functionPlotSpec(functions, options), options);
}

/** Bars per category; several series make grouped bars. */
export type BarData = { categories: string[]; values: ArrayLike<number | null>; name?: string } | { categories: string[]; series: { name: string; values: ArrayLike<number | null>; color?: string }[] };

export interface BarChartOptions extends ChartRenderOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  yRange?: [number, number];
  /** Print each value above its bar (only drawn when there are at most 24 bars). */
  valueLabels?: boolean;
  width?: number;
  height?: number;
}

export const BAR_CHART_DEFAULTS = { xTitle: "class", yTitle: "value", valueLabels: true };

export function barChartSpec(data: BarData, options: BarChartOptions = {}): FigureSpec {
  const o = withDefaults(BAR_CHART_DEFAULTS, options);
  const series = "series" in data ? data.series : [{ name: data.name ?? o.yTitle, values: data.values }];
  const traces = series.map((s) => {
    if (s.values.length !== data.categories.length) {
      throw new RangeError(`barChart: series "${s.name}" has ${s.values.length} values for ${data.categories.length} categories`);
    }
    const trace: BarChartSpec["traces"][number] = { type: "bar", name: s.name, values: Array.from(s.values, (v) => (v === null ? null : Number(v))) };
    if ("color" in s && s.color) trace.color = s.color;
    return trace;
  });
  const chart: BarChartSpec = { kind: "bar", categories: [...data.categories], traces, valueLabels: o.valueLabels, x: { title: o.xTitle }, y: { title: o.yTitle, range: o.yRange } };
  if (o.title) chart.title = o.title;
  return { panels: [chart], panelWidth: o.width ?? FIGURE_DEFAULTS.panelWidth, panelHeight: o.height ?? FIGURE_DEFAULTS.panelHeight };
}

export function renderBarChart(data: BarData, options: BarChartOptions = {}): MimeBundle {
  return renderChart(barChartSpec(data, options), options);
}
