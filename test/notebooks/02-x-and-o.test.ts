// The X-and-O notebook: the slide's numbers, pictures, a trained network and its plot.
import assert from "node:assert/strict";
import { byClass, parseMarkup } from "../render/markup.js";
import { fixture } from "../helpers.js";
import type { XAndO } from "../naive/fixtures.js";
import { cellById, plainText, type IdentifiedCell } from "./cells.js";
import { allOutputs, checkPngs, executeNotebook, htmlOf, joined, textOf } from "./run-notebook.js";

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

  it("goes on after the vote as the lecture does: ReLU, backprop's error table, gradient descent, and the swap-columns rule", async () => {
    const cells: IdentifiedCell[] = (await executeNotebook("02-x-and-o.ipynb")).cells;
    const ids = cells.map((c) => c.id);
    const order = ["ee095e95-vote-code", "xo-relu", "xo-relu-code", "xo-error", "xo-error-code", "xo-descent", "xo-descent-code", "xo-swap", "xo-swap-code"];
    assert.deepEqual(ids.slice(ids.indexOf(order[0]!), ids.indexOf(order[0]!) + order.length), order, "each new cell right after the vote, behind its one-line intro");
    for (const intro of order.filter((id) => !id.endsWith("-code"))) assert.equal(joined(cellById(cells, intro).source).trim().split("\n").length, 1, `${intro}: one line`);
    // 1. The slide's three rectified maps: negatives to 0, printed as the slide prints them (0, else cut to two decimals).
    const xo = fixture<XAndO>("x-and-o.json");
    const asSlide = (v: number) => (v === 0 ? "0" : (Math.trunc((v / 9) * 100) / 100).toFixed(2));
    const rectified = xo.expected_relu_of_feature_maps_times_9.map((m) => m.map((row) => row.map(asSlide).join(" ")).join("\n")).join("\n\n");
    const relu = plainText(cellById(cells, "xo-relu-code"));
    assert.ok(relu.includes(rectified), `the rectified maps:\n${relu}`);
    assert.match(relu, /negative values set to 0: 20, 24, 20 of 49 in maps 1, 2, 3; negative values left: 0$/m);
    // 2. The error table from the vote shown above, and where each of the slide's numbers comes from.
    const errors = plainText(cellById(cells, "xo-error-code"));
    assert.match(errors, /^X +1 +0\.92 +\|1 − 0\.92\| = 0\.08 +0\.08 +1 − 0\.92 = 0\.08$/m);
    assert.match(errors, /^O +0 +0\.51 +\|0 − 0\.51\| = 0\.51 +0\.49 +1 − 0\.51 = 0\.49$/m);
    assert.match(errors, /^Total +0\.08 \+ 0\.51 = 0\.59 +0\.57 +0\.08 \+ 0\.49 = 0\.57$/m);
    assert.match(errors, /^The slide's X error, 0\.08, is \|1 − 0\.92\|, the rule exactly\.$/m);
    assert.match(errors, /^Its O error, 0\.49, is not \|0 − 0\.51\| = 0\.51 but 1 − 0\.51 = 0\.49, as if O's right answer were 1; its total, 0\.57, is 0\.08 \+ 0\.49\.$/m);
    assert.match(errors, /the total is 0\.08 \+ 0\.51 = 0\.59\.$/m);
    // 3. Gradient descent on the notebook's own voting weights (equal votes: X 0.912, O 0.5175).
    const descent = plainText(cellById(cells, "xo-descent-code"));
    assert.match(descent, /^votes X 0\.9120, O 0\.5175; errors \|1 − 0\.9120\| = 0\.0880 and \|0 − 0\.5175\| = 0\.5175; total error 0\.6055$/m);
    assert.match(descent, /^X's weight on value 1 \(0\.9\) +0\.2000 +0\.6055$/m);
    assert.match(descent, /^nudged up by 0\.05 +0\.2500 +0\.5605$/m);
    assert.match(descent, /^nudged down by 0\.05 +0\.1500 +0\.6505$/m);
    assert.match(descent, /^Up lowers the error \(0\.6055 -> 0\.5605\), down raises it \(0\.6505\): keep up\.$/m);
    const pass = /(\d+) nudges kept, votes X ([\d.]+), O ([\d.]+), total error 0\.6055 -> ([\d.]+)\.$/m.exec(descent);
    assert.ok(pass, descent);
    const [kept, voteX, voteO, after] = pass.slice(1).map(Number) as [number, number, number, number];
    assert.ok(kept > 0 && kept <= 24 && after < 0.6055, `the pass lowers the error: ${pass[0]}`);
    assert.equal(after.toFixed(4), (Math.abs(1 - voteX) + Math.abs(voteO)).toFixed(4), "the total error is the new votes' errors");
    // 4. Swapping two columns: a convolution's output changes, a fully connected layer's (weights swapped too) does not.
    const swap = plainText(cellById(cells, "xo-swap-code"));
    const conv = /^Convolution with feature 1: (\d+) of 49 values change when columns 2 and 5 of the picture are swapped \(largest change ([\d.]+)\)\.$/m.exec(swap);
    assert.ok(conv && Number(conv[1]) > 0 && Number(conv[2]) > 0, swap);
    const fc = /^Fully connected layer: (X [\d.]+, O [\d.]+) before; (X [\d.]+, O [\d.]+) after swapping the same columns of the picture and of its weights: exactly the same\.$/m.exec(swap);
    assert.ok(fc && fc[1] === fc[2], swap);
    assert.match(fc[1]!, /^X 1\.0000, O 0\.\d{4}$/, "the X template matches the X picture perfectly");
    const unswapped = /^\(Swapping the picture's columns but not the weights gives (X [\d.]+, O [\d.]+): the weights must follow their pixels\.\)$/m.exec(swap);
    assert.ok(unswapped && unswapped[1] !== fc[1], swap);
  });
});
