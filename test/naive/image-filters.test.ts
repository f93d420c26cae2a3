import { strict as assert } from "node:assert";
import { loadSamplePhoto } from "../../src/data/index.js";
import { applyFilter, classicalFilter, classicalFilters, conv2d, type Matrix } from "../../src/naive/index.js";
import { type ClassicalKernelsFixture, loadFixture } from "./fixtures.js";

const fixture = loadFixture<ClassicalKernelsFixture>("classical-kernels.json");

const sum = (m: Matrix): number => m.flat().reduce((a, b) => a + b, 0);
const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const variance = (a: ArrayLike<number>): number => {
  const m = mean(a);
  return Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length;
};

describe("naive classical image filters", () => {
  it("has every kernel of the lecture table, integers and scale as printed", () => {
    const names = Object.keys(fixture).filter((k) => k !== "source");
    assert.deepEqual(classicalFilters.map((k) => k.name).sort(), names.sort());
    for (const name of names) {
      const entry = fixture[name]!;
      const k = classicalFilter(name);
      if (Array.isArray(entry)) {
        assert.deepEqual(k.integers, entry);
        assert.equal(k.scale, 1);
        assert.deepEqual(k.matrix, entry);
      } else if (typeof entry === "object") {
        assert.deepEqual(k.integers, entry.kernel);
        assert.equal(k.scaleText, entry.scale);
        const [num, den] = entry.scale.split("/").map(Number) as [number, number];
        assert.deepEqual(k.matrix, entry.kernel.map((row) => row.map((v) => (v * num) / den)));
      }
      assert.ok(k.description.length > 20, `${name} has a description`);
    }
    assert.throws(() => classicalFilter("emboss"), /unknown filter "emboss"; known: identity, /);
  });

  it("blurs and sharpeners keep brightness (weights sum to 1), edge detectors sum to 0", () => {
    for (const name of ["identity", "sharpen", "box_blur", "gaussian_blur_3x3", "gaussian_blur_5x5", "unsharp_masking_5x5"]) {
      assert.ok(Math.abs(sum(classicalFilter(name).matrix) - 1) < 1e-12, name);
    }
    for (const name of ["edge_detection_1", "edge_detection_2", "edge_detection_3"]) {
      assert.equal(sum(classicalFilter(name).matrix), 0, name);
    }
  });

  it("every table kernel is symmetric under a half-turn (so correlation = convolution)", () => {
    for (const k of classicalFilters) {
      const turned = k.matrix.map((row) => [...row].reverse()).reverse();
      assert.deepEqual(turned, k.matrix, k.name);
    }
  });

  it("with zero borders equals the naive conv2d with 'same' padding", () => {
    const height = 9;
    const width = 11;
    const data = Float32Array.from({ length: height * width }, (_, i) => ((i * 37) % 17) / 16);
    const picture = Array.from({ length: height }, (_, r) => Array.from(data.subarray(r * width, (r + 1) * width)));
    for (const k of classicalFilters) {
      const pad = (k.matrix.length - 1) / 2;
      const expected = conv2d([picture], [[k.matrix]], null, { pad })[0]!;
      const out = applyFilter({ width, height, data }, k, { border: "zero" });
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          assert.ok(Math.abs(out.data[r * width + c]! - expected[r]![c]!) < 1e-5, `${k.name} (${r}, ${c})`);
        }
      }
    }
  });

  it("'extend' borders keep a flat picture flat, 'zero' borders darken its frame", () => {
    const flat = { width: 6, height: 5, data: new Float32Array(30).fill(0.5) };
    for (const k of classicalFilters) {
      const out = applyFilter(flat, k);
      const target = Math.abs(sum(k.matrix)) < 1e-12 ? 0 : 0.5;
      out.data.forEach((v) => assert.ok(Math.abs(v - target) < 1e-6, `${k.name}: ${v}`));
    }
    const blurred = applyFilter(flat, classicalFilter("box_blur"), { border: "zero" });
    assert.ok(Math.abs(blurred.data[0]! - 0.5 * (4 / 9)) < 1e-6);
    assert.ok(Math.abs(blurred.data[2 * 6 + 2]! - 0.5) < 1e-6);
  });

  it("works on the sample photograph: identity copies, blur smooths, edges centre on 0", () => {
    const photo = loadSamplePhoto({ size: 96, greyscale: true });
    const same = applyFilter(photo, classicalFilter("identity"));
    assert.deepEqual(Array.from(same.data), Array.from(photo.data));
    const blurred = applyFilter(photo, classicalFilter("gaussian_blur_5x5"));
    assert.ok(Math.abs(mean(blurred.data) - mean(photo.data)) < 0.01);
    // Neighbour differences shrink after blurring.
    const roughness = (d: ArrayLike<number>): number => {
      let s = 0;
      for (let i = 1; i < d.length; i++) s += Math.abs(d[i]! - d[i - 1]!);
      return s;
    };
    assert.ok(roughness(blurred.data) < 0.6 * roughness(photo.data));
    const edges = applyFilter(photo, classicalFilter("edge_detection_3"));
    assert.ok(Math.abs(mean(edges.data)) < 0.01);
    assert.ok(variance(edges.data) > 0.001);
    assert.throws(() => applyFilter(loadSamplePhoto({ size: 8 }), classicalFilter("identity")), /3 channels; convert it to greyscale/);
    assert.throws(() => applyFilter(photo, [[1, 1]]), /odd sides/);
  });
});
