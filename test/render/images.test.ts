import * as assert from "node:assert/strict";
import { renderActivationMaps } from "../../src/render/activations.js";
import { IMAGE_GRID_DEFAULTS } from "../../src/render/image-grid.js";
import { imagesGrid, renderImageComparison, renderImages } from "../../src/render/images.js";
import { assertOfflineBundle, decodePng, fixture, rgb } from "./helpers.js";

interface XAndO {
  image_9x9_X: number[][];
  filters_3x3: number[][][];
  expected_feature_maps_times_9: number[][][];
}

interface Kernels {
  edge_detection_3: number[][];
  sharpen: number[][];
}

const xo = fixture<XAndO>("x-and-o.json");
const margin = IMAGE_GRID_DEFAULTS.margin;

describe("render/images", () => {
  it("draws X-and-O images at their values: -1 black, +1 white", () => {
    const bundle = renderImages([xo.image_9x9_X], { labels: ["X"], cellSize: 54 });
    assertOfflineBundle(bundle);
    const png = decodePng(bundle["image/png"]!);
    // 9x9 scaled by 6 at the margin; pixel (1, 1) of the X is +1, (0, 0) is -1.
    assert.deepEqual(rgb(png.pixel(margin + 6 + 2, margin + 6 + 2)), [255, 255, 255]);
    assert.deepEqual(rgb(png.pixel(margin + 2, margin + 2)), [0, 0, 0]);
    assert.match(bundle["text/plain"], /1 image 9x9x1/);
    assert.match(bundle["text/plain"], /values \[-1, 1\]; black = -1, white = 1/);
  });

  it("frames wrong predictions in red and right ones in green, and lists the mistakes", () => {
    const batch = { values: new Float32Array(3 * 4 * 4).map((_, i) => (i % 16) / 15), shape: [3, 4, 4, 1] };
    const options = { labels: [7, 1, 2], predictions: [7, 7, 2], classNames: ["zero", "one", "two", "three", "four", "five", "six", "seven"], columns: 3, cellSize: 48 };
    const bundle = renderImages(batch, options);
    const png = decodePng(bundle["image/png"]!);
    const { layout } = imagesGrid(batch, options);
    assert.equal(png.width, layout.width);
    // Frames are 2 px wide just outside each tile.
    const framePixel = (i: number): number[] => rgb(png.pixel(layout.tiles[i]!.x - 1, layout.tiles[i]!.y + 10));
    assert.deepEqual(framePixel(0), [40, 150, 60]);
    assert.deepEqual(framePixel(1), [210, 30, 30]);
    assert.deepEqual(framePixel(2), [40, 150, 60]);
    // Inside tile 0: pixel (0, 0) of the first image is 0 -> black, (3, 3) is 15/15 -> white.
    const t = layout.tiles[0]!;
    assert.deepEqual(rgb(png.pixel(t.x, t.y)), [0, 0, 0]);
    assert.deepEqual(rgb(png.pixel(t.x + t.width - 1, t.y + t.height - 1)), [255, 255, 255]);
    assert.match(bundle["text/plain"], /2 of 3 correct/);
    assert.match(bundle["text/plain"], /#1 \(true one, predicted seven\)/);
  });

  it("keeps [0, 1] data on its natural scale unless asked to stretch each image", () => {
    const dim = { values: new Float32Array(4).fill(0.2).map((v, i) => (i === 3 ? 0.4 : v)), shape: [2, 2] };
    const shared = decodePng(renderImages([dim], { cellSize: 2 })["image/png"]!);
    assert.deepEqual(rgb(shared.pixel(margin + 1, margin + 1)), [102, 102, 102], "0.4 of [0, 1] is grey 102");
    const stretched = decodePng(renderImages([dim], { cellSize: 2, normalize: "each" })["image/png"]!);
    assert.deepEqual(rgb(stretched.pixel(margin + 1, margin + 1)), [255, 255, 255]);
    assert.throws(() => renderImages([dim], { labels: [1, 2] }), /2 labels for 1 images/);
    assert.throws(() => renderImages({ values: new Float32Array(16), shape: [2, 2, 2, 2] }), /need 1, 3 or 4 channels, got 2/);
  });

  it("compares images side by side with captions and per-image ranges", () => {
    const kernels = fixture<Kernels>("classical-kernels.json");
    const bundle = renderImageComparison([
      { image: xo.image_9x9_X, caption: "X" },
      { image: kernels.edge_detection_3, caption: "edge <3>" },
      { image: kernels.sharpen, caption: "sharpen" },
    ]);
    assertOfflineBundle(bundle);
    const png = decodePng(bundle["image/png"]!);
    assert.ok(png.width > 3 * 128, "three 128 px images in one row");
    assert.match(bundle["text/plain"], /edge <3>: 3x3x1, values \[-1, 8\]/);
    assert.match(bundle["text/html"] as string, /edge &lt;3&gt;/);
    assert.doesNotMatch(bundle["text/html"] as string, /edge <3>/);
  });
});

describe("render/activations", () => {
  // The lecture's three X-and-O feature maps (7x7), stored HWC as a conv layer outputs them.
  const maps = xo.expected_feature_maps_times_9;
  const values = new Float32Array(7 * 7 * 3);
  maps.forEach((m, c) => m.forEach((row, y) => row.forEach((v, x) => (values[(y * 7 + x) * 3 + c] = v / 9))));

  it("draws one tile per channel; with one shared range the largest activation is white", () => {
    const bundle = renderActivationMaps(values, [7, 7, 3], { normalize: "all", labels: false, columns: 3, cellSize: 49 });
    assertOfflineBundle(bundle);
    const png = decodePng(bundle["image/png"]!);
    const tile = (c: number, x: number, y: number): number[] => rgb(png.pixel(margin + c * (49 + IMAGE_GRID_DEFAULTS.gap) + x * 7 + 3, margin + y * 7 + 3));
    // Map 0 has 9/9 = 1 at (1, 1): the overall max. Map 2 has -1/9 at (1, 1)... the min is -7/9 somewhere.
    assert.equal(maps[0]![1]![1], 9);
    assert.deepEqual(tile(0, 1, 1), [255, 255, 255]);
    const min = Math.min(...values);
    const minIndex = values.indexOf(min);
    const [y, x, c] = [Math.floor(minIndex / 21), Math.floor(minIndex / 3) % 7, minIndex % 3];
    assert.deepEqual(tile(c, x, y), [0, 0, 0]);
    assert.match(bundle["text/plain"], /3 activation maps of 7x7/);
    assert.match(bundle["text/plain"], /values \[-0\.7778, 1\]/);
  });

  it("shows the input image first, and counts dead (all-zero) maps", () => {
    const relu = values.map((v, i) => (i % 3 === 2 ? 0 : Math.max(0, v)));
    const bundle = renderActivationMaps(relu, [1, 7, 7, 3], { input: xo.image_9x9_X, labels: true });
    assert.match(bundle["text/plain"], /input 9x9x1 shown first/);
    assert.match(bundle["text/plain"], /1 constant map \(1 all zero\)/);
    assert.throws(() => renderActivationMaps(values, [7, 7]), /must be \[h, w, channels\]/);
  });
});
