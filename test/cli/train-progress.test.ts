// The training progress display: redrawn in place with \r on a terminal, one plain line per epoch
// elsewhere; the bar, batch counter, ETA, loss and accuracy.
import { strict as assert } from "node:assert";
import { etaSeconds, formatBatchLine, formatEpochLine, TrainingProgress } from "../../src/cli/progress.js";
import type { BatchProgress } from "../../src/train/index.js";

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { out: { isTTY, columns: 100, write: (text: string) => writes.push(text) }, writes };
}

const batch = (epoch: number, index: number, elapsedSeconds: number): BatchProgress => ({ epoch, epochs: 2, batch: index, batches: 10, loss: 0.5, accuracy: 0.75, elapsedSeconds });
const epochLog = (epoch: number) => ({ epoch, loss: 0.25, accuracy: 0.875, valLoss: 0.3, valAccuracy: 0.85, learningRate: 0.001, seconds: 2.5 });

describe("training progress", () => {
  it("formats a batch line with the bar, the counter, the ETA, loss and accuracy", () => {
    // 5 of 20 batches in 10 s: 15 more take 30 s.
    assert.equal(etaSeconds(batch(0, 4, 10)), 30);
    assert.equal(formatBatchLine(batch(0, 4, 10)), "epoch 1/2 [============>           ]  5/10 ETA 0:30 loss 0.5000 acc 0.7500");
    assert.equal(formatBatchLine(batch(1, 9, 40)), "epoch 2/2 [========================] 10/10 ETA 0:00 loss 0.5000 acc 0.7500");
    // A narrow terminal gets a shorter bar rather than a cut line.
    assert.equal(formatBatchLine(batch(0, 4, 10), 60), "epoch 1/2 [=====>   ]  5/10 ETA 0:30 loss 0.5000 acc 0.7500");
    assert.ok(formatBatchLine(batch(0, 4, 10), 60).length <= 59);
  });

  it("formats an epoch line with validation and the rate", () => {
    assert.equal(formatEpochLine(epochLog(0), 2), "epoch 1/2 loss 0.2500 acc 0.8750 val_loss 0.3000 val_acc 0.8500 lr 0.001 (2.5 s)");
    // The rate as it is, to 3 digits: trailing zeros are dropped from the digits, never from an exponent (1e30 once read "1.00e+3").
    const rate = (learningRate: number) => /lr (\S+)/.exec(formatEpochLine({ ...epochLog(0), learningRate }, 2))![1];
    assert.deepEqual([1e30, 1e-5, 2.5e-7, 0.1, 0.00125, 3, 1e10].map(rate), ["1e+30", "1e-5", "2.5e-7", "0.1", "0.00125", "3", "1e+10"]);
  });

  it("on a terminal redraws one line in place with \\r, at most every redrawMs, then ends it at the epoch", () => {
    const { out, writes } = recorder(true);
    let now = 0;
    const progress = new TrainingProgress(out, 2, 100, () => now);
    for (let b = 0; b < 10; b++) {
      now = b * 30; // a batch every 30 ms: every fourth one is drawn, and the last
      progress.batchEnd(batch(0, b, now / 1000));
    }
    progress.epochEnd(epochLog(0));
    assert.ok(writes.every((w) => w.startsWith("\r") || w === "\n"));
    const batchDraws = writes.filter((w) => w.includes("ETA"));
    assert.deepEqual(batchDraws.map((w) => w.match(/ (\d+)\/10 /)![1]), ["1", "5", "9", "10"]);
    assert.equal(writes[writes.length - 1], "\n");
    // The epoch line overwrites the batch line and blanks whatever is left of a longer one.
    const line = formatEpochLine(epochLog(0), 2);
    const drawn = batchDraws[batchDraws.length - 1]!.length - 1;
    assert.equal(writes[writes.length - 2], `\r${line}${" ".repeat(Math.max(0, drawn - line.length))}`);
  });

  it("elsewhere writes one plain line per epoch and nothing per batch", () => {
    const { out, writes } = recorder(false);
    const progress = new TrainingProgress(out, 2);
    for (let b = 0; b < 10; b++) progress.batchEnd(batch(0, b, b));
    progress.epochEnd(epochLog(0));
    progress.epochEnd(epochLog(1));
    assert.deepEqual(writes, [`${formatEpochLine(epochLog(0), 2)}\n`, `${formatEpochLine(epochLog(1), 2)}\n`]);
  });
});
