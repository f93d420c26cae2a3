// Saving and loading: a trained model comes back predicting the same outputs (LRN, batch norm and
// a residual block included), and a model written the way Keras's tensorflowjs_converter writes
// it (Keras topology, weights split over shard files) loads and computes what its weights say.
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/backend/index.js";
import { LocalResponseNormalization } from "../../src/compile/index.js";
import { generateColourShapes, generateXO } from "../../src/data/index.js";
import { fit, loadModel, readModelInfo, saveModel, toTensors } from "../../src/train/index.js";
import { bestBackend, compileText, maxAbsDifference, predictArray, weightValues } from "./helpers.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "convnote-save-"));

describe("saving and loading models", function () {
  this.timeout(120_000);
  before(bestBackend);

  it("round-trips a trained network with NORM (LRN), BN and a RES block: same outputs to 1e-6", async () => {
    const source = "INPUT 16x16x3 CONV3-8 NORM POOL2 BN RES[CONV3-8 BN RELU CONV3-8 BN] CONV3-8/p0 LRELU GAP FC-8 SOFTMAX";
    const model = compileText(source, 3);
    const data = generateColourShapes({ count: 96, size: 16, seed: 5 });
    // Training moves the batch-norm statistics away from 0 and 1, so that they must be saved too.
    await fit(model, data, { settings: { epochs: 1, batchSize: 32, validationSplit: 0 } });
    const dir = tempDir();
    const files = await saveModel(model, dir, { source, classNames: data.classNames, data: "colour-shapes" });
    assert.ok(existsSync(files.modelJson) && existsSync(files.weights) && existsSync(files.info));
    const manifest = JSON.parse(readFileSync(files.modelJson, "utf8")) as { weightsManifest: { paths: string[]; weights: { name: string }[] }[] };
    assert.deepEqual(manifest.weightsManifest[0]!.paths, ["./weights.bin"]);
    assert.ok(manifest.weightsManifest[0]!.weights.some((w) => w.name.endsWith("moving_mean")), "batch-norm statistics are in the manifest");

    const loaded = await loadModel(dir);
    assert.ok(loaded.model.layers.some((l) => l instanceof LocalResponseNormalization), "LRN comes back as ConvNote's layer");
    assert.deepEqual(loaded.model.layers.map((l) => l.name), model.layers.map((l) => l.name));
    const { x } = toTensors(data, 0, 64);
    const difference = maxAbsDifference(predictArray(model, x), predictArray(loaded.model, x));
    x.dispose();
    assert.ok(difference <= 1e-6, `outputs differ by ${difference}`);
    const before = weightValues(model);
    const after = weightValues(loaded.model);
    for (const [key, values] of before) assert.deepEqual(after.get(key), values, `weight ${key}`);

    assert.equal(loaded.info?.source, source);
    assert.deepEqual(loaded.info?.classNames, data.classNames);
    assert.deepEqual(loaded.info?.inputShape, [16, 16, 3]);
    model.dispose();
    loaded.model.dispose();
  });

  it("round-trips a chain (tf.Sequential) and the loaded model trains on", async () => {
    const model = compileText("INPUT 9x9x1 CONV3-4/p0 POOL2/same FC-2 SOFTMAX", 7);
    const dir = tempDir();
    await saveModel(model, dir);
    const loaded = await loadModel(join(dir, "model.json"));
    const data = generateXO({ count: 64, seed: 1 });
    const { x } = toTensors(data);
    assert.ok(maxAbsDifference(predictArray(model, x), predictArray(loaded.model, x)) <= 1e-6);
    const history = await fit(loaded.model, data, { settings: { epochs: 2, batchSize: 16, validationSplit: 0 } });
    assert.equal(history.epochs.length, 2);
    assert.ok(maxAbsDifference(predictArray(model, x), predictArray(loaded.model, x)) > 1e-4, "training changed the loaded copy only");
    x.dispose();
    model.dispose();
    loaded.model.dispose();
  });

  describe("a model converted from Keras by tensorflowjs_converter", () => {
    // Keras: Conv2D(2, 3, relu) on 4x4x1 -> Flatten -> Dense(3, softmax); weights written by hand.
    const kernel = Array.from({ length: 3 * 3 * 1 * 2 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
    const convBias = [0.1, -0.2];
    const dense = Array.from({ length: 8 * 3 }, (_, i) => ((i * 5) % 13) / 13 - 0.4);
    const denseBias = [0.05, 0, -0.05];
    const weights = new Float32Array([...kernel, ...convBias, ...dense, ...denseBias]);
    const glorot = { class_name: "GlorotUniform", config: { seed: null } };
    const zeros = { class_name: "Zeros", config: {} };
    const topology = {
      keras_version: "2.15.0",
      backend: "tensorflow",
      model_config: {
        class_name: "Sequential",
        config: {
          name: "sequential",
          layers: [
            { class_name: "InputLayer", config: { batch_input_shape: [null, 4, 4, 1], dtype: "float32", sparse: false, ragged: false, name: "conv2d_input" } },
            {
              class_name: "Conv2D",
              config: {
                name: "conv2d", trainable: true, dtype: "float32", filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: "valid",
                data_format: "channels_last", dilation_rate: [1, 1], groups: 1, activation: "relu", use_bias: true,
                kernel_initializer: glorot, bias_initializer: zeros, kernel_regularizer: null, bias_regularizer: null,
                activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
              },
            },
            { class_name: "Flatten", config: { name: "flatten", trainable: true, dtype: "float32", data_format: "channels_last" } },
            {
              class_name: "Dense",
              config: {
                name: "dense", trainable: true, dtype: "float32", units: 3, activation: "softmax", use_bias: true,
                kernel_initializer: glorot, bias_initializer: zeros, kernel_regularizer: null, bias_regularizer: null,
                activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
              },
            },
          ],
        },
      },
      training_config: { loss: "categorical_crossentropy", metrics: ["accuracy"], optimizer_config: { class_name: "Adam", config: { learning_rate: 0.001 } } },
    };
    const specs = [
      { name: "conv2d/kernel", shape: [3, 3, 1, 2], dtype: "float32" },
      { name: "conv2d/bias", shape: [2], dtype: "float32" },
      { name: "dense/kernel", shape: [8, 3], dtype: "float32" },
      { name: "dense/bias", shape: [3], dtype: "float32" },
    ];

    /** What the model computes, written out: valid 3x3 convolution, ReLU, flatten (h, w, c), dense, softmax. */
    function reference(image: number[]): number[] {
      const features: number[] = [];
      for (let r = 0; r < 2; r++)
        for (let c = 0; c < 2; c++)
          for (let f = 0; f < 2; f++) {
            let sum = convBias[f]!;
            for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sum += image[(r + i) * 4 + (c + j)]! * kernel[(i * 3 + j) * 2 + f]!;
            features.push(Math.max(0, sum));
          }
      const logits = denseBias.map((b, k) => features.reduce((acc, v, i) => acc + v * dense[i * 3 + k]!, b));
      const top = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - top));
      return e.map((v) => v / e.reduce((a, b) => a + b, 0));
    }

    function writeConverted(groups: { paths: string[]; weights: typeof specs }[], shards: Uint8Array[]): string {
      const dir = tempDir();
      const model = { format: "layers-model", generatedBy: "keras v2.15.0", convertedBy: "TensorFlow.js Converter v4.22.0", modelTopology: topology, weightsManifest: groups };
      writeFileSync(join(dir, "model.json"), JSON.stringify(model));
      groups.flatMap((g) => g.paths).forEach((path, i) => writeFileSync(join(dir, path), shards[i]!));
      return dir;
    }

    const bytes = new Uint8Array(weights.buffer);
    const image = Array.from({ length: 16 }, (_, i) => Math.sin(i) * 0.8);

    async function checkPredictions(dir: string): Promise<void> {
      const { model, info } = await loadModel(dir);
      assert.equal(info, undefined, "no convnote.json beside a converted model");
      const x = tf.tensor4d(image, [1, 4, 4, 1]);
      const got = Array.from(predictArray(model, x));
      x.dispose();
      const expected = reference(image);
      got.forEach((p, k) => assert.ok(Math.abs(p - expected[k]!) < 1e-5, `class ${k}: ${p} against ${expected[k]}`));
      assert.deepEqual(Array.from(model.getLayer("dense").getWeights()[1]!.dataSync()), Array.from(new Float32Array(denseBias)));
      model.dispose();
    }

    it("concatenates two shards in manifest order (split inside a tensor and a float)", async () => {
      const cut = 98; // inside dense/kernel, and not on a 4-byte boundary
      const dir = writeConverted([{ paths: ["group1-shard1of2.bin", "group1-shard2of2.bin"], weights: specs }], [bytes.slice(0, cut), bytes.slice(cut)]);
      await checkPredictions(dir);
    });

    it("reads several weight groups (one per layer, as older converters wrote)", async () => {
      const convBytes = (3 * 3 * 2 + 2) * 4;
      const dir = writeConverted(
        [
          { paths: ["group1-shard1of1.bin"], weights: specs.slice(0, 2) },
          { paths: ["group2-shard1of1.bin"], weights: specs.slice(2) },
        ],
        [bytes.slice(0, convBytes), bytes.slice(convBytes)],
      );
      await checkPredictions(dir);
    });

    it("names the missing or short shard", async () => {
      const dir = writeConverted([{ paths: ["a.bin", "b.bin"], weights: specs }], [bytes.slice(0, 100), bytes.slice(100, 150)]);
      await assert.rejects(loadModel(dir), /hold 150 bytes but the weightsManifest describes 188/);
      writeFileSync(join(dir, "model.json"), readFileSync(join(dir, "model.json"), "utf8").replace("b.bin", "c.bin"));
      await assert.rejects(loadModel(dir), /weight file .*c\.bin is missing/);
    });
  });

  it("says what to give when the folder holds no model", async () => {
    const dir = tempDir();
    await assert.rejects(loadModel(dir), /holds no model\.json/);
    await assert.rejects(loadModel(join(dir, "nothing")), /no saved model at/);
    writeFileSync(join(dir, "convnote.json"), JSON.stringify({ format: "other" }));
    assert.throws(() => readModelInfo(join(dir, "convnote.json")), /not a ConvNote model description/);
  });
});
