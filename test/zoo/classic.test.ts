// The small and early networks of the zoo: X-and-O, LeNet-5, AlexNet, ZFNet.
import { strict as assert } from "node:assert";
import { checkNetwork } from "../../src/shapes/check.js";
import { alexnet } from "../../src/zoo/alexnet.js";
import { lenet5 } from "../../src/zoo/lenet.js";
import { xo, xoTrainable } from "../../src/zoo/xo.js";
import { zfnet } from "../../src/zoo/zfnet.js";
import { rowNamed } from "../helpers.js";
import { checkEntry, shapeOf } from "./zoo-helpers.js";

describe("zoo: X-and-O", () => {
  it("has the lecture's shapes: 9x9x1, 7x7x3 after three 3x3 filters, 4x4x3 after pooling, 2 classes", () => {
    const network = checkEntry(xo);
    assert.deepEqual(network.rows.map(shapeOf), [[9, 9, 1], [7, 7, 3], [4, 4, 3], [2]]);
    assert.deepEqual(network.rows.map((r) => r.label), ["INPUT 9x9x1", "CONV3-3/p0", "POOL2/same", "FC-2"]);
    assert.equal(rowNamed(network, "CONV1").activation?.fn, "relu");
    assert.equal(rowNamed(network, "FC2").activation?.fn, "softmax");
  });

  it("has (3*3*1)*3 + 3 = 30 filter parameters and 48*2 + 2 = 98 vote parameters: 128", () => {
    const network = checkEntry(xo);
    assert.equal(rowNamed(network, "CONV1").params, 30);
    assert.equal(rowNamed(network, "FC2").params, 98);
    assert.equal(network.totals.params, 128);
  });

  it("needs /same to pool 7x7 to 4x4: exact pooling gives (7 - 2)/2 + 1 = 3.5", () => {
    const exact = checkNetwork(xo.source.replace("POOL2/same", "POOL2"));
    assert.equal(exact.network, undefined);
    assert.equal(exact.diagnostics[0]?.code, "size-not-whole");
  });

  it("the trainable variant: 28x28x1 -> 28x28x8 -> 14x14x8 -> 14x14x16 -> 7x7x16 -> 2, 2,946 parameters, with training settings", () => {
    const network = checkEntry(xoTrainable);
    assert.deepEqual(network.rows.map(shapeOf), [[28, 28, 1], [28, 28, 8], [14, 14, 8], [14, 14, 16], [7, 7, 16], [2]]);
    assert.equal(network.totals.params, 208 + 1_168 + 1_570);
    assert.equal(network.training?.optimizer.kind, "adam");
    assert.equal(network.training?.batchSize, 32);
  });
});

describe("zoo: LeNet-5", () => {
  const network = checkEntry(lenet5);

  it("has the paper's sizes: 32x32x1, C1 28x28x6, S2 14x14x6, C3 10x10x16, S4 5x5x16, C5 1x1x120, F6 84, 10", () => {
    assert.deepEqual(network.rows.map(shapeOf), [[32, 32, 1], [28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [1, 1, 120], [84], [10]]);
  });

  it("has the paper's per-layer counts C1 = 156, C5 = 48,120, F6 = 10,164, and C3 = 2,416 fully connected", () => {
    assert.equal(rowNamed(network, "CONV1").params, 156);
    assert.equal(rowNamed(network, "CONV2").params, 2_416);
    assert.equal(rowNamed(network, "CONV3").params, 48_120);
    assert.equal(rowNamed(network, "FC4").params, 10_164);
    assert.equal(rowNamed(network, "FC5").params, 850);
    assert.equal(rowNamed(network, "POOL1").params + rowNamed(network, "POOL2").params, 0);
  });

  it("totals 61,706 parameters, tanh after each hidden weight layer, softmax at the output", () => {
    assert.equal(network.totals.params, 61_706);
    for (const name of ["CONV1", "CONV2", "CONV3", "FC4"]) assert.equal(rowNamed(network, name).activation?.fn, "tanh", name);
    assert.equal(rowNamed(network, "FC5").activation?.fn, "softmax");
  });
});

describe("zoo: AlexNet", () => {
  const network = checkEntry(alexnet);

  it("names its layers as the slide does: CONV1..CONV5, POOL1..3, NORM1, NORM2, FC6, FC7, FC8", () => {
    assert.deepEqual(
      network.rows.map((r) => r.name),
      ["INPUT", "CONV1", "POOL1", "NORM1", "CONV2", "POOL2", "NORM2", "CONV3", "CONV4", "CONV5", "POOL3", "FC6", "DROPOUT1", "FC7", "DROPOUT2", "FC8"],
    );
  });

  it("has the slide's sizes: 55x55x96, 27x27x96, 27x27x256, 13x13x256, 13x13x384, 6x6x256, 4096, 1000", () => {
    const shapes = Object.fromEntries(network.rows.map((r) => [r.name, shapeOf(r).join("x")]));
    assert.deepEqual(shapes, {
      INPUT: "227x227x3",
      CONV1: "55x55x96",
      POOL1: "27x27x96",
      NORM1: "27x27x96",
      CONV2: "27x27x256",
      POOL2: "13x13x256",
      NORM2: "13x13x256",
      CONV3: "13x13x384",
      CONV4: "13x13x384",
      CONV5: "13x13x256",
      POOL3: "6x6x256",
      FC6: "4096",
      DROPOUT1: "4096",
      FC7: "4096",
      DROPOUT2: "4096",
      FC8: "1000",
    });
  });

  it("totals 62,378,344 parameters, biases counted; CONV1 has (11*11*3)*96 = 34,848 weights", () => {
    assert.equal(rowNamed(network, "CONV1").weights, 34_848);
    assert.equal(rowNamed(network, "CONV1").params, 34_944);
    assert.equal(rowNamed(network, "FC6").params, 9_216 * 4_096 + 4_096);
    assert.equal(network.totals.params, 62_378_344);
    assert.equal(network.totals.weights + network.totals.biases, 62_378_344);
  });

  it("carries the slide's training settings: SGD momentum 0.9, lr 1e-2 / 10 on plateau, L2 5e-4, batch 128, dropout 0.5", () => {
    const training = network.training!;
    assert.deepEqual(training.optimizer, { kind: "sgd", learningRate: 1e-2, momentum: 0.9, nesterov: false });
    assert.equal(training.schedule.kind, "plateau");
    assert.ok(training.schedule.kind === "plateau" && training.schedule.factor === 0.1 && training.schedule.monitor === "val_accuracy");
    // The slide's weight decay lambda = 5e-4 is the gradient lambda*w of (lambda/2)*sum(w^2): l2 = 2.5e-4.
    assert.equal(training.l2, 2.5e-4);
    assert.equal(training.batchSize, 128);
    assert.deepEqual(
      network.rows.filter((r) => r.kind === "dropout").map((r) => r.label),
      ["DROPOUT0.5", "DROPOUT0.5"],
    );
  });
});

describe("zoo: ZFNet", () => {
  const network = checkEntry(zfnet);

  it("has Fig. 3's sizes: 110x110x96, 55x55x96, 26x26x256, 13x13x256, 13x13x384, 13x13x384, 13x13x256, 6x6x256", () => {
    const shapes = network.rows.filter((r) => r.kind === "conv" || r.kind === "pool").map((r) => `${r.name} ${shapeOf(r).join("x")}`);
    assert.deepEqual(shapes, [
      "CONV1 110x110x96",
      "POOL1 55x55x96",
      "CONV2 26x26x256",
      "POOL2 13x13x256",
      "CONV3 13x13x384",
      "CONV4 13x13x384",
      "CONV5 13x13x256",
      "POOL3 6x6x256",
    ]);
    assert.deepEqual(shapeOf(network), [1000]);
  });

  it("totals 62,357,608 parameters: AlexNet's, with a 7x7x3x96 first layer (14,208) instead of 11x11x3x96 (34,944)", () => {
    assert.equal(rowNamed(network, "CONV1").params, 7 * 7 * 3 * 96 + 96);
    assert.equal(network.totals.params, 62_378_344 - 34_944 + 14_208);
    assert.equal(network.totals.params, 62_357_608);
  });

  it("needs its border rules: without /floor, (224 - 7 + 2)/2 + 1 = 110.5 is an error; with /valid, 109", () => {
    const exact = checkNetwork(zfnet.source.replace("CONV7-96/s2/p1/floor", "CONV7-96/s2/p1"));
    assert.equal(exact.diagnostics[0]?.code, "size-not-whole");
    const valid = checkNetwork(zfnet.source.replace("CONV7-96/s2/p1/floor", "CONV7-96/s2/valid"));
    assert.deepEqual(shapeOf(valid.network!.rows[1]!), [109, 109, 96]);
  });
});
