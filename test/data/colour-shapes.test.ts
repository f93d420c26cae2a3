import { strict as assert } from "node:assert";
import { classCounts, COLOUR_SHAPES_CLASS_NAMES, generateColourShapes, imageAt, type ImageDataset } from "../../src/data/index.js";

const mean = (a: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]!;
  return sum / a.length;
};

/** Mean absolute difference between horizontal neighbours (texture energy). */
function roughness(image: Float32Array, size: number): number {
  let s = 0;
  for (let r = 0; r < size; r++) for (let c = 1; c < size; c++) for (let ch = 0; ch < 3; ch++) {
    s += Math.abs(image[(r * size + c) * 3 + ch]! - image[(r * size + c - 1) * 3 + ch]!);
  }
  return s / (size * (size - 1) * 3);
}

/** Per-class averages of a per-image statistic. */
function perClass(ds: ImageDataset, stat: (img: Float32Array) => number): number[] {
  const sums = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < ds.labels.length; i++) sums[ds.labels[i]!] += stat(imageAt(ds, i));
  const counts = classCounts(ds);
  return sums.map((s, k) => s / counts[k]!);
}

describe("data: colour shapes (generated 32x32x3)", () => {
  const ds = generateColourShapes({ count: 1600, seed: 11 });

  it("is balanced, in 0..1, seeded", () => {
    assert.deepEqual(ds.shape, [32, 32, 3]);
    assert.deepEqual(ds.classNames, COLOUR_SHAPES_CLASS_NAMES);
    assert.equal(ds.classNames.length, 8);
    assert.deepEqual(classCounts(ds), new Array(8).fill(200));
    assert.ok(ds.images.every((v) => v >= 0 && v <= 1));
    const again = generateColourShapes({ count: 20, seed: 11 });
    assert.deepEqual(again.images, generateColourShapes({ count: 20, seed: 11 }).images);
    assert.notDeepEqual(again.images, generateColourShapes({ count: 20, seed: 12 }).images);
    assert.deepEqual(generateColourShapes({ count: 4, size: 48, seed: 1 }).shape, [48, 48, 3]);
  });

  it("does not give the class away by colour or brightness", () => {
    const overall = mean(ds.images);
    for (const [k, m] of perClass(ds, mean).entries()) {
      assert.ok(Math.abs(m - overall) < 0.04, `${ds.classNames[k]}: mean ${m.toFixed(3)} vs ${overall.toFixed(3)}`);
    }
    for (let ch = 0; ch < 3; ch++) {
      const channelMean = (img: Float32Array): number => {
        let sum = 0;
        for (let i = ch; i < img.length; i += 3) sum += img[i]!;
        return sum / (img.length / 3);
      };
      for (const m of perClass(ds, channelMean)) assert.ok(Math.abs(m - overall) < 0.05);
    }
  });

  it("defeats a nearest-class-mean (linear) classifier: near chance on new images", () => {
    const train = ds;
    const test = generateColourShapes({ count: 400, seed: 12 });
    const size = 32 * 32 * 3;
    const means = Array.from({ length: 8 }, () => new Float64Array(size));
    const counts = classCounts(train);
    for (let i = 0; i < train.labels.length; i++) {
      const m = means[train.labels[i]!]!;
      const img = imageAt(train, i);
      for (let p = 0; p < size; p++) m[p]! += img[p]! / counts[train.labels[i]!]!;
    }
    let correct = 0;
    for (let i = 0; i < test.labels.length; i++) {
      const img = imageAt(test, i);
      let best = -1;
      let bestDistance = Infinity;
      means.forEach((m, k) => {
        let d = 0;
        for (let p = 0; p < size; p++) d += (img[p]! - m[p]!) ** 2;
        if (d < bestDistance) [best, bestDistance] = [k, d];
      });
      if (best === test.labels[i]) correct++;
    }
    const accuracy = correct / test.labels.length;
    assert.ok(accuracy < 0.25, `nearest-mean accuracy ${accuracy} should be near chance (0.125)`);
  });

  it("carries the class in shape and texture: stripes and checkers are the roughest", () => {
    const clean = generateColourShapes({ count: 400, seed: 3, noise: 0, clutter: 0 });
    const r = perClass(clean, (img) => roughness(img, 32));
    const byName = Object.fromEntries(clean.classNames.map((n, k) => [n, r[k]!]));
    for (const textured of ["stripes", "checker"]) {
      for (const plain of ["circle", "square", "triangle"]) {
        assert.ok(byName[textured]! > 1.5 * byName[plain]!, `${textured} ${byName[textured]} vs ${plain} ${byName[plain]}`);
      }
    }
    assert.throws(() => generateColourShapes({ count: -1 }), /count must be a whole number/);
  });
});
