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
    const text = textOf(cells);
    // Deep stacking: pooled once more, the X's three 2x2 maps are the slide's.
    assert.match(text, /^1\.00 0\.55\n0\.55 1\.00\n\n1\.00 0\.55\n0\.55 0\.55\n\n0\.55 1\.00\n1\.00 0\.55$/m);
    // The vote on the slide's 12 values: the slide's X 0.92 / O 0.51 shown, and equal votes from each
    // class's perfect matches computed: X (0.9 + 0.87 + 0.96 + 0.89 + 0.94) / 5, O (0.65 + 0.45 + 0.44 + 0.53) / 4.
    assert.match(text, /^X +1, 4, 5, 10, 11 +\(0\.9 \+ 0\.87 \+ 0\.96 \+ 0\.89 \+ 0\.94\) \/ 5 +0\.9120 +0\.91 +0\.92$/m);
    assert.match(text, /^O +2, 3, 9, 12 +\(0\.65 \+ 0\.45 \+ 0\.44 \+ 0\.53\) \/ 4 +0\.5175 +0\.51 +0\.51$/m);
    assert.match(text, /The slide's vote: X 0\.92, O 0\.51\. Equal votes from each class's perfect matches: X 0\.91, O 0\.51\./);
    assert.match(text, /X gets the most votes both ways: the picture is an X\./);
    assert.match(text, /O's equal vote is the slide's exactly; X's, 0\.912, is 0\.8 hundredths below the slide's 0\.92/);
    const accuracy = /test accuracy ([\d.]+)%/.exec(textOf(cells));
    assert.ok(accuracy && Number(accuracy[1]) >= 95, `accuracy: ${accuracy?.[0]}`);
    // The final training view is an interactive chart carrying the plotly figure with both curves.
    assert.ok(byClass(parseMarkup(html), "convnote-chart").length >= 1, "an interactive chart");
    assert.match(html, /"name":"validation"/);
  });
});
