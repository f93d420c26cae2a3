// EMBED (word embedding after INPUT1D of token ids), AUGMENT (random changes in training only) and
// inputs of unknown size (INPUT ?x?x3), with the diagnostics that say where each belongs.
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { tf } from "../../src/backend/tf.js";
import { compileNetwork } from "../../src/compile/index.js";
import { Augment } from "../../src/layers/augment.js";
import { summaryJson } from "../../src/render/summary-json.js";
import { summaryText } from "../../src/render/summary-text.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { mustCheck } from "../helpers.js";
import { assertCompiledCounts, backends, trainsOn } from "./helpers.js";

const at = (source: string) => {
  const [d] = checkNetwork(source).diagnostics;
  assert.ok(d, `no diagnostic for ${source}`);
  return { ...d, text: source.slice(d.span.offset, d.span.offset + d.span.length) };
};

describe("layer kinds: EMBED, AUGMENT and INPUT ?x?", function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend();
  });

  it("EMBED: a V x D table, Keras's Embedding count, in Kim's text CNN", () => {
    // Embedding(5000, 128): 640,000; Conv1D(100, 3) on 128 channels: 3*128*100 + 100 = 38,500; Dense(2): 202.
    const network = mustCheck("INPUT1D 60 EMBED5000-128 CONV3-100 GMP FC-2 SOFTMAX");
    assert.deepEqual(network.rows.map((r) => [r.name, [...r.outputShape], r.params]), [
      ["INPUT", [60, 1], 0], ["EMBED1", [60, 128], 640_000], ["CONV1", [60, 100], 38_500], ["GMP1", [100], 0], ["FC2", [2], 202],
    ]);
  });

  it("EMBED looks up the rows of the table by token id", () => {
    const { model } = compileNetwork(mustCheck("INPUT1D 3 EMBED4-2"));
    const table = tf.tensor2d([[0, 1], [10, 11], [20, 21], [30, 31]]);
    model.getLayer("embed1").setWeights([table]);
    const y = model.predict(tf.tensor3d([[[3], [0], [3]]])) as tf.Tensor;
    assert.deepEqual(y.arraySync(), [[[30, 31], [0, 1], [30, 31]]]);
    tf.dispose([table, y]);
    model.dispose();
  });

  it("EMBED not right after INPUT1D is refused at the EMBED, with the fix", () => {
    for (const source of ["INPUT1D 60 CONV3-8 EMBED5000-128", "INPUT 28x28 EMBED50-8", "INPUT1D 60 { EMBED50-8 | CONV1-8 }"]) {
      const d = at(source);
      assert.equal(d.code, "misplaced-layer", source);
      assert.match(d.text, /^EMBED/);
      assert.equal(d.message, "EMBED looks up token ids, so it comes right after INPUT1D L (a sequence of L token ids)");
      assert.equal(d.hint, "write INPUT1D 60 EMBED5000-128 ... (60 ids from 0 to 4999)");
    }
    assert.match(at("INPUT1D 60x3 EMBED50-8").message, /^EMBED reads one token id per position, but gets \[60x3\]/);
  });

  it("AUGMENT: 0 parameters, the crop's size, and only right after an image INPUT", () => {
    const alex = mustCheck("INPUT 256x256x3 AUGMENT(flip, crop=227) CONV11-96/s4/p0");
    assert.deepEqual(alex.rows.map((r) => [r.label, [...r.outputShape], r.params]), [
      ["INPUT 256x256x3", [256, 256, 3], 0], ["AUGMENT(flip, crop=227)", [227, 227, 3], 0], ["CONV11-96/s4/p0", [55, 55, 96], 34_944],
    ]);
    assert.equal(at("INPUT 28x28 CONV3-8 AUGMENT(flip)").code, "misplaced-layer");
    assert.equal(at("INPUT 28x28 AUGMENT(crop=32)").message, "a 32x32 crop does not fit in 28x28");
  });

  it("AUGMENT changes pictures in training only: mirror images, windows of the picture; centre crop at test time", () => {
    const picture = tf.tensor4d(Array.from({ length: 4 * 5 }, (_, i) => i + 1), [1, 4, 5, 1]);
    const batch = tf.tile(picture, [64, 1, 1, 1]);
    const rows = (t: tf.Tensor) => (t.arraySync() as number[][][][]).map((e) => e.map((r) => r.map((v) => v[0]!)));
    const original = rows(picture)[0]!;
    const mirrored = original.map((r) => [...r].reverse());

    const flip = new Augment({ flip: true, translate: 0, rotate: 0, outputSize: [4, 5], seed: 3 });
    const flipped = rows(flip.apply(batch, { training: true }) as tf.Tensor);
    const kinds = flipped.map((e) => (JSON.stringify(e) === JSON.stringify(original) ? "same" : JSON.stringify(e) === JSON.stringify(mirrored) ? "mirror" : "other"));
    assert.ok(kinds.includes("same") && kinds.includes("mirror") && !kinds.includes("other"), kinds.join(" "));
    assert.deepEqual(rows(flip.apply(batch, { training: false }) as tf.Tensor)[0], original, "nothing changes at test time");

    const crop = new Augment({ flip: false, translate: 0, rotate: 0, outputSize: [2, 3], seed: 4 });
    const windows = new Set(rows(crop.apply(batch, { training: true }) as tf.Tensor).map((e) => JSON.stringify(e)));
    const allWindows = [0, 1, 2].flatMap((y) => [0, 1, 2].map((x) => JSON.stringify(original.slice(y, y + 2).map((r) => r.slice(x, x + 3)))));
    assert.ok([...windows].every((w) => allWindows.includes(w)), "every crop is a window of the picture");
    assert.ok(windows.size > 3, `random windows (${windows.size} different)`);
    assert.deepEqual(rows(crop.apply(batch, { training: false }) as tf.Tensor)[0], [[7, 8, 9], [12, 13, 14]], "the centre window at test time");
    tf.dispose([picture, batch]);
  });

  it("INPUT ?x?x3: sizes stay ? through the table until a global pool; the parameters are known", () => {
    const network = mustCheck("INPUT ?x?x3 CONV3-16 POOL2 RES[CONV3-32/s2 CONV3-32] GAP FC-10 SOFTMAX");
    assert.deepEqual(network.rows.map((r) => r.outputShape.map((v) => (Number.isFinite(v) ? v : "?"))), [
      ["?", "?", 3], ["?", "?", 16], ["?", "?", 16], ["?", "?", 32], ["?", "?", 32], ["?", "?", 32], ["?", "?", 32], [32], [10],
    ]);
    // 3*3*3*16 + 16 = 448; 3*3*16*32 + 32 = 4,640; 3*3*32*32 + 32 = 9,248; projection 16*32 + 32 = 544; 32*10 + 10 = 330.
    assert.equal(network.totals.params, 448 + 4_640 + 9_248 + 544 + 330);
    const text = summaryText(network);
    assert.match(text, /^CONV1 +CONV3-16 +RELU +\[\?x\?x16\] +params: \(3\*3\*3\)\*16 \+ 16 = 448 +memory: \?\*\?\*16=\? +MACs: \?/m);
    assert.match(text, /^memory per image: \? values/m);
    assert.deepEqual(summaryJson(network).layers[1]!.outputShape, [null, null, 16]);
    assert.equal(summaryJson(network).totals.memory, null);
  });

  it("INPUT ?x?x3 tells where a size is needed, at that layer", () => {
    const fc = at("INPUT ?x?x3 CONV3-16 POOL2 FC-10");
    assert.equal(fc.text, "FC-10");
    assert.equal(fc.message, "FC needs to know how many values come in, but the size is [?x?x16] here (? is known only when the network runs)");
    assert.equal(fc.hint, "put GAP or GMP before it (one value per channel at any size), or give INPUT a size");
    assert.match(at("INPUT ?x?x3 LOCAL3-8").message, /LOCAL has its own filters at every position, so it needs to know the input's size/);
    assert.match(at("INPUT ?x?x? CONV3").message, /^the number of channels must be known/);
    assert.match(at("INPUT ?x?x3 {CONV3-4/s2 | CONV3-4}").message, /branches must end at the same size .* \(after total strides 2, 1\)/);
  });

  it("a network on ?x?x3 runs on pictures of any size", () => {
    const { model } = compileNetwork(mustCheck("INPUT ?x?x3 CONV3-4 POOL2 GAP FC-2 SOFTMAX"));
    for (const size of [[8, 8], [13, 21]]) {
      const y = model.predict(tf.zeros([1, ...size, 3])) as tf.Tensor;
      assert.deepEqual(y.shape, [1, 2]);
      y.dispose();
    }
    model.dispose();
  });

  it("compile to layers with exactly the checked parameters", () => {
    assertCompiledCounts(mustCheck("INPUT1D 20 EMBED50-8 CONV3-4 GMP FC-2"));
    assertCompiledCounts(mustCheck("INPUT 12x12x3 AUGMENT(flip, crop=10, rotate=10) CONV3-4 GAP FC-2"));
    assertCompiledCounts(mustCheck("INPUT ?x?x3 CONV3-4 DECONV2-4/s2 GAP FC-2"));
  });

  for (const backend of backends) {
    it(`train on ${backend}: EMBED's table, through AUGMENT, at unknown sizes`, async () => {
      await trainsOn(backend, "INPUT1D 12 EMBED20-4 CONV3-4 GMP FC-2 SOFTMAX", { input: (n) => tf.tidy(() => tf.floor(tf.randomUniform([n, 12, 1], 0, 20, "float32", 3))) });
      await trainsOn(backend, "INPUT 10x10x2 AUGMENT(flip, crop=8, translate=0.1, rotate=10) CONV3-4 GAP FC-2 SOFTMAX");
      await trainsOn(backend, "INPUT ?x?x2 CONV3-4 SEPCONV3-4/s2 GAP FC-2 SOFTMAX", { inputShape: [9, 7, 2] });
    });
  }
});
