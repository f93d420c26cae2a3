// The checker and the engine agree: every network that checks compiles to a tfjs model with the
// checker's parameter count and output shape (issue 15: the checker accepted ELU0.1 and
// GAP FLATTEN, which tfjs then refused with a stack). Inputs: every layer kind's examples, the
// seed networks, and the fuzzer's mutations of them; networks too big to build in a test
// (over MAX_PARAMS) are only checked.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { tf } from "../../src/backend/index.js";
import { compileNetwork } from "../../src/compile/index.js";
import { layerKinds } from "../../src/layers/registry.js";
import { checkNetwork } from "../../src/shapes/check.js";
import type { CheckedNetwork } from "../../src/shapes/network.js";
import { sampleNetworks, smallNetworks, withEdits } from "./arbitraries.js";

/** Building allocates the weights: keep each model small enough to build in milliseconds. */
const MAX_PARAMS = 2_000_000;
/** A forward pass on one zero example, when it is cheap, checks the output shape too. */
const MAX_MACS_FOR_FORWARD = 5_000_000;

let compiled = 0;

/** Compiles a checked network; throws (failing the property) with the text when tfjs refuses it or disagrees. */
function compileAndCompare(text: string, network: CheckedNetwork): void {
  if (!(network.totals.params <= MAX_PARAMS)) return;
  let model: tf.LayersModel | undefined;
  let trainingModel: tf.LayersModel | undefined;
  try {
    const built = compileNetwork(network, { seed: 1 });
    model = built.model;
    trainingModel = built.training?.model;
    compiled++;
    // AUX heads are in the training model only (compile.ts).
    assert.equal(model.countParams(), network.totals.params - network.totals.auxiliaryParams, "tfjs counts the parameters the checker counted");
    if (built.training) assert.equal(built.training.model.countParams(), network.totals.params, "the training model has the AUX heads' parameters too");
    const shape = network.outputShape;
    const known = !network.input.outputShape.some(Number.isNaN) && !shape.some(Number.isNaN);
    if (known && network.totals.macs <= MAX_MACS_FOR_FORWARD) {
      tf.tidy(() => {
        const output = model!.predict(tf.zeros([1, ...network.input.outputShape])) as tf.Tensor | tf.Tensor[];
        const first = Array.isArray(output) ? output[0]! : output;
        assert.deepEqual(first.shape.slice(1), shape, "the model's output has the checked shape");
      });
    }
  } catch (error) {
    throw new Error(`checks but does not compile: ${JSON.stringify(text)}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    trainingModel?.dispose();
    model?.dispose();
  }
}

function checkThenCompile(text: string): void {
  const result = checkNetwork(text, { maxLayers: 2_000 });
  if (result.network) compileAndCompare(text, result.network);
}

describe("every network that checks compiles (checker and engine agree)", function () {
  this.timeout(300_000);
  let backend: string;

  before(async () => {
    backend = tf.getBackend();
    await tf.setBackend("cpu");
  });

  after(async () => {
    if (backend) await tf.setBackend(backend);
  });

  it("the probe's two (ELU with alpha, FLATTEN after GAP) and what the property found (a dilated CONV with no bias, before BN)", () => {
    const found = ["INPUT 28x28 CONV3-4 ELU0.1 POOL2 FC-10 SOFTMAX", "INPUT 28x28 GAP FLATTEN FC-10 SOFTMAX", "INPUT 100 FLATTEN FC-2", "INPUT 8x8 CONV3-4/d2 BN"];
    for (const text of found) {
      const result = checkNetwork(text);
      assert.ok(result.network, `${text}: ${JSON.stringify(result.diagnostics)}`);
      compileAndCompare(text, result.network);
    }
  });

  it("every layer kind's examples and every seed network", () => {
    const examples = layerKinds.flatMap((kind) => kind.examples);
    for (const text of [...examples, ...sampleNetworks()]) checkThenCompile(text);
  });

  it("random chains of small layers of every kind, and the fuzzer's mutations of real networks", () => {
    const before = compiled;
    const examples = layerKinds.flatMap((kind) => kind.examples);
    fc.assert(fc.property(smallNetworks(), checkThenCompile), { numRuns: 500 });
    fc.assert(fc.property(withEdits([...sampleNetworks(), ...examples]), checkThenCompile), { numRuns: 300 });
    console.log(`      ${compiled - before} accepted networks compiled`);
    assert.ok(compiled - before > 100, "the property compiled enough networks to mean something");
  });
});
