import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { barChartSpec, comparisonChartSpec, functionPlotSpec, lineChartSpec, renderBarChart, renderComparisonChart, renderFunctionPlot, renderLineChart } from "../../src/render/charts/builders.js";
import { PLOTLY_WAITING_GLOBAL, toPlotlyFigure } from "../../src/render/charts/plotly.js";
import { renderChart } from "../../src/render/charts/render.js";
import { renderSvg } from "../../src/render/charts/svg.js";
import { formatTick, linearTicks, logTicks, niceDomain, tickStep } from "../../src/render/charts/ticks.js";
import type { PlotlyFigure } from "../../src/render/mime.js";
import { assertOfflineBundle } from "./helpers.js";
import { byClass, byTag, findAll, hasClass, parseMarkup, svgPictures, textContent, type MarkupElement } from "./markup.js";

function tickLabels(svg: MarkupElement, axis: "x-axis" | "y-axis"): string[] {
  const group = byClass(svg, axis)[0]!;
  return byClass(group, "tick").map((t) => textContent(t).trim());
}

describe("render/charts ticks", () => {
  it("steps by 1, 2 or 5 times a power of ten", () => {
    assert.equal(tickStep(0, 1, 5), 0.2);
    assert.equal(tickStep(0, 10, 5), 2);
    assert.equal(tickStep(0, 2.31, 5), 0.5);
    assert.equal(tickStep(0, 1000, 4), 200);
  });

  it("extends a domain to whole steps and labels ticks without float noise", () => {
    assert.deepEqual(niceDomain(0.13, 2.31, 5), [0, 2.5]);
    assert.deepEqual(niceDomain(-0.37, 0.52, 5), [-0.4, 0.6]);
    assert.deepEqual(linearTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(linearTicks(0, 0.3, 3), [0, 0.1, 0.2, 0.3]);
    assert.deepEqual(linearTicks(0.1, 0.3, 2).map((t) => formatTick(t, 0.1)), ["0.1", "0.2", "0.3"]);
    assert.equal(formatTick(0.30000000000000004, 0.1), "0.3");
    assert.equal(formatTick(1500, 500), "1500");
    assert.deepEqual(niceDomain(3, 3), [1.5, 4.5], "a single value gets a range around it");
    assert.deepEqual(logTicks(0.3, 3), [0.5, 1, 2]);
    assert.deepEqual(logTicks(0.01, 100), [0.01, 0.1, 1, 10, 100]);
  });
});

describe("render/charts svg", () => {
  const loss = { name: "train loss", y: [2.31, 1.2, 0.8, 0.5, 0.31, 0.13] };
  const valLoss = { name: "validation loss", y: [2.2, 1.4, 1.0, 0.8, 0.7, 0.65], dash: "dash" as const };

  it("parses as XML with one path per trace and nice tick labels", () => {
    const svgText = renderSvg(lineChartSpec([loss, valLoss], { xTitle: "epoch", yTitle: "loss" }), { standalone: true });
    const root = parseMarkup(svgText);
    const svg = byTag(root, "svg")[0]!;
    assert.equal(svg.attrs["xmlns"], "http://www.w3.org/2000/svg");
    const traces = byClass(svg, "trace");
    assert.equal(traces.length, 2);
    assert.deepEqual(traces.map((t) => t.attrs["data-name"]), ["train loss", "validation loss"]);
    // Six points: one move and five line segments.
    assert.equal((traces[0]!.attrs["d"]!.match(/[ML]/g) ?? []).length, 6);
    assert.equal(traces[1]!.attrs["stroke-dasharray"], "6 4");
    assert.deepEqual(tickLabels(svg, "y-axis"), ["0", "0.5", "1.0", "1.5", "2.0", "2.5"]);
    assert.deepEqual(tickLabels(svg, "x-axis"), ["1", "2", "3", "4", "5", "6"]);
    const titles = byClass(svg, "axis-title").map(textContent);
    assert.deepEqual(titles.sort(), ["epoch", "loss"]);
    assert.equal(byClass(svg, "legend-item").length, 2);
  });

  it("leaves gaps for missing values and marks a lone point", () => {
    const svgText = renderSvg(lineChartSpec([{ name: "a", y: [1, null, 3, NaN, 5] }, { name: "one", y: [2] }]));
    const svg = parseMarkup(svgText);
    const [a, one] = byClass(svg, "trace");
    assert.equal((a!.attrs["d"]!.match(/M/g) ?? []).length, 3, "three separate pieces");
    assert.equal(one!.attrs["d"]!.startsWith("M"), true);
    const markers = byClass(svg, "markers");
    assert.ok(markers.some((m) => byTag(m, "circle").length === 1), "the single point shows as a dot");
  });

  it("draws side-by-side panels, grouped bars and log axes", () => {
    const figure = { panels: [...lineChartSpec([loss]).panels, ...barChartSpec({ categories: ["cat", "dog"], series: [{ name: "a", values: [0.5, 0.75] }, { name: "b", values: [1, 0.25] }] }).panels], panelWidth: 400, panelHeight: 250 };
    const svg = parseMarkup(renderSvg(figure));
    assert.equal(byClass(svg, "panel").length, 2);
    assert.equal(byClass(svg, "bar").length, 4);
    assert.deepEqual(byClass(svg, "value-label").map(textContent), ["0.5", "0.75", "1", "0.25"]);
    const logSvg = parseMarkup(renderSvg(comparisonChartSpec({ sgd: [2.3, 1.2, 0.6], adam: [2.3, 0.4, 0.08] }, { yScale: "log" })));
    assert.deepEqual(tickLabels(logSvg, "y-axis"), ["0.01", "0.1", "1", "10"]);
  });

  it("escapes names and titles", () => {
    const svgText = renderSvg(lineChartSpec([{ name: "<b>&co", y: [1, 2] }], { title: "a < b & \"c\"" }));
    assert.ok(svgText.includes("&lt;b&gt;&amp;co"));
    assert.ok(!svgText.includes("<b>&co"));
    const svg = parseMarkup(svgText);
    assert.equal(textContent(byClass(svg, "panel-title")[0]!), 'a < b & "c"');
  });
});

describe("render/charts plotly and bundles", () => {
  it("translates traces, axes and subplots into plotly JSON", () => {
    const spec = lineChartSpec([{ name: "train", x: [1, 2, 3], y: [1, null, 0.5] }, { name: "val", y: [1.2, 1, 0.9], dash: "dash" }], { yTitle: "loss", xTitle: "epoch", yScale: "log", yRange: [0.1, 10] });
    const fig = toPlotlyFigure(spec);
    assert.equal(fig.data.length, 2);
    assert.deepEqual(fig.data[0]!["x"], [1, 2, 3]);
    assert.deepEqual(fig.data[0]!["y"], [1, null, 0.5]);
    assert.equal(fig.data[0]!["type"], "scatter");
    assert.equal((fig.data[1]!["line"] as { dash: string }).dash, "dash");
    const yaxis = fig.layout["yaxis"] as { type: string; range: number[]; title: { text: string } };
    assert.equal(yaxis.type, "log");
    assert.deepEqual(yaxis.range, [-1, 1], "plotly log ranges are exponents");
    assert.equal(yaxis.title.text, "loss");

    const two = toPlotlyFigure({ panels: [...lineChartSpec([{ name: "train", y: [1, 2] }]).panels, ...lineChartSpec([{ name: "train", y: [3, 4] }]).panels], panelWidth: 300, panelHeight: 200 });
    assert.equal(two.data[1]!["xaxis"], "x2");
    assert.equal(two.data[1]!["yaxis"], "y2");
    assert.equal(two.data[1]!["showlegend"], false, "a name appears once in the legend");
    assert.equal((two.data[0]!["line"] as { color: string }).color, (two.data[1]!["line"] as { color: string }).color, "same name, same colour");
    assert.ok(two.layout["xaxis2"]);
    assert.equal(JSON.parse(JSON.stringify(two)).data.length, 2, "the figure is plain JSON");
  });

  it("bundles HTML (an SVG picture + upgrade script), image/svg+xml, plotly JSON and the last values as text", () => {
    const bundle = renderLineChart([{ name: "loss", y: [2, 1, 0.5] }, { name: "accuracy", y: [0.5, 0.7, 0.9] }], { xTitle: "epoch" });
    assertOfflineBundle(bundle);
    const html = bundle["text/html"] as string;
    const root = parseMarkup(html);
    const div = findAll(root, (el) => el.tag === "div" && hasClass(el, "convnote-chart"))[0]!;
    assert.match(div.attrs["id"]!, /^convnote-chart-[0-9a-f]{12}$/);
    assert.equal(byTag(div, "svg").length, 0, "no inline <svg>: an untrusted notebook's sanitizer drops it");
    assert.equal(svgPictures(div).length, 1, "the static chart is an <img> of the SVG");
    assert.equal(byClass(svgPictures(div)[0]!, "trace").length, 2);
    assert.equal(byTag(root, "script").length, 1);
    assert.ok(bundle["image/svg+xml"]!.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    const fig = bundle["application/vnd.plotly.v1+json"]!;
    assert.deepEqual(fig.data.map((t) => t["name"]), ["loss", "accuracy"]);
    assert.match(bundle["text/plain"], /loss: 0\.5 at epoch 3 \(3 points\)/);
    assert.match(bundle["text/plain"], /accuracy: 0\.9 at epoch 3/);
    const staticOnly = renderChart(lineChartSpec([{ name: "a", y: [1, 2] }]), { interactive: false });
    assert.equal(staticOnly["application/vnd.plotly.v1+json"], undefined);
    assert.doesNotMatch(staticOnly["text/html"] as string, /<script/);
  });

  /** The chart's element in a tiny page: its content and the attributes the script sets. */
  function chartElement(): { innerHTML: string; getAttribute(n: string): string | null; setAttribute(n: string, v: string): void; removeAttribute(n: string): void } {
    const attrs: Record<string, string> = {};
    return { innerHTML: "static svg", getAttribute: (n) => attrs[n] ?? null, setAttribute: (n, v) => void (attrs[n] = v), removeAttribute: (n) => void delete attrs[n] };
  }

  /** Runs the chart's script against a tiny page: one element with the id, and maybe a Plotly. */
  function runChartScript(html: string, plotly?: { react: (...args: unknown[]) => unknown; purge?: () => void }): { innerHTML: string } {
    const root = parseMarkup(html);
    const div = byClass(root, "convnote-chart")[0]!;
    const script = textContent(byTag(root, "script")[0]!);
    const element = chartElement();
    const window: Record<string, unknown> = {};
    if (plotly) window["Plotly"] = plotly;
    const document = { getElementById: (id: string) => (id === div.attrs["id"] ? element : null) };
    vm.runInNewContext(script, { window, document });
    return element;
  }

  it("waits for plotly.js when the page loads it later (Notebook 6's kernel.js), and draws once it comes", () => {
    const html = renderComparisonChart({ sgd: [2, 1.5, 1.2], adam: [2, 0.9, 0.5] })["text/html"] as string;
    const root = parseMarkup(html);
    const element = chartElement();
    const window: Record<string, unknown> = {};
    const document = { getElementById: (id: string) => (id === byClass(root, "convnote-chart")[0]!.attrs["id"] ? element : null) };
    vm.runInNewContext(textContent(byTag(root, "script")[0]!), { window, document });
    const waiting = window[PLOTLY_WAITING_GLOBAL] as ((plotly: unknown) => void)[];
    assert.equal(waiting.length, 1, "the chart queued its draw");
    const calls: unknown[] = [];
    waiting[0]!({ react: (...args: unknown[]) => calls.push(args) });
    waiting[0]!({ react: (...args: unknown[]) => calls.push(args) });
    assert.equal(calls.length, 1, "drawn once, however often it is asked");
  });

  it("swaps in plotly with the same figure when Plotly is loaded, and keeps the SVG otherwise", () => {
    const bundle = renderComparisonChart({ sgd: [2, 1.5, 1.2], adam: [2, 0.9, 0.5] });
    const html = bundle["text/html"] as string;
    assert.equal(runChartScript(html).innerHTML, "static svg");
    const calls: unknown[][] = [];
    const el = runChartScript(html, { react: (...args) => calls.push(args) });
    assert.equal(calls.length, 1);
    const [target, data, layout, config] = calls[0]!;
    assert.equal(target, el);
    const fig = bundle["application/vnd.plotly.v1+json"] as PlotlyFigure;
    assert.deepEqual(JSON.parse(JSON.stringify(data)), fig.data);
    assert.deepEqual(JSON.parse(JSON.stringify(layout)), fig.layout);
    assert.deepEqual(JSON.parse(JSON.stringify(config)), fig.config);
    const failing = runChartScript(html, { react: () => { throw new Error("no WebGL"); }, purge: () => undefined });
    assert.equal(failing.innerHTML, "static svg", "a plotting error restores the SVG");
  });

  it("samples functions over [-5, 5] including 0, and makes per-class bar charts", () => {
    const spec = functionPlotSpec({ relu: (x) => Math.max(0, x), sigmoid: (x) => 1 / (1 + Math.exp(-x)) });
    const relu = spec.panels[0]!.traces[0]!;
    assert.equal(relu.type, "line");
    if (relu.type !== "line") return;
    assert.equal(relu.x.length, 201);
    assert.equal(relu.x[0], -5);
    assert.equal(relu.x[100], 0);
    assert.equal(relu.x[200], 5);
    assert.equal(relu.y[0], 0);
    assert.equal(relu.y[200], 5);
    assertOfflineBundle(renderFunctionPlot({ tanh: Math.tanh }));

    const bars = renderBarChart({ categories: ["0", "1", "2"], values: [0.98, 0.5, 0.75] }, { yTitle: "accuracy", yRange: [0, 1] });
    assertOfflineBundle(bars);
    const fig = bars["application/vnd.plotly.v1+json"]!;
    assert.equal(fig.data[0]!["type"], "bar");
    assert.deepEqual(fig.data[0]!["y"], [0.98, 0.5, 0.75]);
    assert.deepEqual(fig.data[0]!["x"], ["0", "1", "2"]);
    const svg = parseMarkup(bars["image/svg+xml"]!);
    assert.equal(byClass(svg, "bar").length, 3);
    assert.deepEqual(tickLabels(svg, "y-axis"), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    assert.throws(() => renderBarChart({ categories: ["a"], values: [1, 2] }), /2 values for 1 categories/);
  });
});
