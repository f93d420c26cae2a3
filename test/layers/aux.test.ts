// AUX heads (auxiliary classifiers): GoogLeNet's two heads counted from the paper; the diagnostics
// that say where AUX may stand; the heads trained with their loss weights and dropped at inference;
// shown in the table and the diagram as side outputs.
import { strict as assert } from "node:assert";
import { initBackend } from "../../src/backend/index.js";
import { tf } from "../../src/backend/tf.js";
import { compileNetwork } from "../../src/compile/index.js";
import { completeNetwork } from "../../src/completion/complete.js";
import { inspectNetwork } from "../../src/completion/inspect.js";
import { diagramSvg } from "../../src/render/diagram.js";
import { summaryText } from "../../src/render/summary-text.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { compileForTraining } from "../../src/train/fit.js";
import { trainingSettings } from "../../src/train/settings.js";
import { findZooEntry } from "../../src/zoo/index.js";
import { switchBackend } from "../backend/helpers.js";
import { mustCheck } from "../helpers.js";
import { assertCompiledCounts, backends, trainsOn } from "./helpers.js";

const small = "INPUT 8x8x1 CONV3-4 AUX(weight=0.3)[GAP FC-2 SOFTMAX] CONV3-4 GAP FC-2 SOFTMAX";

describe("AUX: auxiliary heads", function () {
  this.timeout(180_000);
  before(async () => {
    await initBackend();
  });

  it("GoogLeNet with both auxiliary classifiers, counted from the paper's Section 5", () => {
    const withHeads = mustCheck(findZooEntry("googlenet-aux")!.source);
    const params = (name: string) => withHeads.rows.find((r) => r.name === name)!.params;
    // On 4a (14x14x512): 5x5 average pool at stride 3 -> (14 - 5)/3 + 1 = 4: 4x4x512.
    assert.deepEqual([...withHeads.rows.find((r) => r.name === "AUX1_POOL1")!.outputShape], [4, 4, 512]);
    assert.equal(params("AUX1_CONV1"), 1 * 1 * 512 * 128 + 128); // 65,664
    assert.equal(params("AUX1_FC2"), 4 * 4 * 128 * 1024 + 1024); // 2,098,176
    assert.equal(params("AUX1_FC3"), 1024 * 1000 + 1000); // 1,025,000
    assert.equal(params("AUX2_CONV1"), 1 * 1 * 528 * 128 + 128); // 67,712 on 4d's 528 channels
    // Heads: 65,664 + 2,098,176 + 1,025,000 = 3,188,840 and 67,712 + 2,098,176 + 1,025,000 = 3,190,888.
    assert.equal(withHeads.totals.auxiliaryParams, 3_188_840 + 3_190_888);
    // The network without heads is the zoo's googlenet (6,998,552): 13,378,280 in training.
    assert.equal(mustCheck(findZooEntry("googlenet")!.source).totals.params, 6_998_552);
    assert.equal(withHeads.totals.params, 6_998_552 + 6_379_728);
    assert.equal(withHeads.rows.filter((r) => r.kind === "aux").map((r) => r.label).join(" "), "AUX(weight=0.3) AUX(weight=0.3)");
  });

  it("names the heads' layers after the head; the main chain's numbering is the network's without heads", () => {
    const withHeads = mustCheck(small).rows.map((r) => r.name);
    assert.deepEqual(withHeads, ["INPUT", "CONV1", "AUX1_GAP1", "AUX1_FC1", "AUX1", "CONV2", "GAP1", "FC3"]);
    const without = mustCheck("INPUT 8x8x1 CONV3-4 CONV3-4 GAP FC-2 SOFTMAX").rows.map((r) => r.name);
    assert.deepEqual(withHeads.filter((n) => !n.startsWith("AUX")), without);
  });

  it("shows the head in the table and the totals, and draws it below the main line", () => {
    const network = mustCheck(small);
    const text = summaryText(network);
    assert.match(text, /^ {2}AUX1_FC1 +FC-2 +SOFTMAX +\[2\] +params: 4\*2 \+ 2 = 10/m);
    assert.match(text, /^AUX1 +AUX\(weight=0\.3\) +\[2\]/m);
    assert.match(text, /Total: 208 parameters \(208 trainable, 0 non-trainable; 10 in auxiliary heads, trained and then dropped at inference\)/);
    const svg = diagramSvg(network);
    assert.match(svg, /<title>AUX1: a side output \(auxiliary classifier\) trained with loss weight 0\.3, dropped at inference: \[2\]<\/title><polyline[^>]*stroke-dasharray="3 2"/);
    assert.match(svg, /<title>AUX1_FC1 FC-2: \[2\], 10 parameters<\/title>/);
  });

  it("completion offers AUX[ on the main chain; Shift-Tab on AUX explains it and shows the head's output", () => {
    assert.ok(completeNetwork("INPUT 8x8 CONV3-4 A", 19).matches.includes("AUX["));
    const inspected = inspectNetwork(small, small.indexOf("AUX") + 1)!;
    assert.match(inspected.markdown, /^\*\*Auxiliary head\*\*/);
    assert.match(inspected.markdown, /\| AUX1 \| AUX\(weight=0\.3\) \| {2}\| \[2\] \| 0 \|/);
  });

  it("refuses AUX at the end of the network, off the main chain, or ending unlike the network, at AUX", () => {
    const cases: [string, RegExp][] = [
      ["INPUT 8x8x1 CONV3-4 AUX[GAP FC-2]", /^AUX at the end of the network: a side head branches off the main chain, which must go on after it$/],
      ["INPUT 8x8x1 CONV3-4 GAP FC-2 AUX[FC-2] AUX[FC-2]", /^AUX at the end of the network/],
      ["INPUT 8x8x1 {CONV3-4 AUX[GAP FC-2] | CONV1-2} GAP FC-2", /^AUX branches a side head off the main chain, not off a branch/],
      ["INPUT 8x8x1 CONV3-4 AUX[GAP FC-3] CONV3-4 GAP FC-2 SOFTMAX", /^AUX1 ends in \[3\], but the network's output is \[2\]/],
    ];
    for (const [source, message] of cases) {
      const [d] = checkNetwork(source).diagnostics;
      assert.ok(d, source);
      assert.match(d.message, message, source);
      assert.equal(source.slice(d.span.offset, d.span.offset + d.span.length), "AUX", source);
    }
    assert.match(checkNetwork("INPUT 8x8x1 AUX(w=1)[GAP FC-2] GAP FC-2").diagnostics[0]!.message, /^AUX has no argument 'w'/);
  });

  it("is dropped at inference: the compiled model has the main output only, and the training model both", () => {
    const network = mustCheck(small);
    assertCompiledCounts(network);
    const { model, training } = compileNetwork(network, { seed: 1 });
    assert.ok(!model.layers.some((l) => l.name.startsWith("aux1")), "no head layer in the inference model");
    assert.deepEqual(model.outputs.map((o) => o.shape), [[null, 2]]);
    assert.deepEqual(training!.model.outputs[0]!.shape, [null, 4], "main output and the head's, side by side");
    assert.deepEqual(training!.outputs, [{ weight: 1, softmax: true }, { weight: 0.3, softmax: true }]);
    model.dispose();
  });

  it("trains with the loss main + weight * head, each a cross-entropy", async () => {
    const restore = await switchBackend("cpu");
    try {
      const { model, training } = compileNetwork(mustCheck(small), { seed: 2 });
      compileForTraining(model, trainingSettings());
      const x = tf.randomNormal([6, 8, 8, 1], 0, 1, "float32", 9);
      const labels = [0, 1, 1, 0, 1, 0];
      const y = tf.oneHot(tf.tensor1d(labels, "int32"), 2);
      const both = (training!.model.predict(x) as tf.Tensor).arraySync() as number[][];
      // Cross-entropy by hand: the mean over examples of -log p(label), for the main output (columns 0-1) and the head (2-3).
      const crossEntropy = (offset: number) => both.reduce((sum, p, e) => sum - Math.log(p[offset + labels[e]!]!), 0) / both.length;
      const expected = crossEntropy(0) + 0.3 * crossEntropy(2);
      const loss = training!.model.evaluate(x, tf.tile(y, [1, 2])) as tf.Scalar[];
      assert.ok(Math.abs(loss[0]!.dataSync()[0]! - expected) < 1e-4, `${loss[0]!.dataSync()[0]} against ${expected}`);
      tf.dispose([x, y, ...loss]);
      model.dispose();
    } finally {
      await restore();
    }
  });

  for (const backend of backends) {
    it(`trains on ${backend}: every weight of the main chain and of the head moves`, async () => {
      await trainsOn(backend, small);
    });
  }
});
