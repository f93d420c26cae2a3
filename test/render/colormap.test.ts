import * as assert from "node:assert/strict";
import { colorOf, displayRange, normalise } from "../../src/render/colormap.js";

describe("render/colormap", () => {
  it("maps values through grey and diverging colour maps with a stated range", () => {
    assert.deepEqual(colorOf(-2, [-2, 6], "grey"), [0, 0, 0]);
    assert.deepEqual(colorOf(6, [-2, 6], "grey"), [255, 255, 255]);
    assert.deepEqual(colorOf(2, [-2, 6], "grey"), [128, 128, 128]);
    const range = displayRange([-0.2, 0.5], "diverging");
    assert.deepEqual(range, [-0.5, 0.5]);
    assert.deepEqual(colorOf(0, range, "diverging"), [255, 255, 255]);
    const neg = colorOf(-0.5, range, "diverging");
    const pos = colorOf(0.5, range, "diverging");
    assert.ok(neg[2] > neg[0], "negative is blue");
    assert.ok(pos[0] > pos[2], "positive is red");
    assert.equal(normalise(3, [3, 3]), 0.5, "a constant range maps to the middle");
  });
});
