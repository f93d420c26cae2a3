import { strict as assert } from "node:assert";
import { checkDataset, classCounts, type ImageDataset, imageAt, selectIndices, split, subset, take } from "../../src/data/index.js";

/** 60 2x2x1 images; image i is filled with the value i; classes 0,1,2 in ratio 3:2:1. */
function toyDataset(): ImageDataset {
  const n = 60;
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2));
  const images = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i, i * 4, i * 4 + 4);
  return { name: "toy", images, labels, shape: [2, 2, 1], classNames: ["a", "b", "c"] };
}

/** The original index of each image (its fill value), checking labels travelled with it. */
function originalIndices(ds: ImageDataset, from: ImageDataset): number[] {
  return Array.from({ length: ds.labels.length }, (_, i) => {
    const index = imageAt(ds, i)[0]!;
    assert.equal(ds.labels[i], from.labels[index], "label follows its image");
    return index;
  });
}

describe("data: ImageDataset subset / split / take", () => {
  it("subset is stratified, seeded and shuffled", () => {
    const ds = toyDataset();
    const small = subset(ds, 12, 5);
    assert.deepEqual(classCounts(small), [6, 4, 2]);
    const idx = originalIndices(small, ds);
    assert.equal(new Set(idx).size, 12);
    assert.deepEqual(originalIndices(subset(ds, 12, 5), ds), idx);
    assert.notDeepEqual(originalIndices(subset(ds, 12, 6), ds), idx);
    assert.notDeepEqual(idx, [...idx].sort((a, b) => a - b));
    // Rounding: 10 of 60 at 3:2:1 gives 5, 3.33, 1.67 -> 5, 3, 2.
    assert.deepEqual(classCounts(subset(ds, 10, 1)), [5, 3, 2]);
    assert.throws(() => subset(ds, 61, 0), /count must be an integer in 0\.\.60/);
  });

  it("split gives two disjoint stratified parts covering everything", () => {
    const ds = toyDataset();
    const [train, test] = split(ds, 0.75, 2);
    assert.equal(train.labels.length, 45);
    assert.equal(test.labels.length, 15);
    // 45 of 60 at 3:2:1 is 22.5, 15, 7.5 -> 23, 15, 7 (ties go to the first class).
    assert.deepEqual(classCounts(train), [23, 15, 7]);
    assert.deepEqual(classCounts(test), [7, 5, 3]);
    const a = originalIndices(train, ds);
    const b = originalIndices(test, ds);
    assert.deepEqual([...a, ...b].sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i));
    assert.throws(() => split(ds, 1.5), /fraction must be between 0 and 1/);
  });

  it("take slices in stored order and copies", () => {
    const ds = toyDataset();
    const part = take(ds, 10, 14);
    assert.deepEqual(originalIndices(part, ds), [10, 11, 12, 13]);
    part.images[0] = -1;
    assert.equal(ds.images[40], 10);
    assert.equal(take(ds, 55).labels.length, 5);
    assert.throws(() => take(ds, 5, 70), /0 <= start <= end <= 60/);
  });

  it("selectIndices and checkDataset name the problem", () => {
    const ds = toyDataset();
    assert.deepEqual(originalIndices(selectIndices(ds, [3, 3, 0]), ds), [3, 3, 0]);
    assert.throws(() => selectIndices(ds, [60]), /index 60 is outside 0\.\.59/);
    assert.equal(checkDataset(ds), ds);
    assert.throws(() => checkDataset({ ...ds, images: ds.images.subarray(1) }), /needs 240/);
    assert.throws(() => checkDataset({ ...ds, classNames: ["a", "b"] }), /label 2 at index 5 is outside 0\.\.1/);
  });
});
