// GoogLeNet against Table 1 of Szegedy et al.: every stage's output size, and the params and ops
// columns (which the table gives in units of 1024 and 10^6).
import { strict as assert } from "node:assert";
import type { CheckedNode } from "../../src/shapes/network.js";
import { googlenet } from "../../src/zoo/googlenet.js";
import { checkEntry, shapeOf, sumUnder } from "./zoo-helpers.js";

interface TableRow {
  row: string;
  /** Indices into the network's top-level nodes that make up the row (conv2 is the 1x1 reduce and the 3x3). */
  nodes: number[];
  size: number[];
  /** Table 1's params column in K (1024), and ops in millions; absent for rows without parameters. */
  paramsK?: number;
  opsM?: number;
  /** Weights computed from the table's filter columns (biases not counted). */
  weights?: number;
}

// Top-level nodes of the text: 0 CONV1, 1 POOL1, 2 NORM1, 3 CONV2, 4 CONV3, 5 NORM2, 6 POOL2,
// 7 3a, 8 3b, 9 pool, 10 4a ... 14 4e, 15 pool, 16 5a, 17 5b, 18 GAP, 19 DROPOUT, 20 FC.
const table1: TableRow[] = [
  { row: "conv1", nodes: [0], size: [112, 112, 64], paramsK: 2.7, opsM: 34, weights: 7 * 7 * 3 * 64 },
  { row: "max pool", nodes: [1], size: [56, 56, 64] },
  { row: "conv2", nodes: [3, 4], size: [56, 56, 192], paramsK: 112, opsM: 360, weights: 64 * 64 + 3 * 3 * 64 * 192 },
  { row: "max pool", nodes: [6], size: [28, 28, 192] },
  // 3a on 192 channels: 192*64 + 192*96 + 9*96*128 + 192*16 + 25*16*32 + 192*32
  { row: "3a", nodes: [7], size: [28, 28, 256], paramsK: 159, opsM: 128, weights: 163_328 },
  { row: "3b", nodes: [8], size: [28, 28, 480], paramsK: 380, opsM: 304, weights: 388_096 },
  { row: "max pool", nodes: [9], size: [14, 14, 480] },
  { row: "4a", nodes: [10], size: [14, 14, 512], paramsK: 364, opsM: 73, weights: 375_552 },
  { row: "4b", nodes: [11], size: [14, 14, 512], paramsK: 437, opsM: 88, weights: 448_512 },
  { row: "4c", nodes: [12], size: [14, 14, 512], paramsK: 463, opsM: 100, weights: 509_440 },
  { row: "4d", nodes: [13], size: [14, 14, 528], paramsK: 580, opsM: 119, weights: 604_672 },
  { row: "4e", nodes: [14], size: [14, 14, 832], paramsK: 840, opsM: 170, weights: 867_328 },
  { row: "max pool", nodes: [15], size: [7, 7, 832] },
  { row: "5a", nodes: [16], size: [7, 7, 832], paramsK: 1072, opsM: 54, weights: 1_042_432 },
  { row: "5b", nodes: [17], size: [7, 7, 1024], paramsK: 1388, opsM: 71, weights: 1_442_816 },
  { row: "avg pool", nodes: [18], size: [1024] },
  { row: "dropout (40%)", nodes: [19], size: [1024] },
  { row: "linear", nodes: [20], size: [1000], paramsK: 1000, opsM: 1, weights: 1024 * 1000 },
];

describe("zoo: GoogLeNet (Table 1)", () => {
  const network = checkEntry(googlenet);
  const nodesOf = (r: TableRow): CheckedNode[] => r.nodes.map((i) => network.nodes[i]!);
  const weighted = table1.filter((r) => r.weights !== undefined);

  it("has 21 top-level steps: stem, nine inception modules, pools, GAP, dropout, FC", () => {
    assert.equal(network.nodes.length, 21);
    assert.deepEqual(
      network.nodes.map((n) => n.type === "branches" ? "inception" : n.name.replace(/\d+$/, "")),
      ["CONV", "POOL", "NORM", "CONV", "CONV", "NORM", "POOL", "inception", "inception", "POOL", ...Array(5).fill("inception"), "POOL", "inception", "inception", "GAP", "DROPOUT", "FC"],
    );
  });

  it("every stage ends at Table 1's output size (the 7x7 average pool as a vector of 1024)", () => {
    for (const r of table1) assert.deepEqual(shapeOf(nodesOf(r).at(-1)!), r.size, r.row);
  });

  it("every stage has the weights its filter columns give", () => {
    for (const r of weighted) assert.equal(sumUnder(nodesOf(r), (l) => l.weights), r.weights, r.row);
  });

  it("the params column (in 1024s) agrees within 1% except conv1, 4c, 4d, 5a and 5b, where the table is off", () => {
    const off = weighted.filter((r) => Math.abs(r.weights! / 1024 - r.paramsK!) > 0.01 * r.paramsK!).map((r) => r.row);
    assert.deepEqual(off, ["conv1", "4c", "4d", "5a", "5b"]);
    // Where it agrees, it agrees to the table's rounding: conv2 112.0K, 3a 159.5K, linear 1000.0K.
    for (const row of ["conv2", "3a", "linear"]) {
      const r = weighted.find((w) => w.row === row)!;
      assert.ok(Math.abs(r.weights! / 1024 - r.paramsK!) <= 0.5, row);
    }
  });

  it("the ops column (multiply-adds, millions) agrees within 1M or 1% except conv1 and 5a", () => {
    const off = weighted.filter((r) => {
      const opsM = sumUnder(nodesOf(r), (l) => l.macs) / 1e6;
      return Math.abs(opsM - r.opsM!) > Math.max(1, 0.01 * r.opsM!);
    });
    assert.deepEqual(off.map((r) => r.row), ["conv1", "5a"]);
  });

  it("totals 6,998,552 parameters (6,990,272 weights and 8,280 biases)", () => {
    assert.equal(network.totals.weights, weighted.reduce((sum, r) => sum + r.weights!, 0));
    assert.equal(network.totals.weights, 6_990_272);
    assert.equal(network.totals.biases, 8_280);
    assert.equal(network.totals.params, 6_998_552);
    assert.equal(network.totals.nonTrainableParams, 0);
  });

  it("has LRN twice, biases and ReLU on every convolution, dropout 0.4 and no auxiliary classifier", () => {
    const convs = network.rows.filter((r) => r.kind === "conv");
    assert.equal(convs.length, 57);
    assert.ok(convs.every((c) => c.biases > 0 && c.activation?.fn === "relu"));
    assert.equal(network.rows.filter((r) => r.kind === "lrn").length, 2);
    assert.deepEqual(network.rows.filter((r) => r.kind === "dropout").map((r) => r.label), ["DROPOUT0.4"]);
    assert.equal(network.rows.filter((r) => r.kind === "dense").length, 1);
  });
});
