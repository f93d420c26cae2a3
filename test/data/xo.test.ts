import { strict as assert } from "node:assert";
import { classCounts, generateXO, imageAt, renderXO } from "../../src/data/index.js";
import { fixture } from "../helpers.js";
import type { XAndO } from "../naive/fixtures.js";

const xoFixture = fixture<XAndO>("x-and-o.json");

const rows = (image: Float32Array, size: number): number[][] =>
  Array.from({ length: size }, (_, r) => Array.from(image.subarray(r * size, (r + 1) * size)));
const strokeCount = (image: Float32Array): number => image.filter((v) => v === 1).length;

describe("data: X-and-O generator", () => {
  it("draws the lecture's canonical 9x9 X exactly", () => {
    assert.deepEqual(rows(renderXO("X", 9), 9), xoFixture.image_9x9_X);
  });

  it("draws the 9x9 O as a one-pixel ring of radius 3", () => {
    const o = rows(renderXO("O", 9), 9);
    const text = o.map((row) => row.map((v) => (v === 1 ? "#" : ".")).join("")).join("\n");
    assert.equal(
      text,
      [".........", "...###...", "..#...#..", ".#.....#.", ".#.....#.", ".#.....#.", "..#...#..", "...###...", "........."].join("\n"),
    );
  });

  it("generates a balanced, shuffled, seeded set of -1/+1 images", () => {
    const ds = generateXO({ count: 50, seed: 4 });
    assert.deepEqual(ds.classNames, ["X", "O"]);
    assert.deepEqual(ds.shape, [9, 9, 1]);
    assert.deepEqual(classCounts(ds), [25, 25]);
    assert.ok(ds.images.every((v) => v === 1 || v === -1));
    assert.notDeepEqual(Array.from(ds.labels.subarray(0, 10)), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    // Without variations every X is the canonical X, every O the canonical O.
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(imageAt(ds, i), renderXO(ds.labels[i] === 0 ? "X" : "O", 9));
    }
    const again = generateXO({ count: 50, seed: 4 });
    assert.deepEqual(again.labels, ds.labels);
    assert.notDeepEqual(generateXO({ count: 50, seed: 5 }).labels, ds.labels);
  });

  it("translation shifts whole pixels and keeps the shape", () => {
    const ds = generateXO({ count: 40, seed: 1, variations: "translation" });
    let shifted = 0;
    for (let i = 0; i < 40; i++) {
      const img = imageAt(ds, i);
      const canonical = renderXO(ds.labels[i] === 0 ? "X" : "O", 9);
      // Shifts of at most one pixel keep the whole 9x9 shape in the frame.
      assert.equal(strokeCount(img), strokeCount(canonical));
      if (!img.every((v, k) => v === canonical[k])) shifted++;
    }
    assert.ok(shifted > 20);
    assert.deepEqual(renderXO("X", 9, { dx: 1 })[1 * 9 + 2], 1);
    assert.deepEqual(renderXO("X", 9, { dy: -1 })[0 * 9 + 1], 1);
  });

  it("bold strokes cover more pixels; scaling and rotation change the picture", () => {
    assert.ok(strokeCount(renderXO("X", 9, { strokeWeight: 2 })) > 2 * strokeCount(renderXO("X", 9)));
    assert.ok(strokeCount(renderXO("O", 9, { strokeWeight: 2 })) > 2 * strokeCount(renderXO("O", 9)));
    assert.ok(strokeCount(renderXO("X", 28, { scale: 0.6 })) < strokeCount(renderXO("X", 28)));
    const rotated = renderXO("X", 28, { rotationDegrees: 45 });
    // A 45-degree X is a plus sign: the centre row is mostly stroke.
    const centreRow = rows(rotated, 28)[14]!;
    assert.ok(centreRow.filter((v) => v === 1).length > 14);
    for (const preset of ["scaling", "rotation", "bold", "mixed"] as const) {
      const ds = generateXO({ count: 20, seed: 2, variations: preset, size: 16 });
      assert.equal(ds.images.length, 20 * 256);
      assert.ok(ds.images.every((v) => v === 1 || v === -1));
      const differ = Array.from({ length: 20 }, (_, i) => imageAt(ds, i)).filter(
        (img, i) => !img.every((v, k) => v === renderXO(ds.labels[i] === 0 ? "X" : "O", 16)[k]),
      ).length;
      assert.ok(differ >= 10, `${preset}: ${differ} of 20 differ from the canonical shape`);
    }
  });

  it("accepts explicit ranges, combined presets and other sizes; rejects unknown names", () => {
    const ds = generateXO({ count: 6, size: 28, seed: 0, variations: { rotation: 10, strokeWeight: [1, 1.5] } });
    assert.deepEqual(ds.shape, [28, 28, 1]);
    const combined = generateXO({ count: 6, seed: 0, variations: ["translation", "bold"] });
    assert.ok(Array.from({ length: 6 }, (_, i) => strokeCount(imageAt(combined, i))).every((n) => n > 30));
    assert.throws(() => generateXO({ count: 2, variations: "wobbly" as "none" }), /unknown variation "wobbly"/);
    assert.throws(() => renderXO("X", 3), /size must be an integer >= 5/);
  });
});
