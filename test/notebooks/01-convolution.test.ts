// The convolution notebook: the cs231n demo's numbers (rendered, step by step, and through a
// compiled tfjs layer), the output-size rule with the lecture's error for stride 3, parameter
// counts, and Goodfellow's efficiency table, all checked against the lecture fixtures.
import assert from "node:assert/strict";
import { fixture } from "../helpers.js";
import { byClass, byTag, hasClass, parseMarkup, tableCells, textContent, type MarkupElement } from "../render/markup.js";
import { allOutputs, checkPngs, executeNotebook, joined, type Cell, type Output } from "./run-notebook.js";

interface Demo {
  expected_output_3x3x2: number[][][];
}

interface SmallExamples {
  output_size: { N: number; F: number; stride: number; pad: number; expected: number | string }[];
  conv_layer_params: { expected_output: number[]; expected_params: number };
  one_by_one_conv: { expected_output: number[]; expected_params: number };
  efficiency_edge_detection: { input: number[]; expected_output: number[]; stored_floats_conv: number; flops_conv: number };
}

const demo = fixture<Demo>("cs231n-conv-demo.json");
const small = fixture<SmallExamples>("small-examples.json");
const expectedCells = demo.expected_output_3x3x2.map((channel) => channel.map((row) => row.map(String)));

/** The outputs of the one code cell whose source contains `marker`. */
function outputsOf(cells: Cell[], marker: string): Output[] {
  const found = cells.filter((c) => c.cell_type === "code" && joined(c.source).includes(marker));
  assert.equal(found.length, 1, `one code cell containing ${JSON.stringify(marker)}`);
  return found[0]!.outputs ?? [];
}

const textOfOutputs = (outputs: Output[]): string => outputs.map((o) => joined(o.data?.["text/plain"]) + joined(o.text)).join("\n");
const htmlOfOutputs = (outputs: Output[]): MarkupElement => parseMarkup(outputs.map((o) => joined(o.data?.["text/html"])).join(""));
const tablesWithClass = (root: MarkupElement, name: string): MarkupElement[] => byTag(root, "table").filter((t) => hasClass(t, name));
const thousands = (n: number): string => n.toLocaleString("en-US");

describe("notebook 01-convolution", function () {
  this.timeout(1_200_000);

  it("computes the cs231n demo's 3x3x2 output volume, shows a step, and tfjs agrees", async () => {
    const { cells } = await executeNotebook("01-convolution.ipynb");
    // The demo layer's shape table: 3x3x2 and (3*3*3)*2 + 2 = 56 parameters.
    assert.match(textOfOutputs(outputsOf(cells, "%%net demoLayer")), /\[3x3x2\].*\(3\*3\*3\)\*2 \+ 2 = 56/);

    const full = htmlOfOutputs(outputsOf(cells, "render.renderConvDemo(demo, { title"));
    assert.deepEqual(tablesWithClass(full, "convnote-conv-output").map(tableCells), expectedCells);

    // The step: the top-left window of every input channel (27 cells), written out as a sum.
    const step = htmlOfOutputs(outputsOf(cells, "step: { filter: 0, row: 0, col: 0 }"));
    assert.deepEqual(tablesWithClass(step, "convnote-conv-output").map(tableCells), expectedCells);
    const window = tablesWithClass(step, "convnote-conv-input").flatMap((t) => byTag(t, "td").filter((td) => hasClass(td, "window")));
    assert.equal(window.length, 27);
    assert.ok(window.every((td) => Number(td.attrs["data-row"]) <= 2 && Number(td.attrs["data-col"]) <= 2), "the window is rows 0-2, columns 0-2");
    const sum = textContent(byClass(step, "convnote-conv-sum")[0]!);
    assert.match(sum, /^o\[0,0,0\] = \(0\*1 \+ /);
    assert.match(sum, /channel sums 1 \+ 2 \+ 0, plus bias 1 = 4$/);

    // Every one of the 18 steps with its window: the values column is the output volume, filter by filter.
    const steps = tableCells(byTag(htmlOfOutputs(outputsOf(cells, "const trace = naive.conv2d")), "table")[0]!);
    assert.equal(steps.length, 18);
    assert.deepEqual(steps.map((row) => row[6]), expectedCells.flat(2));
    assert.deepEqual(steps[1]!.slice(0, 4), ["o[0,1,0]", "W0", "0-2", "2-4"], "stride 2: the second window starts 2 columns on");

    const tfjs = outputsOf(cells, "demoLayer.model()");
    assert.deepEqual(tablesWithClass(htmlOfOutputs(tfjs), "tfjs-output").map(tableCells), expectedCells);
    assert.match(textOfOutputs(tfjs), /same as the naive convolution: yes/);
  });

  it("gives the output sizes of the 7x7 cases and the lecture's error for stride 3", async () => {
    const { cells } = await executeNotebook("01-convolution.ipynb");
    const sizes = tableCells(byTag(htmlOfOutputs(outputsOf(cells, "const sizes = [")), "table")[0]!);
    for (const c of small.output_size.filter((c) => c.N === 7 && c.F === 3 && c.pad === 0)) {
      const row = sizes.find((r) => r[0] === "7" && r[2] === String(c.stride));
      assert.ok(row, `a row for stride ${c.stride}`);
      if (typeof c.expected === "number") assert.equal(row[5], String(c.expected));
      else assert.equal(row[5], "2.33: does not fit");
    }
    assert.match(textOfOutputs(outputsOf(cells, "%%net stride2")), /CONV3-8\/s2\/p0\s+\[3x3x8\]/);

    const stride3 = small.output_size.find((c) => c.stride === 3)!.expected as string;
    const message = stride3.replace(/^error: /, "");
    assert.equal(message, "(7 - 3)/3 + 1 = 2.33 is not a whole number");
    const error = outputsOf(cells, 'const stride3 = "INPUT 7x7x3 CONV3-8/s3/p0"');
    assert.ok(textOfOutputs(error).includes(`ConvNoteError: cell:1:13: ${message}`), textOfOutputs(error));
    const box = byClass(htmlOfOutputs(error), "convnote-diagnostic");
    assert.equal(box.length, 1);
    assert.equal(box[0]!.attrs["data-code"], "size-not-whole");
    assert.ok(textContent(box[0]!).includes(message));
    assert.deepEqual(allOutputs(cells).filter((o) => o.output_type === "error"), [], "the error is shown, not raised");

    // Padding (F - 1)/2 keeps 7 at stride 1; the 32x32 stack keeps its size.
    const padding = tableCells(byTag(htmlOfOutputs(outputsOf(cells, '"same: P = (F-1)/2"')), "table")[0]!);
    assert.deepEqual(padding.map((r) => r[2]), ["P=1: (7 - 3 + 2*1)/1 + 1 = 7", "P=2: (7 - 5 + 2*2)/1 + 1 = 7", "P=3: (7 - 7 + 2*3)/1 + 1 = 7"]);
    assert.equal((textOfOutputs(outputsOf(cells, "%%net keepsSize")).match(/\[32x32x16\]/g) ?? []).length, 3);
  });

  it("counts the parameters: ten 5x5 filters on 32x32x3, a 1x1 convolution, AlexNet's first layer", async () => {
    const { cells } = await executeNotebook("01-convolution.ipynb");
    const ten = small.conv_layer_params;
    const tenTable = textOfOutputs(outputsOf(cells, "%%net tenFilters"));
    assert.ok(tenTable.includes(`[${ten.expected_output.join("x")}]`), tenTable);
    assert.ok(tenTable.includes(`(5*5*3)*10 + 10 = ${ten.expected_params}`), tenTable);
    assert.ok(tenTable.includes(`Total: ${ten.expected_params} parameters`), tenTable);
    assert.ok(textOfOutputs(outputsOf(cells, 'tenFilters.layer("CONV1")')).includes(`ten filters: ${ten.expected_params} parameters; output ${ten.expected_output.join("x")}`));

    const one = small.one_by_one_conv;
    const oneTable = textOfOutputs(outputsOf(cells, "%%net oneByOne"));
    assert.ok(oneTable.includes(`[${one.expected_output.join("x")}]`), oneTable);
    assert.ok(oneTable.includes(`(1*1*64)*32 + 32 = ${thousands(one.expected_params)}`), oneTable);

    assert.match(textOfOutputs(outputsOf(cells, "%%net alexnetConv1")), /\[55x55x96\].*= 34,944/);
  });

  it("reproduces Goodfellow's efficiency table: 2 floats and 267,960 operations against a dense matrix of more than 8e9 entries", async () => {
    const { cells } = await executeNotebook("01-convolution.ipynb");
    const e = small.efficiency_edge_detection;
    const [h, w] = e.input as [number, number];
    const [outH, outW] = e.expected_output as [number, number];
    assert.ok(textOfOutputs(outputsOf(cells, "%%net edgeLayer")).includes(`[${outH}x${outW}x1]`));
    assert.equal(checkPngs(outputsOf(cells, "edgeTrace = naive.conv2d")), 1, "the photo and its edges");

    const table = tableCells(byTag(htmlOfOutputs(outputsOf(cells, "denseEntries")), "table")[0]!);
    const [floats, ops] = table;
    assert.equal(floats![1], String(e.stored_floats_conv));
    const dense = outH * outW * h * w;
    assert.ok(dense > 8e9);
    assert.equal(floats![2], `319*280*320*280 = ${thousands(dense)} (> 8e9)`);
    assert.equal(floats![3], `2*319*280 = ${thousands(2 * outH * outW)}`);
    assert.equal(ops![1], `319*280*3 = ${thousands(e.flops_conv)}`);
    assert.match(ops![2]!, /^16,006,054,680 \(> 16e9\)$/);
    assert.equal(ops![3], `${thousands(e.flops_conv)} (same as convolution)`);

    const matrix = textOfOutputs(outputsOf(cells, "const row6 = [3, 1, 4, 1, 5, 9]"));
    assert.match(matrix, /matrix x \[3,1,4,1,5,9\] = \[-2,3,-3,4,4\]\nconvolution with \[-1, 1\] = \[-2,3,-3,4,4\]/);
  });
});
