import * as assert from "node:assert/strict";
import { renderFilterCard } from "../../src/render/filter-card.js";
import { quantileRange } from "../../src/render/quantile-range.js";
import { applyFilter, classicalFilter } from "../../src/naive/image-filters.js";
import { assertOfflineBundle, decodePng, fixture, rgb } from "./helpers.js";
import { byClass, byTag, parseMarkup, tableCells } from "./markup.js";

interface Kernels {
  gaussian_blur_3x3: { scale: string; kernel: number[][] };
  edge_detection_2: number[][];
}

const kernels = fixture<Kernels>("classical-kernels.json");

/** A 6x8 picture: left half 0.2, right half 0.8, a vertical edge in the middle. */
function step(): { width: number; height: number; data: Float32Array } {
  const width = 8;
  const height = 6;
  return { width, height, data: Float32Array.from({ length: width * height }, (_, i) => (i % width < 4 ? 0.2 : 0.8)) };
}

describe("render/filter-card", () => {
  it("prints the kernel as the lecture's table with its scale, beside the picture at its own size", () => {
    const kernel = classicalFilter("gaussian_blur_3x3");
    const picture = step();
    const blurred = applyFilter(picture, kernel);
    const bundle = renderFilterCard({ ...kernel, picture: { values: blurred.data, shape: [picture.height, picture.width] } }, { range: [0, 1] });
    assertOfflineBundle(bundle);
    const root = parseMarkup(bundle["text/html"] as string);
    const [card] = byClass(root, "convnote-filter-card");
    assert.equal(card!.attrs["data-filter"], "gaussian_blur_3x3");
    const [table] = byClass(card!, "convnote-filter-matrix");
    assert.deepEqual(tableCells(table!), kernels.gaussian_blur_3x3.kernel.map((r) => r.map(String)));
    assert.equal(table!.attrs["data-scale"], kernels.gaussian_blur_3x3.scale);
    const [img] = byTag(card!, "img");
    assert.equal(img!.attrs["src"], `data:image/png;base64,${bundle["image/png"]}`);
    const png = decodePng(bundle["image/png"] as string);
    assert.deepEqual([png.width, png.height], [8, 6]);
    assert.equal(Buffer.from(bundle["image/png"] as string, "base64")[25], 0, "a grey picture is stored as a one-channel PNG");
    // Far from the edge the blur keeps 0.2 and 0.8 (grey 51 and 204); at the edge it mixes them.
    assert.deepEqual(rgb(png.pixel(0, 3)), [51, 51, 51]);
    assert.deepEqual(rgb(png.pixel(7, 3)), [204, 204, 204]);
    assert.deepEqual(rgb(png.pixel(3, 3)), [Math.round(0.35 * 255), Math.round(0.35 * 255), Math.round(0.35 * 255)]);
    assert.match(bundle["text/plain"], /^Gaussian blur 3x3 \(gaussian_blur_3x3\), 3x3 kernel, scaled by 1\/16\n1  2  1\n2  4  2\n1  2  1\n/);
    assert.match(bundle["text/plain"], /picture 6x8, values \[0\.2, 0\.8\]; black = 0, white = 1/);
  });

  it("shows a signed edge response on a diverging scale: white where flat, red and blue at the edge", () => {
    const kernel = classicalFilter("edge_detection_2");
    assert.deepEqual(kernel.integers, kernels.edge_detection_2);
    const picture = step();
    const edges = applyFilter(picture, kernel);
    const range = quantileRange(edges.data, 1, { symmetric: true });
    assert.deepEqual(range.map((v) => Number(v.toFixed(6))), [-0.6, 0.6]);
    const bundle = renderFilterCard({ ...kernel, picture: { values: edges.data, shape: [6, 8] } }, { colormap: "diverging", range });
    const png = decodePng(bundle["image/png"] as string);
    assert.equal(Buffer.from(bundle["image/png"] as string, "base64")[25], 2, "a colour scale needs an RGB PNG");
    assert.deepEqual(rgb(png.pixel(0, 2)), [255, 255, 255], "flat area: zero response, white");
    assert.deepEqual(rgb(png.pixel(3, 2)), [178, 24, 43], "dark side of the edge: +0.6, full red");
    assert.deepEqual(rgb(png.pixel(4, 2)), [33, 102, 172], "bright side: -0.6, full blue");
    assert.match(bundle["text/plain"], /blue = -0\.6, white = 0, red = 0\.6/);
    assert.equal(byClass(parseMarkup(bundle["text/html"] as string), "convnote-filter-matrix")[0]!.attrs["data-scale"], undefined);
    assert.throws(() => renderFilterCard({ ...kernel, integers: [[1, 2], [3]], picture: [[0]] }), /non-empty rectangle/);
  });
});

describe("render/quantile-range", () => {
  it("cuts off the extreme values, symmetric around zero or not", () => {
    const values = Float32Array.from({ length: 100 }, (_, i) => i - 50); // -50 .. 49
    values[0] = -1000;
    values[99] = 1000;
    assert.deepEqual(quantileRange(values, 0.98), [-48, 47]);
    assert.deepEqual(quantileRange(values, 1), [-1000, 1000]);
    assert.deepEqual(quantileRange(values, 0.98, { symmetric: true }), [-49, 49]);
    assert.deepEqual(quantileRange([0, 0, 0, 5], 0.6, { symmetric: true }), [-5, 5], "all-zero quantile falls back to the largest");
    assert.deepEqual(quantileRange([NaN, 2, 2], 0.9), [2, 2]);
    assert.throws(() => quantileRange(values, 0.3), /q must lie in \(0\.5, 1\]/);
  });
});
