/** A chart spec -> MIME bundle: HTML (a static SVG picture upgraded to plotly), image/svg+xml, plotly JSON, text. */

import { formatNumber } from "../format.js";
import { MIME_HTML, MIME_PLOTLY, MIME_SVG, mimeBundle, svgImage, type MimeBundle } from "../mime.js";
import { withDefaults } from "../options.js";
import { interactiveChartHtml, toPlotlyFigure } from "./plotly.js";
import { isFiniteValue, toFigure, type ChartLike, type ChartSpec } from "./spec.js";
import { renderSvg } from "./svg.js";

export interface ChartRenderOptions {
  /** Add the script that swaps in the plotly chart (and the plotly JSON); otherwise static SVG only. */
  interactive?: boolean;
}

export const CHART_RENDER_DEFAULTS = { interactive: true };

/** text/plain: per trace, its point count and last value; per bar chart, the values. */
export function chartText(chart: ChartLike): string {
  const figure = toFigure(chart);
  const lines: string[] = [];
  if (figure.title) lines.push(figure.title);
  for (const panel of figure.panels) lines.push(...panelText(panel));
  return lines.join("\n");
}

function panelText(panel: ChartSpec): string[] {
  const head = `${panel.title ?? (panel.kind === "bar" ? "bar chart" : "line chart")}${panel.y.title ? ` (${panel.y.title}${panel.x.title ? ` vs ${panel.x.title}` : ""})` : ""}:`;
  if (panel.kind === "bar") {
    return [head, ...panel.traces.map((t) => `  ${t.name}: ${panel.categories.map((c, i) => `${c} ${isFiniteValue(t.values[i]) ? formatNumber(t.values[i]!, 4) : "-"}`).join(", ")}`)];
  }
  return [
    head,
    ...panel.traces.map((t) => {
      let last = -1;
      for (let i = Math.min(t.x.length, t.y.length) - 1; i >= 0; i--) {
        if (isFiniteValue(t.y[i])) {
          last = i;
          break;
        }
      }
      const points = t.y.filter(isFiniteValue).length;
      return last < 0
        ? `  ${t.name}: no data yet`
        : `  ${t.name}: ${formatNumber(t.y[last]!)} at ${panel.x.title ?? "x"} ${formatNumber(t.x[last]!)} (${points} point${points === 1 ? "" : "s"})`;
    }),
  ];
}

export function renderChart(chart: ChartLike, options: ChartRenderOptions = {}): MimeBundle {
  const o = withDefaults(CHART_RENDER_DEFAULTS, options);
  const svg = renderSvg(chart, { standalone: true });
  const text = chartText(chart);
  // The static picture is an <img>, which a notebook's HTML sanitizer keeps (it drops inline <svg>).
  const picture = svgImage(svg, text);
  if (!o.interactive) {
    return mimeBundle(text, { [MIME_HTML]: `<div class="convnote-chart">${picture}</div>`, [MIME_SVG]: svg });
  }
  const figure = toPlotlyFigure(chart);
  return mimeBundle(text, {
    [MIME_HTML]: interactiveChartHtml(picture, figure),
    [MIME_SVG]: svg,
    [MIME_PLOTLY]: figure,
  });
}
