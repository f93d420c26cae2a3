// Helpers for the layer-kind tests: a network compiled and trained briefly on each backend the
// tests can start here (cpu and wasm), with every weight checked to have moved: the gradient
// reaches it on that backend.
import { strict as assert } from "node:assert";
import { tf } from "../../src/backend/tf.js";
import { compileNetwork, compiledParamsByLayer } from "../../src/compile/index.js";
import type { CheckedNetwork } from "../../src/shapes/network.js";
import { compileForTraining, trainedModel } from "../../src/train/fit.js";
import { optimizer, trainingSettings } from "../../src/train/settings.js";
import { switchBackend } from "../backend/helpers.js";
import { mustCheck } from "../helpers.js";

export const backends = ["cpu", "wasm"] as const;

/** Every layer's tfjs parameters equal the checked count, and the model's output shape the checked one. */
export function assertCompiledCounts(network: CheckedNetwork): void {
  const compiled = compileNetwork(network, { seed: 1 });
  try {
    const perLayer = compiledParamsByLayer(compiled);
    for (const row of network.rows) {
      if (row.node.type !== "layer" || row.kind === "input") continue;
      assert.equal(perLayer.get(row.name), row.params, `${row.name} (${row.label})`);
    }
    // AUX heads are in the training model only: inference has the rest.
    assert.equal(compiled.model.countParams(), network.totals.params - network.totals.auxiliaryParams);
    if (compiled.training) assert.equal(compiled.training.model.countParams(), network.totals.params);
    const known = network.outputShape.map((v) => (Number.isFinite(v) ? v : null));
    assert.deepEqual(compiled.model.outputs[0]!.shape.slice(1), known);
  } finally {
    compiled.model.dispose();
  }
}

/**
 * Trains `text` for a few epochs on 16 random examples of 2 classes on `backend`; the loss must
 * fall and every trainable weight must change.
 */
export async function trainsOn(backend: (typeof backends)[number], text: string, options: { inputShape?: number[]; input?: (n: number) => tf.Tensor } = {}): Promise<void> {
  const restore = await switchBackend(backend);
  const network = mustCheck(text);
  const { model, training } = compileNetwork(network, { seed: 7 });
  try {
    const shape = options.inputShape ?? network.input.outputShape;
    const x = options.input ? options.input(16) : tf.randomNormal([16, ...shape], 0, 1, "float32", 11);
    const classes = network.outputShape[0]!;
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % classes), "int32"), classes);
    // As fit() trains: with AUX heads, the training model, the labels once per output, the weighted loss.
    compileForTraining(model, trainingSettings({ optimizer: optimizer("adam", { learningRate: 0.01 }) }));
    const trained = trainedModel(model);
    const y = training ? tf.tile(labels, [1, training.outputs.length]) : labels;
    const before = trained.trainableWeights.map((w) => w.read().clone());
    const history = await trained.fit(x, y, { epochs: 8, batchSize: 8, shuffle: false, verbose: 0 });
    const losses = history.history["loss"] as number[];
    assert.ok(losses[losses.length - 1]! < losses[0]!, `${backend}: the loss does not fall: ${losses.map((l) => l.toFixed(3)).join(" ")}`);
    trained.trainableWeights.forEach((w, i) => {
      const moved = tf.tidy(() => w.read().sub(before[i]!).abs().max().dataSync()[0]!);
      assert.ok(moved > 0, `${backend}: ${w.name} did not change: no gradient reached it`);
    });
    tf.dispose([x, y, labels, ...before]);
  } finally {
    model.dispose();
    await restore();
  }
}
