// Image and IDX files are untrusted input (issue 15): a PNG's size is checked before decoding
// (a megapixel limit that can be raised), a PNG whose data is short of what its header says is
// refused, gzip is never inflated past what an IDX header promises, and errors name the file.
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { parseDataSpec, prepareData } from "../../src/cli/data-argument.js";
import { loadIdxPair } from "../../src/data/idx-dataset.js";
import { encodeIdx, parseIdx, readImageFile } from "../../src/data/index.js";
import { decodeImage, encodeJpeg, encodePng, ImageTooLargeError, type Image } from "../../src/image/index.js";

const tempDir = (): string => mkdtempSync(join(tmpdir(), "convnote-untrusted-images-"));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG whose header says width x height and whose IDAT holds `idat` (valid CRCs). */
function pngWith(width: number, height: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

/** Raw filtered scanlines of a black RGB image (filter byte 0 per row). */
const blackScanlines = (width: number, height: number) => Buffer.alloc(height * (1 + width * 3));

const grey = (width: number, height: number): Image => ({ width, height, channels: 3, data: new Float32Array(width * height * 3).fill(0.5) });

describe("image and IDX files are untrusted input", () => {
  it("refuses a PNG that claims 20000x20000 before decoding it, naming the size, the memory and the option", () => {
    const bomb = pngWith(20000, 20000, deflateSync(Buffer.alloc(1 << 20)));
    assert.ok(bomb.length < 2 << 20, "a small file");
    assert.throws(
      () => decodeImage(bomb, "bomb.png"),
      (e: Error) =>
        e instanceof ImageTooLargeError &&
        /^bomb\.png: 20000x20000 pixels \(400\.0 megapixels\) is more than the limit of 50; decoding it would take about 6\.4 GB\. .*raise the limit \(maxMegapixels, --max-megapixels\)$/.test(e.message),
    );
  });

  it("refuses a PNG whose data is shorter (or longer) than its header says", () => {
    const full = deflateSync(blackScanlines(2000, 2000));
    assert.throws(() => decodeImage(pngWith(2000, 2000, full.subarray(0, 1000)), "short.png"), /short\.png: PNG file cannot be decoded \(its image data does not inflate: .*\); the file is truncated or damaged/);
    const fewerRows = deflateSync(blackScanlines(2000, 10));
    assert.throws(() => decodeImage(pngWith(2000, 2000, fewerRows), "rows.png"), /rows\.png: the PNG header says 2000x2000, which takes 12,002,000 bytes of image data, but the file's data holds 60,010/);
    const moreRows = deflateSync(blackScanlines(20, 30));
    assert.throws(() => decodeImage(pngWith(20, 20, moreRows), "long.png"), /long\.png: the PNG header says 20x20, .* holds more/);
    assert.equal(decodeImage(pngWith(20, 20, deflateSync(blackScanlines(20, 20))), "ok.png").width, 20);
  });

  it("applies the megapixel limit to PNG and JPEG, and lets the caller raise it", () => {
    const png = encodePng(grey(300, 200));
    const jpeg = encodeJpeg(grey(300, 200));
    for (const [bytes, name] of [[png, "p.png"], [jpeg, "j.jpg"]] as const) {
      assert.throws(() => decodeImage(bytes, name, { maxMegapixels: 0.05 }), new RegExp(`${name.replace(".", "\\.")}: 300x200 pixels \\(0\\.1 megapixels\\) is more than the limit of 0\\.05`));
      assert.equal(decodeImage(bytes, name, { maxMegapixels: 0.06 }).width, 300);
    }
    const dir = tempDir();
    writeFileSync(join(dir, "p.png"), png);
    assert.throws(() => readImageFile(join(dir, "p.png"), { maxMegapixels: 0.01 }), ImageTooLargeError);
  });

  it("names a folder, a missing file or a device given as an image", () => {
    const dir = tempDir();
    assert.throws(() => readImageFile(dir), new RegExp(`${dir} is a folder, not a PNG or JPEG image$`));
    assert.throws(() => readImageFile(join(dir, "none.png")), /none\.png: no such file \(expected a PNG or JPEG image\)/);
    assert.throws(() => readImageFile("/dev/zero"), /\/dev\/zero is not a regular file/);
  });

  it("never inflates a gzipped IDX file past what its header promises", () => {
    // A header for 3 bytes of labels, followed by 16 MiB of zeros: 16 KiB of gzip.
    const header = encodeIdx({ dtype: "ubyte", dims: [3], data: new Uint8Array(3) });
    const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(16 << 20)]));
    assert.throws(() => parseIdx(bomb, "labels.gz"), /labels\.gz: decompresses to more than the 11 bytes its header promises/);
    // A header that promises more than ConvNote reads is refused before inflating anything.
    const huge = Buffer.from([0, 0, 0x08, 3, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 1]);
    assert.throws(() => parseIdx(gzipSync(huge), "huge.gz"), /huge\.gz: its header promises 1,074,790,416 bytes of data, more than ConvNote reads from an IDX file/);
    const good = encodeIdx({ dtype: "ubyte", dims: [2, 2], data: new Uint8Array([1, 2, 3, 4]) });
    assert.deepEqual(Array.from(parseIdx(gzipSync(good)).data), [1, 2, 3, 4]);
  });

  it("says an IDX file with no images holds none", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "images"), encodeIdx({ dtype: "ubyte", dims: [0, 28, 28], data: new Uint8Array(0) }));
    writeFileSync(join(dir, "labels"), encodeIdx({ dtype: "ubyte", dims: [0], data: new Uint8Array(0) }));
    const load = () => loadIdxPair({ name: "empty", imagesPath: join(dir, "images"), labelsPath: join(dir, "labels"), classNames: ["a", "b"], count: 5 });
    assert.throws(load, /images: holds no images \(dims \[0, 28, 28\]\)/);
  });

  it("a folder with one class is an error that says a classifier needs two", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "cats"));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, "cats", `${i}.png`), encodePng(grey(8, 8)));
    assert.throws(() => prepareData(parseDataSpec(`folder:${dir}`), [8, 8, 3], { seed: 0 }), /has one class folder \(cats\); a classifier learns to tell classes apart, so give it at least two sub-folders/);
  });
});
