import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadSamplePhoto, SAMPLE_PHOTO, samplePhotoPath } from "../../src/data/index.js";

describe("data: sample photograph", () => {
  it("loads the 256x256 RGB photo in 0..1", () => {
    const photo = loadSamplePhoto();
    assert.deepEqual([photo.width, photo.height, photo.channels], [256, 256, 3]);
    assert.equal(photo.data.length, 256 * 256 * 3);
    let min = 1;
    let max = 0;
    for (const v of photo.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // A real photograph: wide range, not a flat or synthetic picture.
    assert.ok(min < 0.1 && max > 0.75, `range ${min}..${max}`);
  });

  it("resizes and converts to greyscale on request", () => {
    const grey = loadSamplePhoto({ size: 64, greyscale: true });
    assert.deepEqual([grey.width, grey.height, grey.channels, grey.data.length], [64, 64, 1, 64 * 64]);
    const colour = loadSamplePhoto({ size: 64 });
    const luma = 0.299 * colour.data[0]! + 0.587 * colour.data[1]! + 0.114 * colour.data[2]!;
    assert.ok(Math.abs(grey.data[0]! - luma) < 1e-5);
  });

  it("ships with its licence and keeps the assets small", () => {
    const dir = dirname(samplePhotoPath());
    const licence = readFileSync(join(dir, "LICENSE-PHOTO.md"), "utf8");
    assert.match(licence, /CC0/);
    assert.match(licence, new RegExp(SAMPLE_PHOTO.author));
    const total = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    assert.ok(total < 2 * 1024 * 1024, `assets are ${total} bytes`);
  });
});
