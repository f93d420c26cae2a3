/**
 * A static SVG rendering of a chart spec: axes with nice ticks, grid, lines or bars, legend.
 * It is the fallback for viewers that run no JavaScript (GitHub, nbconvert to PDF), so it uses
 * no scripts, no external fonts (generic sans-serif) and no ids that could collide on a page.
 */

import { escapeHtml } from "../html.js";
import { formatNumber } from "../format.js";
import { assignColors, barLabels, isFiniteValue, showMarkers, toFigure, type AxisSpec, type BarChartSpec, type ChartLike, type ChartSpec, type Dash, type LineChartSpec } from "./spec.js";
import { extentDomain, formatLogTick, formatTick, linearTicks, logDomain, logTicks, niceDomain, tickStep } from "./ticks.js";

export interface SvgOptions {
  /** Include the XML namespace, as a standalone image/svg+xml file needs; inline SVG in HTML does not. */
  standalone?: boolean;
}

const FONT_SIZE = 11;
/** Average advance of a sans-serif character at FONT_SIZE, for layout estimates. */
const CHAR_WIDTH = 6.5;
const AXIS_COLOR = "#444";
const GRID_COLOR = "#e6e6e6";
const DASHES: Record<Dash, string | undefined> = { solid: undefined, dash: "6 4", dot: "2 3" };

const fmt = (n: number): string => String(Math.round(n * 100) / 100);
const textWidth = (text: string): number => text.length * CHAR_WIDTH;
/** Generous, so legend entries never run into each other whatever the font. */
const LEGEND_CHAR_WIDTH = 7.5;

/** A numeric axis: its domain, ticks with labels, and the mapping to pixels. */
export interface NumericAxis {
  domain: [number, number];
  ticks: number[];
  labels: string[];
  log: boolean;
}

/** Chooses the domain and ticks of a numeric axis from the values it must show. */
export function numericAxis(values: number[], spec: AxisSpec, pixels: number, pixelsPerTick: number, nice: boolean): NumericAxis {
  const log = spec.scale === "log";
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let min = usable.length > 0 ? Math.min(...usable) : NaN;
  let max = usable.length > 0 ? Math.max(...usable) : NaN;
  if (spec.includeZero && !log && Number.isFinite(min)) {
    min = Math.min(min, 0);
    max = Math.max(max, 0);
  }
  const count = Math.max(2, Math.round(pixels / pixelsPerTick));
  if (log) {
    const domain = spec.range ?? logDomain(min, max);
    const ticks = logTicks(domain[0], domain[1]);
    return { domain, ticks, labels: ticks.map(formatLogTick), log };
  }
  const domain = spec.range ?? (nice ? niceDomain(min, max, count) : extentDomain(min, max));
  const ticks = linearTicks(domain[0], domain[1], count);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : tickStep(domain[0], domain[1], count);
  return { domain, ticks, labels: ticks.map((t) => formatTick(t, step)), log };
}

/** Position of `value` along an axis of `length` pixels (0 at the domain start). */
function position(axis: NumericAxis, value: number, length: number): number {
  const [d0, d1] = axis.domain;
  const t = axis.log ? (Math.log10(value) - Math.log10(d0)) / (Math.log10(d1) - Math.log10(d0)) : (value - d0) / (d1 - d0);
  return t * length;
}

function usablePoint(axis: NumericAxis, v: number | null | undefined): v is number {
  return isFiniteValue(v) && (!axis.log || v > 0);
}

interface LegendEntry {
  name: string;
  color: string;
  dash?: Dash;
  bar: boolean;
}

function legendEntries(chart: ChartSpec): LegendEntry[] {
  if (chart.kind === "bar") return chart.traces.map((t) => ({ name: t.name, color: t.color!, bar: true }));
  return chart.traces.filter((t) => !t.hideInLegend).map((t) => ({ name: t.name, color: t.color!, dash: t.dash, bar: false }));
}

/** Lays legend entries in rows that fit `width`; returns positions and the rows used. */
function legendLayout(entries: LegendEntry[], width: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const e of entries) {
    const w = 22 + e.name.length * LEGEND_CHAR_WIDTH + 20;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    out.push({ x, row });
    x += w;
  }
  return out;
}

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}"${attrs}>${escapeHtml(content)}</text>`;
}

/** One panel at the origin of its own group. */
function panelSvg(chart: ChartSpec, width: number, height: number): string {
  const entries = legendEntries(chart);
  const showLegend = entries.length > 1;
  // Bar value labels need a line of room above the tallest bar.
  const top = (chart.title ? 26 : 10) + (chart.kind === "bar" && barLabels(chart) ? 12 : 0);
  const legendRows = showLegend ? Math.max(...legendLayout(entries, width - 20).map((p) => p.row)) + 1 : 0;
  const bottom = 22 + (chart.x.title ? 18 : 0) + legendRows * 18 + 6;

  // The y axis first, with a provisional height, to know how wide its labels are.
  const yValues = chart.kind === "line" ? chart.traces.flatMap((t) => t.y.filter(isFiniteValue)) : chart.traces.flatMap((t) => t.values.filter(isFiniteValue));
  const plotH = Math.max(40, height - top - bottom);
  const ySpec: AxisSpec = chart.kind === "bar" ? { ...chart.y, includeZero: true } : chart.y;
  const yAxis = numericAxis(yValues, ySpec, plotH, 45, true);
  const left = 12 + (chart.y.title ? 16 : 0) + Math.max(...yAxis.labels.map(textWidth), 10);
  const plotW = Math.max(40, width - left - 16);
  const parts: string[] = [];
  if (chart.title) parts.push(text(left + plotW / 2, 17, chart.title, ` class="panel-title" text-anchor="middle" font-size="13" font-weight="bold"`));

  // Horizontal grid and y ticks.
  const yPx = (v: number): number => top + plotH - position(yAxis, v, plotH);
  const yTicks = yAxis.ticks
    .map((t, i) => {
      const y = fmt(yPx(t));
      return `<g class="tick"><line x1="${fmt(left)}" x2="${fmt(left + plotW)}" y1="${y}" y2="${y}" stroke="${GRID_COLOR}"/>${text(left - 6, yPx(t) + 4, yAxis.labels[i]!, ` text-anchor="end"`)}</g>`;
    })
    .join("");
  parts.push(`<g class="axis y-axis" fill="${AXIS_COLOR}">${yTicks}</g>`);
  if (chart.y.title) {
    const cy = top + plotH / 2;
    parts.push(text(12, cy, chart.y.title, ` class="axis-title" text-anchor="middle" transform="rotate(-90 12 ${fmt(cy)})" fill="${AXIS_COLOR}"`));
  }

  // x axis: numeric for lines, categories for bars.
  const xParts: string[] = [];
  const axisY = top + plotH;
  let plotContent: string;
  let valueLabels = "";
  if (chart.kind === "line") {
    const xAxis = numericAxis(chart.traces.flatMap((t) => t.x), chart.x, plotW, 80, false);
    const xPx = (v: number): number => position(xAxis, v, plotW);
    xAxis.ticks.forEach((t, i) => {
      const x = left + xPx(t);
      xParts.push(`<g class="tick"><line x1="${fmt(x)}" x2="${fmt(x)}" y1="${fmt(axisY)}" y2="${fmt(axisY + 4)}" stroke="${AXIS_COLOR}"/>${text(x, axisY + 16, xAxis.labels[i]!, ` text-anchor="middle"`)}</g>`);
    });
    plotContent = lineTraces(chart, xAxis, yAxis, plotW, plotH);
  } else {
    const band = plotW / Math.max(1, chart.categories.length);
    const maxChars = Math.max(1, Math.floor(band / CHAR_WIDTH));
    chart.categories.forEach((c, i) => {
      const label = c.length > maxChars ? `${c.slice(0, Math.max(1, maxChars - 1))}.` : c;
      xParts.push(`<g class="tick">${text(left + band * (i + 0.5), axisY + 16, label, ` text-anchor="middle"`)}</g>`);
    });
    const bars = barTraces(chart, yAxis, plotW, plotH);
    plotContent = bars.bars;
    valueLabels = bars.labels ? `<g class="value-labels" transform="translate(${fmt(left)} ${fmt(top)})">${bars.labels}</g>` : "";
  }
  parts.push(`<g class="axis x-axis" fill="${AXIS_COLOR}"><line x1="${fmt(left)}" x2="${fmt(left + plotW)}" y1="${fmt(axisY)}" y2="${fmt(axisY)}" stroke="${AXIS_COLOR}"/>${xParts.join("")}</g>`);
  parts.push(`<line class="y-axis-line" x1="${fmt(left)}" x2="${fmt(left)}" y1="${fmt(top)}" y2="${fmt(axisY)}" stroke="${AXIS_COLOR}"/>`);
  if (chart.x.title) parts.push(text(left + plotW / 2, axisY + 34, chart.x.title, ` class="axis-title" text-anchor="middle" fill="${AXIS_COLOR}"`));

  // A nested <svg> clips the data to the plot area without needing a clipPath id.
  parts.push(`<svg class="plot-area" x="${fmt(left)}" y="${fmt(top)}" width="${fmt(plotW)}" height="${fmt(plotH)}" overflow="hidden">${plotContent}</svg>${valueLabels}`);

  if (showLegend) {
    const legendTop = axisY + 22 + (chart.x.title ? 18 : 0) + 8;
    const items = legendLayout(entries, width - 20)
      .map((p, i) => {
        const e = entries[i]!;
        const x = 10 + p.x;
        const y = legendTop + p.row * 18;
        const swatch = e.bar
          ? `<rect x="${fmt(x)}" y="${fmt(y - 5)}" width="16" height="10" fill="${escapeHtml(e.color)}"/>`
          : `<line x1="${fmt(x)}" x2="${fmt(x + 18)}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="${escapeHtml(e.color)}" stroke-width="2"${dashAttr(e.dash)}/>`;
        return `<g class="legend-item">${swatch}${text(x + 22, y + 4, e.name, ` fill="${AXIS_COLOR}"`)}</g>`;
      })
      .join("");
    parts.push(`<g class="legend">${items}</g>`);
  }
  return parts.join("");
}

function dashAttr(dash: Dash | undefined): string {
  const d = dash ? DASHES[dash] : undefined;
  return d ? ` stroke-dasharray="${d}"` : "";
}

/** One `<path class="trace">` per trace (gaps where values are missing), plus optional markers. */
function lineTraces(chart: LineChartSpec, xAxis: NumericAxis, yAxis: NumericAxis, plotW: number, plotH: number): string {
  return chart.traces
    .map((trace) => {
      let d = "";
      let penDown = false;
      const dots: string[] = [];
      const n = Math.min(trace.x.length, trace.y.length);
      for (let i = 0; i < n; i++) {
        const xv = trace.x[i];
        const yv = trace.y[i];
        if (!usablePoint(xAxis, xv) || !usablePoint(yAxis, yv)) {
          penDown = false;
          continue;
        }
        const px = fmt(position(xAxis, xv, plotW));
        const py = fmt(plotH - position(yAxis, yv, plotH));
        d += `${penDown ? "L" : "M"}${px},${py}`;
        penDown = true;
        dots.push(`<circle cx="${px}" cy="${py}" r="3"/>`);
      }
      const color = escapeHtml(trace.color!);
      const opacity = trace.opacity !== undefined ? ` opacity="${trace.opacity}"` : "";
      const path = `<path class="trace" data-name="${escapeHtml(trace.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="${trace.width ?? 2}" stroke-linejoin="round" stroke-linecap="round"${dashAttr(trace.dash)}${opacity}/>`;
      const markers = showMarkers(trace) && dots.length > 0 ? `<g class="markers" fill="${color}"${opacity}>${dots.join("")}</g>` : "";
      return path + markers;
    })
    .join("");
}

/**
 * Grouped bars: one `<g class="trace">` of `<rect class="bar">` per trace, and the value labels
 * separately, since they sit above the plot area's clip.
 */
function barTraces(chart: BarChartSpec, yAxis: NumericAxis, plotW: number, plotH: number): { bars: string; labels: string } {
  const band = plotW / Math.max(1, chart.categories.length);
  const group = band * 0.8;
  const barW = group / Math.max(1, chart.traces.length);
  const zeroY = plotH - position(yAxis, Math.min(Math.max(0, yAxis.domain[0]), yAxis.domain[1]), plotH);
  const labels = barLabels(chart);
  const rects: string[] = [];
  const texts: string[] = [];
  chart.traces.forEach((trace, ti) => {
    const bars: string[] = [];
    chart.categories.forEach((_, ci) => {
      const v = trace.values[ci];
      if (!isFiniteValue(v)) return;
      const x = band * ci + (band - group) / 2 + barW * ti;
      const y = plotH - position(yAxis, v, plotH);
      bars.push(`<rect class="bar" x="${fmt(x)}" y="${fmt(Math.min(y, zeroY))}" width="${fmt(Math.max(1, barW - 1))}" height="${fmt(Math.abs(zeroY - y))}"/>`);
      if (labels) texts.push(text(x + barW / 2, Math.min(y, zeroY) - 3, formatNumber(v, 3), ` class="value-label" text-anchor="middle" fill="${AXIS_COLOR}" font-size="10"`));
    });
    rects.push(`<g class="trace" data-name="${escapeHtml(trace.name)}" fill="${escapeHtml(trace.color!)}">${bars.join("")}</g>`);
  });
  return { bars: rects.join(""), labels: texts.join("") };
}

/** The whole figure as one SVG document: panels side by side under an optional title. */
export function renderSvg(chart: ChartLike, options: SvgOptions = {}): string {
  const figure = assignColors(toFigure(chart));
  const titleH = figure.title ? 26 : 0;
  const width = figure.panelWidth * figure.panels.length;
  const height = figure.panelHeight + titleH;
  const label = figure.title ?? figure.panels.map((p) => p.title ?? "chart").join(", ");
  const ns = options.standalone ? ` xmlns="http://www.w3.org/2000/svg"` : "";
  const parts = [
    `<svg${ns} class="convnote-chart-svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT_SIZE}" role="img" aria-label="${escapeHtml(label)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (figure.title) parts.push(text(width / 2, 18, figure.title, ` class="figure-title" text-anchor="middle" font-size="14" font-weight="bold"`));
  figure.panels.forEach((panel, i) => {
    parts.push(`<g class="panel" transform="translate(${i * figure.panelWidth} ${titleH})">${panelSvg(panel, figure.panelWidth, figure.panelHeight)}</g>`);
  });
  parts.push("</svg>");
  return parts.join("");
}
