// The shape table's one column list, printed as text, HTML, Markdown and JSON: every printer shows
// the same columns in the same order with the same cells, and the cells say what the slides say.
import { strict as assert } from "node:assert";
import { columnsFor, parameterFormula, receptiveFieldText, summaryColumns } from "../../src/render/summary-columns.js";
import { summaryJson } from "../../src/render/summary-json.js";
import { summaryMarkdown } from "../../src/render/summary-markdown.js";
import { shapeTableHtml } from "../../src/render/shape-table.js";
import { summaryText } from "../../src/render/summary-text.js";
import { mustCheck, rowNamed } from "../helpers.js";
import { byTag, parseMarkup, tableCells, textContent } from "./markup.js";

const text = "INPUT 32x32x3 CONV3-8 BN LRELU0.1 POOL2 RES[CONV3-8 CONV3-8] {CONV1-4 | POOL3/s1/same} FC-10 SOFTMAX";

describe("the shape table's columns", () => {
  const network = mustCheck(text);
  const options = { convention: "all" as const };
  const expected = network.rows.map((row) => summaryColumns.map((c) => c.text(row, options)));

  it("HTML prints every column, in order, with the columns' headers and cells", () => {
    const table = byTag(parseMarkup(shapeTableHtml(network)), "table")[0]!;
    const header = byTag(table, "th").map(textContent);
    const rows = tableCells(table);
    assert.deepEqual(header, summaryColumns.map((c) => c.header(options)));
    // The first cell is indented (│) inside blocks; the rest are the columns' text.
    assert.deepEqual(rows.map((r) => [r[0]!.replace(/^[│\s\u00a0]+/, ""), ...r.slice(1)]), expected);
  });

  it("Markdown prints the same header and cells (the reference shows what convnote summary shows)", () => {
    const lines = summaryMarkdown(network).split("\n");
    const cells = (line: string) => line.slice(2, -2).split(" | ").map((c) => c.replace(/^\u00a0+/, "").replace(/^`|`$/g, ""));
    assert.deepEqual(cells(lines[0]!), summaryColumns.map((c) => c.header(options)));
    assert.deepEqual(lines.slice(2).map(cells), expected);
  });

  it("text prints the cells in the same order, the slide's `key: value` where a column has a key", () => {
    const lines = summaryText(network).split("\n");
    for (const [i, row] of network.rows.entries()) {
      let at = 0;
      for (const [c, column] of summaryColumns.entries()) {
        const cell = (column.key ? `${column.key}: ` : "") + expected[i]![c];
        const found = lines[i]!.indexOf(cell, at);
        assert.ok(found >= at, `${row.name}: '${cell}' after column ${c - 1} in '${lines[i]}'`);
        at = found + cell.length;
      }
    }
    assert.match(summaryText(network, { columns: ["name", "params"] }).split("\n")[1]!, /^CONV1 +params: \(3\*3\*3\)\*8 = 216$/);
  });

  it("JSON gives each layer the keys of its columns, in their order", () => {
    const json = summaryJson(network);
    const keys = summaryColumns.flatMap((c) => Object.keys(c.json?.(network.rows[0]!) ?? {}));
    assert.deepEqual(keys, ["name", "kind", "outputShape", "weights", "biases", "params", "trainable", "memory", "macs", "receptiveField"]);
    for (const layer of json.layers) assert.deepEqual(Object.keys(layer), keys);
    assert.deepEqual(json.layers[1], { name: "CONV1", kind: "conv", outputShape: [32, 32, 8], weights: 216, biases: 0, params: 216, trainable: 216, memory: 8192, macs: 221184, receptiveField: { size: 3, jump: 1 } });
  });

  it("writes parameters as the slides do, counting biases or not", () => {
    // CONV3-64 on 3 channels: 3*3*3 weights per filter, 64 filters, 64 biases.
    const vgg = mustCheck("INPUT 224x224x3 CONV3-64 FC-10");
    assert.equal(parameterFormula(vgg.rows[1]!, "all"), "(3*3*3)*64 + 64 = 1,792");
    assert.equal(parameterFormula(vgg.rows[1]!, "weights"), "(3*3*3)*64 = 1,728");
    // Batch norm on 8 channels: gamma 8 + beta 8 trainable, moving mean and variance 2*8 not.
    assert.equal(parameterFormula(rowNamed(network, "BN1"), "all"), "8 + 8 + 2*8 non-trainable = 32");
    assert.equal(parameterFormula(rowNamed(network, "POOL1"), "all"), "0");
  });

  it("writes one receptive field per axis only when the axes differ, and none for a vector input", () => {
    assert.equal(receptiveFieldText({ size: [5, 5], jump: [2, 2] }), "5 (jump 2)");
    assert.equal(receptiveFieldText({ size: [3, 5], jump: [1, 2] }), "3x5 (jump 1x2)");
    assert.equal(receptiveFieldText(mustCheck("INPUT 784 FC-10").rows[1]!.receptiveField), "-");
  });

  it("picks columns by id, in the list's order", () => {
    assert.deepEqual(columnsFor(["receptiveField", "name"]).map((c) => c.id), ["name", "receptiveField"]);
  });
});
