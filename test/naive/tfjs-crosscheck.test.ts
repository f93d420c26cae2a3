/**
 * The naive code against TensorFlow.js on its CPU backend: same demo
 * numbers, same X-and-O maps, and random shapes, within 1e-5.
 */

import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { conv2d, maxPoolVolume, relu, type Volume } from "../../src/naive/index.js";
import { type Cs231nDemo, loadFixture, type XAndO } from "./fixtures.js";

const demo = loadFixture<Cs231nDemo>("cs231n-conv-demo.json");
const xo = loadFixture<XAndO>("x-and-o.json");

/** [C][H][W] -> tensor [1, H, W, C] (NHWC, tfjs's layout). */
function toNhwc(v: Volume): tf.Tensor4D {
  const c = v.length;
  const h = v[0]!.length;
  const w = v[0]![0]!.length;
  const data = new Float32Array(h * w * c);
  for (let ch = 0; ch < c; ch++) for (let r = 0; r < h; r++) for (let col = 0; col < w; col++) data[(r * w + col) * c + ch] = v[ch]![r]![col]!;
  return tf.tensor4d(data, [1, h, w, c]);
}

/** [K][C][FH][FW] -> tensor [FH, FW, C, K] (tfjs filter layout). */
function toHwio(filters: Volume[]): tf.Tensor4D {
  const k = filters.length;
  const c = filters[0]!.length;
  const fh = filters[0]![0]!.length;
  const fw = filters[0]![0]![0]!.length;
  const data = new Float32Array(fh * fw * c * k);
  filters.forEach((f, ki) => {
    for (let ch = 0; ch < c; ch++) for (let i = 0; i < fh; i++) for (let j = 0; j < fw; j++) data[((i * fw + j) * c + ch) * k + ki] = f[ch]![i]![j]!;
  });
  return tf.tensor4d(data, [fh, fw, c, k]);
}

/** tensor [1, H, W, K] -> [K][H][W]. */
function fromNhwc(t: tf.Tensor): Volume {
  const [, h, w, k] = t.shape as [number, number, number, number];
  const data = t.dataSync();
  return Array.from({ length: k }, (_, ch) =>
    Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, col) => data[(r * w + col) * k + ch]!)),
  );
}

function assertClose(actual: Volume, expected: Volume, tolerance = 1e-5): void {
  assert.deepEqual(
    actual.map((m) => [m.length, m[0]!.length]),
    expected.map((m) => [m.length, m[0]!.length]),
  );
  actual.forEach((m, k) =>
    m.forEach((row, r) =>
      row.forEach((v, c) => assert.ok(Math.abs(v - expected[k]![r]![c]!) <= tolerance, `(${k}, ${r}, ${c}): ${v} vs ${expected[k]![r]![c]}`)),
    ),
  );
}

describe("naive vs @tensorflow/tfjs (cpu backend)", function () {
  before(async () => {
    await tf.setBackend("cpu");
    await tf.ready();
    assert.equal(tf.getBackend(), "cpu");
  });

  it("cs231n demo: tf.conv2d (stride 2, pad 1) + bias agrees with the naive convolution", () => {
    const ours = conv2d(demo.input_unpadded_5x5x3, demo.filters, demo.biases, { stride: 2, pad: 1 });
    const theirs = tf.tidy(() =>
      fromNhwc(tf.add(tf.conv2d(toNhwc(demo.input_unpadded_5x5x3), toHwio(demo.filters), 2, 1), tf.tensor1d(demo.biases))),
    );
    assertClose(theirs, ours);
    assertClose(theirs, demo.expected_output_3x3x2);
  });

  it("X and O: conv /9, ReLU and 'same' max pooling agree with the naive code", () => {
    const filters = xo.filters_3x3.map((f) => [f]);
    const ours = maxPoolVolume(
      relu(conv2d([xo.image_9x9_X], filters, null).map((m) => m.map((row) => row.map((v) => v / 9)))),
      { size: 2, stride: 2, mode: "same" },
    );
    const theirs = tf.tidy(() => {
      const maps = tf.relu(tf.div(tf.conv2d(toNhwc([xo.image_9x9_X]), toHwio(filters), 1, "valid"), 9)) as tf.Tensor4D;
      return fromNhwc(tf.maxPool(maps, 2, 2, "same"));
    });
    assertClose(theirs, ours);
  });

  it("random inputs, filters, strides and paddings agree", () => {
    const cases = fc.record({
      c: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 3 }),
      f: fc.integer({ min: 1, max: 4 }),
      stride: fc.integer({ min: 1, max: 3 }),
      pad: fc.integer({ min: 0, max: 2 }),
      outSize: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(cases, ({ c, k, f, stride, pad, outSize, seed }) => {
        // Choose N so that the windows fit exactly: N = (out - 1) * stride + F - 2 * pad.
        const n = (outSize - 1) * stride + f - 2 * pad;
        fc.pre(n >= 1);
        let state = seed;
        const next = (): number => {
          state = (state * 1103515245 + 12345) % 2147483648;
          return Math.round((state / 2147483648) * 8 - 4);
        };
        const input: Volume = Array.from({ length: c }, () => Array.from({ length: n }, () => Array.from({ length: n }, next)));
        const filters: Volume[] = Array.from({ length: k }, () =>
          Array.from({ length: c }, () => Array.from({ length: f }, () => Array.from({ length: f }, next))),
        );
        const biases = Array.from({ length: k }, next);
        const ours = conv2d(input, filters, biases, { stride, pad });
        const theirs = tf.tidy(() => fromNhwc(tf.add(tf.conv2d(toNhwc(input), toHwio(filters), stride, pad), tf.tensor1d(biases))));
        assertClose(theirs, ours);
      }),
      { numRuns: 40, seed: 42, maxSkipsPerRun: 10 },
    );
  });
});
