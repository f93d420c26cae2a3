// Convolution itself (Goodfellow et al., ch. 9): every result the notebook states, checked against
// the output of the cell it describes, with the numbers worked out here independently (plain
// loops written from the chapter's formulas, parameter counts by hand) where they can be.
import assert from "node:assert/strict";
import { fixture } from "../helpers.js";
import { byTag, parseMarkup, tableCells } from "../render/markup.js";
import { cellById, htmlText, lineStarting, plainText, readable, type IdentifiedCell } from "./cells.js";
import { executeNotebook } from "./run-notebook.js";

const NAME = "10-convolution-in-depth.ipynb";

type Matrix = number[][];

/** S(i, j) = sum over m, n of I(i + m, j + n) K(m, n), valid positions only. */
function crossCorrelate(I: Matrix, K: Matrix): Matrix {
  return Array.from({ length: I.length - K.length + 1 }, (_, i) =>
    Array.from({ length: I[0]!.length - K[0]!.length + 1 }, (_, j) => K.reduce((s, row, m) => s + row.reduce((t, k, n) => t + k * I[i + m]![j + n]!, 0), 0)));
}
/** Convolution flips the kernel: cross-correlation with K turned 180 degrees. */
const convolve = (I: Matrix, K: Matrix): Matrix => crossCorrelate(I, [...K].reverse().map((r) => [...r].reverse()));

const tables = (cell: IdentifiedCell): string[][][] => byTag(parseMarkup(htmlText(cell)), "table").map(tableCells);
const asText = (m: Matrix): string[][] => m.map((row) => row.map(String));

interface SmallExamples {
  binary_image_conv: { image: Matrix; filter: Matrix; expected: Matrix };
}

describe("notebook 10-convolution-in-depth", function () {
  this.timeout(1_200_000);
  let cells: IdentifiedCell[];
  before(async () => {
    cells = (await executeNotebook(NAME)).cells;
  });
  const cell = (id: string) => cellById(cells, id);

  it("convolution flips the kernel and commutes; cross-correlation does not flip; tf.conv2d and CONV are cross-correlation", () => {
    const I = [[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]];
    const K = [[1, 2], [3, 4]];
    const [image, kernel, conv, xcorr, rotated] = tables(cell("xcorr"));
    assert.deepEqual(image, asText(I));
    assert.deepEqual(kernel, asText(K));
    assert.deepEqual(conv, asText(convolve(I, K)));
    assert.deepEqual(xcorr, asText(crossCorrelate(I, K)));
    assert.deepEqual(rotated, asText(convolve(I, K)), "I cross-correlated with K turned 180 degrees is the convolution");
    assert.notDeepEqual(conv, xcorr, "the kernel is not symmetric, so the two differ");
    const text = plainText(cell("xcorr"));
    assert.match(text, /convolution = cross-correlation with the kernel turned 180°: yes/);
    assert.match(text, /convolution and cross-correlation differ for this kernel: yes/);
    assert.match(text, /convolution commutes, I \* K = K \* I \(full\): yes/);

    const [fromTf, fromConvNote] = tables(cell("tf-xcorr"));
    assert.deepEqual(fromTf, asText(crossCorrelate(I, K)));
    assert.deepEqual(fromConvNote, asText(crossCorrelate(I, K)));
    const tf = plainText(cell("tf-xcorr"));
    assert.match(tf, /tf\.conv2d is cross-correlation: yes; it is the flipped-kernel convolution: no/);
    assert.match(tf, /ConvNote's CONV layer computes the same: yes/);
  });

  it("the slide's true convolution at [2, 2] pairs a with 9 and i with 1; the 5x5 binary image gives the slide's feature map", () => {
    const text = plainText(cell("worked-2-2"));
    assert.match(text, /\(image \* kernel\)\[2, 2\] = \(i · 1\) \+ \(h · 2\) \+ \(g · 3\) \+ \(f · 4\) \+ \(e · 5\) \+ \(d · 6\) \+ \(c · 7\) \+ \(b · 8\) \+ \(a · 9\)/);
    // a..i = 1..9: 1·9 + 2·8 + ... + 9·1 = 165; cross-correlation 1² + ... + 9² = 285.
    assert.match(text, /convolution 165 .* cross-correlation 285/);

    const binary = fixture<SmallExamples>("small-examples.json").binary_image_conv;
    const [image, filter, map] = tables(cell("binary-5x5"));
    assert.deepEqual(image, asText(binary.image));
    assert.deepEqual(filter, asText(binary.filter));
    assert.deepEqual(map, asText(binary.expected));
    assert.match(plainText(cell("binary-5x5")), /the filter turned 180° is the filter itself: yes, so convolution gives the same map: yes/);
    assert.match(plainText(cell("binary-5x5")), /ConvNote's naive convolution agrees: yes/);
  });

  it("convolution is equivariant to a shift (to the last digit), and its map moves", () => {
    const text = plainText(cell("equivariance"));
    assert.match(text, /largest \|f\(g\(x\)\) - g\(f\(x\)\)\| over the 28x28 map: 0\.000000/);
    const moved = /largest \|f\(g\(x\)\) - f\(x\)\|: ([\d.]+)/.exec(text);
    assert.ok(moved && Number(moved[1]) > 0.5, `the map moved: ${moved?.[0]}`);
  });

  it("max pooling: a one-place shift changes every detector value but half of the pooled ones (the chapter's figure)", () => {
    const rows = tables(cell("pool-1d"))[0]!;
    const detector = [0.1, 1, 0.2, 0.1, 0.3, 0.9, 0.2, 0.1];
    const pool = (row: number[]) => row.map((_, i) => Math.max(...row.slice(Math.max(0, i - 1), i + 2)));
    const shifted = [0, ...detector.slice(0, -1)];
    assert.deepEqual(rows.map((r) => r.slice(1)), [detector, pool(detector), shifted, pool(shifted)].map((r) => r.map(String)));
    assert.match(plainText(cell("pool-1d")), /after the shift, 8 of 8 detector values changed, 4 of 8 pooled values/);

    // On 200 digits: pooling keeps more outputs unchanged than the detector stage does.
    const text = plainText(cell("pool-digits"));
    const unchanged = (stage: string) => Number(/([\d.]+)%/.exec(lineStarting(text, stage))![1]);
    // The prose: "about a third" (3x3, stride 1), "about a fifth" (2x2, stride 2), "almost none" (detector).
    assert.ok(unchanged("detector") < 5, text);
    assert.ok(unchanged("max pool 3x3, stride 1") >= 25 && unchanged("max pool 3x3, stride 1") <= 40, text);
    assert.ok(unchanged("max pool 2x2, stride 2") >= 15 && unchanged("max pool 2x2, stride 2") <= 25, text);
  });

  it("maxout over three rotated filters answers every rotation alike", () => {
    assert.match(readable(cell("maxout-net")), /\[1x1x3\][\s\S]*\[1x1x1\]/);
    const rows = tables(cell("maxout"))[0]!;
    // Filter k is bar k minus its mean 1/9: its own bar scores 9 - 1 = 8; bars crossing at one pixel, 1 - 1 = 0.
    assert.deepEqual(rows, [
      ["bar at 0°", "8.00", "0.00", "0.00", "8.00"],
      ["bar at 45°", "0.00", "8.00", "0.00", "8.00"],
      ["bar at 90°", "0.00", "0.00", "8.00", "8.00"],
    ]);
  });

  it("locally connected, tiled, shared and grouped layers: the parameter counts worked out by hand", () => {
    const rows = tables(cell("connectivity"))[0]!;
    const perPosition = 3 * 3 * 4; // one 3x3x4 filter
    const expected: [string, string, number, number][] = [
      ["fully connected", "784", 16 * 16 * 4 * 784, 784],
      ["locally connected", "14x14x4", 14 * 14 * perPosition * 4, 14 * 14 * 4],
      ["tiled, t = 2", "14x14x4", 2 * 2 * perPosition * 4, 2 * 2 * 4],
      ["convolution", "14x14x4", perPosition * 4, 4],
      ["convolution, channels in 2 groups", "14x14x4", 3 * 3 * 2 * 4, 4],
    ];
    const n = (v: number) => v.toLocaleString("en-US");
    assert.deepEqual(rows.map((r) => [r[0], r[2], r[3], r[4], r[5]]), expected.map(([name, out, w, b]) => [name, out, n(w), n(b), n(w + b)]));
    assert.match(readable(cell("local-net")), /\(14\*14\)\*\(3\*3\*4\)\*4 \+ \(14\*14\)\*4 = 29,008/);
    assert.match(readable(cell("tiled-net")), /\(2\*2\)\*\(3\*3\*4\)\*4 \+ \(2\*2\)\*4 = 592/);
  });

  it("one network with INPUT ?x?x1 takes pictures of three sizes", () => {
    assert.deepEqual(tables(cell("any-size"))[0], [
      ["28x28x1", "14x14x16", "2"],
      ["40x56x1", "20x28x16", "2"],
      ["9x13x1", "4x6x16", "2"],
    ]);
    // (3*3*1)*8 + 8 + (3*3*8)*16 + 16 + 16*2 + 2
    assert.match(plainText(cell("any-size")), new RegExp(`one model, ${80 + 1168 + 34} parameters`));
  });

  it("stride: the chapter's table, and a strided convolution is the unit-stride one subsampled", () => {
    assert.deepEqual(tables(cell("stride"))[0], [
      ["s = 1", "0, 1, 2, ...", "0, 1, 2, ..."],
      ["s = 2", "0, 1, 2, ...", "0, 2, 4, ..."],
      ["s = 3", "0, 1, 2, ...", "0, 3, 6, ..."],
    ]);
    assert.match(plainText(cell("stride")), /stride 2 = stride 1, then every second output: yes \(13x13 outputs instead of 26x26/);
  });

  it("the three operations from the formulas agree with TensorFlow.js, and h is the transpose of c", () => {
    const rows = tables(cell("three-ops"))[0]!;
    assert.equal(rows.length, 4);
    for (const row of rows) assert.equal(row[2], "yes", row.join(" | "));
    assert.match(plainText(cell("three-ops")), /V 2x9x9, K 3x2x3x3, stride 2: Z and G are 3x4x4/);
    const text = plainText(cell("transpose"));
    const left = /<c\(K, V\), G> = (-?[\d.]+)/.exec(text)![1];
    const right = /<V, h\(K, G\)> = (-?[\d.]+)/.exec(text)![1];
    assert.equal(left, right);
    assert.match(text, /equal to within 1e-9: yes/);
  });

  it("the DECONV autoencoder rebuilds test digits better than the average digit does", () => {
    assert.match(readable(cell("autoencoder-net")), /\[7x7x16\][\s\S]*DECONV2-16\/s2[\s\S]*\[14x14x16\][\s\S]*\[28x28x1\]/);
    const text = plainText(cell("autoencoder"));
    const first = Number(/training loss ([\d.]+) after the first epoch/.exec(text)![1]);
    const last = Number(/, ([\d.]+) after 5/.exec(text)![1]);
    assert.ok(last < first, text);
    const [error, baseline] = /mean squared error on these test digits: ([\d.]+); always answering the average digit: ([\d.]+)/.exec(text)!.slice(1).map(Number);
    assert.ok(error! < baseline! / 2, text);
  });

  it("the all-convolutional net: strided convolutions instead of pools, 1,369,738 parameters", () => {
    const text = readable(cell("all-conv"));
    for (const volume of ["16x16x96", "8x8x192", "6x6x192", "6x6x10"]) assert.match(text, new RegExp(`\\[${volume}\\]`));
    assert.match(text, /1,369,738 parameters/);
  });
});
