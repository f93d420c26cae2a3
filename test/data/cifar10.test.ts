import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CIFAR10_CLASS_NAMES, classCounts, encodeCifar10Batch, loadCifar10, parseCifar10Batch } from "../../src/data/index.js";

/**
 * Record i: label i % 10; red plane = i, green plane = pixel index mod 256,
 * blue plane = 255 - row. Written byte by byte in the published layout.
 */
function record(i: number): Uint8Array {
  const r = new Uint8Array(3073);
  r[0] = i % 10;
  for (let p = 0; p < 1024; p++) {
    r[1 + p] = i;
    r[1 + 1024 + p] = p % 256;
    r[1 + 2048 + p] = 255 - Math.floor(p / 32);
  }
  return r;
}

function batch(first: number, count: number): Uint8Array {
  const out = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) out.set(record(first + i), i * 3073);
  return out;
}

describe("data: CIFAR-10 binary batches", () => {
  it("reorders R, G, B planes to NHWC and scales to 0..1", () => {
    const { images, labels } = parseCifar10Batch(batch(0, 3));
    assert.deepEqual(Array.from(labels), [0, 1, 2]);
    const at = (n: number, row: number, col: number, c: number): number => images[((n * 32 + row) * 32 + col) * 3 + c]!;
    // Stored as float32, so compare with the float32 rounding of byte/255.
    assert.equal(at(2, 5, 7, 0), Math.fround(2 / 255));
    assert.equal(at(2, 5, 7, 1), Math.fround(((5 * 32 + 7) % 256) / 255));
    assert.equal(at(2, 5, 7, 2), Math.fround((255 - 5) / 255));
    assert.equal(at(1, 31, 31, 1), Math.fround((1023 % 256) / 255));
  });

  it("loads train (5 files) and test from a folder, also the unpacked sub-folder", () => {
    const root = mkdtempSync(join(tmpdir(), "convnote-cifar-"));
    const dir = join(root, "cifar-10-batches-bin");
    mkdirSync(dir);
    for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), batch((b - 1) * 4, 4));
    writeFileSync(join(dir, "test_batch.bin"), batch(100, 10));
    const train = loadCifar10({ dir: root, split: "train" });
    assert.deepEqual(train.shape, [32, 32, 3]);
    assert.equal(train.labels.length, 20);
    assert.deepEqual(Array.from(train.labels.subarray(0, 12)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    assert.equal(train.images[19 * 3072], Math.fround(19 / 255), "red of image 19 (from batch 5)");
    assert.deepEqual(train.classNames, CIFAR10_CLASS_NAMES);
    const test = loadCifar10({ dir, split: "test" });
    assert.deepEqual(classCounts(test), new Array(10).fill(1));
    assert.equal(loadCifar10({ dir, split: "test", count: 5, seed: 1 }).labels.length, 5);
  });

  it("round-trips through encodeCifar10Batch", () => {
    const parsed = parseCifar10Batch(batch(7, 2));
    assert.deepEqual(encodeCifar10Batch(parsed.images, parsed.labels), batch(7, 2));
  });

  it("explains truncated files, bad labels and missing folders", () => {
    assert.throws(() => parseCifar10Batch(batch(0, 2).subarray(0, 5000), "data_batch_1.bin"), /data_batch_1\.bin: 5000 bytes is not a whole number of 3073-byte CIFAR-10 records/);
    const bad = batch(0, 1);
    bad[0] = 42;
    assert.throws(() => parseCifar10Batch(bad), /record 0 has label byte 42/);
    const empty = mkdtempSync(join(tmpdir(), "convnote-nocifar-"));
    assert.throws(() => loadCifar10({ dir: empty, split: "test" }), /lacks test_batch\.bin\. CIFAR-10 is not bundled.*cifar-10-binary\.tar\.gz/);
    const saved = process.env.CONVNOTE_CIFAR10_DIR;
    delete process.env.CONVNOTE_CIFAR10_DIR;
    try {
      assert.throws(() => loadCifar10(), /no folder given.*CONVNOTE_CIFAR10_DIR/);
    } finally {
      if (saved !== undefined) process.env.CONVNOTE_CIFAR10_DIR = saved;
    }
  });
});
