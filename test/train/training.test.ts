// fit() as the slides describe training: every optimizer lowers the loss, the schedules set the
// rate they promise, early stopping restores the best weights, a stop request ends the fit with
// the weights kept, no tensors leak, and all-zero initialisation does not learn while Glorot does.
import { strict as assert } from "node:assert";
import { tf } from "../../src/backend/index.js";
import { generateXO, loadMnist, type ImageDataset } from "../../src/data/index.js";
import { LEARNING_RATE_HINT, learningRateProblem, optimizer, type OptimizerSettings } from "../../src/train/settings.js";
import { evaluate, fit, getLearningRate, interruptTraining } from "../../src/train/index.js";
import { bestBackend, compileText, largestChange, weightValues } from "./helpers.js";

/** The lecture's X-and-O network with one more filter bank, on 9x9 images with the trickier cases. */
const SMALL = "INPUT 9x9x1 CONV3-6/p0 POOL2/same FC-2 SOFTMAX";

describe("training", function () {
  this.timeout(120_000);
  let xo: ImageDataset;

  before(async () => {
    await bestBackend();
    xo = generateXO({ count: 256, seed: 3, variations: "mixed" });
  });

  describe("the slides' optimizers each lower the loss", () => {
    const cases: [string, OptimizerSettings][] = [
      ["SGD", optimizer("sgd", { learningRate: 0.1 })],
      ["momentum", optimizer("sgd", { learningRate: 0.05, momentum: 0.9 })],
      ["Nesterov", optimizer("sgd", { learningRate: 0.05, momentum: 0.9, nesterov: true })],
      ["RMSprop", optimizer("rmsprop", { learningRate: 0.005 })],
      ["Adam", optimizer("adam", { learningRate: 0.01 })],
    ];
    for (const [name, settings] of cases) {
      it(name, async () => {
        const model = compileText(SMALL, 21);
        const before = (await evaluate(model, xo)).loss;
        await fit(model, xo, { settings: { optimizer: settings, epochs: 4, batchSize: 16, validationSplit: 0 } });
        const after = (await evaluate(model, xo)).loss;
        model.dispose();
        assert.ok(after < before * 0.5, `${name}: loss ${before.toFixed(4)} -> ${after.toFixed(4)}`);
      });
    }
  });

  it("linear decay sets eps_k = (1 - k/tau) eps_0 + (k/tau) eps_tau at every step, then eps_tau", async () => {
    const model = compileText(SMALL, 22);
    const rates: number[] = [];
    const steps = 10; // tau, shorter than the 16 steps of the fit
    await fit(model, xo, {
      settings: { optimizer: optimizer("sgd", { learningRate: 0.1, momentum: 0.9 }), schedule: { kind: "linear", finalLearningRate: 0.001, steps }, epochs: 2, batchSize: 32, validationSplit: 0 },
      onBatchEnd: () => {
        rates.push(getLearningRate(model.optimizer));
      },
    });
    model.dispose();
    assert.equal(rates.length, 16);
    // Worked out by hand from the formula (Goodfellow et al., 8.3.1) for eps_0 = 0.1, eps_tau = 0.001, tau = 10.
    const expected = [0.1, 0.0901, 0.0802, 0.0703, 0.0604, 0.0505, 0.0406, 0.0307, 0.0208, 0.0109, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001];
    rates.forEach((rate, k) => assert.ok(Math.abs(rate - expected[k]!) < 1e-12, `step ${k}: rate ${rate}, by hand ${expected[k]}`));
  });

  it("plateau divides the rate by 10 when the monitored loss stalls, and not while it improves", async () => {
    // A rate so small that the loss cannot move: it stalls from the first epoch on.
    const stalled = compileText(SMALL, 23);
    const history = await fit(stalled, xo, {
      settings: {
        optimizer: optimizer("sgd", { learningRate: 1e-9 }),
        schedule: { kind: "plateau", factor: 0.1, patience: 1, monitor: "loss", minDelta: 1e-4, minLearningRate: 0 },
        epochs: 5,
        batchSize: 64,
        validationSplit: 0,
      },
    });
    stalled.dispose();
    const rates = history.epochs.map((e) => e.learningRate);
    const expected = [1e-9, 1e-9, 1e-9, 1e-10, 1e-10];
    rates.forEach((r, i) => assert.ok(Math.abs(r - expected[i]!) < 1e-15, `epoch ${i}: ${r}, expected ${expected[i]}`));

    const learning = compileText(SMALL, 23);
    const improving = await fit(learning, xo, {
      settings: { optimizer: optimizer("adam", { learningRate: 0.01 }), schedule: { kind: "plateau", factor: 0.1, patience: 1, monitor: "loss", minDelta: 1e-4, minLearningRate: 0 }, epochs: 3, batchSize: 16, validationSplit: 0 },
    });
    learning.dispose();
    assert.deepEqual(improving.epochs.map((e) => e.learningRate), [0.01, 0.01, 0.01]);
  });

  it("early stopping stops after `patience` epochs without improvement and restores the best weights", async () => {
    const model = compileText(SMALL, 24);
    const snapshots: Map<string, Float32Array>[] = [];
    // min_delta 10: nothing after the first epoch counts as an improvement, so epoch 0 is the best.
    const history = await fit(model, xo, {
      settings: { optimizer: optimizer("adam", { learningRate: 0.01 }), earlyStopping: { monitor: "val_loss", patience: 1, minDelta: 10, restoreBestWeights: true }, epochs: 10, batchSize: 16, validationSplit: 0.25 },
      onEpochEnd: () => {
        snapshots.push(weightValues(model));
      },
    });
    assert.equal(history.stopReason, "early-stopping");
    assert.equal(history.epochs.length, 3);
    assert.equal(history.stoppedAt?.epoch, 3);
    assert.equal(history.stoppedAt?.batch, history.stoppedAt?.batches, "at an epoch's end");
    const final = weightValues(model);
    model.dispose();
    assert.equal(largestChange(snapshots[0]!, final), 0, "not the best epoch's weights");
    assert.ok(largestChange(snapshots[2]!, final) > 1e-4, "the last epoch's weights were kept");
  });

  it("l1/l2 given to fit() (where they would silently do nothing) is an error that says where they go", async () => {
    const model = compileText(SMALL, 25);
    await assert.rejects(fit(model, xo, { settings: { l2: 1e-3, epochs: 1 } }), /'l2' cannot be added to a model that is already built; write TRAIN\(l2=\.\.\.\)/);
    // Zero (every settings object has l1 and l2) and a model built with its regulariser are fine.
    await fit(model, xo, { settings: { l1: 0, l2: 0, epochs: 1, validationSplit: 0 } });
    const regularized = compileText("TRAIN(l2=1e-3) " + SMALL, 25);
    await fit(regularized, xo, { settings: { l2: 1e-3, epochs: 1, validationSplit: 0 } });
    regularized.dispose();
    model.dispose();
  });

  it("an AbortSignal during fit ends it after the current batch, weights trained and kept", async () => {
    const model = compileText(SMALL, 25);
    const initial = weightValues(model);
    const controller = new AbortController();
    let batchesSeen = 0;
    const history = await fit(model, xo, {
      settings: { optimizer: optimizer("adam", { learningRate: 0.01 }), epochs: 5, batchSize: 16, validationSplit: 0 },
      signal: controller.signal,
      onBatchEnd: (p) => {
        batchesSeen++;
        if (p.epoch === 1 && p.batch === 2) controller.abort();
      },
    });
    assert.equal(history.stopReason, "interrupted");
    assert.equal(batchesSeen, 16 + 3, "one epoch of 16 batches, then batches 0-2 of the second");
    assert.equal(history.batches.length, 19);
    assert.deepEqual(history.stoppedAt, { epoch: 2, batch: 3, batches: 16 });
    assert.equal(history.epochs.length, 1, "the cut-short second epoch is not an epoch of the history");
    const trained = weightValues(model);
    assert.ok(largestChange(initial, trained) > 1e-3, "the trained weights were not kept");
    // The cell that was interrupted trains no more: a later fit with the same (aborted) signal returns at once.
    const later = await fit(model, xo, { settings: { epochs: 5, batchSize: 16, validationSplit: 0 }, signal: controller.signal });
    assert.equal(later.stopReason, "interrupted");
    assert.deepEqual(later.stoppedAt, { epoch: 1, batch: 0, batches: 16 });
    assert.equal(later.batches.length, 0);
    assert.equal(largestChange(trained, weightValues(model)), 0, "nothing was trained");
    model.dispose();
  });

  it("interruptTraining() (the kernel's interrupt) stops every running fit the same way", async () => {
    const model = compileText(SMALL, 26);
    const initial = weightValues(model);
    let stopped = -1;
    const history = await fit(model, xo, {
      settings: { epochs: 5, batchSize: 16, validationSplit: 0 },
      onBatchEnd: (p) => {
        if (p.epoch === 0 && p.batch === 4) stopped = interruptTraining();
      },
    });
    assert.equal(stopped, 1, "one fit was running");
    assert.equal(history.stopReason, "interrupted");
    assert.equal(history.batches.length, 5);
    assert.ok(largestChange(initial, weightValues(model)) > 1e-4);
    model.dispose();
  });

  it("leaks no tensors: the count is the same after every epoch, and back where it was after two fits", async () => {
    const model = compileText("INPUT 9x9x1 CONV3-4 BN POOL2/same DROPOUT(rate=0.2) FC-8 FC-2 SOFTMAX", 27);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await fit(model, xo, {
      settings: { epochs: 4, batchSize: 32, validationSplit: 0.2, schedule: { kind: "linear", finalLearningRate: 1e-4, steps: 20 } },
      onEpochEnd: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    assert.deepEqual(counts, [counts[0], counts[0], counts[0], counts[0]], `tensors after each epoch: ${counts.join(", ")}`);
    // A second fit compiles a new optimizer and disposes the first one's state (Adam's moments).
    await fit(model, xo, { settings: { epochs: 1, batchSize: 32, validationSplit: 0 } });
    model.optimizer.dispose();
    assert.equal(tf.memory().numTensors, before, "tensors left behind by fit");
    model.dispose();
  });

  describe("a learning rate of 1e30: fit stops at the first loss that is not finite, says why, keeps the last finite weights", () => {
    for (const kind of ["sgd", "adam"] as const) {
      it(kind, async () => {
        const before = tf.memory().numTensors;
        const model = compileText(SMALL, 28);
        // The weights each batch starts from: W0, then after every batch.
        const starts = [weightValues(model)];
        const history = await fit(model, xo, {
          settings: { optimizer: optimizer(kind, { learningRate: 1e30 }), epochs: 3, batchSize: 16, validationSplit: 0 },
          onBatchEnd: () => {
            starts.push(weightValues(model));
          },
        });
        assert.equal(history.stopReason, "diverged", `losses ${history.batches.map((b) => b.loss).join(", ")}`);
        const broke = history.batches.length - 1;
        const message = history.stopMessage ?? "";
        assert.match(message, new RegExp(`^training stopped at epoch 1, batch ${broke + 1}: .*The likely cause is the learning rate, 1e\\+30: too large`));
        // A non-finite loss (cpu, native), or weights that are not finite after the step with a finite loss (wasm: tfjs clips
        // the cross-entropy): either way the batch started from weights that were already bad, and the one before it from the last sound ones.
        assert.match(message, Number.isFinite(history.batches[broke]!.loss) ? /: the weights stopped being finite numbers \(the loss still reads/ : /: the loss became -?(NaN|Infinity) \(not a finite number\)/);
        const kept = starts[Math.max(0, broke - 1)]!;
        assert.equal(largestChange(kept, weightValues(model)), 0, "the model does not hold the last finite weights");
        assert.ok([...weightValues(model).values()].every((w) => w.every(Number.isFinite)));
        const after = await evaluate(model, xo);
        assert.ok(Number.isFinite(after.loss), `the kept weights give loss ${after.loss}`);
        model.dispose();
        assert.equal(tf.memory().numTensors, before, "the weight snapshots or the optimizer's state leak");
      });
    }
  });

  it("refuses a learning rate of 0 or below by the rule TRAIN(lr=...) and --lr use", async () => {
    const model = compileText(SMALL, 29);
    for (const learningRate of [0, -1]) {
      await assert.rejects(fit(model, xo, { settings: { optimizer: optimizer("sgd", { learningRate }), epochs: 1 } }), (e: Error) => e.message === `fit(): ${learningRateProblem(learningRate)}; give ${LEARNING_RATE_HINT}`);
    }
    model.dispose();
  });

  it("model.dispose() frees the optimizer's state too: no tensors left over several models and optimizers, AUX heads included", async () => {
    const before = tf.memory().numTensors;
    const settings = [optimizer("adam"), optimizer("sgd"), optimizer("sgd", { momentum: 0.9 }), optimizer("rmsprop"), optimizer("adam")];
    for (const [i, o] of settings.entries()) {
      const model = compileText("INPUT 9x9x1 CONV3-4 BN POOL2/same FC-8 FC-2 SOFTMAX", 30 + i);
      await fit(model, xo, { settings: { optimizer: o, epochs: 1, batchSize: 64, validationSplit: 0 } });
      // Twice, as a second fit compiles a new optimizer, and freeing one by hand first is harmless.
      await fit(model, xo, { settings: { optimizer: o, epochs: 1, batchSize: 64, validationSplit: 0 } });
      if (i === settings.length - 1) model.optimizer.dispose();
      model.dispose();
      assert.equal(tf.memory().numTensors, before, `tensors left after model ${i + 1} (${o.kind})`);
    }
    // AUX heads train in a second model on the same layers: the heads' weights and its optimizer go too.
    const withHead = compileText("INPUT 9x9x1 CONV3-4 AUX[GAP FC-2 SOFTMAX] CONV3-4 GAP FC-2 SOFTMAX", 35);
    await fit(withHead, xo, { settings: { epochs: 1, batchSize: 64, validationSplit: 0 } });
    withHead.dispose();
    assert.equal(tf.memory().numTensors, before, "tensors left after a model with an AUX head");
  });

  it("all-zero initialisation does not learn (loss stays log 10, accuracy at chance); Glorot does", async () => {
    const train = loadMnist({ split: "train", count: 1500, seed: 4 });
    const test = loadMnist({ split: "test", count: 500, seed: 4 });
    const network = "INPUT 28x28x1 CONV5-6 POOL2 CONV5-16/p0 POOL2 FC-84 FC-10 SOFTMAX";
    const results: Record<string, { loss: number; testAccuracy: number }> = {};
    for (const init of ["zeros", "glorot"] as const) {
      const model = compileText(network, 28, init);
      const history = await fit(model, train, { settings: { optimizer: optimizer("adam", { learningRate: 0.002 }), epochs: 2, batchSize: 32, validationSplit: 0 } });
      results[init] = { loss: history.epochs[history.epochs.length - 1]!.loss, testAccuracy: (await evaluate(model, test)).accuracy };
      model.dispose();
    }
    const zeros = results["zeros"]!;
    const glorot = results["glorot"]!;
    assert.ok(Math.abs(zeros.loss - Math.log(10)) < 0.02, `zeros: loss ${zeros.loss}, log 10 = ${Math.log(10)}`);
    assert.ok(zeros.testAccuracy < 0.2, `zeros: test accuracy ${zeros.testAccuracy} (chance is 0.1)`);
    assert.ok(glorot.loss < 1, `glorot: loss ${glorot.loss}`);
    assert.ok(glorot.testAccuracy > 0.8, `glorot: test accuracy ${glorot.testAccuracy}`);
  });
});
