// The six VGG configurations of Simonyan & Zisserman's Table 1, against Table 2 and torchvision.
import { strict as assert } from "node:assert";
import { vggA, vggALrn, vggB, vggC, vggD, vggE, vggEntries, vggTable2Millions } from "../../src/zoo/vgg.js";
import { fixture } from "../helpers.js";
import { checkEntry, shapeOf, withoutComments } from "./zoo-helpers.js";

interface VggFixture {
  dsl_in_the_card: string;
  rows: { layer: string; shape: number[]; weights: number; biases: number }[];
  total_params_with_biases: number;
}

describe("zoo: VGG (Table 1)", () => {
  it("totals, biases counted: A 132,863,336, A-LRN the same, B 133,047,848, D 138,357,544, E 143,667,240", () => {
    assert.equal(checkEntry(vggA).totals.params, 132_863_336);
    assert.equal(checkEntry(vggALrn).totals.params, 132_863_336);
    assert.equal(checkEntry(vggB).totals.params, 133_047_848);
    assert.equal(checkEntry(vggD).totals.params, 138_357_544);
    assert.equal(checkEntry(vggE).totals.params, 143_667_240);
  });

  it("C is B plus a 1x1 CONV-256 and two 1x1 CONV-512: 133,638,952", () => {
    // B = 133,047,848. C adds, at the end of blocks 3, 4 and 5, one 1x1 convolution each:
    //   block 3: (1*1*256)*256 + 256 =  65,792
    //   block 4: (1*1*512)*512 + 512 = 262,656
    //   block 5: (1*1*512)*512 + 512 = 262,656
    // 133,047,848 + 65,792 + 2 * 262,656 = 133,638,952
    const c = checkEntry(vggC);
    assert.deepEqual(c.rows.filter((r) => r.label.startsWith("CONV1-")).map((r) => r.params), [65_792, 262_656, 262_656]);
    assert.equal(c.totals.params, 133_638_952);
  });

  it("rounds to Table 2's millions: 133, 133, 133, 134, 138, 144", () => {
    const millions = vggEntries.map((e) => Math.round(checkEntry(e).totals.params / 1e6));
    assert.deepEqual(millions, [133, 133, 133, 134, 138, 144]);
    assert.deepEqual(millions, vggEntries.map((e) => vggTable2Millions[e.name]));
  });

  it("has 11, 11, 13, 16, 16, 19 weight layers, each network ending 7x7x512 -> 4096 -> 4096 -> 1000", () => {
    for (const [entry, depth] of [[vggA, 11], [vggALrn, 11], [vggB, 13], [vggC, 16], [vggD, 16], [vggE, 19]] as const) {
      const network = checkEntry(entry);
      const weightLayers = network.rows.filter((r) => r.kind === "conv" || r.kind === "dense");
      assert.equal(weightLayers.length, depth, entry.name);
      const pools = network.rows.filter((r) => r.kind === "pool");
      assert.deepEqual(pools.map((p) => shapeOf(p)[0]), [112, 56, 28, 14, 7], entry.name);
      assert.deepEqual(shapeOf(pools[4]!), [7, 7, 512], entry.name);
      assert.deepEqual(weightLayers.slice(-3).map((r) => shapeOf(r)), [[4096], [4096], [1000]], entry.name);
      assert.equal(network.rows[network.rows.length - 1]!.activation?.fn, "softmax", entry.name);
    }
  });

  it("A-LRN differs from A by one LRN after the first convolution", () => {
    const labels = checkEntry(vggALrn).rows.map((r) => r.label);
    assert.deepEqual(labels.slice(0, 4), ["INPUT 224x224x3", "CONV3-64", "NORM", "POOL2"]);
    assert.equal(labels.filter((l) => l === "NORM").length, 1);
  });

  it("D is exactly the design card's text, and gives the cs231n table row by row", () => {
    const card = fixture<VggFixture>("vgg16.json");
    assert.equal(withoutComments(vggD.source), card.dsl_in_the_card);
    const network = checkEntry(vggD);
    assert.equal(network.rows.length, card.rows.length);
    card.rows.forEach((expected, i) => {
      const row = network.rows[i]!;
      assert.deepEqual(shapeOf(row), expected.shape, row.name);
      assert.equal(row.weights, expected.weights, row.name);
      assert.equal(row.biases, expected.biases, row.name);
    });
    assert.equal(network.totals.params, card.total_params_with_biases);
  });

  it("D's and E's multiply-adds match torchvision's GFLOPS (15.47, 19.63), A's and B's too (7.61, 11.31)", () => {
    const gmacs = [vggA, vggB, vggD, vggE].map((e) => (checkEntry(e).totals.macs / 1e9).toFixed(2));
    assert.deepEqual(gmacs, ["7.61", "11.31", "15.47", "19.63"]);
  });
});
