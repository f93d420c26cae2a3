import { strict as assert } from "node:assert";
import { conv2d, formatStep, padInput, type Volume } from "../../src/naive/index.js";
import { type Cs231nDemo, loadFixture, type SmallExamples } from "./fixtures.js";

const demo = loadFixture<Cs231nDemo>("cs231n-conv-demo.json");
const small = loadFixture<SmallExamples>("small-examples.json");

describe("naive conv2d", () => {
  it("reproduces the cs231n demo output volume (3x3x2) exactly", () => {
    const out = conv2d(demo.input_unpadded_5x5x3, demo.filters, demo.biases, { stride: demo.stride, pad: demo.pad });
    assert.deepEqual(out, demo.expected_output_3x3x2);
  });

  it("pads the 5x5x3 input to the slide's 7x7x3 with a border of zeros", () => {
    const padded = padInput(demo.input_unpadded_5x5x3, 1);
    assert.equal(padded.length, 3);
    for (let c = 0; c < 3; c++) {
      const plane = padded[c] as number[][];
      assert.equal(plane.length, 7);
      plane.forEach((row) => assert.equal(row.length, 7));
      assert.deepEqual(plane[0], [0, 0, 0, 0, 0, 0, 0]);
      assert.deepEqual(plane[6], [0, 0, 0, 0, 0, 0, 0]);
      assert.deepEqual(
        plane.slice(1, 6).map((row) => row.slice(1, 6)),
        demo.input_unpadded_5x5x3[c],
      );
    }
  });

  it("traces every output cell: window, 27 products, sum + bias", () => {
    const trace = conv2d(demo.input_unpadded_5x5x3, demo.filters, demo.biases, {
      stride: demo.stride,
      pad: demo.pad,
      trace: true,
    });
    assert.deepEqual(trace.output, demo.expected_output_3x3x2);
    assert.equal(trace.steps.length, 2 * 3 * 3);
    for (const step of trace.steps) {
      assert.equal(step.terms.length, 27);
      assert.equal(step.window.top, step.row * 2);
      assert.equal(step.window.left, step.col * 2);
      assert.equal(step.sum, step.terms.reduce((s, t) => s + t.product, 0));
      assert.equal(step.bias, demo.biases[step.filter]);
      assert.equal(step.value, step.sum + step.bias);
      assert.equal(step.value, trace.output[step.filter]?.[step.row]?.[step.col]);
      for (const t of step.terms) {
        assert.equal(t.input, trace.padded[t.channel]?.[t.row]?.[t.col]);
        assert.equal(t.product, t.input * t.weight);
      }
    }
    // The first window is the top-left corner of the padded input, filter W0.
    const first = trace.steps[0]!;
    assert.deepEqual([first.filter, first.row, first.col], [0, 0, 0]);
    assert.equal(first.value, 4);
    assert.match(formatStep(first), /^out\[0\]\[0\]\[0\] = 0\*1 \+ .* = 3; 3 \+ 1 \(bias\) = 4$/);
    assert.deepEqual(trace.operations, { multiplies: 18 * 27, additions: 18 * 26 + 18, total: 18 * 27 + 18 * 27 });
  });

  it("reproduces the binary image example (5x5 image, 3x3 filter)", () => {
    const ex = small.binary_image_conv;
    const out = conv2d([ex.image], [[ex.filter]], [0], { stride: ex.stride, pad: ex.pad });
    assert.deepEqual(out, [ex.expected]);
  });

  it("counts 267,960 operations for the 320x280 edge detection (output 280x319)", () => {
    const ex = small.efficiency_edge_detection;
    const [rows, cols] = ex.input;
    // A picture with varied values: pixel (r, c) = (r * 7 + c * c) mod 13.
    const image = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (r * 7 + c * c) % 13));
    const trace = conv2d([image], [[ex.kernel]], null, { trace: true });
    const map = trace.output[0]!;
    assert.deepEqual([map.length, map[0]!.length], ex.expected_output);
    assert.equal(trace.operations.total, ex.flops_conv);
    assert.equal(trace.operations.total, 319 * 280 * 3);
    assert.deepEqual(trace.operations, { multiplies: 319 * 280 * 2, additions: 319 * 280, total: 267960 });
    // Each output pixel is the pixel minus its left neighbour.
    for (const [r, c] of [[0, 0], [17, 200], [279, 318]] as const) {
      assert.equal(map[r]![c], image[r]![c + 1]! - image[r]![c]!);
    }
  });

  it("rejects a stride that does not fit, with the lecture's message", () => {
    const input: Volume = [Array.from({ length: 7 }, () => new Array<number>(7).fill(1))];
    const filter: Volume = [Array.from({ length: 3 }, () => [1, 1, 1])];
    assert.throws(() => conv2d(input, [filter], [0], { stride: 3 }), /\(7 - 3\)\/3 \+ 1 = 2\.33 is not a whole number/);
    assert.deepEqual(
      conv2d(input, [filter], [0], { stride: 2 }),
      [[[9, 9, 9], [9, 9, 9], [9, 9, 9]]],
    );
  });

  it("names the mismatch when filter and input channels differ", () => {
    const input: Volume = [[[1, 2], [3, 4]], [[1, 2], [3, 4]]];
    assert.throws(() => conv2d(input, [[[[1]]]], [0]), /filter 0 has 1 channels but the input has 2/);
    assert.throws(() => conv2d(input, [[[[1]], [[1]]]], [0, 1]), /1 filters need 1 biases, got 2/);
    assert.throws(() => conv2d([[[1, 2], [3]]], [[[[1]]]], null), /row 1 has 1 values, expected 2/);
  });
});
