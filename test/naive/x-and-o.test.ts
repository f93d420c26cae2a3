import { strict as assert } from "node:assert";
import { conv2d, maxPoolVolume, relu, type Volume } from "../../src/naive/index.js";
import { loadFixture, type XAndO } from "./fixtures.js";

const xo = loadFixture<XAndO>("x-and-o.json");

const divide = (v: Volume, by: number): Volume => v.map((m) => m.map((row) => row.map((x) => x / by)));

function assertClose(actual: Volume, expected: Volume, tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((map, k) =>
    map.forEach((row, r) =>
      row.forEach((value, c) => {
        const want = expected[k]![r]![c]!;
        assert.ok(Math.abs(value - want) <= tolerance, `map ${k} (${r}, ${c}): ${value} vs ${want}`);
      }),
    ),
  );
}

/** The lecture's filtering: multiply, add up, divide by the 9 pixels of the feature. */
function featureMaps(): Volume {
  const filters = xo.filters_3x3.map((f) => [f]);
  return divide(conv2d([xo.image_9x9_X], filters, null, { stride: 1, pad: 0 }), 9);
}

describe("naive X-and-O toy ConvNet", () => {
  it("filtering the 9x9 X with the three features gives the slide's 7x7 maps", () => {
    const maps = featureMaps();
    assertClose(maps, divide(xo.expected_feature_maps_times_9, 9));
    // The perfect matches on the diagonals are exactly 1.
    assert.equal(maps[0]![1]![1], 1);
    assert.equal(maps[1]![3]![3], 1);
  });

  it("ReLU then 'same' 2x2 pooling give the slide's values", () => {
    const rectified = relu(featureMaps());
    assertClose(rectified, divide(xo.expected_relu_of_feature_maps_times_9, 9));
    const pooled = maxPoolVolume(rectified, { size: 2, stride: 2, mode: "same" });
    assert.deepEqual(pooled.map((m) => [m.length, m[0]!.length]), [[4, 4], [4, 4], [4, 4]]);
    assertClose(pooled, divide(xo.expected_pooled_times_9, 9));
  });

  it("pooling before ReLU gives the same pooled maps here (each window has a positive value)", () => {
    const pooled = maxPoolVolume(featureMaps(), { size: 2, stride: 2, mode: "same" });
    assertClose(pooled, divide(xo.expected_pooled_times_9, 9));
  });
});
