// The images that excite a unit most, on a real tiny ConvNet whose first filters are set by hand:
// the ranking and the maps must be what the plain reference convolution computes.
import assert from "node:assert/strict";
import { tf } from "../../src/backend/tf.js";
import { showTopImages, topActivations } from "../../src/notebook-api/top-images.js";
import { conv2d, type Volume } from "../../src/naive/conv2d.js";
import { createRng } from "../../src/data/random.js";
import type { Examples } from "../../src/train/examples.js";
import { decodePng } from "../render/helpers.js";
import { bestBackend, exampleValues, modelOf, randomExamples, tensorsLeftBy } from "./tiny-models.js";

/** Example i as the reference convolution's channels-first volume [c][row][col]. */
function volume(examples: Examples, i: number): Volume {
  const [h, w, c] = examples.shape as [number, number, number];
  const values = exampleValues(examples, i);
  return Array.from({ length: c }, (_, ch) => Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => values[(y * w + x) * c + ch]!)));
}

describe("top images for a unit (Zeiler & Fergus 2013)", function () {
  this.timeout(60_000);
  before(async () => {
    await bestBackend();
  });

  // CONV1: two 3x3 filters on 3 channels, no padding -> 6x6x2 maps, ReLU.
  const source = "INPUT 8x8x3 CONV3-2/p0 POOL2 FC-3 SOFTMAX";
  const examples = randomExamples(40, [8, 8, 3], 3, 11);
  const rng = createRng(5);
  // filters[k][c][row][col], as the reference convolution takes them.
  const filters: Volume[] = Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => rng.next() * 2 - 1))));
  const biases = [0.1, -0.3];

  function handSetModel(): tf.LayersModel {
    const model = modelOf(source);
    // tfjs kernels are HWIO: [row][col][in][out].
    const kernel = tf.tensor4d(Array.from({ length: 3 }, (_, r) => Array.from({ length: 3 }, (_, s) => Array.from({ length: 3 }, (_, c) => Array.from({ length: 2 }, (_, k) => filters[k]![c]![r]![s]!)))));
    const bias = tf.tensor1d(biases);
    model.getLayer("conv1").setWeights([kernel, bias]);
    kernel.dispose();
    bias.dispose();
    return model;
  }

  /** The reference's ReLU map of `channel` for every example. */
  function referenceMaps(channel: number): number[][][] {
    return Array.from({ length: 40 }, (_, i) => conv2d(volume(examples, i), filters, biases)[channel]!.map((row) => row.map((v) => Math.max(0, v))));
  }

  for (const channel of [0, 1]) {
    it(`ranks by the largest value of channel ${channel}'s map, as the reference convolution computes it`, async () => {
      const model = handSetModel();
      const maps = referenceMaps(channel);
      const strongest = maps.map((m) => Math.max(...m.flat()));
      const expected = strongest.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v || a.i - b.i).slice(0, 5);
      const found = await topActivations(model, "CONV1", examples, channel, { k: 5, batchSize: 7 });
      assert.equal(found.layer, "CONV1");
      assert.equal(found.channels, 2);
      assert.equal(found.count, 40);
      assert.deepEqual(found.mapShape, [6, 6]);
      assert.deepEqual(found.top.map((t) => t.index), expected.map((e) => e.i));
      found.top.forEach((t, n) => {
        assert.ok(Math.abs(t.value - expected[n]!.v) < 1e-4, `response ${t.value} vs ${expected[n]!.v}`);
        assert.equal(t.label, examples.labels[t.index]);
        const reference = maps[t.index]!.flat();
        t.map!.forEach((v, p) => assert.ok(Math.abs(v - reference[p]!) < 1e-4, `map value ${p}: ${v} vs ${reference[p]}`));
      });
    });
  }

  it("gives the same answer whatever the batch size", async () => {
    const model = handSetModel();
    const small = await topActivations(model, "CONV1", examples, 1, { k: 8, batchSize: 3 });
    const large = await topActivations(model, "CONV1", examples, 1, { k: 8, batchSize: 256 });
    assert.deepEqual(small.top.map((t) => t.index), large.top.map((t) => t.index));
  });

  it("takes an FC unit's output as its response, and has no map for it", async () => {
    const model = handSetModel();
    const found = await topActivations(model, "FC2", examples, 2, { k: 40 });
    assert.equal(found.mapShape, undefined);
    assert.equal(found.channels, 3);
    const probabilities = tf.tidy(() => (model.predict(tf.tensor(examples.images, [40, 8, 8, 3])) as tf.Tensor).arraySync()) as number[][];
    found.top.forEach((t) => {
      assert.equal(t.map, undefined);
      assert.ok(Math.abs(t.value - probabilities[t.index]![2]!) < 1e-5);
    });
    for (let n = 1; n < 40; n++) assert.ok(found.top[n - 1]!.value >= found.top[n]!.value, "strongest first");
  });

  it("leaves no tensors behind", async () => {
    const model = handSetModel();
    await topActivations(model, "CONV1", examples, 0);
    assert.equal(await tensorsLeftBy(() => topActivations(model, "CONV1", examples, 0, { batchSize: 9 })), 0);
    assert.equal(await tensorsLeftBy(() => showTopImages(model, "POOL1", examples, 1, { k: 4 })), 0);
  });

  it("shows each image with its map under it and its class and response as labels", async () => {
    const model = handSetModel();
    const bundle = await showTopImages(model, "CONV1", examples, 1, { k: 6 });
    const text = bundle["text/plain"];
    assert.match(text, /^CONV1 channel 1 of 2: the 6 of 40 images with the strongest response \(the largest value of its 6x6 map\)/);
    assert.match(text, /under each, its map 6x6: one heat scale for all/);
    const png = decodePng(bundle["image/png"] as string);
    assert.ok(png.width >= 100 && png.height >= 100, `${png.width}x${png.height}`);
  });

  it("names the problem: no such layer, no such channel, a layer without units", async () => {
    const model = handSetModel();
    await assert.rejects(topActivations(model, "CONV7", examples, 0), /no layer CONV7; its layers are INPUT, CONV1, POOL1/);
    await assert.rejects(topActivations(model, "CONV1", examples, 2), /CONV1 has channels 0\.\.1, not 2/);
    await assert.rejects(topActivations(model, "CONV1", examples, 0, { k: 0 }), /k must be a positive whole number/);
  });
});
