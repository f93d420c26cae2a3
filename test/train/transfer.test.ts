// Transfer learning: a trained base cut after a layer, a new head written in ConvNote's language,
// and the three ways of training it: base frozen (fixed feature extractor), everything fine-tuned,
// or only the first layers frozen.
import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { tf } from "../../src/backend/index.js";
import { ConvNoteError } from "../../src/dsl/diagnostics.js";
import { generateXO, type ImageDataset } from "../../src/data/index.js";
import { findCutLayer, fit, freezeBase, loadModel, saveModel, slideNames, toTensors, transfer } from "../../src/train/index.js";
import { bestBackend, compileText, largestChange, maxAbsDifference, predictArray, weightValues } from "./helpers.js";

const BASE = "INPUT 16x16x1 CONV3-4 BN POOL2 CONV3-8 POOL2 FC-16 FC-2 SOFTMAX";
const BASE_LAYERS = ["conv1", "bn1", "bn1_relu", "pool1", "conv2", "pool2"];

describe("transfer learning", function () {
  this.timeout(120_000);
  let source: ImageDataset;
  let target: ImageDataset;

  before(async () => {
    await bestBackend();
    // The base learns upright Xs and Os; the new task has rotated and scaled ones.
    source = generateXO({ count: 192, size: 16, seed: 1, variations: "translation" });
    target = generateXO({ count: 128, size: 16, seed: 2, variations: "mixed" });
  });

  async function trainedBase(): Promise<tf.LayersModel> {
    const base = compileText(BASE, 11);
    await fit(base, source, { settings: { epochs: 2, batchSize: 32, validationSplit: 0 } });
    return base;
  }

  const headLayers = (model: tf.LayersModel) => model.layers.filter((l) => l.name.startsWith("head_")).map((l) => l.name);

  it("cuts after a slide name and puts the head on with the functional API", async () => {
    const base = await trainedBase();
    const model = transfer(base, { cutAfter: "POOL2", head: "FC-32 FC-2 SOFTMAX", seed: 3 });
    assert.deepEqual(model.layers.map((l) => l.name), ["input", ...BASE_LAYERS, "head_fc1_flatten", "head_fc1", "head_fc2"]);
    assert.deepEqual(model.outputs[0]!.shape, [null, 2]);
    // The base's layers are shared, not copied: same weights.
    assert.equal(model.getLayer("conv1"), base.getLayer("conv1"));
    assert.deepEqual(slideNames(base), ["CONV1", "BN1", "POOL1", "CONV2", "POOL2", "FC3", "FC4"]);
    // FC3 is computed by fc3_flatten then fc3: the cut is after the last part.
    assert.equal(findCutLayer(base, "FC3").name, "fc3");
    assert.throws(() => findCutLayer(base, "POOL7"), /no layer 'POOL7'; cut after one of CONV1, BN1, POOL1, CONV2, POOL2, FC3, FC4/);
    model.dispose();
  });

  it("checks the head as `INPUT <cut shape>` + head text, with the head's line and column", async () => {
    const base = await trainedBase();
    assert.throws(
      () => transfer(base, { cutAfter: "POOL2", head: "CONV3-8/s3/p0 FC-2 SOFTMAX" }),
      (error: unknown) => error instanceof ConvNoteError && /^head:2:1: \(4 - 3\)\/3 \+ 1 = 1\.33 is not a whole number/.test(error.message),
    );
    base.dispose();
  });

  it("freeze 'base': the base's weights (BN statistics too) do not change, the head's do", async () => {
    const base = await trainedBase();
    const model = transfer(base, { cutAfter: "POOL2", head: "FC-16 FC-2 SOFTMAX", freeze: "base", seed: 4 });
    const baseBefore = weightValues(model, BASE_LAYERS);
    const headBefore = weightValues(model, headLayers(model));
    await fit(model, target, { settings: { epochs: 2, batchSize: 32, validationSplit: 0 } });
    assert.equal(largestChange(baseBefore, weightValues(model, BASE_LAYERS)), 0, "frozen base changed");
    assert.ok(largestChange(headBefore, weightValues(model, headLayers(model))) > 1e-3, "head did not learn");
    assert.equal(model.trainableWeights.length, 4, "only the head's two kernels and two biases train");
    model.dispose();
  });

  it("freeze 'none' (fine-tuning): base and head both change", async () => {
    const base = await trainedBase();
    const model = transfer(base, { cutAfter: "POOL2", head: "FC-16 FC-2 SOFTMAX", freeze: "none", seed: 4 });
    const baseBefore = weightValues(model, BASE_LAYERS);
    const headBefore = weightValues(model, headLayers(model));
    await fit(model, target, { settings: { epochs: 2, batchSize: 32, validationSplit: 0 } });
    assert.ok(largestChange(baseBefore, weightValues(model, BASE_LAYERS)) > 1e-4, "fine-tuning left the base alone");
    assert.ok(largestChange(headBefore, weightValues(model, headLayers(model))) > 1e-3, "head did not learn");
    model.dispose();
  });

  it("freeze { firstLayers: 1 } keeps CONV1 and learns CONV2; freezeBase switches phases before the next fit", async () => {
    const base = await trainedBase();
    const model = transfer(base, { cutAfter: "POOL2", head: "FC-2 SOFTMAX", freeze: { firstLayers: 1 }, seed: 5 });
    let before = weightValues(model, ["conv1", "conv2"]);
    await fit(model, target, { settings: { epochs: 1, batchSize: 32, validationSplit: 0 } });
    let after = weightValues(model, ["conv1", "conv2"]);
    assert.equal(largestChange(new Map([...before].filter(([k]) => k.startsWith("conv1"))), after), 0, "CONV1 changed");
    assert.ok(largestChange(new Map([...before].filter(([k]) => k.startsWith("conv2"))), after) > 1e-5, "CONV2 did not learn");

    freezeBase(model, { through: "CONV2" });
    before = weightValues(model, ["conv1", "bn1", "conv2"]);
    await fit(model, target, { settings: { epochs: 1, batchSize: 32, validationSplit: 0 } });
    after = weightValues(model, ["conv1", "bn1", "conv2"]);
    assert.equal(largestChange(before, after), 0, "layers up to CONV2 should be frozen now");
    assert.throws(() => freezeBase(model, { firstLayers: 9 }), /the base has 3 layers with weights \(CONV1, BN1, CONV2\), not 9/);
    model.dispose();
  });

  it("a transferred model saves and loads like any other", async () => {
    const base = await trainedBase();
    const model = transfer(base, { cutAfter: "FC3", head: "FC-2 SOFTMAX", seed: 6 });
    const dir = mkdtempSync(join(tmpdir(), "convnote-transfer-"));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const { x } = toTensors(target, 0, 32);
    assert.ok(maxAbsDifference(predictArray(model, x), predictArray(loaded.model, x)) <= 1e-6);
    x.dispose();
    assert.equal(loaded.model.getLayer("conv1").trainable, false, "the frozen state is saved");
    model.dispose();
    loaded.model.dispose();
  });
});
