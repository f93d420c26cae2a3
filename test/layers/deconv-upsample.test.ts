// Transposed convolution (DECONV, TCONV) and nearest-neighbour upsampling (UPSAMPLE), against the
// shapes and counts of PyTorch's ConvTranspose2d worked out by hand, and its definition computed
// here on a small input.
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { tf } from "../../src/backend/tf.js";
import { compileNetwork } from "../../src/compile/index.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { mustCheck } from "../helpers.js";
import { assertCompiledCounts, backends, trainsOn } from "./helpers.js";

/** ConvTranspose2d by its definition: input (a, b) adds in[a][b] * k[i][j] at (a*s + i, b*s + j); then p cropped per side. */
function transposedConvolution(input: number[][], k: number[][], s: number, p: number): number[][] {
  const n = input.length;
  const size = (n - 1) * s + k.length;
  const full = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) for (let i = 0; i < k.length; i++) for (let j = 0; j < k.length; j++) full[a * s + i]![b * s + j]! += input[a]![b]! * k[i]![j]!;
  return full.slice(p, size - p).map((row) => row.slice(p, size - p));
}

describe("layer kinds: DECONV and UPSAMPLE", function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend();
  });

  it("DECONV has ConvTranspose2d's output size (N - 1)*s - 2p + k and its parameters", () => {
    // ConvTranspose2d(32, 16, kernel_size=4, stride=2, padding=1) on 16x16: (16 - 1)*2 - 2 + 4 = 32;
    // weight [32, 16, 4, 4] = 8,192 values, bias 16: 8,208.
    const up = mustCheck("INPUT 16x16x32 DECONV4-16/s2/p1").rows[1]!;
    assert.deepEqual([...up.outputShape], [32, 32, 16]);
    assert.equal(up.params, 8_208);
    // DCGAN's generator: ConvTranspose2d(100, 512, 4, 1, 0, bias=False) on 1x1 gives 4x4, 819,200 weights;
    // then ConvTranspose2d(512, 256, 4, 2, 1, bias=False): 8x8, 2,097,152.
    const dcgan = mustCheck("INPUT 1x1x100 DECONV4-512/nobias BN DECONV4-256/s2/p1 BN");
    assert.deepEqual(dcgan.rows.filter((r) => r.kind === "deconv").map((r) => [[...r.outputShape], r.params]), [[[4, 4, 512], 819_200], [[8, 8, 256], 2_097_152]]);
    // TCONV is the same word; /same gives N*s exactly; 3x3, stride 3, pad 0 on 5: (5 - 1)*3 + 3 = 15.
    assert.deepEqual([...mustCheck("INPUT 7x7x8 TCONV3-4/s2/same").outputShape], [14, 14, 4]);
    assert.deepEqual([...mustCheck("INPUT 5x5x8 DECONV3-4/s3").outputShape], [15, 15, 4]);
    assert.deepEqual([...mustCheck("INPUT1D 10x4 DECONV4-2/s2/p1").outputShape], [20, 2]);
  });

  it("refuses DECONV sizes that do not fit, at the layer", () => {
    const tooMuchPad = "INPUT 4x4x8 DECONV3-8/s2/p3";
    const [d] = checkNetwork(tooMuchPad).diagnostics;
    assert.equal(d!.code, "size-too-small");
    assert.equal(tooMuchPad.slice(d!.span.offset, d!.span.offset + d!.span.length), "DECONV3-8/s2/p3");
    assert.match(d!.message, /^pad 3 crops more than a 3-wide filter adds at each border \(at most k - 1 = 2\)$/);
    assert.match(d!.hint!, /\/same for an output of 8/);
    // (1 - 1)*1 - 2*1 + 2 = 0: nothing left.
    assert.equal(checkNetwork("INPUT 1x1x4 DECONV2-2/p1").diagnostics[0]!.message, "(1 - 1)*1 - 2*1 + 2 = 0 leaves no output");
  });

  it("DECONV computes ConvTranspose2d's values, stride and crop included", () => {
    const input = [[1, 2], [3, 4]];
    for (const [k, s, p] of [[3, 2, 0], [3, 2, 1], [2, 3, 0], [4, 2, 1]] as const) {
      const kernel = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => 1 + k * i + j));
      const { model } = compileNetwork(mustCheck(`INPUT 2x2x1 DECONV${k}-1/s${s}/p${p}/nobias LINEAR`));
      const weights = tf.tensor4d(kernel.map((row) => row.map((v) => [[v]])));
      model.getLayer("deconv1").setWeights([weights]);
      const x = tf.tensor4d([input.map((row) => row.map((v) => [v]))]);
      const y = model.predict(x) as tf.Tensor;
      const got = (y.arraySync() as number[][][][])[0]!.map((row) => row.map((v) => v[0]!));
      assert.deepEqual(got, transposedConvolution(input, kernel, s, p), `k ${k}, s ${s}, p ${p}`);
      tf.dispose([weights, x, y]);
      model.dispose();
    }
  });

  it("UPSAMPLE repeats each value s times per axis, with no parameters", () => {
    const network = mustCheck("INPUT 7x7x64 UPSAMPLE2 UPSAMPLE2x1");
    assert.deepEqual(network.rows.map((r) => [...r.outputShape]), [[7, 7, 64], [14, 14, 64], [28, 14, 64]]);
    assert.equal(network.totals.params, 0);
    const { model } = compileNetwork(mustCheck("INPUT 2x2x1 UPSAMPLE2"));
    const y = model.predict(tf.tensor4d([[[[1], [2]], [[3], [4]]]])) as tf.Tensor;
    assert.deepEqual((y.arraySync() as number[][][][])[0]!.map((r) => r.map((v) => v[0])), [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    y.dispose();
    model.dispose();
  });

  it("compile to layers with exactly the checked parameters, on images and sequences", () => {
    assertCompiledCounts(mustCheck("INPUT 8x8x8 DECONV4-6/s2/p1 UPSAMPLE2 DECONV3-4/s2/same DECONV2-2/s3 GAP FC-2"));
    assertCompiledCounts(mustCheck("INPUT1D 10x4 DECONV4-3/s2/p1 UPSAMPLE3 GMP FC-2"));
  });

  for (const backend of backends) {
    it(`train on ${backend}`, async () => {
      await trainsOn(backend, "INPUT 4x4x3 DECONV4-6/s2/p1 UPSAMPLE2 CONV3-4/s2 GAP FC-2 SOFTMAX");
    });
  }
});
