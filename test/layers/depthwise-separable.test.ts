// Depthwise (DWCONV) and depthwise separable (SEPCONV) convolutions, against the counts Keras's
// DepthwiseConv2D and SeparableConv2D give, worked out by hand.
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { mustCheck } from "../helpers.js";
import { assertCompiledCounts, backends, trainsOn } from "./helpers.js";

describe("layer kinds: DWCONV and SEPCONV", function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend();
  });

  it("DWCONV: Keras DepthwiseConv2D counts, one filter (or m) per channel plus a bias each", () => {
    // DepthwiseConv2D(3) on 112x112x32: 3*3*32 weights + 32 biases = 320.
    const one = mustCheck("INPUT 112x112x32 DWCONV3").rows[1]!;
    assert.deepEqual([one.weights, one.biases, one.params], [288, 32, 320]);
    assert.deepEqual([...one.outputShape], [112, 112, 32]);
    // depth_multiplier=2, strides=2 on 112x112x64: 3*3*64*2 + 128 = 1,280, output 56x56x128.
    const two = mustCheck("INPUT 112x112x64 DWCONV3-2/s2").rows[1]!;
    assert.equal(two.params, 1_280);
    assert.deepEqual([...two.outputShape], [56, 56, 128]);
    assert.equal(two.macs, 56 * 56 * 128 * 9);
    assert.equal(mustCheck("INPUT 112x112x64 DWCONV(size=3, multiplier=2, stride=2)").rows[1]!.params, 1_280);
  });

  it("SEPCONV: Keras SeparableConv2D counts, depthwise without bias then pointwise with bias", () => {
    // SeparableConv2D(64, 3) on 56x56x32: 3*3*32 + 32*64 + 64 = 288 + 2,048 + 64 = 2,400.
    const sep = mustCheck("INPUT 56x56x32 SEPCONV3-64").rows[1]!;
    assert.deepEqual([sep.weights, sep.biases, sep.params], [288 + 2_048, 64, 2_400]);
    assert.deepEqual(sep.formula, { weights: "(3*3)*32 + 32*64", biases: "64" });
    // With depth_multiplier=2: 3*3*32*2 + 64*128 + 128 = 576 + 8,192 + 128 = 8,896.
    assert.equal(mustCheck("INPUT 56x56x32 SEPCONV(filters=128, size=3, multiplier=2)").rows[1]!.params, 8_896);
    // Xception's exit flow SeparableConv2D(1536, 3) on 10x10x1024: 9,216 + 1,572,864 + 1,536 = 1,583,616.
    assert.equal(mustCheck("INPUT 10x10x1024 SEPCONV3-1536").rows[1]!.params, 1_583_616);
  });

  it("follow the weight-layer conventions: ReLU implied, no bias before BN", () => {
    const network = mustCheck("INPUT 32x32x16 DWCONV3 BN CONV1-32 SEPCONV3-8 FC-2");
    assert.equal(network.rows[1]!.biases, 0);
    assert.equal(network.rows[2]!.activation?.fn, "relu");
    assert.equal(network.rows[4]!.activation?.fn, "relu");
    assert.deepEqual(network.rows.map((r) => r.name), ["INPUT", "DWCONV1", "BN1", "CONV2", "SEPCONV3", "FC4"]);
  });

  it("compile to layers with exactly the checked parameters, on images and sequences", () => {
    assertCompiledCounts(mustCheck("INPUT 17x17x8 DWCONV3 DWCONV3-2/s2/p1 SEPCONV3-12 SEPCONV5-4/valid GAP FC-3"));
    assertCompiledCounts(mustCheck("INPUT1D 30x8 DWCONV3 SEPCONV5-6 GMP FC-2"));
  });

  for (const backend of backends) {
    it(`train on ${backend}`, async () => {
      await trainsOn(backend, "INPUT 8x8x3 DWCONV3-2 SEPCONV3-8/s2 GAP FC-2 SOFTMAX");
    });
  }
});
