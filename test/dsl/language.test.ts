// The notations of the slides, as written, through parse + check.
import { strict as assert } from "node:assert";
import { parseNetwork } from "../../src/dsl/parse.js";
import type { CheckedSkip } from "../../src/shapes/network.js";
import { mustCheck, rowNamed } from "../helpers.js";

const shapeOf = (text: string) => [...mustCheck(text).outputShape];

describe("the language", () => {
  it("is case-insensitive, takes # comments, and separates layers by spaces, newlines, commas or ->", () => {
    const forms = [
      "INPUT 28x28x1 CONV5-6 POOL2 FC-10 SOFTMAX",
      "input 28x28x1\nconv5-6 # six filters\npool2\nfc-10 softmax",
      "INPUT 28x28x1, CONV5-6, POOL2, FC-10, SOFTMAX",
      "INPUT 28x28x1 -> CONV5-6 -> POOL2 -> FC-10 -> SOFTMAX",
    ];
    const totals = forms.map((f) => mustCheck(f).totals.params);
    assert.ok(totals.every((t) => t === totals[0]), String(totals));
  });

  it("INPUT 28x28 is one channel; INPUT 784 a vector; INPUT1D length x channels", () => {
    assert.deepEqual(shapeOf("INPUT 28x28"), [28, 28, 1]);
    assert.deepEqual(shapeOf("INPUT 784 FC-10"), [10]);
    assert.deepEqual(shapeOf("INPUT1D 60x50 CONV3-100/valid"), [58, 100]);
    assert.deepEqual(shapeOf("INPUT1D 60x50 CONV5-100 POOL2 GMP FC-2 SOFTMAX"), [2]);
    assert.deepEqual(shapeOf("INPUT1D 16000 CONV9-16/s4/same"), [4000, 16]);
  });

  it("reads the forms of a convolution: CONVk-n, rectangular, modifiers and the long form", () => {
    assert.deepEqual(shapeOf("INPUT 227x227x3 CONV11-96/s4/p0"), [55, 55, 96]);
    assert.deepEqual(shapeOf("INPUT 227x227x3 CONV(filters=96, size=11, stride=4, pad=0)"), [55, 55, 96]);
    assert.deepEqual(shapeOf("INPUT 5x5x1 CONV2x1-1/valid"), [4, 5, 1]);
    assert.deepEqual(shapeOf("INPUT 7x7x3 CONV3-8/s2/valid"), [3, 3, 8]);
    assert.deepEqual(shapeOf("INPUT 28x28 CONV3-8/d2/valid"), [24, 24, 8]);
    assert.deepEqual(shapeOf("INPUT 112x112x64 POOL3/s2/p1/floor"), [56, 56, 64]);
    const conv = mustCheck("INPUT 28x28 CONV3-8/nobias").rows[1]!;
    assert.equal(conv.biases, 0);
  });

  it("reads pooling: POOL2, POOL3/2, POOL3/s2, AVGPOOL2, GAP, GMP and /same", () => {
    assert.deepEqual(shapeOf("INPUT 224x224x64 POOL2"), [112, 112, 64]);
    assert.deepEqual(shapeOf("INPUT 55x55x96 POOL3/2"), [27, 27, 96]);
    assert.deepEqual(shapeOf("INPUT 55x55x96 POOL3/s2"), [27, 27, 96]);
    assert.deepEqual(shapeOf("INPUT 28x28x6 AVGPOOL2"), [14, 14, 6]);
    assert.deepEqual(shapeOf("INPUT 7x7x512 GAP"), [512]);
    assert.deepEqual(shapeOf("INPUT 7x7x3 POOL2/same"), [4, 4, 3]);
  });

  it("reads FC-4096, FC4096 and DENSE-4096, flattening a volume before the first FC", () => {
    for (const word of ["FC-4096", "FC4096", "DENSE-4096", "FC(units=4096)"]) {
      const network = mustCheck(`INPUT 7x7x512 ${word}`);
      assert.equal(network.rows[1]!.weights, 102_760_448, word);
      assert.equal(network.rows[1]!.formula?.weights, "(7*7*512)*4096");
      assert.ok(network.rows[1]!.kind === "dense" && (network.nodes[0] as { flattensInput: boolean }).flattensInput);
    }
    assert.deepEqual(shapeOf("INPUT 7x7x512 FLATTEN"), [25088]);
  });

  it("follows VGG's activation convention", () => {
    const vgg = mustCheck("INPUT 32x32x3 CONV3-8 CONV3-8 TANH POOL2 FC-10 FC-10");
    assert.equal(vgg.rows[1]!.activation?.fn, "relu");
    assert.equal(vgg.rows[2]!.activation?.fn, "tanh");
    assert.equal(vgg.rows.length, 6, "the written TANH is fused into its CONV");
    assert.equal(rowNamed(vgg, "FC3").activation?.fn, "relu");
    assert.equal(rowNamed(vgg, "FC4").activation, undefined, "the last weight layer has no activation");
    assert.equal(mustCheck("INPUT 10 FC-10 SOFTMAX").rows[1]!.activation?.fn, "softmax");
    const lenet = mustCheck("DEFAULTS(activation=tanh) INPUT 32x32 CONV5-6/valid AVGPOOL2 FC-10");
    assert.equal(lenet.rows[1]!.activation?.fn, "tanh");
    const leaky = mustCheck("INPUT 8x8 CONV3-4 LRELU0.2 FC-2");
    assert.deepEqual(leaky.rows[1]!.activation, { kind: "activation", fn: "lrelu", alpha: 0.2 });
  });

  it("takes DROPOUT, BN (no bias before it, ReLU after it) and NORM/LRN", () => {
    assert.equal(mustCheck("INPUT 10 FC-10 DROPOUT0.3 FC-2").rows[2]!.label, "DROPOUT0.3");
    assert.equal(mustCheck("INPUT 10 FC-10 DROPOUT FC-2").rows[2]!.label, "DROPOUT0.5");
    const bn = mustCheck("INPUT 8x8x3 CONV3-16 BN POOL2 FC-2");
    assert.equal(bn.rows[1]!.biases, 0);
    assert.equal(bn.rows[1]!.activation, undefined);
    assert.equal(bn.rows[2]!.activation?.fn, "relu");
    assert.equal(bn.rows[2]!.trainable, 32);
    assert.equal(bn.rows[2]!.nonTrainable, 32);
    assert.equal(bn.totals.nonTrainableParams, 32);
    for (const word of ["NORM", "LRN"]) assert.equal(mustCheck(`INPUT 27x27x96 ${word}`).rows[1]!.kind, "lrn");
  });

  it("repeats with [ ]x3 and [ ]*3, nested, and parses the cs231n pattern with bare defaults", () => {
    assert.equal(mustCheck("INPUT 32x32x3 [CONV3-8]x3").rows.length, 4);
    assert.equal(mustCheck("INPUT 32x32x3 [[CONV3-8]*2 POOL2]*2").rows.length, 7);
    const cs231n = mustCheck("INPUT -> [[CONV -> RELU]*2 -> POOL]*3 -> [FC -> RELU]*2 -> FC");
    assert.deepEqual([...cs231n.input.outputShape], [32, 32, 3]);
    assert.deepEqual(cs231n.rows.map((r) => r.kind).join(" "), "input conv conv pool conv conv pool conv conv pool dense dense dense");
    assert.deepEqual([...cs231n.outputShape], [10]);
    assert.deepEqual([...rowNamed(cs231n, "POOL3").outputShape], [4, 4, 32]);
  });

  it("concatenates branches (Inception)", () => {
    const network = mustCheck("INPUT 28x28x192 { CONV1-64 | CONV1-96 CONV3-128 | CONV1-16 CONV5-32 | POOL3/s1/same CONV1-32 }");
    assert.deepEqual([...network.outputShape], [28, 28, 256]);
    const merge = network.rows[network.rows.length - 1]!;
    assert.equal(merge.kind, "concat");
    assert.equal(merge.depth, 0);
    assert.ok(network.rows.slice(1, -1).every((r) => r.depth === 1));
  });

  it("adds residual blocks with a 1x1 projection where the shapes differ, and ReLU after the sum", () => {
    const same = mustCheck("INPUT 56x56x64 RES[CONV3-64 BN CONV3-64 BN]");
    const block = same.nodes[0] as CheckedSkip;
    assert.equal(block.projection.length, 0);
    assert.equal(block.activation?.fn, "relu");
    assert.equal((block.body[2] as { activation?: unknown }).activation, undefined, "no ReLU before the sum");
    const down = mustCheck("INPUT 56x56x64 RES[CONV3-128/s2 BN CONV3-128 BN]");
    const projected = down.nodes[0] as CheckedSkip;
    assert.deepEqual(projected.projection.map((p) => p.kind), ["conv", "batch-norm"]);
    assert.equal(projected.projection[0]!.weights, 64 * 128);
    assert.equal(projected.projection[0]!.biases, 0);
    assert.deepEqual([...down.outputShape], [28, 28, 128]);
    const plain = mustCheck("INPUT 8x8x4 RES[CONV3-8 CONV3-8]");
    assert.equal((plain.nodes[0] as CheckedSkip).projection[0]!.biases, 8, "without BN the projection has a bias");
  });

  it("concatenates dense connections with CAT[ ]", () => {
    const network = mustCheck("INPUT 56x56x64 [CAT[BN RELU CONV1-128 BN RELU CONV3-32]]x6");
    assert.deepEqual([...network.outputShape], [56, 56, 64 + 6 * 32]);
  });

  it("defines and calls named blocks with parameters", () => {
    const text = `
      def inception(a, b, c, d, e, f) = { CONV1-a | CONV1-b CONV3-c | CONV1-d CONV5-e | POOL3/s1/same CONV1-f }
      INPUT 28x28x192 inception(64, 96, 128, 16, 32, 32) inception(128, 128, 192, 32, 96, 64)`;
    assert.deepEqual(shapeOf(text), [28, 28, 480]);
    const stride = mustCheck("def down(n, s) = CONV(filters=n, size=3, stride=s) INPUT 32x32x3 down(16, 2) down(n=32, s=2)");
    assert.deepEqual([...stride.outputShape], [8, 8, 32]);
    assert.deepEqual(shapeOf("def stack(n, k) = [CONV3-n]*k INPUT 8x8x1 stack(4, 3)"), [8, 8, 4]);
  });

  it("writes AlexNet's training settings with the network; the same object TypeScript builds", () => {
    const network = mustCheck(
      "TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, schedule=plateau(factor=0.1, monitor=val_accuracy), l2=5e-4, batch=128)\nINPUT 32x32x3 CONV3-8 FC-10 DROPOUT0.5 FC-2 SOFTMAX",
    );
    assert.deepEqual(network.training?.optimizer, { kind: "sgd", learningRate: 0.01, momentum: 0.9, nesterov: false });
    assert.equal(network.training?.schedule.kind, "plateau");
    assert.equal(network.training?.schedule.kind === "plateau" && network.training.schedule.factor, 0.1);
    assert.equal(network.training?.l2, 5e-4);
    assert.equal(network.training?.batchSize, 128);
    const linear = mustCheck("TRAIN(optimizer=nesterov, lr=0.1, schedule=linear(final=0.001, steps=500)) INPUT 4 FC-2");
    assert.deepEqual(linear.training?.optimizer, { kind: "sgd", learningRate: 0.1, momentum: 0.9, nesterov: true });
    assert.deepEqual(linear.training?.schedule, { kind: "linear", finalLearningRate: 0.001, steps: 500 });
  });

  it("keeps spans on the AST for every layer", () => {
    const parsed = parseNetwork("INPUT 7x7x3\n  CONV3-8/s3/p0");
    const layer = parsed.ast!.statements[1]!;
    assert.equal(layer.type, "layer");
    assert.deepEqual(layer.span, { offset: 14, length: 13, line: 2, column: 3 });
  });
});
