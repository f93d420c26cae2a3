import * as assert from "node:assert/strict";
import { createThrottle, progressLine, progressSummary, renderTrainingCurves, renderTrainingView, stoppedText, trainingCurvesSpec, type MetricRecord } from "../../src/render/training-view.js";
import { assertOfflineBundle } from "./helpers.js";
import { byClass, byTag, parseMarkup, svgPictures } from "./markup.js";

/** Two epochs of 4 batches each, with epoch summaries, as tfjs callbacks report them. */
function history(): MetricRecord[] {
  const out: MetricRecord[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let batch = 0; batch < 4; batch++) out.push({ epoch, batch, loss: 2 - epoch - batch * 0.1, accuracy: 0.5 + epoch * 0.2 });
    out.push({ epoch, loss: 1.8 - epoch, accuracy: 0.55 + epoch * 0.2, valLoss: [1.9, 0.9][epoch]!, valAccuracy: 0.5 + epoch * 0.2 });
  }
  return out;
}

describe("render/training-view", () => {
  const progress = { epoch: 2, epochs: 4, batch: 2, batches: 4, elapsedSeconds: 50 };

  it("places epoch summaries at whole epochs and batches in between", () => {
    const spec = trainingCurvesSpec(history(), { progress });
    assert.deepEqual(spec.panels.map((p) => p.title), ["loss", "accuracy"]);
    const loss = spec.panels[0]!;
    assert.equal(loss.kind, "line");
    if (loss.kind !== "line") return;
    const byName = Object.fromEntries(loss.traces.map((t) => [t.name, t]));
    assert.deepEqual(byName["train"]!.x, [1, 2]);
    assert.deepEqual(byName["train"]!.y, [1.8, 0.8]);
    assert.deepEqual(byName["validation"]!.y, [1.9, 0.9]);
    assert.deepEqual(byName["train (per batch)"]!.x, [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    assert.deepEqual(loss.x.range, [0, 4], "x spans the planned epochs so the chart does not rescale");
    const noAccuracy = trainingCurvesSpec([{ epoch: 0, loss: 1 }]);
    assert.equal(noAccuracy.panels.length, 1);
  });

  it("reports progress, ETA and the latest metrics", () => {
    const s = progressSummary(history(), progress);
    assert.equal(s.fraction, 2.5 / 4);
    assert.equal(s.etaSeconds, 30);
    assert.equal(s.position, "epoch 3/4  batch 2/4");
    assert.equal(s.metrics, "loss 0.8  acc 0.75  val_loss 0.9  val_acc 0.7");
    assert.equal(progressLine(history(), progress, 8), "epoch 3/4  batch 2/4  [#####---] 62%  elapsed 0:50  ETA 0:30");
    const done = progressSummary(history(), { ...progress, epoch: 3, batch: 4 });
    assert.equal(done.done, true);
    assert.match(progressLine(history(), { ...progress, epoch: 3, batch: 4, elapsedSeconds: 3700 }), /100%  done in 1:01:40$/);
  });

  it("a run stopped early says where, plots only what ran, and spans only the epochs that ran", () => {
    // Stopped in epoch 2 after 1 of its 4 batches: the records hold epoch 1 whole and one batch of epoch 2.
    const ran = history().slice(0, 6);
    const stopped = { epoch: 1, epochs: 6, batch: 1, batches: 4, elapsedSeconds: 12, ended: "interrupted" as const };
    const s = progressSummary(ran, stopped);
    assert.equal(s.position, "stopped at epoch 2, batch 1 of 4 (interrupted)");
    assert.equal(s.done, true);
    assert.match(progressLine(ran, stopped, 8), /^stopped at epoch 2, batch 1 of 4 \(interrupted\)  \[##------\] 20%  stopped after 0:12$/);
    const spec = trainingCurvesSpec(ran, { progress: stopped });
    const loss = spec.panels[0]!;
    if (loss.kind !== "line") throw new Error("a line chart");
    assert.deepEqual(loss.x.range, [0, 2], "the axis ends at the epoch it stopped in, not at the 6 planned");
    const byName = Object.fromEntries(loss.traces.map((t) => [t.name, t]));
    assert.deepEqual(byName["train"]!.x, [1], "the cut-short epoch is not plotted as a whole one");
    assert.deepEqual(byName["train (per batch)"]!.x, [0.25, 0.5, 0.75, 1, 1.25]);
    assert.match(renderTrainingView({ history: ran, progress: stopped })["text/html"] as string, /<b class="position"[^>]*>stopped at epoch 2, batch 1 of 4 \(interrupted\)<\/b>/);
    assert.equal(stoppedText("early-stopping", { epoch: 5, batch: 4, batches: 4 }), "stopped after epoch 5 (early stopping)");
    assert.equal(stoppedText("interrupted", { epoch: 3, batch: 4, batches: 4 }), "stopped after epoch 3 (interrupted)");
  });

  it("bundles a progress bar, metrics and static charts without scripts", () => {
    const bundle = renderTrainingView({ history: history(), progress });
    assertOfflineBundle(bundle);
    const html = bundle["text/html"] as string;
    assert.doesNotMatch(html, /<script/);
    const root = parseMarkup(html);
    // A <progress> element and an <img>: what a notebook's sanitizer keeps (it drops styles and inline SVG).
    assert.equal(byTag(root, "progress")[0]?.attrs["value"], "62.5");
    assert.equal(byTag(root, "svg").length, 0);
    const [chart] = svgPictures(root);
    assert.equal(byClass(chart!, "panel").length, 2);
    assert.equal(byClass(chart!, "trace").length, 6);
    assert.match(bundle["text/plain"], /^epoch 3\/4  batch 2\/4  \[#+-+\] 62%/);
    assert.match(bundle["text/plain"], /loss 0\.8  acc 0\.75/);
    const empty = renderTrainingView({ history: [], progress: { epoch: 0, epochs: 3, batch: 0, batches: 10, elapsedSeconds: 0 } });
    assert.match(empty["text/plain"], /ETA --:--/);
    assert.match(empty["text/plain"], /no metrics yet/);
  });

  it("shows finished curves interactively", () => {
    const bundle = renderTrainingCurves(history());
    assertOfflineBundle(bundle);
    assert.ok(bundle["application/vnd.plotly.v1+json"]);
    assert.match(bundle["text/html"] as string, /<script/);
  });

  it("the finished (interactive) view carries its curves as an SVG picture too; live updates do not", () => {
    const progress = { epoch: 2, epochs: 2, batch: 3, batches: 3, elapsedSeconds: 4 };
    const live = renderTrainingView({ history: history(), progress });
    assert.equal(live["image/svg+xml"], undefined);
    const finished = renderTrainingView({ history: history(), progress }, { interactive: true });
    assert.match(String(finished["image/svg+xml"]), /^<svg[\s\S]*validation[\s\S]*<\/svg>\s*$/);
    assert.match(String(finished["text/html"]), /convnote-training/);
  });

  it("throttles updates to one per interval, with a forced final update", () => {
    let now = 0;
    const shouldUpdate = createThrottle(250, () => now);
    const decisions: boolean[] = [];
    for (now = 0; now <= 1000; now += 100) decisions.push(shouldUpdate());
    // Updates at t = 0, 300, 600, 900.
    assert.deepEqual(decisions.map((d, i) => (d ? i * 100 : -1)).filter((t) => t >= 0), [0, 300, 600, 900]);
    now = 950;
    assert.equal(shouldUpdate(), false);
    assert.equal(shouldUpdate(true), true, "the final update always goes through");
  });
});
