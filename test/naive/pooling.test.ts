import { strict as assert } from "node:assert";
import { maxPool, maxPoolVolume, poolGeometry, relu } from "../../src/naive/index.js";
import { loadFixture, type SmallExamples } from "./fixtures.js";

const small = loadFixture<SmallExamples>("small-examples.json");

describe("naive max pooling and ReLU", () => {
  it("max-pools the cs231n 4x4 slide with a 2x2 window, stride 2", () => {
    const ex = small.max_pool_2x2_s2;
    assert.deepEqual(maxPool(ex.input, { size: 2, stride: 2 }), ex.expected);
  });

  it("'valid' drops the leftover row and column of a 7x7 map (3x3 out)", () => {
    const map = Array.from({ length: 7 }, (_, r) => Array.from({ length: 7 }, (_, c) => r * 7 + c));
    const out = maxPool(map, { size: 2, stride: 2, mode: "valid" });
    assert.deepEqual(out, [
      [8, 10, 12],
      [22, 24, 26],
      [36, 38, 40],
    ]);
  });

  it("'same' keeps ceil(7/2) = 4 with partial windows at the end (TensorFlow)", () => {
    const map = Array.from({ length: 7 }, (_, r) => Array.from({ length: 7 }, (_, c) => r * 7 + c));
    const out = maxPool(map, { size: 2, stride: 2, mode: "same" });
    assert.deepEqual(out, [
      [8, 10, 12, 13],
      [22, 24, 26, 27],
      [36, 38, 40, 41],
      [43, 45, 47, 48],
    ]);
    assert.deepEqual(poolGeometry(7, 2, 2, "same"), { out: 4, padBefore: 0 });
    // An odd total padding puts the extra at the end, as TensorFlow does.
    assert.deepEqual(poolGeometry(6, 3, 2, "same"), { out: 3, padBefore: 0 });
    assert.deepEqual(poolGeometry(5, 3, 1, "same"), { out: 5, padBefore: 1 });
  });

  it("pools each channel of a volume", () => {
    const ex = small.max_pool_2x2_s2;
    const negated = ex.input.map((row) => row.map((v) => 0 - v));
    assert.deepEqual(maxPoolVolume([ex.input, negated]), [ex.expected, [[-1, -2], [-1, 0]]]);
  });

  it("rejects a window larger than a 'valid' map and bad options", () => {
    assert.throws(() => maxPool([[1, 2], [3, 4]], { size: 3 }), /window 3 is larger than the map/);
    assert.throws(() => maxPool([[1, 2], [3]]), /rectangular/);
    assert.throws(() => maxPool([[1]], { stride: 0 }), /stride must be an integer >= 1/);
  });

  it("ReLU zeroes negatives on numbers, maps and volumes", () => {
    assert.equal(relu(-3), 0);
    assert.equal(relu(2.5), 2.5);
    assert.deepEqual(relu([[-1, 2], [3, -4]]), [[0, 2], [3, 0]]);
    assert.deepEqual(relu([[[-1]], [[5]]]), [[[0]], [[5]]]);
  });
});
