// The X-and-O notebook: the slide's numbers, pictures, a trained network and its plot.
import assert from "node:assert/strict";
import { byClass, parseMarkup } from "../render/markup.js";
import { allOutputs, checkPngs, executeNotebook, htmlOf, textOf } from "./run-notebook.js";

describe("notebook 02-x-and-o", function () {
  this.timeout(1_200_000);

  it("shows the slide's filtered values, the pooled shapes, samples, filters and a trained network", async () => {
    const { cells } = await executeNotebook("02-x-and-o.ipynb");
    const html = htmlOf(cells);
    // The shape table: 7x7x3 after the features, 4x4x3 after 'same' pooling.
    assert.match(html, /\[7x7x3\]/);
    assert.match(html, /\[4x4x3\]/);
    // The slide's filtered values (cut to two decimals) in the HTML tables.
    assert.match(html, /<td[^>]*>0\.77<\/td><td[^>]*>-0\.11<\/td><td[^>]*>0\.11<\/td><td[^>]*>0\.33<\/td><td[^>]*>0\.55<\/td>/);
    assert.ok(checkPngs(allOutputs(cells)) >= 3, "samples, filters and activation maps as PNGs");
    const accuracy = /test accuracy ([\d.]+)%/.exec(textOf(cells));
    assert.ok(accuracy && Number(accuracy[1]) >= 95, `accuracy: ${accuracy?.[0]}`);
    // The final training view is an interactive chart carrying the plotly figure with both curves.
    assert.ok(byClass(parseMarkup(html), "convnote-chart").length >= 1, "an interactive chart");
    assert.match(html, /"name":"validation"/);
  });
});
