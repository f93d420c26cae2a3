import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  classCounts,
  encodeIdx,
  FASHION_MNIST_DEBIAN_DIR,
  FASHION_MNIST_ENV_VAR,
  isFashionMnistAvailable,
  loadFashionMnist,
} from "../../src/data/index.js";

/** Writes a tiny Fashion-MNIST look-alike (gzipped IDX) into a new folder. */
function writeTinyCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "convnote-fashion-"));
  for (const [prefix, n] of [["train", 20], ["t10k", 10]] as const) {
    const pixels = Uint8Array.from({ length: n * 28 * 28 }, (_, i) => (i * 7) % 256);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(encodeIdx({ dtype: "ubyte", dims: [n, 28, 28], data: pixels })));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(encodeIdx({ dtype: "ubyte", dims: [n], data: labels })));
  }
  return dir;
}

describe("data: Fashion-MNIST", () => {
  it("reads the Debian package dataset-fashion-mnist (installed in CI)", function () {
    if (!isFashionMnistAvailable(FASHION_MNIST_DEBIAN_DIR)) {
      // Only a machine without the package skips; CI installs it.
      this.skip();
    }
    const test = loadFashionMnist({ split: "test", dir: FASHION_MNIST_DEBIAN_DIR });
    assert.deepEqual(test.shape, [28, 28, 1]);
    assert.equal(test.labels.length, 10000);
    assert.deepEqual(classCounts(test), new Array(10).fill(1000));
    assert.deepEqual(Array.from(test.labels.subarray(0, 5)), [9, 2, 1, 1, 6]);
    assert.equal(test.classNames[9], "Ankle boot");
    const train = loadFashionMnist({ split: "train", count: 500, seed: 1, dir: FASHION_MNIST_DEBIAN_DIR });
    assert.deepEqual(classCounts(train), new Array(10).fill(50));
    for (const v of train.images.subarray(0, 784 * 20)) assert.ok(v >= 0 && v <= 1);
  });

  it("reads a folder named by CONVNOTE_FASHION_MNIST_DIR", () => {
    const dir = writeTinyCopy();
    const saved = process.env[FASHION_MNIST_ENV_VAR];
    process.env[FASHION_MNIST_ENV_VAR] = dir;
    try {
      const ds = loadFashionMnist({ split: "train" });
      assert.equal(ds.labels.length, 20);
      assert.deepEqual(Array.from(ds.labels.subarray(0, 3)), [0, 1, 2]);
      assert.equal(ds.images[1], Math.fround(7 / 255));
      assert.equal(loadFashionMnist({ split: "test" }).labels.length, 10);
    } finally {
      if (saved === undefined) delete process.env[FASHION_MNIST_ENV_VAR];
      else process.env[FASHION_MNIST_ENV_VAR] = saved;
    }
  });

  it("says how to install it when the files are missing", () => {
    const empty = mkdtempSync(join(tmpdir(), "convnote-nofashion-"));
    assert.equal(isFashionMnistAvailable(empty), false);
    assert.throws(
      () => loadFashionMnist({ dir: empty }),
      (e: Error) =>
        e.message.includes(`${empty} (options.dir) lacks train-images-idx3-ubyte.gz`) &&
        e.message.includes("apt-get install dataset-fashion-mnist") &&
        e.message.includes(FASHION_MNIST_ENV_VAR),
    );
    assert.throws(() => loadFashionMnist({ dir: join(empty, "nope") }), /nope \(options\.dir\) does not exist/);
  });
});
