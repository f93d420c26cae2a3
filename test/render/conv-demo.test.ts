import * as assert from "node:assert/strict";
import { convolveDemo, renderConvDemo, stepSum, type ConvDemoData } from "../../src/render/conv-demo.js";
import type { Cs231nDemo } from "../naive/fixtures.js";
import { assertOfflineBundle, fixture } from "./helpers.js";
import { byClass, byTag, hasClass, parseMarkup, tableCells, textContent, type MarkupElement } from "./markup.js";

const f = fixture<Cs231nDemo>("cs231n-conv-demo.json");
const demo: ConvDemoData = { input: f.input_unpadded_5x5x3, filters: f.filters, biases: f.biases, stride: f.stride, pad: f.pad, output: f.expected_output_3x3x2 };

function tables(root: MarkupElement, className: string): MarkupElement[] {
  return byTag(root, "table").filter((t) => hasClass(t, className));
}

describe("render/conv-demo", () => {
  it("computes the lecture's output volume", () => {
    assert.deepEqual(convolveDemo(demo), f.expected_output_3x3x2);
  });

  it("puts the expected output numbers in the right cells of the output tables", () => {
    const bundle = renderConvDemo(demo);
    assertOfflineBundle(bundle);
    const root = parseMarkup(bundle["text/html"] as string);
    const outputs = tables(root, "convnote-conv-output");
    assert.equal(outputs.length, 2);
    outputs.forEach((table, k) => {
      assert.equal(table.attrs["data-channel"], String(k));
      assert.deepEqual(tableCells(table), f.expected_output_3x3x2[k]!.map((row) => row.map(String)));
    });
    assert.match(bundle["text/plain"], /output 3x3x2/);
  });

  it("shows the zero padding as separately styled cells around the input", () => {
    const root = parseMarkup(renderConvDemo(demo)["text/html"] as string);
    const inputs = tables(root, "convnote-conv-input");
    assert.equal(inputs.length, 3);
    for (const [c, table] of inputs.entries()) {
      const cells = tableCells(table);
      assert.equal(cells.length, 7);
      assert.ok(cells.every((r) => r.length === 7));
      assert.deepEqual(cells.slice(1, 6).map((r) => r.slice(1, 6)), f.input_unpadded_5x5x3[c]!.map((r) => r.map(String)));
      const pads = byClass(table, "pad");
      assert.equal(pads.length, 7 * 7 - 5 * 5);
      assert.ok(pads.every((p) => textContent(p) === "0" && /dashed/.test(p.attrs["style"]!)));
    }
    const filters = tables(root, "convnote-conv-filter");
    assert.equal(filters.length, 6);
    assert.deepEqual(tableCells(filters[3]!), f.filters[1]![0]!.map((r) => r.map(String)));
    assert.deepEqual(tables(root, "convnote-conv-bias").map((t) => tableCells(t)[0]![0]), ["1", "0"]);
  });

  it("highlights one step's window, filter and output cell, and writes the sum out", () => {
    const step = { filter: 1, row: 1, col: 2 };
    const bundle = renderConvDemo(demo, { step });
    const root = parseMarkup(bundle["text/html"] as string);
    for (const table of tables(root, "convnote-conv-input")) {
      const win = byClass(table, "window");
      assert.equal(win.length, 9);
      const rows = win.map((c) => Number(c.attrs["data-row"]));
      const cols = win.map((c) => Number(c.attrs["data-col"]));
      assert.deepEqual([Math.min(...rows), Math.max(...rows)], [2, 4], "rows stride*1 .. +2");
      assert.deepEqual([Math.min(...cols), Math.max(...cols)], [4, 6], "cols stride*2 .. +2");
    }
    const active = byClass(root, "active");
    const cell = active.find((el) => el.tag === "td")!;
    assert.equal(textContent(cell), String(f.expected_output_3x3x2[1]![1]![2]));
    assert.deepEqual([cell.attrs["data-row"], cell.attrs["data-col"]], ["1", "2"]);
    assert.equal(active.filter((el) => el.tag === "div" && hasClass(el, "filter")).length, 1);
    const sum = stepSum(demo, step);
    assert.equal(sum.value, -1);
    assert.match(sum.expression, /^\(.*\) \+ \(.*\) \+ \(.*\) \+ bias 0 = -1$/);
    assert.equal(sum.channelSums.reduce((a, b) => a + b, 0) + sum.bias, -1);
    assert.ok(textContent(byClass(root, "convnote-conv-sum")[0]!).includes(sum.expression));
  });

  it("writes the first step as the lecture does", () => {
    const sum = stepSum(demo, { filter: 0, row: 0, col: 0 });
    assert.equal(sum.expression.split(" + bias ")[1], "1 = 4");
    assert.ok(sum.expression.startsWith("(0*1 + 0*1 + 0*0 + 0*(-1) + 0*0 + 1*1 + 0*0 + 2*1 + 2*(-1))"));
  });

  it("rejects an output that the filters do not produce, naming the cell", () => {
    // The slide's typo: W1 channel 2 printed with first row 1 0 1.
    const typo = structuredClone(demo);
    typo.filters[1]![2]![0] = [1, 0, 1];
    assert.throws(() => renderConvDemo(typo), /output\[1\]\[\d\]\[\d\] is given as -?\d+ but the input, filters and bias give/);
    assert.throws(() => renderConvDemo({ ...demo, stride: 3, output: undefined }), /not a whole number/);
    assert.throws(() => renderConvDemo(demo, { step: { filter: 2, row: 0, col: 0 } }), /outside the output/);
  });
});
