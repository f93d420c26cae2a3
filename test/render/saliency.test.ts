// Heat maps, saliency rows and top-image grids drawn from plain arrays.
import assert from "node:assert/strict";
import { heatColor, heatImage, overlayHeat } from "../../src/render/heatmap.js";
import { createImage, pixelRgb } from "../../src/image/index.js";
import { renderSaliency, saliencyGrid } from "../../src/render/saliency.js";
import { renderTopImages, topImagesGrid } from "../../src/render/top-images.js";
import { assertOfflineBundle, decodePng } from "./helpers.js";

const brightness = ([r, g, b]: readonly number[]) => 0.299 * r! + 0.587 * g! + 0.114 * b!;

describe("heat maps", () => {
  it("run from near black to pale yellow, brighter all the way", () => {
    assert.deepEqual(heatColor(0), [0, 0, 4]);
    assert.deepEqual(heatColor(1), [252, 255, 164]);
    let previous = -1;
    for (let t = 0; t <= 1.0001; t += 0.05) {
      const b = brightness(heatColor(t));
      assert.ok(b > previous, `brightness at ${t.toFixed(2)}`);
      previous = b;
    }
    assert.deepEqual(heatColor(Number.NaN), heatColor(0));
    assert.deepEqual(heatColor(7), heatColor(1));
  });

  it("draw the largest value brightest, and an all-zero map dark", () => {
    const image = heatImage([0, 1, 2, 4], 2, 2, [0, 4]);
    assert.deepEqual(pixelRgb(image, 1, 1), [252, 255, 164]);
    assert.deepEqual(pixelRgb(image, 0, 0), [0, 0, 4]);
    const zero = heatImage([0, 0, 0, 0], 2, 2, [0, 0]);
    assert.deepEqual(pixelRgb(zero, 1, 0), [0, 0, 4]);
    assert.throws(() => heatImage([1, 2, 3], 2, 2, [0, 1]), /3 values do not fill a 2x2 map/);
  });

  it("lay over a picture: cold pixels keep the picture, hot ones take the heat colour", () => {
    const base = createImage(2, 1, [100, 150, 200]);
    const mixed = overlayHeat(base, [0, 1], [0, 1]);
    assert.deepEqual(pixelRgb(mixed, 0, 0), [100, 150, 200]);
    assert.deepEqual(pixelRgb(mixed, 1, 0), [252, 255, 164]);
  });
});

describe("renderSaliency", () => {
  const picture = { values: Float32Array.from({ length: 36 }, (_, i) => (i % 6) / 5), shape: [6, 6] };
  const saliency = { values: Float32Array.from({ length: 36 }, (_, i) => (i === 14 ? 2 : 0.1)), shape: [6, 6] };

  it("puts picture, heat map and overlay in one row per image, the peak brightest", () => {
    const grid = saliencyGrid([{ image: picture, saliency, label: "#0", heatLabel: "score 3" }, { image: picture, saliency }], { cellSize: 30 });
    assert.equal(grid.layout.columns, 3);
    assert.equal(grid.layout.rows, 2);
    const heat = grid.layout.tiles[1]!;
    // Pixel 14 is row 2, column 2; each pixel is a 5x5 block at cellSize 30.
    assert.deepEqual(pixelRgb(grid.image, heat.x + 2 * 5 + 2, heat.y + 2 * 5 + 2), [252, 255, 164]);
    assert.ok(brightness(pixelRgb(grid.image, heat.x + 2, heat.y + 2)) < 40, "a low-saliency pixel is dark");
    assert.match(grid.text, /saliency maps of 2 images 6x6x1: picture, heat map, overlay per row/);
    assert.match(grid.text, /#0: largest 2; #1: largest 2/);
  });

  it("is a PNG bundle with no network references", () => {
    const bundle = renderSaliency([{ image: picture, saliency }], { overlay: false });
    assertOfflineBundle(bundle);
    const png = decodePng(bundle["image/png"] as string);
    assert.ok(png.width > 2 * 84 && png.height > 84);
  });

  it("says when the map does not fit the picture", () => {
    assert.throws(() => renderSaliency([{ image: picture, saliency: { values: new Float32Array(25), shape: [5, 5] } }]), /saliency shape \[5, 5\] must be \[6, 6\]/);
    assert.throws(() => renderSaliency([]), /no images/);
  });
});

describe("renderTopImages", () => {
  const image = (k: number) => ({ values: Float32Array.from({ length: 16 }, (_, i) => (i === k ? 1 : 0)), shape: [4, 4] });
  const map = (k: number) => ({ values: Float32Array.from({ length: 4 }, (_, i) => (i === 0 ? k : 0)), shape: [2, 2] });

  it("stacks each map under its image, with one heat scale for all maps", () => {
    const grid = topImagesGrid([1, 2, 3].map((k) => ({ image: image(k), map: map(k), label: `#${k}` })), { cellSize: 20 });
    assert.equal(grid.layout.tiles.length, 3);
    const tile = grid.layout.tiles[2]!;
    assert.ok(tile.height > tile.width, "picture and map stacked");
    // The third map holds the largest value (3): its top-left block is the brightest colour.
    assert.deepEqual(pixelRgb(grid.image, tile.x + tile.width / 2 - 5, tile.y + 20 + 3 + 2), [252, 255, 164]);
    const first = grid.layout.tiles[0]!;
    assert.ok(brightness(pixelRgb(grid.image, first.x + first.width / 2 - 5, first.y + 20 + 3 + 2)) < 200, "a weaker response looks weaker");
    assert.match(grid.text, /under each, its map 2x2: one heat scale for all, black = 0, pale yellow = 3/);
  });

  it("draws images alone when there are no maps, and refuses a mix", () => {
    const bundle = renderTopImages([{ image: image(0) }, { image: image(1) }], { title: "unit 5" });
    assertOfflineBundle(bundle);
    assert.match(bundle["text/plain"], /^unit 5: 2 images 4x4x1/);
    assert.throws(() => renderTopImages([{ image: image(0), map: map(1) }, { image: image(1) }]), /1 of 2 items have a map/);
  });
});
