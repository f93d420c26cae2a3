import * as assert from "node:assert/strict";
import { confusionMatrix, confusionSummary, renderConfusionMatrix } from "../../src/render/confusion.js";
import { assertOfflineBundle } from "./helpers.js";
import { byClass, byTag, parseMarkup, tableCells } from "./markup.js";

describe("render/confusion", () => {
  const labels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predictions = [0, 0, 0, 1, 1, 1, 2, 2, 2, 0];

  it("counts true x predicted classes", () => {
    assert.deepEqual(confusionMatrix(labels, predictions), [
      [3, 1, 0],
      [0, 2, 1],
      [1, 0, 2],
    ]);
    assert.deepEqual(confusionMatrix([0], [0], 3), [[1, 0, 0], [0, 0, 0], [0, 0, 0]]);
    assert.throws(() => confusionMatrix([0, 1], [0]), /2 labels but 1 predictions/);
    assert.throws(() => confusionMatrix([0, 5], [0, 1], 3), /example 1 has label 5/);
  });

  it("summarises per-class and overall accuracy", () => {
    const s = confusionSummary(confusionMatrix(labels, predictions));
    assert.equal(s.total, 10);
    assert.equal(s.correct, 7);
    assert.equal(s.accuracy, 0.7);
    assert.deepEqual(s.perClass.map((c) => c.accuracy), [0.75, 2 / 3, 2 / 3]);
    assert.ok(Number.isNaN(confusionSummary([[0, 0], [1, 1]]).perClass[0]!.accuracy), "a class with no examples has no accuracy");
  });

  it("renders an HTML table with counts, row-normalised colours and accuracy, no script", () => {
    const bundle = renderConfusionMatrix(confusionMatrix(labels, predictions), { classNames: ["cat", "dog", "<bird>"] });
    assertOfflineBundle(bundle);
    const html = bundle["text/html"] as string;
    assert.doesNotMatch(html, /<script/);
    assert.ok(html.includes("&lt;bird&gt;") && !html.includes("<bird>"), "class names are escaped");
    const root = parseMarkup(html);
    const table = byTag(root, "table")[0]!;
    assert.deepEqual(tableCells(table), [
      ["cat", "3", "1", "0", "75.0%"],
      ["dog", "0", "2", "1", "66.7%"],
      ["<bird>", "1", "0", "2", "66.7%"],
    ]);
    const cell = (r: number, c: number) => byClass(table, "count").find((el) => el.attrs["data-row"] === String(r) && el.attrs["data-col"] === String(c))!;
    // 3 of 4 cats -> 75% of the way from white to #08519c; zero counts stay white.
    assert.match(cell(0, 0).attrs["style"]!, /background:#467db5/);
    assert.match(cell(0, 2).attrs["style"]!, /background:#ffffff/);
    // The colours also as bgcolor and <font color>: what an untrusted notebook's sanitizer keeps.
    assert.equal(cell(0, 0).attrs["bgcolor"], "#467db5");
    assert.equal(byTag(cell(0, 0), "font")[0]!.attrs["color"], "#ffffff", "white text on a dark cell");
    assert.match(html, /overall accuracy 70\.0% \(7 of 10 correct\)/);
  });

  it("prints an aligned text table", () => {
    const text = renderConfusionMatrix([[50, 2], [3, 145]], { classNames: ["no", "yes"] })["text/plain"];
    const lines = text.split("\n");
    const header = lines.find((l) => l.startsWith("true\\pred"))!;
    const row = lines.find((l) => l.startsWith("yes"))!;
    assert.equal(header.indexOf("accuracy") + "accuracy".length, row.length, "accuracy column right-aligned");
    assert.match(row, /^yes\s+3\s+145\s+98\.0%$/);
    assert.match(text, /overall accuracy 97\.5% \(195 of 200 correct\)/);
  });
});
