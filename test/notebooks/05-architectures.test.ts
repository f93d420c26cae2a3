// The architectures notebook: the lecture's networks with the slides' volumes and the zoo's totals,
// the slides' arithmetic redone (VGG16's memory, 3x3 against 7x7, the inception module's cost),
// and a diagram for every network.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import path from "node:path";
import { fixture } from "../helpers.js";
import { svgPictureText } from "../render/markup.js";
import { executeNotebook, joined, notebooksDir, type Cell } from "./run-notebook.js";

interface Vgg16Fixture {
  rows: { layer: string; shape: number[]; memory: number; weights: number; biases: number }[];
  total_weights_without_biases: number;
  total_params_with_biases: number;
  total_memory_values: number;
}
interface SmallExamples {
  three_3x3_vs_one_7x7: { receptive_field_of_three_stacked_3x3_stride1: number };
}

const NAME = "05-architectures.ipynb";
const commas = (v: number) => v.toLocaleString("en-US");

/** The HTML and the plain text of the one code cell whose source matches. */
function outputOf(cells: Cell[], source: RegExp): { html: string; text: string } {
  const found = cells.filter((c) => c.cell_type === "code" && source.test(joined(c.source)));
  assert.equal(found.length, 1, `one cell matching ${source}, found ${found.length}`);
  const outputs = found[0]!.outputs ?? [];
  return {
    html: outputs.map((o) => joined(o.data?.["text/html"])).join("\n"),
    text: outputs.map((o) => joined(o.data?.["text/plain"]) + joined(o.text)).join("\n"),
  };
}

/** The line of a text table that starts with `first` (after leading spaces). */
function lineStarting(text: string, first: string): string {
  const line = text.split("\n").find((l) => l.trimStart().startsWith(first));
  assert.ok(line, `a line starting ${first} in:\n${text}`);
  return line;
}

describe("notebook 05-architectures", function () {
  this.timeout(1_200_000);
  let cells: Cell[];
  before(async () => {
    cells = (await executeNotebook(NAME)).cells;
  });

  it("AlexNet: the slide's 55x55x96 and 27x27x96 volumes and the one-tower 62,378,344 parameters, equal to the zoo's", () => {
    const table = outputOf(cells, /^%%net alexnet/);
    for (const volume of ["227x227x3", "55x55x96", "27x27x96", "27x27x256", "13x13x256", "13x13x384", "6x6x256"]) assert.match(table.html, new RegExp(`\\[${volume}\\]`));
    assert.match(table.html, /62,378,344 parameters/);
    const check = outputOf(cells, /^alexNetCheck\(\)$/m);
    assert.match(check.text, /All 14 volumes agree with the slide/);
    assert.match(lineStarting(check.text, "CONV1"), /55x55x96\s+55x55x96\s+34,944\s+✓/);
    assert.match(lineStarting(check.text, "POOL1"), /27x27x96\s+27x27x96\s+0\s+✓/);
    assert.match(check.text, /the zoo's AlexNet: 62,378,344 ✓/);
  });

  it("AlexNet's weight decay 5e-4, written as the slide writes it, is l2 = 2.5e-4: the same gradient, shown once", () => {
    assert.match(joined(cells.find((c) => /^%%net alexnet/.test(joined(c.source)))!.source), /TRAIN\(optimizer=sgd\(momentum=0\.9\), lr=1e-2, weight_decay=5e-4,/);
    const text = outputOf(cells, /^console\.log\(decayEquivalence\(\)\);$/m).text;
    assert.match(text, /weight_decay=0\.0005 is read as l2 = 0\.00025 \(lambda\/2\); the zoo's AlexNet: l2 = 0\.00025 ✓/);
    assert.match(text, /the paper's decay term lambda\*w = \[0\.00025, -0\.001, 0\.0015\]/);
    assert.match(text, /gradient of l2\*sum\(w\^2\) \(tf\.grad\) = \[0\.00025, -0\.001, 0\.0015\] ✓ the same/);
    assert.match(text, /l2=5e-4 would give \[0\.0005, -0\.002, 0\.003\]: twice the slide's decay/);
  });

  it("the prose's rounded figures follow from the tables: 35K and 105M, ZFNet's 10.6M, 3.1M, 75.5M, 37.8M and 45M, VGG's 10.8M (8%) and 124M, 13M per bottleneck, 7M and 8M", () => {
    const params = (text: string, layer: string) => Number(/params: (?:.*= )?([\d,]+)/.exec(lineStarting(text, layer))![1]!.replace(/,/g, ""));
    const millions = (v: number, digits = 1) => (v / 1e6).toFixed(digits);
    const alex = outputOf(cells, /^%%net alexnet/).text;
    const zf = outputOf(cells, /^%%net zfnet_wide/).text;
    // "cheap in parameters (35K) but not in compute: ... 105M multiply-adds"
    assert.equal(Math.round(params(alex, "CONV1") / 1000), 35);
    assert.match(lineStarting(alex, "CONV1"), /MACs: 105\.4M /);
    // "The wider CONV3–5 have 10.6M parameters instead of 3.1M, and FC6 ... 75.5M instead of 37.8M: together 45M more"
    const middle = (text: string) => ["CONV3", "CONV4", "CONV5"].reduce((sum, layer) => sum + params(text, layer), 0);
    assert.equal(millions(middle(zf)), "10.6");
    assert.equal(millions(middle(alex)), "3.1");
    assert.equal(millions(params(zf, "FC6")), "75.5");
    assert.equal(millions(params(alex, "FC6")), "37.8");
    const zfTable = outputOf(cells, /^zfComparison\(\)$/m).text;
    const total = (row: string) => Number(/ ([\d,]{9,}) /.exec(lineStarting(zfTable, row))![1]!.replace(/,/g, ""));
    assert.equal(millions(total("ZFNet, CONV3-5") - total("AlexNet"), 0), "45");
    // "going from 11 to 19 layers adds 10.8M, 8% of A's total ... 124M parameters sit in the three FC layers"
    const config = outputOf(cells, /^vggConfigurationTable\(\)$/m).text;
    const vgg = (column: string) => Number(new RegExp(`^${column}: \\d+ weight layers, ([\\d,]+) parameters$`, "m").exec(config)![1]!.replace(/,/g, ""));
    assert.equal(millions(vgg("E") - vgg("A")), "10.8");
    assert.equal(((100 * (vgg("E") - vgg("A"))) / vgg("A")).toFixed(0), "8");
    const vgg16 = outputOf(cells, /^%%net vgg16/).text;
    const fcRows = vgg16.split("\n").filter((l) => /^FC\d+ +FC-/.test(l));
    assert.equal(fcRows.length, 3);
    assert.equal(millions(fcRows.reduce((sum, row) => sum + Number(/= ([\d,]+)/.exec(row)![1]!.replace(/,/g, "")), 0), 0), "124");
    // "The cost of the 1x1 bottlenecks themselves is small (13M each)"
    assert.equal((outputOf(cells, /^%%net bottleneck_inception/).text.match(/CONV1-64 .*MACs: 12\.8M /g) ?? []).length, 3);
    // "from VGG's 138M ... to GoogLeNet's 7M and DenseNet's 8M"
    assert.match(outputOf(cells, /overview\(googlenet/).text, /6,998,552 trainable parameters/);
    assert.match(outputOf(cells, /^denseTable\(\)$/m).text, /7,978,856 trainable parameters/);
  });

  it("ZFNet: CONV1 7x7 at stride 2, and CONV3-5 widened to 512/1024/512", () => {
    const text = outputOf(cells, /^zfComparison\(\)$/m).text;
    assert.match(lineStarting(text, "AlexNet"), /CONV11-96\/s4\/p0\s+55x55x96\s+34,944\s+384 \/ 384 \/ 256\s+6x6x256\s+62,378,344/);
    assert.match(lineStarting(text, "ZFNet (Fig. 3)"), /CONV7-96\/s2\S*\s+110x110x96\s+14,208\s+384 \/ 384 \/ 256\s+6x6x256\s+62,357,608/);
    assert.match(lineStarting(text, "ZFNet, CONV3-5"), /CONV7-96\/s2\S*\s+110x110x96\s+14,208\s+512 \/ 1024 \/ 512\s+6x6x512\s+107,627,624/);
  });

  it("VGG A to E: one table from the checked networks, with Table 1's depths and the measured totals", () => {
    const config = outputOf(cells, /^vggConfigurationTable\(\)$/m);
    const expected: [string, number, number][] = [
      ["A", 11, 132_863_336], ["A-LRN", 11, 132_863_336], ["B", 13, 133_047_848], ["C", 16, 133_638_952], ["D", 16, 138_357_544], ["E", 19, 143_667_240],
    ];
    for (const [column, layers, params] of expected) assert.match(config.text, new RegExp(`^${column}: ${layers} weight layers, ${commas(params)} parameters$`, "m"));
    // The layers each column adds to the one before it are bold, as in the paper.
    for (const added of ["LRN", "conv1-256", "conv1-512"]) assert.match(config.html, new RegExp(`<b>${added}</b>`));
    assert.equal((config.html.match(/<b>conv3-256<\/b>/g) ?? []).length, 2, "D and E each add a conv3-256");
  });

  it("VGG16: every row of the slide's memory/params table, and its totals", () => {
    const vgg16 = fixture<Vgg16Fixture>("vgg16.json");
    const rows = outputOf(cells, /^vgg16AgainstSlide\(\)$/m).text.split("\n").filter((l) => /\[\d+x\d+x\d+\]|\[1x1x\d+\]/.test(l));
    assert.equal(rows.length, vgg16.rows.length);
    for (const [i, row] of vgg16.rows.entries()) {
      const line = rows[i]!;
      assert.ok(line.includes(`[${row.shape.join("x")}]`), `${row.layer} volume: ${line}`);
      assert.ok(line.includes(` ${commas(row.memory)} `), `${row.layer} memory ${row.memory}: ${line}`);
      assert.match(line, new RegExp(` ${commas(row.weights)}\\s+${commas(row.weights)}\\s+${commas(row.biases)}\\s+✓$`), `${row.layer} weights`);
    }
    assert.match(outputOf(cells, /^%%net vgg16/).html, new RegExp(`${commas(vgg16.total_params_with_biases)} parameters`));
    const totals = outputOf(cells, /^vgg16Totals\(\)$/m).text;
    assert.match(lineStarting(totals, "memory: the rows' exact values"), new RegExp(`${commas(vgg16.total_memory_values)} values\\s+15\\.2M`));
    assert.match(lineStarting(totals, "memory at 4 bytes"), new RegExp(`${commas(4 * vgg16.total_memory_values)} bytes\\s+61 MB`));
    assert.match(lineStarting(totals, "the slide's total memory"), /24M values × 4 bytes\s+96 MB/);
    assert.match(totals, /The rows add up to 15\.2M values, not 24M/);
    assert.match(lineStarting(totals, "params: the rows' weights"), new RegExp(`${commas(vgg16.total_weights_without_biases)}\\s+138M`));
    assert.match(lineStarting(totals, "params with the biases"), new RegExp(commas(vgg16.total_params_with_biases)));
  });

  it("three 3x3 layers against one 7x7: the same receptive field, 27C² against 49C² weights", () => {
    const field = fixture<SmallExamples>("small-examples.json").three_3x3_vs_one_7x7.receptive_field_of_three_stacked_3x3_stride1;
    const stack = outputOf(cells, /^%%net three_3x3/).text;
    assert.match(lineStarting(stack, "CONV1"), /RF: 3 \(jump 1\)/);
    assert.match(lineStarting(stack, "CONV2"), /RF: 5 \(jump 1\)/);
    assert.match(lineStarting(stack, "CONV3"), new RegExp(`RF: ${field} \\(jump 1\\)`));
    assert.match(stack, new RegExp(`Total: ${commas(27 * 64 * 64)} parameters`));
    const single = outputOf(cells, /^%%net one_7x7/).text;
    assert.match(lineStarting(single, "CONV1"), new RegExp(`RF: ${field} \\(jump 1\\)`));
    assert.match(single, new RegExp(`Total: ${commas(49 * 64 * 64)} parameters`));
    const table = outputOf(cells, /^stackTable\(\)$/m).text;
    for (const c of [64, 128, 256, 512]) {
      const three = commas(3 * (3 ** 2 * c * c)), seven = commas(7 ** 2 * c * c);
      assert.match(lineStarting(table, String(c)), new RegExp(`^\\s*${c}\\s+${three}\\s+${three}\\s+${seven}\\s+${seven}\\s+55%\\s+${field} / ${field}\\s.*✓$`));
    }
  });

  it("inception: the naive module's 854M multiply-adds, 271M with bottlenecks, and why the slide's 358M does not follow", () => {
    const naive = outputOf(cells, /^%%net naive_inception/);
    assert.match(naive.html, /\[28x28x672\]/);
    assert.match(naive.text, /854,196,224 multiply-adds /);
    const bottleneck = outputOf(cells, /^%%net bottleneck_inception/);
    assert.match(bottleneck.html, /\[28x28x480\]/);
    assert.match(bottleneck.text, /271,351,808 multiply-adds /);
    const costs = outputOf(cells, /^inceptionCosts\(\)$/m).text;
    // 854M and 358M are the cs231n figures' (pictures the lecture text leaves out), and say so.
    assert.match(costs, /naive\s+total\s+854,196,224\s+854,196,224\s+cs231n figure: 854M/);
    assert.match(costs, /with 1x1 bottlenecks\s+total\s+271,351,808\s+271,351,808\s+cs231n figure: 358M/);
    assert.doesNotMatch(costs, /slide: \d/);
    assert.match(costs, /\[3x3 conv, 192\]\s+28x28x192x3x3x64\s+86,704,128\s+86,704,128\s+✓/);
    assert.match(costs, /271,351,808 \+ 86,704,128 = 358,055,936/);
    assert.match(costs, /output 28x28x672 = 526,848 values/);
  });

  it("GoogLeNet: 6,998,552 parameters; Table 1's params column is off for conv1, 4c, 4d, 5a and 5b", () => {
    assert.match(outputOf(cells, /overview\(googlenet/).text, /6,998,552 trainable parameters/);
    const table = outputOf(cells, /^googlenetAgainstTable1\(\)$/m).text;
    const off = table.split("\n").filter((l) => /^(conv|inception|linear)/.test(l)).map((l) => [l.split(/\s{2,}/)[0], (l.match(/✗/g) ?? []).length]);
    assert.deepEqual(off.filter(([, count]) => count !== 0), [["conv1 7x7/2", 2], ["inception 4c", 1], ["inception 4d", 1], ["inception 5a", 2], ["inception 5b", 1]]);
    assert.equal(off.length, 12);
  });

  it("GoogLeNet's '60M to 4M' (seed 000) and '5 million, 12x less than AlexNet' (seed 003): both compare AlexNet with GoogLeNet, both computed", () => {
    const text = outputOf(cells, /^parameterClaims\(\)$/m).text;
    assert.match(lineStarting(text, "AlexNet, one tower"), /62,378,344\s+62\.4M/);
    assert.match(lineStarting(text, "AlexNet, two GPUs"), /60,965,224\s+61\.0M/);
    assert.match(lineStarting(text, "GoogLeNet (Table 1"), /6,998,552\s+7\.0M/);
    assert.match(lineStarting(text, "GoogLeNet without its last"), new RegExp(`${commas(6_998_552 - 1_025_000)}\\s+6\\.0M`));
    assert.match(lineStarting(text, "GoogLeNet in training"), /13,378,280\s+13\.4M/);
    assert.match(text, /"60M to 4M" \(seed 000\), AlexNet to GoogLeNet: 60M is AlexNet's \(61\.0M as the paper built it, 62\.4M in one tower\); GoogLeNet counts 7\.0M, not 4M: 8\.9x fewer than the one-tower AlexNet, 8\.7x fewer than the paper's, where 60M to 4M would be 15x\./);
    assert.match(text, /"5 million, 12x less than AlexNet" \(seed 003\), GoogLeNet against AlexNet: 7\.0M and 8\.9x\. 12x fewer than 62\.4M would be 5\.2M; even without its last layer GoogLeNet keeps 6\.0M\./);
  });

  it("ResNet-18/34/50 and DenseNet-121: the trainable counts, equal to torchvision's", () => {
    const resnets = outputOf(cells, /^resnetTable\(\)$/m).text;
    assert.match(lineStarting(resnets, "ResNet-18"), /\b18\s+2, 2, 2, 2\s+basic\s+11,689,512\s+11,689,512\s+✓/);
    assert.match(lineStarting(resnets, "ResNet-34"), /\b34\s+3, 4, 6, 3\s+basic\s+21,797,672\s+21,797,672\s+✓/);
    assert.match(lineStarting(resnets, "ResNet-50"), /\b50\s+3, 4, 6, 3\s+bottleneck\s+25,557,032\s+25,557,032\s+✓/);
    assert.match(outputOf(cells, /^denseTable\(\)$/m).text, /7,978,856 trainable parameters \(torchvision: 7,978,856 ✓\)/);
  });

  it("TensorFlow.js counts the same parameters as the checker for the compiled networks", () => {
    const text = outputOf(cells, /^compiledCounts\(\)$/m).text;
    const lines = text.split("\n").filter((l) => /^(AlexNet|GoogLeNet|ResNet-50|DenseNet-121)\s/.test(l));
    assert.equal(lines.length, 4);
    for (const line of lines) assert.match(line, /✓$/);
    assert.match(lineStarting(text, "ResNet-50"), /25,557,032\s+25,557,032\s+25,610,152\s+25,610,152/);
  });

  it("shows an SVG diagram with every network, and stays small", () => {
    const networkCells = cells.filter((c) => c.cell_type === "code" && /^%%net |overview\(/m.test(joined(c.source)));
    assert.ok(networkCells.length >= 15, `${networkCells.length} network cells`);
    for (const cell of networkCells) {
      const html = (cell.outputs ?? []).map((o) => joined(o.data?.["text/html"])).join("");
      assert.match(svgPictureText(html), /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>/, `no diagram for:\n${joined(cell.source)}`);
    }
    const bytes = statSync(path.join(notebooksDir, NAME)).size;
    assert.ok(bytes < 3_000_000, `${NAME} is ${bytes} bytes`);
  });
});
