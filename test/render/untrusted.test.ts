// Every picture ConvNote draws shows in a notebook its viewer does not trust: Notebook 6 and
// JupyterLab show sanitized HTML (inline SVG, scripts and, in Notebook 6, every style removed), so
// the renders carry their pictures as <img> with embedded sources and their colours as bgcolor.
import * as assert from "node:assert/strict";
import { renderLineChart } from "../../src/render/charts/builders.js";
import { renderConfusionMatrix } from "../../src/render/confusion.js";
import { renderConvDemo } from "../../src/render/conv-demo.js";
import { renderFilters } from "../../src/render/filters.js";
import { renderImages } from "../../src/render/images.js";
import type { MimeBundle } from "../../src/render/mime.js";
import { renderTrainingCurves, renderTrainingView } from "../../src/render/training-view.js";
import { toMimeBundle } from "../../src/notebook-api/display.js";
import { Network } from "../../src/notebook-api/network.js";
import { mustCheck } from "../helpers.js";
import type { Cs231nDemo } from "../naive/fixtures.js";
import { fixture } from "./helpers.js";
import { filledCells, pictureCount, trustedView, untrustedView, type Viewer } from "./untrusted-view.js";

const demo = fixture<Cs231nDemo>("cs231n-conv-demo.json");

const renders: Record<string, () => MimeBundle> = {
  "a chart (interactive, with its picture)": () => renderLineChart([{ name: "loss", y: [2, 1, 0.5] }]),
  "the training view while it trains": () => renderTrainingView({ history: [{ epoch: 0, batch: 0, loss: 2 }], progress: { epoch: 0, epochs: 2, batch: 1, batches: 4, elapsedSeconds: 1 } }),
  "the finished training view": () => renderTrainingView({ history: [{ epoch: 0, loss: 1, accuracy: 0.5 }], progress: { epoch: 0, epochs: 1, batch: 4, batches: 4, elapsedSeconds: 1, ended: "completed" } }, { interactive: true }),
  "a history's curves": () => renderTrainingCurves([{ epoch: 0, loss: 1 }, { epoch: 1, loss: 0.5 }]),
  "a %%net cell (shape table and diagram)": () => toMimeBundle(new Network(mustCheck("INPUT 28x28 CONV5-6 POOL2 [CONV3-8]x2 FC-10 SOFTMAX"), "net")),
  "the architecture diagram alone": () => new Network(mustCheck("INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX")).diagram(),
  "a confusion matrix (coloured cells)": () => renderConfusionMatrix([[8, 2], [1, 9]], { classNames: ["a", "b"] }),
  "the convolution demo (coloured window and output cell)": () =>
    renderConvDemo({ input: demo.input_unpadded_5x5x3, filters: demo.filters, biases: demo.biases, stride: demo.stride, pad: demo.pad }, { step: { filter: 0, row: 1, col: 1 } }),
  "filters (a PNG grid)": () => renderFilters(Float32Array.from({ length: 36 }, (_, i) => Math.sin(i)), [3, 3, 1, 4]),
  "images (a PNG grid)": () => renderImages([[[0, 1], [1, 0]]], { labels: ["x"] }),
};

describe("renders seen in a notebook that is not trusted", () => {
  for (const [what, render] of Object.entries(renders)) {
    for (const viewer of ["notebook6", "jupyterlab"] as Viewer[]) {
      it(`${what}: ${viewer} shows every picture and every colour`, () => {
        const bundle = render();
        const trusted = trustedView(bundle)!;
        const shown = untrustedView(bundle, viewer)!;
        assert.ok(pictureCount(trusted.html) + filledCells(trusted.html) > 0, "the render has a picture or colours to lose");
        assert.ok(pictureCount(shown.html) >= pictureCount(trusted.html), `${pictureCount(trusted.html)} pictures trusted, ${pictureCount(shown.html)} untrusted (${shown.mime}):\n${shown.html.slice(0, 600)}`);
        assert.ok(filledCells(shown.html) >= filledCells(trusted.html), `${filledCells(trusted.html)} coloured cells trusted, ${filledCells(shown.html)} untrusted`);
        assert.doesNotMatch(shown.html, /<svg/, "inline SVG would not survive: the test's sanitizer is wrong");
      });
    }
  }

  it("the check can fail: inline SVG and styled cells lose their pictures and colours in Notebook 6", () => {
    const old = { "text/plain": "old", "text/html": '<div><svg width="10" height="10"><rect/></svg><table><tr><td style="background:#ff0000">1</td></tr></table></div>' };
    const shown = untrustedView(old, "notebook6")!;
    assert.equal(pictureCount(shown.html), 0);
    assert.equal(filledCells(shown.html), 0);
    assert.equal(untrustedView({ "text/plain": "x", "image/svg+xml": "<svg/>" }, "notebook6")!.mime, "text/plain", "Notebook 6 shows no untrusted SVG output");
  });
});
