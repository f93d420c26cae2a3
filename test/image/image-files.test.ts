import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { PNG } from "pngjs";
import { classCounts, loadImageFolder, readImageFile } from "../../src/data/index.js";
import { decodeImage, encodeJpeg, encodePng, type Image, resize, toChannels, UnsupportedImageError } from "../../src/image/index.js";

/** An RGB test card whose values are exact multiples of 1/255. */
function testCard(width: number, height: number): Image {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    data[(y * width + x) * 3] = ((x * 40) % 256) / 255;
    data[(y * width + x) * 3 + 1] = ((y * 30) % 256) / 255;
    data[(y * width + x) * 3 + 2] = (((x + y) * 17) % 256) / 255;
  }
  return { width, height, channels: 3, data };
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), "convnote-images-"));

describe("image files (src/image codecs, src/data image folders)", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  it("writes a PNG and reads back the same pixels", () => {
    const dir = tempDir();
    const card = testCard(7, 5);
    writeFileSync(join(dir, "card.png"), encodePng(card));
    const back = readImageFile(join(dir, "card.png"));
    assert.deepEqual([back.width, back.height, back.channels], [7, 5, 3]);
    back.data.forEach((v, i) => assert.ok(Math.abs(v - card.data[i]!) < 1e-6));
  });

  it("reads greyscale PNGs and blends transparent pixels over white", () => {
    const grey = new PNG({ width: 2, height: 1 });
    grey.data.set([10, 10, 10, 255, 200, 200, 200, 255]);
    const decodedGrey = decodeImage(PNG.sync.write(grey, { colorType: 0 }));
    assert.deepEqual(Array.from(decodedGrey.data, (v) => Math.round(v * 255)), [10, 10, 10, 200, 200, 200]);
    const rgba = new PNG({ width: 2, height: 1 });
    rgba.data.set([0, 0, 0, 0, 255, 0, 0, 255]);
    const decoded = decodeImage(PNG.sync.write(rgba, { colorType: 6 }));
    assert.deepEqual(Array.from(decoded.data), [1, 1, 1, 1, 0, 0]);
  });

  it("writes a JPEG and reads it back closely (lossy)", () => {
    const dir = tempDir();
    const card = testCard(16, 16);
    writeFileSync(join(dir, "card.jpg"), encodeJpeg(card, 95));
    const back = readImageFile(join(dir, "card.jpg"));
    assert.deepEqual([back.width, back.height], [16, 16]);
    const error = back.data.reduce((s, v, i) => s + Math.abs(v - card.data[i]!), 0) / back.data.length;
    assert.ok(error < 0.04, `mean error ${error}`);
  });

  it("converts to greyscale with BT.601 luma", () => {
    const rgb: Image = { width: 3, height: 1, channels: 3, data: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) };
    const grey = toChannels(rgb, 1);
    assert.equal(grey.channels, 1);
    assert.deepEqual(Array.from(grey.data, (v) => Math.round(v * 1000)), [299, 587, 114]);
  });

  it("resizes like tf.image.resizeBilinear with half-pixel centres", () => {
    for (const [h, w, oh, ow] of [[3, 4, 7, 5], [8, 8, 5, 5], [5, 3, 5, 6]] as const) {
      const card = testCard(w, h);
      const ours = resize(card, oh, ow);
      const theirs = tf.tidy(() =>
        tf.image.resizeBilinear(tf.tensor3d(card.data, [h, w, 3]), [oh, ow], false, true).dataSync(),
      );
      assert.equal(ours.data.length, theirs.length);
      ours.data.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]!) < 1e-5, `${h}x${w}->${oh}x${ow} at ${i}: ${v} vs ${theirs[i]}`));
    }
  });

  it("averages whole blocks when shrinking a lot (no aliasing)", () => {
    // A one-pixel checkerboard: plain bilinear sampling would return pure black or white.
    const n = 16;
    const data = Float32Array.from({ length: n * n }, (_, i) => ((i % n) + Math.floor(i / n)) % 2);
    const small = resize({ width: n, height: n, channels: 1, data }, 4, 4);
    small.data.forEach((v) => assert.ok(Math.abs(v - 0.5) < 1e-6));
  });

  it("loads a folder with one sub-folder per class", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "cats"));
    mkdirSync(join(dir, "dogs"));
    writeFileSync(join(dir, "cats", "a.png"), encodePng(testCard(10, 8)));
    writeFileSync(join(dir, "cats", "b.jpg"), encodeJpeg(testCard(20, 20)));
    writeFileSync(join(dir, "dogs", "c.png"), encodePng(testCard(4, 4)));
    writeFileSync(join(dir, "dogs", ".DS_Store"), "junk");
    writeFileSync(join(dir, "README.txt"), "top-level files are ignored");
    const ds = loadImageFolder(dir, { height: 6, width: 6 });
    assert.deepEqual(ds.classNames, ["cats", "dogs"]);
    assert.deepEqual(ds.shape, [6, 6, 3]);
    assert.deepEqual(classCounts(ds), [2, 1]);
    assert.deepEqual(Array.from(ds.labels), [0, 0, 1]);
    const grey = loadImageFolder(dir, { height: 4, width: 4, channels: 1, name: "pets" });
    assert.deepEqual([grey.name, ...grey.shape], ["pets", 4, 4, 1]);
    // The 4x4 dog needs no resizing: its grey values are the luma of the card.
    const card = toChannels(testCard(4, 4), 1);
    grey.images.subarray(32, 48).forEach((v, i) => assert.ok(Math.abs(v - card.data[i]!) < 1e-6));
  });

  it("names unsupported and damaged files", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "x"));
    writeFileSync(join(dir, "x", "notes.txt"), "hello");
    assert.throws(() => loadImageFolder(dir, { height: 4, width: 4 }), (e: Error) =>
      e instanceof UnsupportedImageError && e.message.includes("notes.txt: not a PNG or JPEG image; ConvNote reads PNG and JPEG files only"));
    const gif = Buffer.from("GIF89a\x01\x00\x01\x00", "latin1");
    assert.throws(() => decodeImage(gif, "anim.gif"), /anim\.gif: a GIF image; ConvNote reads PNG and JPEG files only/);
    const png = encodePng(testCard(4, 4));
    assert.throws(() => decodeImage(png.subarray(0, 30), "cut.png"), /cut\.png: PNG file cannot be decoded/);
    assert.throws(() => loadImageFolder(tempDir(), { height: 2, width: 2 }), /has no sub-folders/);
  });
});
