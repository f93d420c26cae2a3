// Saliency maps on real tiny models: the gradient is of the score before softmax, it agrees with
// finite differences, the channels are reduced by the largest |gradient|, and nothing leaks.
import assert from "node:assert/strict";
import { tf } from "../../src/backend/tf.js";
import { classScoreFunction, saliencyMap, showSaliency } from "../../src/notebook-api/saliency.js";
import { decodePng } from "../render/helpers.js";
import { bestBackend, exampleValues, modelOf, randomExamples, tensorsLeftBy } from "./tiny-models.js";

describe("saliency maps (Simonyan et al. 2013)", function () {
  this.timeout(60_000);
  before(async () => {
    await bestBackend();
  });

  // One FC layer: score_c = sum_p,ch x[p, ch] * W[(p, ch), c] + b_c, so d score_c / d x = W[:, c] exactly.
  const linear = "INPUT 4x4x3 FC-2 SOFTMAX";

  it("reads the class scores before softmax from a network that ends in FC-n SOFTMAX", async () => {
    const model = modelOf(linear);
    const examples = randomExamples(3, [4, 4, 3], 2);
    const [kernel, bias] = model.layers[model.layers.length - 1]!.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    const x = tf.tensor(examples.images, [3, 4, 4, 3]);
    const scores = tf.tidy(() => classScoreFunction(model)(x).arraySync()) as number[][];
    const probabilities = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync()) as number[][];
    x.dispose();
    for (let i = 0; i < 3; i++) {
      const values = exampleValues(examples, i);
      for (let c = 0; c < 2; c++) {
        const expected = values.reduce((sum, v, j) => sum + v * kernel[j]![c]!, bias[c]!);
        assert.ok(Math.abs(scores[i]![c]! - expected) < 1e-4, `score ${scores[i]![c]} vs x.W + b = ${expected}`);
      }
      const exp = scores[i]!.map(Math.exp);
      const total = exp[0]! + exp[1]!;
      exp.forEach((e, c) => assert.ok(Math.abs(e / total - probabilities[i]![c]!) < 1e-5, "softmax of the scores is the model's output"));
    }
  });

  it("is |the class's weights|, largest over the colour channels, for one FC layer", async () => {
    const model = modelOf(linear);
    const examples = randomExamples(2, [4, 4, 3], 2);
    const kernel = model.layers[model.layers.length - 1]!.getWeights()[0]!.arraySync() as number[][];
    for (const classIndex of [0, 1]) {
      const map = await saliencyMap(model, examples, 1, { classIndex });
      assert.deepEqual(map.shape, [4, 4]);
      assert.equal(map.classIndex, classIndex);
      for (let p = 0; p < 16; p++) {
        // Flatten keeps NHWC order: pixel p, channel ch is input j = p * 3 + ch.
        const expected = Math.max(...[0, 1, 2].map((ch) => Math.abs(kernel[p * 3 + ch]![classIndex]!)));
        assert.ok(Math.abs(map.values[p]! - expected) < 1e-6, `pixel ${p}: ${map.values[p]} vs ${expected}`);
      }
    }
  });

  it("agrees with central finite differences on a small ConvNet", async () => {
    // Smooth everywhere (tanh, average pooling) and no softmax, so predict() gives the scores themselves.
    const model = modelOf("DEFAULTS(activation=tanh)\nINPUT 6x6x2 CONV3-3 AVGPOOL2 FC-4");
    const examples = randomExamples(1, [6, 6, 2], 4);
    const base = exampleValues(examples, 0);
    const classIndex = 2;
    const score = (values: Float32Array) => tf.tidy(() => (model.predict(tf.tensor(values, [1, 6, 6, 2])) as tf.Tensor).dataSync()[classIndex]!);
    const map = await saliencyMap(model, examples, 0, { classIndex });
    const eps = 1e-2;
    let largest = 0;
    for (let p = 0; p < 36; p++) {
      const slopes = [0, 1].map((ch) => {
        const up = base.slice();
        const down = base.slice();
        up[p * 2 + ch]! += eps;
        down[p * 2 + ch]! -= eps;
        return Math.abs((score(up) - score(down)) / (2 * eps));
      });
      const expected = Math.max(...slopes);
      largest = Math.max(largest, expected);
      assert.ok(Math.abs(map.values[p]! - expected) < 2e-3, `pixel ${p}: gradient ${map.values[p]} vs finite difference ${expected}`);
    }
    assert.ok(largest > 0.01, "the test would pass trivially on a zero map");
  });

  it("differentiates the predicted class by default, the true class with 'label'", async () => {
    const model = modelOf("INPUT 5x5x1 CONV3-2 FC-3 SOFTMAX");
    const examples = randomExamples(6, [5, 5, 1], 3);
    for (let i = 0; i < 6; i++) {
      const probabilities = tf.tidy(() => Array.from((model.predict(tf.tensor(exampleValues(examples, i), [1, 5, 5, 1])) as tf.Tensor).dataSync()));
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      const map = await saliencyMap(model, examples, i);
      assert.equal(map.predicted, predicted);
      assert.equal(map.classIndex, predicted);
      assert.ok(Math.abs(map.probability - probabilities[predicted]!) < 1e-5);
      assert.equal((await saliencyMap(model, examples, i, { classIndex: "label" })).classIndex, examples.labels[i]);
    }
  });

  it("leaves no tensors behind", async () => {
    const model = modelOf("INPUT 8x8x3 CONV3-4 POOL2 FC-3 SOFTMAX");
    const examples = randomExamples(3, [8, 8, 3], 3);
    await saliencyMap(model, examples, 0); // the first call may build lazily held state
    assert.equal(await tensorsLeftBy(() => saliencyMap(model, examples, 1)), 0);
    assert.equal(await tensorsLeftBy(() => showSaliency(model, examples, [0, 1, 2], { classIndex: "label" })), 0);
  });

  it("shows picture, heat map and overlay per example as a PNG that is not uniform", async () => {
    const model = modelOf("INPUT 8x8x3 CONV3-4 POOL2 FC-3 SOFTMAX");
    const examples = randomExamples(2, [8, 8, 3], 3);
    const bundle = await showSaliency(model, examples, [0, 1], { cellSize: 32 });
    assert.match(bundle["text/plain"], /#0: true class0, predicted class\d; gradient of the score of class\d/);
    const png = decodePng(bundle["image/png"] as string);
    const colours = new Set<string>();
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) colours.add(png.pixel(x, y).join(","));
    assert.ok(colours.size > 50, `${colours.size} colours`);
    assert.match(bundle["text/html"] as string, /<img [^>]*src="data:image\/png;base64,/);
  });

  it("names the problem: an example outside the data set, a class that does not exist", async () => {
    const model = modelOf(linear);
    const examples = randomExamples(2, [4, 4, 3], 2);
    await assert.rejects(saliencyMap(model, examples, 2), /example 2 is outside 0\.\.1/);
    await assert.rejects(saliencyMap(model, examples, 0, { classIndex: 5 }), /classIndex 5 is outside 0\.\.1/);
  });
});
