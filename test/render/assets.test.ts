import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { minifiedPlotly, plotlyLibraryBundle, plotlyLibraryInfo, plotlyLibraryScript, standaloneChartPage } from "../../src/render/assets.js";
import { renderLineChart } from "../../src/render/charts/builders.js";
import { byClass, byTag, parseMarkup, textContent } from "./markup.js";

/**
 * A stand-in for the browser objects plotly touches while loading: every property is another
 * stand-in and every call returns one. Enough to evaluate the library, not to draw with it.
 */
function browserStub(name: string): unknown {
  const target = function () {};
  return new Proxy(target, {
    get: (_t, prop) => (prop === Symbol.toPrimitive ? () => "" : prop === "length" ? 0 : browserStub(`${name}.${String(prop)}`)),
    apply: () => browserStub(`${name}()`),
    construct: () => browserStub(`new ${name}`) as object,
    has: () => false,
  });
}

/** A page context: window is the global object, with classic Notebook's RequireJS `define`. */
function pageContext(): { context: vm.Context; amdCalls: () => number } {
  let calls = 0;
  const define = Object.assign(() => {
    calls++;
    throw new Error("Mismatched anonymous define() module");
  }, { amd: {} });
  const context: Record<string, unknown> = { navigator: { userAgent: "node" }, setTimeout, clearTimeout, console, define };
  context["window"] = context;
  context["self"] = context;
  for (const name of ["document", "DOMParser", "Image", "XMLHttpRequest", "HTMLElement", "Element", "Node", "CSSStyleDeclaration", "getComputedStyle", "requestAnimationFrame", "location", "screen", "matchMedia", "addEventListener", "removeEventListener", "performance", "URL", "Blob", "Worker"]) {
    context[name] = browserStub(name);
  }
  return { context: vm.createContext(context), amdCalls: () => calls };
}

describe("render/assets (plotly.js without a CDN)", function () {
  this.timeout(120000);
  it("serves plotly.js minified as its package ships it, with nothing built at run time", () => {
    const info = plotlyLibraryInfo();
    assert.match(info.version, /^3\./);
    assert.equal(info.path, require.resolve("plotly.js-dist-min/plotly.min.js"));
    assert.equal(Buffer.byteLength(minifiedPlotly()), info.bytes);
    assert.ok(info.bytes < 6e6, `plotly.js is ${info.bytes} bytes; the unminified build is about 11 MB`);
    const lines = minifiedPlotly().split("\n");
    assert.ok(info.bytes / lines.length > 1000, `minified: ${lines.length} lines for ${info.bytes} bytes`);
  });

  it("defines window.Plotly once, even where RequireJS defines `define`", () => {
    const { context, amdCalls } = pageContext();
    const script = plotlyLibraryScript();
    vm.runInContext(script, context, { filename: "plotly-wrapped.js" });
    const plotly = context["Plotly"] as { version: string; react: unknown; newPlot: unknown };
    assert.equal(typeof plotly, "object");
    assert.equal(plotly.version, plotlyLibraryInfo().version);
    assert.equal(typeof plotly.react, "function");
    assert.equal(amdCalls(), 0, "no anonymous AMD module registered");
    assert.equal(typeof context["define"], "function", "the page's define is left in place");
    assert.equal(context["moduleName"], undefined, "no stray global from the UMD header");
    vm.runInContext(script, context);
    assert.equal(context["Plotly"], plotly, "running it again keeps the first Plotly");
  });

  it("wraps the library in one inline script that nothing inside can close early", () => {
    const bundle = plotlyLibraryBundle();
    const html = bundle["text/html"] as string;
    assert.match(bundle["text/plain"], /plotly\.js 3\.\d+\.\d+ loaded/);
    assert.ok(html.startsWith('<script type="text/javascript">'));
    const body = html.slice(html.indexOf(">") + 1, html.lastIndexOf("</script>"));
    assert.doesNotMatch(body, /<\/script/i);
    assert.doesNotMatch(body, /<!--/);
    assert.doesNotMatch(html, /<(script|link)[^>]*\s(src|href)=/i, "nothing is fetched");
    assert.equal(byTag(parseMarkup(html), "script").length, 1);
  });

  it("builds a standalone page with the library in the head and the charts in the body", () => {
    const chart = renderLineChart([{ name: "loss", y: [1, 0.5, 0.25] }]);
    const page = standaloneChartPage([chart, { "text/plain": "plain <text>" }], { title: "loss & co" });
    assert.ok(page.startsWith("<!DOCTYPE html>"));
    const root = parseMarkup(page);
    const head = byTag(root, "head")[0]!;
    assert.equal(textContent(byTag(head, "title")[0]!), "loss & co");
    assert.equal(byTag(head, "script").length, 1);
    const body = byTag(root, "body")[0]!;
    assert.equal(byClass(body, "convnote-chart").length, 1);
    assert.equal(byTag(body, "script").length, 1, "the chart's upgrade script");
    assert.equal(textContent(byTag(body, "pre")[0]!), "plain <text>");
    assert.equal(page.match(/window\.Plotly\s*=/g)?.length, 1, "the library is inlined once");
  });
});
