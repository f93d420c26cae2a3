/**
 * The same chart spec as a plotly.js figure, and the HTML that shows the static picture first and
 * swaps in the interactive plot once `window.Plotly` exists (see ../assets.ts for the library).
 */

import { formatNumber } from "../format.js";
import { escapeScriptContent, jsonForScript, uniqueElementId } from "../html.js";
import type { PlotlyFigure } from "../mime.js";
import { assignColors, barLabels, isFiniteValue, showMarkers, toFigure, type AxisSpec, type ChartLike, type ChartSpec, type Dash } from "./spec.js";

const PLOTLY_DASH: Record<Dash, string> = { solid: "solid", dash: "dash", dot: "dot" };
/** Gap between side-by-side panels, as a fraction of the figure width. */
const PANEL_GAP = 0.08;

function axisLayout(spec: AxisSpec, domain: [number, number] | undefined, anchor: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const axis: Record<string, unknown> = { anchor, zeroline: false, ...extra };
  if (domain) axis["domain"] = domain;
  if (spec.title) axis["title"] = { text: spec.title };
  if (spec.scale === "log") axis["type"] = "log";
  // Plotly takes log ranges as exponents.
  if (spec.range) axis["range"] = spec.scale === "log" ? spec.range.map((v) => Math.log10(v)) : [...spec.range];
  if (spec.includeZero) axis["rangemode"] = "tozero";
  return axis;
}

/** Missing values become null, which plotly draws as gaps (NaN would not survive JSON anyway). */
function plotlyValues(values: (number | null)[]): (number | null)[] {
  return values.map((v) => (isFiniteValue(v) ? v : null));
}

function panelTraces(panel: ChartSpec, index: number, legendSeen: Set<string>): Record<string, unknown>[] {
  const suffix = index === 0 ? "" : String(index + 1);
  const axes = { xaxis: `x${suffix}`, yaxis: `y${suffix}` };
  return panel.traces.map((trace) => {
    const first = !legendSeen.has(trace.name);
    legendSeen.add(trace.name);
    const legend = { name: trace.name, legendgroup: trace.name, showlegend: first };
    if (trace.type === "bar") {
      const bar: Record<string, unknown> = { type: "bar", ...legend, x: [...(panel.kind === "bar" ? panel.categories : [])], y: plotlyValues(trace.values), marker: { color: trace.color }, ...axes };
      if (panel.kind === "bar" && barLabels(panel)) {
        bar["text"] = trace.values.map((v) => (isFiniteValue(v) ? formatNumber(v, 3) : ""));
        bar["textposition"] = "outside";
        bar["cliponaxis"] = false;
      }
      return bar;
    }
    const line: Record<string, unknown> = { color: trace.color, width: trace.width ?? 2, dash: PLOTLY_DASH[trace.dash ?? "solid"] };
    const out: Record<string, unknown> = {
      type: "scatter",
      mode: showMarkers(trace) ? "lines+markers" : "lines",
      ...legend,
      showlegend: first && !trace.hideInLegend,
      x: [...trace.x],
      y: plotlyValues(trace.y),
      line,
      ...axes,
    };
    if (trace.opacity !== undefined) out["opacity"] = trace.opacity;
    return out;
  });
}

/** The plotly figure (data, layout, config) for a chart or a figure of side-by-side panels. */
export function toPlotlyFigure(chart: ChartLike): PlotlyFigure {
  const figure = assignColors(toFigure(chart));
  const n = figure.panels.length;
  const width = figure.panelWidth * n;
  const legendSeen = new Set<string>();
  const data = figure.panels.flatMap((panel, i) => panelTraces(panel, i, legendSeen));
  const layout: Record<string, unknown> = {
    width,
    height: figure.panelHeight + (figure.title ? 26 : 0) + 60,
    margin: { l: 60, r: 20, t: (figure.title || figure.panels.some((p) => p.title) ? 60 : 30) + (figure.panels.some((p) => p.kind === "bar" && barLabels(p)) ? 16 : 0), b: 100 },
    font: { family: "sans-serif", size: 12 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    showlegend: data.length > 1,
    // Below the x axis titles, anchored to the bottom of the whole figure so they never overlap.
    legend: { orientation: "h", x: 0, xanchor: "left", yref: "container", y: 0, yanchor: "bottom" },
    hovermode: "closest",
  };
  if (figure.title) layout["title"] = { text: figure.title };
  if (figure.panels.some((p) => p.kind === "bar")) layout["barmode"] = "group";
  const annotations: Record<string, unknown>[] = [];
  const panelWidth = (1 - PANEL_GAP * (n - 1)) / n;
  figure.panels.forEach((panel, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const domain: [number, number] = [i * (panelWidth + PANEL_GAP), i * (panelWidth + PANEL_GAP) + panelWidth];
    const grid = { showgrid: true, gridcolor: "#e6e6e6", linecolor: "#444", showline: true };
    layout[`xaxis${suffix}`] = axisLayout(panel.x, n > 1 ? domain : undefined, `y${suffix}`, panel.kind === "bar" ? { type: "category", showline: true, linecolor: "#444" } : grid);
    layout[`yaxis${suffix}`] = axisLayout(panel.kind === "bar" ? { ...panel.y, includeZero: true } : panel.y, undefined, `x${suffix}`, grid);
    if (panel.title) {
      // Raised above bar value labels, which plotly draws just over the tallest bar.
      const yshift = panel.kind === "bar" && barLabels(panel) ? 16 : 0;
      annotations.push({ text: `<b>${escapePlotlyText(panel.title)}</b>`, xref: "paper", yref: "paper", x: (domain[0] + domain[1]) / 2, y: 1, yshift, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 13 } });
    }
  });
  if (annotations.length > 0) layout["annotations"] = annotations;
  return { data, layout, config: { displaylogo: false, responsive: false } };
}

/** Plotly renders a small HTML subset in text; escape the rest. */
function escapePlotlyText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The global where a chart waits for plotly.js when the page has not loaded it yet: an array of
 * draw functions, which whoever loads the library later (the kernelspec's kernel.js in Notebook 6)
 * calls with it, then replaces with an object whose push() draws at once.
 */
export const PLOTLY_WAITING_GLOBAL = "convnoteChartsWaiting";

/**
 * `<div id=...>picture</div><script>...</script>`: the script replaces the static picture with the
 * interactive plot when Plotly is in the page, or waits for it (PLOTLY_WAITING_GLOBAL); the
 * picture stays where no script runs (an untrusted notebook, GitHub) or if plotting fails.
 */
export function interactiveChartHtml(staticHtml: string, figure: PlotlyFigure): string {
  const id = uniqueElementId("convnote-chart");
  const waiting = `window[${JSON.stringify(PLOTLY_WAITING_GLOBAL)}]`;
  const script = `(function () {
  var fig = ${jsonForScript(figure)};
  function draw(P) {
    var el = document.getElementById(${JSON.stringify(id)});
    if (!el || !P || typeof P.react !== "function" || el.getAttribute("data-drawn")) return;
    var fallback = el.innerHTML;
    var restore = function () { try { P.purge(el); } catch (e) {} el.innerHTML = fallback; el.removeAttribute("data-drawn"); };
    try {
      el.setAttribute("data-drawn", "plotly");
      el.innerHTML = "";
      var done = P.react(el, fig.data, fig.layout, fig.config);
      if (done && typeof done.then === "function") done.then(null, restore);
    } catch (e) { restore(); }
  }
  if (window.Plotly) draw(window.Plotly);
  else (${waiting} = ${waiting} || []).push(draw);
})();`;
  return `<div id="${id}" class="convnote-chart">${staticHtml}</div>\n<script type="text/javascript">\n${escapeScriptContent(script)}\n</script>`;
}
