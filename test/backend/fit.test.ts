/**
 * Training works end to end on both offline backends: `model.fit` of small CNNs runs, the loss
 * falls, and no tensors are left behind. Without the kernel fills the wasm runs fail at the
 * first conv gradient ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'") and
 * the dilated layers fail on every backend.
 */
import { strict as assert } from "node:assert";
import { tf } from "../../src/backend/index.js";
import { switchBackend } from "./helpers.js";
import { randomValues } from "./reference.js";

const SIZE = 12;

/** Three classes of 12×12 images, a bright horizontal bar, vertical bar or diagonal, plus noise. */
function barImages(count: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const noise = randomValues(count * SIZE * SIZE, seed);
  const pixels = new Float32Array(count * SIZE * SIZE);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const cls = i % 3;
    const at = 2 + ((i * 7) % (SIZE - 4));
    labels.push(cls);
    for (let r = 0; r < SIZE; r++)
      for (let c = 0; c < SIZE; c++) {
        const on = cls === 0 ? r === at : cls === 1 ? c === at : r === c;
        pixels[(i * SIZE + r) * SIZE + c] = (on ? 1 : 0) + 0.2 * noise[(i * SIZE + r) * SIZE + c];
      }
  }
  return {
    x: tf.tensor4d(pixels, [count, SIZE, SIZE, 1]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 3).toFloat() as tf.Tensor2D),
  };
}

function seeded(seed: number) {
  return { kernelInitializer: tf.initializers.glorotUniform({ seed }) };
}

/** conv(same) → maxPool → conv(valid) → batchNorm → avgPool → dropout → dense softmax. */
function smallCnn(): tf.Sequential {
  const L = tf.layers;
  const m = tf.sequential();
  m.add(L.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 8, kernelSize: 3, padding: "same", activation: "relu", ...seeded(1) }));
  m.add(L.maxPooling2d({ poolSize: 2 }));
  m.add(L.conv2d({ filters: 8, kernelSize: 3, padding: "valid", activation: "tanh", ...seeded(2) }));
  m.add(L.batchNormalization({}));
  m.add(L.averagePooling2d({ poolSize: 2 }));
  m.add(L.dropout({ rate: 0.1, seed: 3 }));
  m.add(L.flatten());
  m.add(L.dense({ units: 3, activation: "softmax", ...seeded(4) }));
  return m;
}

/** The rest of the layer zoo: strides 2-4, dilations, conv1d, and every activation ConvNote offers. */
function layerZoo(): tf.LayersModel {
  const L = tf.layers;
  const input = tf.input({ shape: [SIZE, SIZE, 1] });
  const a = L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "elu", ...seeded(5) }).apply(input) as tf.SymbolicTensor;
  const b = L.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, padding: "same", activation: "softplus", ...seeded(6) }).apply(input) as tf.SymbolicTensor;
  const b2 = L.conv2d({ filters: 4, kernelSize: 4, strides: 4, padding: "valid", activation: "sigmoid", ...seeded(7) }).apply(b) as tf.SymbolicTensor;
  const c = L.conv2d({ filters: 4, kernelSize: 5, strides: 3, padding: "same", ...seeded(8) }).apply(input) as tf.SymbolicTensor;
  const c2 = L.leakyReLU({ alpha: 0.1 }).apply(c) as tf.SymbolicTensor;
  const d = L.prelu({}).apply(L.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }).apply(a) as tf.SymbolicTensor) as tf.SymbolicTensor;
  // conv1d over the image rows (tfjs runs it as a conv2d with a height-1 filter).
  const rows = L.reshape({ targetShape: [SIZE, SIZE] }).apply(input) as tf.SymbolicTensor;
  const e = L.conv1d({ filters: 4, kernelSize: 3, dilationRate: 2, activation: "relu", ...seeded(9) }).apply(rows) as tf.SymbolicTensor;
  const merged = L.concatenate().apply([
    L.flatten().apply(d) as tf.SymbolicTensor,
    L.flatten().apply(b2) as tf.SymbolicTensor,
    L.flatten().apply(c2) as tf.SymbolicTensor,
    L.flatten().apply(e) as tf.SymbolicTensor,
  ]) as tf.SymbolicTensor;
  const out = L.dense({ units: 3, activation: "softmax", ...seeded(10) }).apply(merged) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function trainAndDispose(model: tf.LayersModel, epochs: number): Promise<number[]> {
  const { x, y } = barImages(48, 123);
  try {
    model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
    const history = await model.fit(x, y, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
    return history.history.loss.map(Number);
  } finally {
    model.optimizer.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  }
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`training on '${backend}'`, function () {
    let restore: () => Promise<void>;
    before(async function () {
      restore = await switchBackend(backend);
    });
    after(async function () {
      await restore();
    });

    it("a small CNN fits: a few batches run, the loss goes down, no tensors leak", async function () {
      const before = tf.memory().numTensors;
      const losses = await trainAndDispose(smallCnn(), 4);
      assert.equal(tf.memory().numTensors, before, "tensors leaked by fit");
      assert.ok(losses.every(Number.isFinite), `non-finite loss: ${losses}`);
      assert.ok(losses[losses.length - 1] < losses[0] * 0.8, `loss did not fall: ${losses.map((l) => l.toFixed(3)).join(" → ")}`);
    });

    it("strided, dilated, conv1d and every activation train without error", async function () {
      const before = tf.memory().numTensors;
      const losses = await trainAndDispose(layerZoo(), 3);
      assert.equal(tf.memory().numTensors, before, "tensors leaked by fit");
      assert.ok(losses.every(Number.isFinite), `non-finite loss: ${losses}`);
      assert.ok(losses[losses.length - 1] < losses[0], `loss did not fall: ${losses.map((l) => l.toFixed(3)).join(" → ")}`);
    });
  });
}
