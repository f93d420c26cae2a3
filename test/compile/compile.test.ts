// The compiled tf model has exactly the checked network's parameters, layer by layer, for the
// whole zoo; and the compiled layers compute what the slides say (shapes, fused activations).
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { tf } from "../../src/backend/tf.js";
import { compileNetwork, compiledParamsByLayer } from "../../src/compile/index.js";
import type { CheckedNetwork } from "../../src/shapes/network.js";
import { zoo } from "../../src/zoo/index.js";
import { fixture, mustCheck } from "../helpers.js";

/** The zoo's image networks whose FC layers depend on the input size are built smaller; GAP networks at full size. */
const smallerInput: Record<string, string> = {
  "vgg-a": "INPUT 32x32x3",
  "vgg-a-lrn": "INPUT 32x32x3",
  "vgg-b": "INPUT 32x32x3",
  "vgg-c": "INPUT 32x32x3",
  "vgg-e": "INPUT 32x32x3",
};

function assertSameCounts(network: CheckedNetwork, label: string): void {
  const compiled = compileNetwork(network, { seed: 1 });
  try {
    const perLayer = compiledParamsByLayer(compiled);
    for (const row of network.rows) {
      if (row.node.type !== "layer" || row.kind === "input") continue;
      assert.equal(perLayer.get(row.name), row.params, `${label} ${row.name} (${row.label})`);
    }
    // AUX heads (googlenet-aux) are in the training model only; inference drops them.
    assert.equal(compiled.model.countParams(), network.totals.params - network.totals.auxiliaryParams, `${label} total`);
    const trained = compiled.training?.model ?? compiled.model;
    const trainable = trained.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    assert.equal(trainable, network.totals.trainableParams, `${label} trainable`);
    assert.deepEqual(compiled.model.outputs[0]!.shape.slice(1), [...network.outputShape], `${label} output shape`);
  } finally {
    compiled.model.dispose();
  }
}

describe("compiling checked networks to TensorFlow.js", function () {
  this.timeout(600_000);
  before(async () => {
    await initBackend();
  });

  for (const entry of zoo) {
    it(`${entry.name}: every layer's parameter count matches`, () => {
      const key = entry.name.toLowerCase();
      const source = smallerInput[key] ? entry.source.replace(/INPUT \d+x\d+x\d+/, smallerInput[key]!) : entry.source;
      assertSameCounts(mustCheck(source), entry.name);
    });
  }

  it("VGG16 at 224x224x3 builds with 138,357,544 parameters", () => {
    const vgg = fixture<{ dsl_in_the_card: string; total_params_with_biases: number }>("vgg16.json");
    const compiled = compileNetwork(mustCheck(vgg.dsl_in_the_card));
    try {
      assert.equal(compiled.model.countParams(), vgg.total_params_with_biases);
    } finally {
      compiled.model.dispose();
    }
  });

  it("builds a sequential model for a chain and a functional one for blocks", () => {
    const chain = compileNetwork(mustCheck("INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX"));
    assert.equal(chain.model.getClassName(), "Sequential");
    const blocks = compileNetwork(mustCheck("INPUT 8x8x4 RES[CONV3-8 BN CONV3-8 BN] { CONV1-2 | POOL3/s1/same } GAP FC-2"));
    assert.equal(blocks.model.getClassName(), "Model");
    chain.model.dispose();
    blocks.model.dispose();
  });

  it("computes the cs231n demo numbers through a compiled CONV with the slide's weights", () => {
    const demo = fixture<{ input_unpadded_5x5x3: number[][][]; filters: number[][][][]; biases: number[]; expected_output_3x3x2: number[][][] }>("cs231n-conv-demo.json");
    const network = mustCheck("INPUT 5x5x3 CONV3-2/s2/p1 LINEAR");
    const { model } = compileNetwork(network);
    // Slide layout filters[k][c][row][col] -> tfjs kernel [row][col][c][k]; input [c][row][col] -> [row][col][c].
    const kernel = tf.tensor4d(
      Array.from({ length: 3 }, (_, r) => Array.from({ length: 3 }, (_, q) => Array.from({ length: 3 }, (_, c) => Array.from({ length: 2 }, (_, k) => demo.filters[k]![c]![r]![q]!)))),
    );
    model.getLayer("conv1").setWeights([kernel, tf.tensor1d(demo.biases)]);
    const input = tf.tensor4d([Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, q) => Array.from({ length: 3 }, (_, c) => demo.input_unpadded_5x5x3[c]![r]![q]!)))]);
    const output = (model.predict(input) as tf.Tensor).arraySync() as number[][][][];
    const perChannel = [0, 1].map((k) => output[0]!.map((row) => row.map((v) => Math.round(v[k]!))));
    assert.deepEqual(perChannel, demo.expected_output_3x3x2);
    tf.dispose([kernel, input]);
    model.dispose();
  });

  it("fuses ReLU into CONV and FC, keeps SOFTMAX on the last layer, and puts BN's activation after it", () => {
    const { model } = compileNetwork(mustCheck("INPUT 8x8x1 CONV3-4 BN POOL2 FC-8 FC-3 SOFTMAX"));
    const config = (name: string) => model.getLayer(name).getConfig();
    assert.equal(config("conv1")["activation"], "linear");
    assert.equal(config("conv1")["useBias"], false);
    assert.equal(model.getLayer("bn1_relu").getClassName(), "Activation");
    assert.equal(config("fc2")["activation"], "relu");
    assert.equal(config("fc3")["activation"], "softmax");
    model.dispose();
  });

  it("uses the initialisers of the slides: Glorot uniform within r = sqrt(6/(fan_in+fan_out)), zeros when asked", () => {
    const network = mustCheck("INPUT 100 FC-50 FC-10");
    const glorot = compileNetwork(network, { seed: 3 }).model;
    const w = glorot.getLayer("fc1").getWeights()[0]!.dataSync();
    const r = Math.sqrt(6 / (100 + 50));
    assert.ok(w.every((v) => Math.abs(v) <= r + 1e-6));
    assert.ok(Math.max(...w) > 0.9 * r, "samples fill the range");
    const zeros = compileNetwork(network, { init: "zeros" }).model;
    assert.ok(zeros.getLayer("fc1").getWeights()[0]!.dataSync().every((v) => v === 0));
    glorot.dispose();
    zeros.dispose();
  });

  it("compiles 1-D networks, explicit padding and LRN", () => {
    const text = mustCheck("INPUT1D 60x50 CONV3-16/p1 POOL2 CONV5-8/valid GMP FC-2 SOFTMAX");
    assertSameCounts(text, "text CNN");
    const alex = mustCheck("INPUT 27x27x8 CONV5-16/p2 POOL3/2 NORM FC-4");
    assertSameCounts(alex, "alexnet-like");
    const { model } = compileNetwork(alex);
    const y = model.predict(tf.ones([2, 27, 27, 8])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 4]);
    y.dispose();
    model.dispose();
  });
});

describe("ELU with a scale (ELU0.1)", () => {
  it("computes x for x > 0 and alpha*(exp(x) - 1) below, and comes back from its config", async () => {
    await initBackend();
    const { model } = compileNetwork(mustCheck("INPUT 4 ELU0.1"), { seed: 1 });
    try {
      const x = [-2, -0.5, 0, 3];
      const y = tf.tidy(() => Array.from((model.predict(tf.tensor2d([x])) as tf.Tensor).dataSync()));
      x.forEach((v, i) => assert.ok(Math.abs(y[i]! - (v > 0 ? v : 0.1 * (Math.exp(v) - 1))) < 1e-6, `elu(${v}) = ${y[i]}`));
      const layer = model.layers[model.layers.length - 1]!;
      assert.equal(layer.getClassName(), "ConvNoteELU");
      const again = tf.serialization.SerializationMap.getMap().classNameMap["ConvNoteELU"];
      assert.ok(again, "registered for loading saved models");
    } finally {
      model.dispose();
    }
  });
});
