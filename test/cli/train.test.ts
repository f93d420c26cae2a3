// `convnote train`, `evaluate`, `predict` and `backend` as a user runs them: the built CLI in a
// child process, on small real runs (generated X-and-O images, a MNIST subset).
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../src/cli/command.js";
import { parseTrainArgs, settingsFromFlags } from "../../src/cli/train-command.js";
import { mustCheck, projectRoot } from "../helpers.js";

const cli = join(projectRoot, "dist", "src", "cli", "main.js");

function convnote(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const XO_NET = "INPUT 9x9x1 CONV3-6/p0 POOL2/same FC-2 SOFTMAX";
const tiny = ["--data", "xo", "--epochs", "2", "--train-size", "200", "--test-size", "100", "--lr", "0.01"];

describe("convnote train", function () {
  this.timeout(120_000);

  it("--json prints one JSON object per epoch, then the final line with every key", () => {
    const { code, stdout, stderr } = convnote("train", XO_NET, ...tiny, "--json");
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    lines.slice(0, 2).forEach((epoch, i) => {
      assert.equal(epoch["epoch"], i + 1);
      for (const key of ["loss", "accuracy", "valLoss", "valAccuracy", "learningRate", "seconds"]) assert.equal(typeof epoch[key], "number", `epoch ${i + 1}: ${key}`);
    });
    const final = lines[2]!["final"] as Record<string, unknown>;
    for (const key of ["loss", "accuracy", "valLoss", "valAccuracy", "testAccuracy", "seconds"]) assert.equal(typeof final[key], "number", key);
    assert.match(String(final["backend"]), /^(tensorflow-gpu|tensorflow|native|wasm|cpu)$/);
    assert.ok((final["testAccuracy"] as number) > 0.6, `test accuracy ${final["testAccuracy"]}`);
    assert.match(stderr, /backend: ConvNote backend /, "the backend is named (on stderr with --json)");
  });

  it("--lr 1e30 stops when the loss is no longer finite, names the learning rate, exits 1 and saves nothing", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "convnote-cli-")), "model");
    const { code, stdout, stderr } = convnote("train", XO_NET, "--data", "xo", "--epochs", "2", "--train-size", "100", "--test-size", "20", "--lr", "1e30", "--save", dir);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /adam lr 1e\+30\)/);
    assert.match(stderr, /^convnote train: training stopped at epoch 1, batch \d+: the loss became -?(NaN|Infinity) \(not a finite number\)\. The likely cause is the learning rate, 1e\+30: .*; nothing was saved to /m);
    assert.ok(!existsSync(join(dir, "model.json")), "a diverged model was saved");
  });

  it("without a terminal prints one plain line per epoch (no \\r) and the test accuracy", () => {
    const { code, stdout } = convnote("train", XO_NET, ...tiny);
    assert.equal(code, 0);
    assert.ok(!stdout.includes("\r"));
    assert.match(stdout, /^backend: ConvNote backend \w+/m);
    assert.match(stdout, /^epoch 1\/2 loss \d\.\d{4} acc \d\.\d{4} val_loss \d\.\d{4} val_acc \d\.\d{4} lr 0\.01 \(\d+\.\d s\)$/m);
    assert.match(stdout, /^epoch 2\/2 /m);
    assert.match(stdout, /^test accuracy \d+\.\d\d% \(loss \d\.\d{4}\) on 100 held-out images$/m);
  });

  it("saves with --save; evaluate and predict read it back and see the same test images", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "convnote-cli-")), "model");
    const trained = convnote("train", XO_NET, ...tiny, "--seed", "3", "--save", dir, "--json");
    assert.equal(trained.code, 0, trained.stderr);
    for (const file of ["model.json", "weights.bin", "convnote.json"]) assert.ok(existsSync(join(dir, file)), file);
    const final = (JSON.parse(trained.stdout.trim().split("\n").pop()!) as { final: { testAccuracy: number } }).final;

    const evaluated = convnote("evaluate", dir, "--json");
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const result = JSON.parse(evaluated.stdout) as { accuracy: number; count: number; confusion: number[][] };
    assert.equal(result.count, 100);
    assert.equal(result.accuracy, final.testAccuracy, "evaluate draws the test images train held out");

    const text = convnote("evaluate", dir);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^backend: /m);
    assert.match(text.stdout, /^accuracy +\d+\.\d\d%$/m);
    assert.match(text.stdout, /^per-class accuracy\nclass +accuracy +images\n-+ +-+ +-+\nX +\d+\.\d% +50\nO +\d+\.\d% +50$/m);
    assert.match(text.stdout, /^confusion matrix \(rows: true class, columns: predicted class\)\ntrue \\ predicted +X +O\n[- ]+\nX +\d+ +\d+\nO +\d+ +\d+$/m);
    assert.doesNotMatch(text.stdout, /top-/, "no top-5 with two classes");

    const predicted = convnote("predict", dir, "--count", "5", "--json");
    assert.equal(predicted.code, 0, predicted.stderr);
    const predictions = (JSON.parse(predicted.stdout) as { predictions: { truth: string; top: { className: string; probability: number }[] }[] }).predictions;
    assert.equal(predictions.length, 5);
    for (const p of predictions) {
      assert.ok(["X", "O"].includes(p.truth));
      assert.equal(p.top.length, 2);
      assert.ok(Math.abs(p.top[0]!.probability + p.top[1]!.probability - 1) < 1e-5);
    }
  });

  it("evaluate on MNIST prints top-5 and a 10x10 confusion matrix", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "convnote-cli-")), "mnist");
    const trained = convnote("train", "INPUT 28x28 CONV5-4/s2 FC-10 SOFTMAX", "--data", "mnist", "--epochs", "1", "--train-size", "600", "--test-size", "200", "--save", dir);
    assert.equal(trained.code, 0, trained.stderr);
    const { code, stdout } = convnote("evaluate", dir);
    assert.equal(code, 0);
    assert.match(stdout, /^top-5 accuracy +\d+\.\d\d%$/m);
    assert.match(stdout, /^true \\ predicted +0 +1 +2 +3 +4 +5 +6 +7 +8 +9$/m);
    assert.match(stdout, /data: 200 held-out mnist images/);
  });

  it("pads MNIST's 28x28 digits for a 32x32 LeNet-5 input, and names both shapes when they cannot fit", () => {
    const padded = convnote("train", "INPUT 32x32 CONV5-6/p0 POOL2 FC-10 SOFTMAX", "--data", "mnist", "--epochs", "1", "--train-size", "100", "--test-size", "50");
    assert.equal(padded.code, 0, padded.stderr);
    assert.match(padded.stdout, /data: mnist images padded from 28x28x1 to 32x32x1/);

    const colour = convnote("train", "INPUT 28x28x3 CONV3-4 FC-10 SOFTMAX", "--data", "mnist", "--epochs", "1");
    assert.equal(colour.code, 1);
    assert.match(colour.stderr, /the network's input is 28x28x3 but mnist images are 28x28x1 \(3 channels against 1\); start the network with INPUT 28x28 \(one channel\)/);

    const classes = convnote("train", "INPUT 9x9 CONV3-2 FC-10 SOFTMAX", "--data", "xo", "--epochs", "1");
    assert.equal(classes.code, 1);
    assert.match(classes.stderr, /the network's output is 10 but xo has 2 classes; end the network with FC-2 SOFTMAX/);
  });

  it("a bad network exits 1 with file:line:col: on stderr", () => {
    const file = join(mkdtempSync(join(tmpdir(), "convnote-cli-")), "bad.net");
    writeFileSync(file, "# a stride that does not fit\nINPUT 7x7x3\nCONV3-8/s3/p0\nFC-2 SOFTMAX\n");
    const { code, stdout, stderr } = convnote("train", file, "--data", "xo");
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:1: \\(7 - 3\\)/3 \\+ 1 = 2\\.33 is not a whole number`));
    const text = convnote("train", "INPUT 9x9 CONV3-4 FROB FC-2 SOFTMAX", "--data", "xo");
    assert.equal(text.code, 1);
    assert.match(text.stderr, /^<text>:1:\d+: /);
  });

  it("bad usage exits 2", () => {
    const missingData = convnote("train", XO_NET);
    assert.equal(missingData.code, 2);
    assert.match(missingData.stderr, /--data is required/);
    assert.equal(convnote("train", XO_NET, "--data", "xo", "--frobnicate").code, 2);
    assert.equal(convnote("evaluate").code, 2);
  });

  it("rejects each bad flag value with a message naming the choices (parsed in-process)", () => {
    const bad: [string[], RegExp][] = [
      [[], /give the network to train/],
      [[XO_NET, "--data", "imagenet"], /--data 'imagenet' is not a data set ConvNote knows; use mnist, fashion-mnist, xo/],
      [[XO_NET, "--data", "xo:wobbly"], /the variations are none, translation, scaling, rotation, bold, mixed/],
      [[XO_NET, "--data", "xo", "--epochs", "zero"], /--epochs needs a whole number >= 1, got 'zero'/],
      [[XO_NET, "--data", "xo", "--optimizer", "adagrad"], /--optimizer 'adagrad': choose adam, sgd, momentum, nesterov, rmsprop/],
      [[XO_NET, "--data", "xo", "--lr"], /--lr needs a value/],
      // The rule and the words of TRAIN(lr=...): learningRateProblem.
      [[XO_NET, "--data", "xo", "--lr=-1"], /^--lr '-1': the learning rate must be above 0, not -1 \(a negative rate climbs the loss instead of descending it\); give a positive number/],
      [[XO_NET, "--data", "xo", "--lr", "0"], /^--lr '0': the learning rate must be above 0, not 0 \(the weights would never change\)/],
      [[XO_NET, "--data", "xo", "--lr", "1e999"], /^--lr '1e999': the learning rate must be a finite number, not Infinity/],
      [[XO_NET, "--data", "xo", "--lr", "fast"], /^--lr 'fast': the learning rate must be a number;/],
      [[XO_NET, "--data", "xo", "--lr", "-1"], /--lr needs a value \(one that starts with '-' is written --lr=VALUE\)/],
      [[XO_NET, "--data", "xo", "--json=yes"], /--json takes no value/],
      [[XO_NET, "--data", "xo", "--frobnicate"], /unknown option '--frobnicate'/],
      [[XO_NET, "INPUT 8x8", "--data", "xo"], /one network, not 2 arguments/],
    ];
    for (const [args, message] of bad) assert.throws(() => parseTrainArgs(args), (e: unknown) => e instanceof UsageError && message.test(e.message), args.join(" "));
    const ok = parseTrainArgs([XO_NET, "--data=folder:pics/", "--epochs", "3", "--optimizer", "nesterov", "--seed", "4", "--json"]);
    assert.deepEqual(ok, { network: XO_NET, data: { name: "folder", path: "pics/", text: "folder:pics/" }, epochs: 3, optimizer: "nesterov", seed: 4, json: true });
  });

  it("applies flags over the network's TRAIN(...) settings", () => {
    const network = mustCheck("INPUT 9x9 CONV3-2 FC-2 SOFTMAX TRAIN(optimizer=sgd, lr=0.05, momentum=0.8, batch=8, epochs=7)");
    const same = settingsFromFlags(network, {});
    assert.deepEqual([same.epochs, same.batchSize, same.optimizer], [7, 8, { kind: "sgd", learningRate: 0.05, momentum: 0.8, nesterov: false }]);
    const rate = settingsFromFlags(network, { lr: 0.01, epochs: 2 });
    assert.deepEqual([rate.epochs, rate.batchSize, rate.optimizer], [2, 8, { kind: "sgd", learningRate: 0.01, momentum: 0.8, nesterov: false }]);
    assert.deepEqual(settingsFromFlags(network, { optimizer: "nesterov" }).optimizer, { kind: "sgd", learningRate: 0.01, momentum: 0.9, nesterov: true });
    assert.equal(settingsFromFlags(network, { optimizer: "adam", lr: 0.003 }).optimizer.learningRate, 0.003);
  });

  it("evaluate without a saved model exits 1 naming the fix", () => {
    const { code, stderr } = convnote("evaluate", join(tmpdir(), "no-such-model-here"), "--data", "xo");
    assert.equal(code, 1);
    assert.match(stderr, /no saved model at .*convnote train --save DIR/);
  });
});

describe("convnote backend", () => {
  it("names the backend it would use and why each other one was not chosen", () => {
    const { code, stdout } = convnote("backend");
    assert.equal(code, 0);
    assert.match(stdout, /^backend: (tensorflow-gpu|tensorflow|native|wasm|cpu) \(/m);
    for (const candidate of ["gpu", "node", "wasm", "cpu"]) assert.match(stdout, new RegExp(`^[* ] ${candidate} +@tensorflow/`, "m"));
    const json = JSON.parse(convnote("backend", "--json").stdout) as { name: string; reasons: { candidate: string; chosen: boolean; why: string }[] };
    assert.equal(json.reasons.filter((r) => r.chosen).length, 1);
    assert.equal(convnote("backend", "--backend", "cpu").stdout.split("\n")[0], "backend: cpu (cpu, tfjs backend 'cpu')");
  });
});
