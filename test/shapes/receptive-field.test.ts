// The receptive-field column: grown by hand-computable steps, and capped at the input's size the
// same way on every row, so it never shrinks from one row to the next (a padded CONV can reach past
// the picture, but no row sees more than the whole of it); rows that cover it all say so.
import { strict as assert } from "node:assert";
import { receptiveFieldText } from "../../src/render/summary-columns.js";
import { mustCheck } from "../helpers.js";

describe("receptive field", () => {
  // LeNet-5 on a 28x28 digit padded to 32: C5 reaches 32 pixels of padded input, F6 (global) 28.
  const lenet = mustCheck("INPUT 28x28 CONV5-6/p2 POOL2 CONV5-16/p0 POOL2 CONV5-120/p0 FC-84 FC-10 SOFTMAX");
  const sizes = lenet.rows.map((r) => r.receptiveField.size[0]!);

  it("grows by (k - 1) x jump per layer, as worked out by hand: 1, 5, 6, 14, 16", () => {
    assert.deepEqual(sizes.slice(0, 5), [1, 5, 6, 14, 16]);
  });

  it("is capped at the input on every row alike: 28 for C5 (16 + 4x4 = 32 reaches past it) and for the FC rows", () => {
    assert.deepEqual(sizes.slice(5), [28, 28, 28]);
    for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i]! >= sizes[i - 1]!, `row ${i} shrinks: ${sizes.join(", ")}`);
  });

  it("says 'whole input' on the rows that cover it, and only there", () => {
    assert.deepEqual(lenet.rows.map((r) => r.receptiveField.whole === true), [false, false, false, false, false, true, true, true]);
    assert.equal(receptiveFieldText(lenet.rows[5]!.receptiveField), "28 (whole input, jump 4)");
    assert.equal(receptiveFieldText(lenet.rows[4]!.receptiveField), "16 (jump 4)");
  });

  it("after pooling past the input, a branch merge and a residual add stay capped too", () => {
    const net = mustCheck("INPUT 8x8x4 [CONV3-4]x3 POOL2 { CONV3-4 | CONV1-4 } RES[ CONV3-8 CONV3-8 ] FC-2");
    for (const row of net.rows.slice(4)) assert.deepEqual(row.receptiveField.size, [8, 8], `${row.name}: ${row.receptiveField.size}`);
  });
});
