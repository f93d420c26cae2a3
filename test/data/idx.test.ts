import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx, IdxFormatError, parseIdx, readIdxFile } from "../../src/data/index.js";

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe("data: IDX reader", () => {
  it("reads a hand-written ubyte file: magic, dims, row-major values", () => {
    const file = bytes(0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255);
    const idx = parseIdx(file);
    assert.equal(idx.dtype, "ubyte");
    assert.deepEqual(idx.dims, [2, 3]);
    assert.deepEqual(Array.from(idx.data), [1, 2, 3, 4, 5, 255]);
  });

  it("reads multi-byte types big-endian", () => {
    const ints = parseIdx(bytes(0, 0, 0x0c, 1, 0, 0, 0, 2, 0x00, 0x00, 0x01, 0x02, 0xff, 0xff, 0xff, 0xfe));
    assert.deepEqual([ints.dtype, Array.from(ints.data)], ["int", [258, -2]]);
    const shorts = parseIdx(bytes(0, 0, 0x0b, 1, 0, 0, 0, 2, 0x80, 0x00, 0x01, 0x00));
    assert.deepEqual([shorts.dtype, Array.from(shorts.data)], ["short", [-32768, 256]]);
    const floats = parseIdx(bytes(0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0x80, 0x00, 0x00));
    assert.deepEqual([floats.dtype, Array.from(floats.data)], ["float", [1]]);
    const doubles = parseIdx(bytes(0, 0, 0x0e, 1, 0, 0, 0, 1, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0));
    assert.deepEqual([doubles.dtype, Array.from(doubles.data)], ["double", [1.5]]);
    const signed = parseIdx(bytes(0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 0x7f));
    assert.deepEqual([signed.dtype, Array.from(signed.data)], ["byte", [-1, 127]]);
  });

  it("round-trips every type through encodeIdx, plain and gzipped, from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "convnote-idx-"));
    const cases = [
      { dtype: "ubyte", dims: [2, 2], data: Uint8Array.from([0, 9, 200, 255]) },
      { dtype: "int", dims: [3], data: Int32Array.from([-5, 0, 2 ** 30]) },
      { dtype: "float", dims: [1, 2], data: Float32Array.from([0.25, -3.5]) },
      { dtype: "double", dims: [2], data: Float64Array.from([Math.PI, -1e-300]) },
    ] as const;
    for (const c of cases) {
      const encoded = encodeIdx({ dtype: c.dtype, dims: [...c.dims], data: c.data });
      writeFileSync(join(dir, `${c.dtype}.idx`), encoded);
      writeFileSync(join(dir, `${c.dtype}.idx.gz`), gzipSync(encoded));
      for (const name of [`${c.dtype}.idx`, `${c.dtype}.idx.gz`]) {
        const back = readIdxFile(join(dir, name));
        assert.equal(back.dtype, c.dtype);
        assert.deepEqual(back.dims, c.dims);
        assert.deepEqual(Array.from(back.data), Array.from(c.data));
      }
    }
  });

  it("explains wrong, truncated and corrupt files", () => {
    const good = bytes(0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9);
    assert.throws(() => parseIdx(bytes(0x89, 0x50, 0x4e, 0x47, 1, 2), "cat.png"), (e: Error) =>
      e instanceof IdxFormatError && /cat\.png: not an IDX file \(magic number 89 50 4e 47/.test(e.message));
    assert.throws(() => parseIdx(bytes(0, 0), "x"), /only 2 bytes, too short/);
    assert.throws(() => parseIdx(bytes(0, 0, 0x0a, 1, 0, 0, 0, 1, 0)), /unknown IDX data type 0x0a/);
    assert.throws(() => parseIdx(bytes(0, 0, 0x08, 3, 0, 0, 0, 1), "h"), /truncated header: rank 3 needs 16 header bytes, the file has 8/);
    assert.throws(() => parseIdx(good.subarray(0, 10), "labels"), /labels: truncated: dims \[3\] of ubyte need 3 data bytes after the header, the file has 2/);
    assert.throws(() => parseIdx(bytes(...good, 0)), /1 unexpected bytes after the 3 data bytes/);
    const gz = gzipSync(good);
    assert.throws(() => parseIdx(gz.subarray(0, gz.length - 6), "t.gz"), /t\.gz: starts like a gzip file but does not decompress/);
    assert.throws(() => readIdxFile("/nonexistent/file-idx3-ubyte"), /\/nonexistent\/file-idx3-ubyte: no such file \(expected an IDX file\)/);
  });
});
