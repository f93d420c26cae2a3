import { pixelRgb } from "../../src/image/index.js";
import * as assert from "node:assert/strict";
import { filterGrid, renderFilters } from "../../src/render/filters.js";
import { IMAGE_GRID_DEFAULTS } from "../../src/render/image-grid.js";
import { assertOfflineBundle, decodePng, rgb } from "./helpers.js";

/** HWIO index of weight (r, c, in i, out k). */
function hwio(shape: readonly [number, number, number, number], r: number, c: number, i: number, k: number): number {
  return ((r * shape[1] + c) * shape[2] + i) * shape[3] + k;
}

describe("render/filters", () => {
  const shape = [3, 3, 1, 4] as const;
  const weights = new Float32Array(3 * 3 * 1 * 4).fill(0.1);
  // Filter 1 holds the maximum everywhere, filter 2 the minimum.
  for (let p = 0; p < 9; p++) {
    weights[hwio(shape, Math.floor(p / 3), p % 3, 0, 1)] = 0.8;
    weights[hwio(shape, Math.floor(p / 3), p % 3, 0, 2)] = -0.4;
  }

  it("draws the max-weight tile white, the min tile black, gaps in the background colour", () => {
    const bundle = renderFilters(weights, shape, { labels: false, columns: 4 });
    assertOfflineBundle(bundle);
    const png = decodePng(bundle["image/png"]!);
    const grid = filterGrid(weights, shape, { labels: false, columns: 4 });
    assert.equal(png.width, grid.layout.width);
    assert.equal(png.height, grid.layout.height);
    const [t0, t1, t2] = grid.layout.tiles;
    assert.equal(t1!.width, 48, "3x3 filters are scaled to 48 px");
    assert.deepEqual(rgb(png.pixel(t1!.x + 10, t1!.y + 10)), [255, 255, 255]);
    assert.deepEqual(rgb(png.pixel(t2!.x + 47, t2!.y + 47)), [0, 0, 0]);
    // 0.1 in [-0.4, 0.8] is 5/12 of the way: grey 106.
    assert.deepEqual(rgb(png.pixel(t0!.x, t0!.y)), [106, 106, 106]);
    // The gap between tile 0 and tile 1, and the outer margin.
    assert.deepEqual(rgb(png.pixel(t0!.x + 48 + 1, t0!.y + 5)), [...IMAGE_GRID_DEFAULTS.background]);
    assert.deepEqual(rgb(png.pixel(0, 0)), [...IMAGE_GRID_DEFAULTS.background]);
    assert.match(bundle["text/plain"], /range \[-0\.4, 0\.8\]/);
    assert.match(bundle["text/plain"], /black = -0\.4, white = 0\.8/);
    assert.match(bundle["text/html"] as string, /<img src="data:image\/png;base64,/);
  });

  it("normalises each filter to its own range on request", () => {
    const w = new Float32Array(3 * 3 * 1 * 2);
    for (let p = 0; p < 9; p++) {
      w[hwio([3, 3, 1, 2], Math.floor(p / 3), p % 3, 0, 0)] = p; // 0..8
      w[hwio([3, 3, 1, 2], Math.floor(p / 3), p % 3, 0, 1)] = p / 100; // 0..0.08
    }
    const all = filterGrid(w, [3, 3, 1, 2], { labels: false, normalize: "all" });
    const each = filterGrid(w, [3, 3, 1, 2], { labels: false, normalize: "each" });
    const bottomRight = (g: typeof all, k: number): number => {
      const t = g.layout.tiles[k]!;
      return pixelRgb(g.image, t.x + t.width - 1, t.y + t.height - 1)[0];
    };
    assert.equal(bottomRight(all, 0), 255);
    assert.equal(bottomRight(all, 1), 3, "0.08 of a shared [0, 8] range is nearly black");
    assert.equal(bottomRight(each, 1), 255, "each filter reaches white at its own max");
    assert.match(each.text, /each filter scaled to its own range/);
  });

  it("shows a 3-input-channel first layer as RGB tiles", () => {
    const s = [3, 3, 3, 2] as const;
    const w = new Float32Array(3 * 3 * 3 * 2);
    // Filter 0 is pure red (channel 0 at max), filter 1 pure blue; range [0, 1].
    for (let p = 0; p < 9; p++) {
      const r = Math.floor(p / 3);
      const c = p % 3;
      w[hwio(s, r, c, 0, 0)] = 1;
      w[hwio(s, r, c, 2, 1)] = 1;
    }
    const grid = filterGrid(w, s, { labels: false });
    const pixel = (k: number): number[] => {
      const t = grid.layout.tiles[k]!;
      return pixelRgb(grid.image, t.x + 1, t.y + 1);
    };
    assert.deepEqual(pixel(0), [255, 0, 0]);
    assert.deepEqual(pixel(1), [0, 0, 255]);
    assert.match(grid.text, /as RGB/);
  });

  it("lays out every input channel as a row in `all` mode and caps filters", () => {
    const s = [5, 5, 4, 10] as const;
    const w = new Float32Array(5 * 5 * 4 * 10).map((_, i) => Math.sin(i));
    const grid = filterGrid(w, s, { mode: "all", maxFilters: 6, labels: false });
    assert.equal(grid.layout.tiles.length, 4 * 6);
    assert.equal(grid.layout.columns, 6);
    assert.equal(grid.layout.rows, 4);
    assert.ok(grid.layout.tiles[0]!.width >= 48);
    assert.match(grid.text, /first 6 of 10 shown/);
  });

  it("explains bad input", () => {
    assert.throws(() => renderFilters(new Float32Array(10), [3, 3, 1, 4]), /10 weights do not match shape \[3, 3, 1, 4\]/);
    assert.throws(() => renderFilters(new Float32Array(36), [3, 3, 1, 4], { mode: "rgb" }), /needs 3 input channels/);
    assert.throws(() => renderFilters(new Float32Array(72), [3, 3, 2, 4], { channel: 5 }), /channel 5 is out of range/);
  });
});
