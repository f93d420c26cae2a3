// Grouped convolution, CONVk-n/gG: AlexNet's two towers, counted by hand from the paper's filter
// sizes, against the BVLC Caffe model's 60,965,224 parameters.
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { findZooEntry } from "../../src/zoo/index.js";
import { mustCheck } from "../helpers.js";
import { assertCompiledCounts, backends, trainsOn } from "./helpers.js";

describe("layer kinds: grouped convolution (CONV/gN)", function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend();
  });

  it("AlexNet as two towers: 60,965,224 parameters, layer by layer from the paper", () => {
    const network = mustCheck(findZooEntry("alexnet-2gpu")!.source);
    const params = (name: string) => network.rows.find((r) => r.name === name)!.params;
    assert.equal(params("CONV1"), 11 * 11 * 3 * 96 + 96); // 34,944: both GPUs see the image
    assert.equal(params("CONV2"), 5 * 5 * 48 * 256 + 256); // 307,456: each filter sees its GPU's 48 maps
    assert.equal(params("CONV3"), 3 * 3 * 256 * 384 + 384); // 885,120: across both GPUs
    assert.equal(params("CONV4"), 3 * 3 * 192 * 384 + 384); // 663,936
    assert.equal(params("CONV5"), 3 * 3 * 192 * 256 + 256); // 442,624
    assert.equal(params("FC6"), 6 * 6 * 256 * 4096 + 4096); // 37,752,832
    assert.equal(params("FC7"), 4096 * 4096 + 4096); // 16,781,312
    assert.equal(params("FC8"), 4096 * 1000 + 1000); // 4,097,000
    // 34,944 + 307,456 + 885,120 + 663,936 + 442,624 + 37,752,832 + 16,781,312 + 4,097,000
    assert.equal(network.totals.params, 60_965_224);
    assert.equal(network.rows.find((r) => r.name === "CONV2")!.label, "CONV5-256/p2/g2");
  });

  it("writes the grouped formula, and the long form groups=2 is /g2", () => {
    const short = mustCheck("INPUT 27x27x96 CONV5-256/p2/g2");
    const long = mustCheck("INPUT 27x27x96 CONV(filters=256, size=5, pad=2, groups=2)");
    assert.deepEqual(short.rows[1]!.formula, { weights: "(5*5*96/2)*256", biases: "256" });
    assert.equal(long.rows[1]!.params, short.rows[1]!.params);
    assert.equal(short.rows[1]!.macs, 27 * 27 * 256 * (5 * 5 * 48));
  });

  it("refuses groups that do not divide the channels or the filters, at the layer, with groups that do", () => {
    const source = "INPUT 8x8x6 CONV3-8/g4";
    const [d] = checkNetwork(source).diagnostics;
    assert.equal(d!.code, "shape-mismatch");
    assert.equal(source.slice(d!.span.offset, d!.span.offset + d!.span.length), "CONV3-8/g4");
    assert.equal(d!.message, "6 input channels / 4 groups = 1.5 is not a whole number: every group needs the same share of the channels and of the filters");
    assert.equal(d!.hint, "use /g2 (dividing both 6 channels and 8 filters), or no /g");
    assert.match(checkNetwork("INPUT 8x8x4 CONV3-6/g4").diagnostics[0]!.message, /^6 filters \/ 4 groups = 1.5/);
  });

  it("compiles to layers with exactly the checked parameters, on images and sequences", () => {
    assertCompiledCounts(mustCheck("INPUT 27x27x8 CONV5-16/p2/g2 CONV3-16/g4/s2 GAP FC-3"));
    assertCompiledCounts(mustCheck("INPUT1D 20x8 CONV3-8/g2 CONV3-4/g2/valid GMP FC-2"));
  });

  for (const backend of backends) {
    it(`trains on ${backend}: the gradient reaches every group's filters`, async () => {
      await trainsOn(backend, "INPUT 8x8x4 CONV3-8/g2 CONV3-8/g4/s2 GAP FC-2 SOFTMAX");
    });
  }
});
