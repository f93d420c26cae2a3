// Tensors, models and histories as a cell's last value: real tfjs values through toMimeBundle,
// the same path the kernel takes; pictures decoded.
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { tf } from "../../src/backend/index.js";
import { fit } from "../../src/train/fit.js";
import { optimizer } from "../../src/train/settings.js";
import { generateXO } from "../../src/data/xo.js";
import { isRichDisplayable, toMimeBundle } from "../../src/notebook-api/display.js";
import { registerTfDisplayFormatters, TENSOR_TABLE_MAX_VALUES } from "../../src/notebook-api/tf-formatters.js";
import { bestBackend, compileText } from "../train/helpers.js";
import { svgPictureText } from "../render/markup.js";

describe("rich display of tensors, models and histories", function () {
  this.timeout(120_000);

  before(async () => {
    await bestBackend();
    registerTfDisplayFormatters();
  });

  it("a small tensor shows every value in a table", () => {
    const t = tf.tensor2d([[1, -2.25], [3, 1 / 3]]);
    const bundle = toMimeBundle(t);
    assert.match(bundle["text/plain"], /^Tensor float32 \[2x2\] \(4 values\)/);
    assert.match(String(bundle["text/html"]), /<td[^>]*>-2\.25<\/td>/);
    assert.match(String(bundle["text/html"]), /<td[^>]*>0\.3333<\/td>/);
    t.dispose();
  });

  it("an image tensor shows as a picture of its size; a big tensor as its statistics", () => {
    const image = tf.tidy(() => tf.linspace(0, 1, 16 * 20).reshape([16, 20, 1]));
    const png = PNG.sync.read(Buffer.from(String(toMimeBundle(image)["image/png"]), "base64"));
    assert.ok(png.width >= 20 && png.height >= 16, `${png.width}x${png.height}`);
    const big = tf.ones([30, 30, 7]);
    const bundle = toMimeBundle(big);
    assert.equal(bundle["image/png"], undefined);
    assert.match(bundle["text/plain"], /\[30x30x7\] \(6,300 values\)\nmin 1, max 1, mean 1, std 0/);
    assert.ok(big.size > TENSOR_TABLE_MAX_VALUES);
    image.dispose();
    big.dispose();
    assert.match(toMimeBundle(big)["text/plain"], /disposed/);
  });

  it("a model shows its layers, output shapes and parameter totals", () => {
    const model = compileText("INPUT 9x9x1 CONV3-4/valid POOL2/same FC-2 SOFTMAX");
    assert.ok(isRichDisplayable(model));
    const bundle = toMimeBundle(model);
    assert.match(bundle["text/plain"], /total 170 parameters: 170 trainable, 0 non-trainable/);
    assert.match(String(bundle["text/html"]), /\[batch, 7, 7, 4\]/);
    model.dispose();
  });

  it("a training history shows its curves (static SVG) and a summary", async () => {
    const model = compileText("INPUT 9x9x1 CONV3-4/valid POOL2/same FC-2 SOFTMAX");
    const history = await fit(model, generateXO({ count: 64, size: 9, seed: 3 }), { settings: { epochs: 2, batchSize: 32, validationSplit: 0.25 } });
    const bundle = toMimeBundle(history);
    assert.match(bundle["text/plain"], /^History: 2 epochs \(completed\)/);
    assert.match(svgPictureText(String(bundle["text/html"])), /<svg[\s\S]*validation/);
    model.dispose();
  });

  it("a diverged history says why it stopped, with the learning rate", async () => {
    const model = compileText("INPUT 9x9x1 CONV3-4/valid POOL2/same FC-2 SOFTMAX");
    const history = await fit(model, generateXO({ count: 64, size: 9, seed: 3 }), { settings: { optimizer: optimizer("sgd", { learningRate: 1e30 }), epochs: 2, batchSize: 8, validationSplit: 0 } });
    const bundle = toMimeBundle(history);
    assert.match(bundle["text/plain"], /^History: \d+ epochs \(diverged\).*\ntraining stopped at epoch 1, batch \d+: the loss became .* the learning rate, 1e\+30/);
    assert.match(String(bundle["text/html"]), /the learning rate, 1e\+30/);
    model.dispose();
  });

  it("plain objects and numbers stay plain", () => {
    assert.equal(isRichDisplayable({ epochs: 3 }), false);
    assert.equal(isRichDisplayable(42), false);
  });
});
