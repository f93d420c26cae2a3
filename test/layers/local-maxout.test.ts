// Locally connected and tiled convolution (LOCAL, /tN), against Keras's LocallyConnected2D/1D
// counts worked out by hand; maxout (MAXOUT) as Goodfellow et al. define it.
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { tf } from "../../src/backend/tf.js";
import { compileNetwork } from "../../src/compile/index.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { mustCheck } from "../helpers.js";
import { assertCompiledCounts, backends, trainsOn } from "./helpers.js";

describe("layer kinds: LOCAL (and tiled) and MAXOUT", function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend();
  });

  it("LOCAL: Keras LocallyConnected2D and 1D counts, filters and a bias at every position", () => {
    // LocallyConnected2D(64, 3) on 32x32x3: 30x30 positions, each (3*3*3)*64 weights and 64 biases:
    // 900*1,728 + 900*64 = 1,555,200 + 57,600 = 1,612,800.
    const two = mustCheck("INPUT 32x32x3 LOCAL3-64").rows[1]!;
    assert.deepEqual([[...two.outputShape], two.weights, two.biases, two.params], [[30, 30, 64], 1_555_200, 57_600, 1_612_800]);
    // LocallyConnected1D(64, 3) on (10, 32): 8 positions * (3*32*64 + 64) = 8 * 6,208 = 49,664.
    assert.equal(mustCheck("INPUT1D 10x32 LOCAL3-64").rows[1]!.params, 49_664);
    // strides=2 on 9x9x4, 5 filters: 4x4 positions * ((3*3*4)*5 + 5) = 16 * 185 = 2,960.
    const strided = mustCheck("INPUT 9x9x4 LOCAL3-5/s2").rows[1]!;
    assert.deepEqual([[...strided.outputShape], strided.params], [[4, 4, 5], 2_960]);
  });

  it("tiled convolution (/t2): 2x2 filter sets shared in turn, between CONV (t = 1) and LOCAL", () => {
    // 2*2 sets * ((3*3*3)*64 + 64) = 4 * 1,792 = 7,168; CONV3-64 is one set (1,792).
    assert.equal(mustCheck("INPUT 32x32x3 LOCAL3-64/t2").rows[1]!.params, 7_168);
    assert.equal(mustCheck("INPUT 32x32x3 LOCAL(filters=64, size=3, tiles=1)").rows[1]!.params, mustCheck("INPUT 32x32x3 CONV3-64/valid").rows[1]!.params);
  });

  it("LOCAL computes each position with its own filters; tiled cycles them", () => {
    for (const text of ["INPUT 5x5x2 LOCAL3-2/s2/nobias LINEAR", "INPUT 6x6x2 LOCAL3-2/t2/nobias LINEAR"]) {
      const network = mustCheck(text);
      const { model } = compileNetwork(network, { seed: 2 });
      const w = model.getLayer("local1").getWeights()[0]!.arraySync() as number[][][][];
      const x = tf.randomNormal([1, ...network.input.outputShape], 0, 1, "float32", 5);
      const y = (model.predict(x) as tf.Tensor).arraySync() as number[][][][];
      const input = (x.arraySync() as number[][][][])[0]!;
      const settings = network.rows[1]!.node.type === "layer" ? (network.rows[1]!.node.settings as { stride: number[]; tiles?: number }) : undefined;
      const [s, t] = [settings!.stride[0]!, settings!.tiles];
      const [oh, ow] = network.outputShape;
      for (let a = 0; a < oh!; a++) {
        for (let b = 0; b < ow!; b++) {
          const set = t ? w[a % t]![b % t]! : w[a]![b]!;
          for (let f = 0; f < 2; f++) {
            let sum = 0;
            let tap = 0;
            for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 2; c++) sum += input[a * s + i]![b * s + j]![c]! * set[tap++]![f]!;
            assert.ok(Math.abs(sum - y[0]![a]![b]![f]!) < 1e-5, `${text} at ${a},${b},${f}`);
          }
        }
      }
      x.dispose();
      model.dispose();
    }
  });

  it("LOCAL needs a known size; tiles must fit the positions", () => {
    assert.match(checkNetwork("INPUT 4x4x1 LOCAL3-2/t3").diagnostics[0]!.message, /^3 tiles per axis, but only 2x2 positions/);
    // LOCAL takes no /same or /valid: the hint offers what it takes.
    assert.equal(checkNetwork("INPUT 8x8x1 LOCAL3-2/s2").diagnostics[0]!.hint, "use stride 1 (/s1); or /floor to drop the remainder");
  });

  it("MAXOUT keeps the largest of each group of k channels; the layer before gets no ReLU", () => {
    const network = mustCheck("INPUT 28x28 CONV5-48 MAXOUT2 POOL2 FC-240 MAXOUT5 FC-10 SOFTMAX");
    assert.deepEqual(network.rows.map((r) => [r.name, [...r.outputShape]]).slice(1, 7), [
      ["CONV1", [28, 28, 48]], ["MAXOUT1", [28, 28, 24]], ["POOL1", [14, 14, 24]], ["FC2", [240]], ["MAXOUT2", [48]], ["FC3", [10]],
    ]);
    assert.equal(network.rows[1]!.activation, undefined, "the maxout is CONV1's nonlinearity");
    assert.equal(network.rows[4]!.activation, undefined);
    const { model } = compileNetwork(mustCheck("INPUT 4 MAXOUT2"));
    const y = model.predict(tf.tensor2d([[1, -3, -2, 5]])) as tf.Tensor;
    assert.deepEqual(y.arraySync(), [[1, 5]]);
    y.dispose();
    model.dispose();
  });

  it("MAXOUT refuses channels that are not a multiple of k, with the k that fit", () => {
    const source = "INPUT 28x28 CONV5-10 MAXOUT4";
    const [d] = checkNetwork(source).diagnostics;
    assert.equal(source.slice(d!.span.offset), "MAXOUT4");
    assert.equal(d!.message, "10 channels / 4 pieces = 2.5 is not a whole number: every maxout unit takes 4 channels");
    assert.equal(d!.hint, "use MAXOUT2, MAXOUT5, or make the layer before give a multiple of 4");
  });

  it("compile to layers with exactly the checked parameters", () => {
    assertCompiledCounts(mustCheck("INPUT 13x13x3 LOCAL3-4 LOCAL3-6/t2/s2/p1 MAXOUT3 FC-8 MAXOUT4"));
    assertCompiledCounts(mustCheck("INPUT1D 12x3 LOCAL3-4 LOCAL3-4/t2 GMP FC-2"));
  });

  for (const backend of backends) {
    it(`train on ${backend}`, async () => {
      await trainsOn(backend, "INPUT 9x9x2 LOCAL3-4/t2 CONV3-8 MAXOUT2 LOCAL3-4/s2 FC-4 MAXOUT2 FC-2 SOFTMAX");
    });
  }
});
