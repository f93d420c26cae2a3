// Training is seeded end to end: from the same starting weights, the same seed gives the same
// order of examples and the same dropout masks, so the same batch losses and the same trained
// weights, bit for bit; another seed trains differently; Math.random is left as it was.
import { strict as assert } from "node:assert";
import { generateXO, type ImageDataset } from "../../src/data/index.js";
import { fit, type History } from "../../src/train/index.js";
import { withSeededRandom } from "../../src/train/seeded-random.js";
import { mustCheck } from "../helpers.js";
import { bestBackend, compileText, largestChange, weightValues } from "./helpers.js";

// Dropout after the convolution and before the vote: every step draws a mask.
const WITH_DROPOUT = "INPUT 9x9x1 CONV3-6/p0 DROPOUT0.3 POOL2/same FC-8 DROPOUT0.5 FC-2 SOFTMAX";

describe("seeded training", function () {
  this.timeout(120_000);
  let xo: ImageDataset;

  before(async () => {
    await bestBackend();
    xo = generateXO({ count: 96, seed: 5, variations: "mixed" });
  });

  async function train(seed: number | undefined): Promise<{ history: History; weights: Map<string, Float32Array> }> {
    const model = compileText(WITH_DROPOUT, 7);
    const settings = { epochs: 3, batchSize: 16, validationSplit: 0.25, ...(seed === undefined ? {} : { seed }) };
    const history = await fit(model, xo, { settings });
    const weights = weightValues(model);
    model.dispose();
    return { history, weights };
  }
  const losses = (h: History) => h.batches.map((b) => b.loss);

  it("the same seed gives the same batch losses, validation losses and weights, bit for bit", async () => {
    const first = await train(3);
    const second = await train(3);
    assert.deepEqual(losses(second.history), losses(first.history));
    assert.deepEqual(second.history.epochs.map((e) => e.valLoss), first.history.epochs.map((e) => e.valLoss));
    assert.equal(largestChange(first.weights, second.weights), 0);
  });

  it("without a seed, fit uses seed 0 (TRAIN's default), so two runs still agree", async () => {
    const first = await train(undefined);
    const zero = await train(0);
    assert.deepEqual(losses(zero.history), losses(first.history));
  });

  it("another seed shuffles and drops out differently", async () => {
    const a = await train(3);
    const b = await train(4);
    assert.notDeepEqual(losses(b.history), losses(a.history));
    assert.ok(largestChange(a.weights, b.weights) > 0);
  });

  it("TRAIN(seed=...) is the fit's seed", () => {
    assert.equal(mustCheck(`TRAIN(seed=42) ${WITH_DROPOUT}`).training?.seed, 42);
  });

  it("Math.random is seeded only while a fit runs, and restored after overlapping fits end", async () => {
    const before = Math.random;
    const draws = await withSeededRandom(9, async () => [Math.random(), Math.random()]);
    const again = await withSeededRandom(9, async () => [Math.random(), Math.random()]);
    assert.deepEqual(again, draws);
    // Two fits that overlap in time: whichever ends first, the unseeded generator comes back at the end.
    let releaseFirst!: () => void;
    const first = withSeededRandom(1, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const second = withSeededRandom(2, async () => undefined);
    releaseFirst();
    await Promise.all([first, second]);
    assert.equal(Math.random, before);
  });
});
