// Transfer learning: a network trained on digits 0-4, then digits 5-9 from 100 examples learned
// from scratch, with its convolutions as a fixed feature extractor, and fine-tuned.
import assert from "node:assert/strict";
import { checkPngs, joined, notebookOutputs } from "./run-notebook.js";

const METHODS = ["from scratch", "feature extractor", "fine-tuning, all layers", "fine-tuning, CONV1 frozen"];

describe("notebook 07-transfer-learning", function () {
  this.timeout(1_200_000);

  it("trains on digits 0-4 and shows transferred features beating training from scratch on 100 digits 5-9", async () => {
    const { outputs, text } = await notebookOutputs("07-transfer-learning.ipynb");

    // The two tasks, and all of task B's training data as a picture.
    assert.match(text, /task A \(digits 0-4\): 3500 training digits, \d+ test digits/);
    assert.match(text, /task B \(digits 5-9\): 100 training digits \(per class: (\d+ ){4}\d+\), 500 validation digits, \d+ test digits/);
    assert.equal(checkPngs(outputs), 1, "the 100 training digits of task B");

    // Task A is learned well: the features are worth transferring.
    const taskA = /task A: test accuracy ([\d.]+)% on \d+ digits 0-4/.exec(text);
    assert.ok(taskA && Number(taskA[1]) >= 95, `task A: ${taskA?.[0]}`);

    // The feature extractor: the base's convolutions frozen, the new head (renamed head_...) learning.
    assert.match(text, /^conv1 +Conv2D +320 +frozen$/m);
    assert.match(text, /^conv2 +Conv2D +18,496 +frozen$/m);
    assert.match(text, /^head_fc1 +Dense +401,536 +learns$/m);
    assert.match(text, /^head_fc2 +Dense +645 +learns$/m);
    assert.match(text, /trainable 402,181, frozen 18,816/);

    // The accuracies on task B, and the point of the lecture: transferred features beat from-scratch on a small set.
    const accuracy = new Map(METHODS.map((method) => {
      const found = new RegExp(`^${method}: test accuracy ([\\d.]+)%$`, "m").exec(text);
      assert.ok(found, `no test accuracy for ${method}`);
      return [method, Number(found[1])];
    }));
    for (const [method, value] of accuracy) assert.ok(value >= 70, `${method}: ${value}%`);
    const scratch = accuracy.get("from scratch")!;
    const transferred = Math.max(accuracy.get("feature extractor")!, accuracy.get("fine-tuning, all layers")!, accuracy.get("fine-tuning, CONV1 frozen")!);
    assert.ok(transferred > scratch, `best transfer ${transferred}% against from scratch ${scratch}% (${[...accuracy].map(([m, v]) => `${m} ${v}%`).join(", ")})`);
    // The prose under the table: from scratch "the result is a few points worse" than the feature
    // extractor; fine-tuning "brings little over keeping them fixed" (at most a point above it).
    const extractor = accuracy.get("feature extractor")!;
    assert.ok(extractor - scratch >= 1 && extractor - scratch <= 10, `a few points: extractor ${extractor}%, from scratch ${scratch}%`);
    for (const method of ["fine-tuning, all layers", "fine-tuning, CONV1 frozen"]) assert.ok(accuracy.get(method)! <= extractor + 1, `${method} ${accuracy.get(method)}% against the extractor's ${extractor}%`);
    // "the convolutions hold fewer than 19,000 of the 421,000"
    assert.match(text, /^from scratch +base\.model\(\{ seed: 2 \}\) +0\.001 +420,997 /m);

    // The table and the curves of all four methods.
    for (const method of METHODS) assert.match(text, new RegExp(`^${method} +\\S.* +[\\d.]+% *$`, "m"), `${method} in the table`);
    const chart = outputs.find((o) => joined(o.data?.["text/plain"]).startsWith("task B: validation accuracy while training on 100 digits"));
    const figure = chart?.data?.["application/vnd.plotly.v1+json"] as unknown as { data: { name: string; y: number[] }[] } | undefined;
    assert.ok(figure, "the validation curves");
    assert.deepEqual(figure.data.map((t) => t.name), METHODS);
    for (const trace of figure.data) assert.equal(trace.y.length, 10, `${trace.name}: 10 epochs`);
  });
});
