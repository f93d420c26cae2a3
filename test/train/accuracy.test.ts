// The two results the lecture promises, with real data on the best backend available here:
// LeNet-5 learns MNIST to at least 97% test accuracy in a CI-sized budget, and the X-and-O network
// gets every held-out generated image right, trickier cases included.
import { strict as assert } from "node:assert";
import { tf } from "../../src/backend/index.js";
import { generateXO, loadMnist } from "../../src/data/index.js";
import { optimizer } from "../../src/train/settings.js";
import { findZooEntry } from "../../src/zoo/index.js";
import { evaluate, fit } from "../../src/train/index.js";
import { bestBackend, compileText } from "./helpers.js";

/**
 * LeNet-5's layers (C1 6@5x5, S2, C3 16@5x5, S4, F5 120, F6 84, 10 outputs) in today's usual form:
 * ReLU and max pooling, and C1 with 'same' padding on the 28x28 digit instead of a 32x32 canvas.
 * (The zoo's tanh/average-pooling original learns too, but more slowly: about 95% in this budget.)
 */
const LENET = "INPUT 28x28x1 CONV5-6 POOL2 CONV5-16/p0 POOL2 FC-120 FC-84 FC-10 SOFTMAX";

describe("accuracy on real data", function () {
  let backend = "";
  before(async () => {
    backend = await bestBackend();
  });

  it("LeNet-5 reaches at least 97% on 2,000 MNIST test digits (12,000 training digits, 3 epochs, Adam)", async function () {
    this.timeout(600_000);
    const train = loadMnist({ split: "train", count: 12_000, seed: 1 });
    const test = loadMnist({ split: "test", count: 2_000, seed: 2 });
    const model = compileText(LENET, 1);
    const epochs = 3;
    const batchSize = 32;
    const tensorsAfterEpoch: number[] = [];
    const history = await fit(model, train, {
      settings: {
        optimizer: optimizer("adam", { learningRate: 0.002 }),
        // The Deep Learning book's linear decay to a tenth over the whole run.
        schedule: { kind: "linear", finalLearningRate: 0.0002, steps: epochs * Math.ceil(train.labels.length / batchSize) },
        epochs,
        batchSize,
        validationSplit: 0,
      },
      onEpochEnd: () => {
        tensorsAfterEpoch.push(tf.memory().numTensors);
      },
    });
    const result = await evaluate(model, test);
    model.optimizer.dispose();
    model.dispose();
    const perEpoch = history.epochs.map((e) => e.seconds.toFixed(1)).join(", ");
    // Informational: the number the issue asks for (taken on a shared machine, so only indicative).
    console.log(
      `      LeNet-5 on ${backend}: test accuracy ${(result.accuracy * 100).toFixed(2)}%, ` +
        `${history.seconds.toFixed(1)} s for ${epochs} epochs (${perEpoch} s per epoch, ${Math.round(history.examplesPerSecond)} images/s)`,
    );
    assert.equal(history.stopReason, "completed");
    assert.ok(new Set(tensorsAfterEpoch).size === 1, `tensor count changed between epochs: ${tensorsAfterEpoch.join(", ")}`);
    assert.ok(result.accuracy >= 0.97, `test accuracy ${result.accuracy}`);
  });

  it("the X-and-O network gets 100% of held-out generated images with the trickier cases", async function () {
    this.timeout(120_000);
    const entry = findZooEntry("xo-28")!;
    // Shifted, scaled, rotated and bold Xs and Os; the test images come from another seed.
    const train = generateXO({ count: 800, size: 28, seed: 11, variations: "mixed" });
    const test = generateXO({ count: 400, size: 28, seed: 12, variations: "mixed" });
    const model = compileText(entry.source, 2);
    await fit(model, train, { settings: { epochs: 4, batchSize: 32, validationSplit: 0 } });
    const result = await evaluate(model, test);
    model.dispose();
    assert.equal(result.accuracy, 1, `X-and-O test accuracy ${result.accuracy}; confusion ${JSON.stringify(result.confusion)}`);
  });

  it("the lecture's own 9x9 X-and-O network learns the trickier 9x9 cases", async function () {
    this.timeout(120_000);
    // The slide's network: three 3x3 filters, 2x2 pooling, a vote of every pooled value.
    const train = generateXO({ count: 600, size: 9, seed: 13, variations: "mixed" });
    const test = generateXO({ count: 400, size: 9, seed: 14, variations: "mixed" });
    const model = compileText(findZooEntry("xo")!.source, 3);
    await fit(model, train, { settings: { optimizer: optimizer("adam", { learningRate: 0.01 }), epochs: 15, batchSize: 16, validationSplit: 0 } });
    const result = await evaluate(model, test);
    model.dispose();
    assert.ok(result.accuracy >= 0.99, `9x9 X-and-O test accuracy ${result.accuracy}`);
  });
});
