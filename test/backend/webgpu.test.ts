/**
 * ConvNote on the webgpu backend, in CI on SwiftShader (a software Vulkan GPU from Debian's
 * chromium package). Every run is a child process whose environment alone has
 * VK_ICD_FILENAMES / LD_LIBRARY_PATH set (swiftshader.ts) and CONVNOTE_BACKEND=webgpu, since the
 * automatic choice rightly refuses a software adapter (select.test.ts checks that).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { BackendReport } from "../../src/backend/index.js";
import { agreeProblems, opsProblems, type AgreeRun, type OpsRun } from "./webgpu-child.js";
import { requireWebgpu, swiftShaderEnv } from "./swiftshader.js";

const ROOT = path.join(__dirname, "..", "..");
const CHILD = path.join(__dirname, "webgpu-child.js");
const CLI = path.join(ROOT, "src", "cli", "main.js");

function onWebgpu(args: string[]): string {
  return execFileSync(process.execPath, args, {
    env: { ...swiftShaderEnv(), CONVNOTE_BACKEND: "webgpu" },
    encoding: "utf8",
    timeout: 240_000,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function child<T>(mode: string): T {
  return JSON.parse(onWebgpu([CHILD, mode])) as T;
}

describe("webgpu backend on SwiftShader", function () {
  this.timeout(300_000);
  before(function () {
    requireWebgpu(this);
  });

  it("`CONVNOTE_BACKEND=webgpu convnote backend` names the SwiftShader adapter", function () {
    const text = onWebgpu([CLI, "backend"]);
    assert.match(text, /^backend: webgpu \(gpu, tfjs backend 'webgpu'\)$/m);
    assert.match(text, /^adapter: vendor 'google', architecture 'swiftshader', description 'SwiftShader driver [\d.]+' \(software: /m);
    const report = JSON.parse(onWebgpu([CLI, "backend", "--json"])) as BackendReport;
    assert.equal(report.webgpu?.adapter.architecture, "swiftshader");
    assert.ok(report.kernelFills.some((f) => f.kernel === "AvgPoolGrad" && f.backend === "webgpu"), "the webgpu fill is installed");
  });

  it("a ConvNet with conv, batch norm, LRN, pool, a residual add, a concat and dropout trains on webgpu as on the CPU", function () {
    const run = child<AgreeRun>("agree");
    assert.equal(run.backend, "webgpu");
    assert.match(run.device, /SwiftShader/);
    assert.deepEqual(agreeProblems(run), []);
  });

  it("fit stops at an interrupt; evaluate, filters, activations, saliency, save/load and transfer learning work on webgpu", function () {
    const run = child<{
      historyBackend: string;
      interrupted: { stopReason: string; batches: number };
      losses: number[];
      accuracy: number;
      filtersPng: number;
      activationsPng: number;
      saliency: { shape: number[]; largest: number };
      loadedDifference: number;
      transfer: { losses: number[]; frozenChanged: number };
      syncReadError: string;
    }>("views");
    assert.equal(run.historyBackend, "webgpu");
    assert.deepEqual(run.interrupted, { stopReason: "interrupted", batches: 2 });
    assert.ok(run.losses.every(Number.isFinite) && run.losses.length === 2, `losses ${run.losses}`);
    assert.ok(run.accuracy >= 0 && run.accuracy <= 1);
    assert.ok(run.filtersPng > 200 && run.activationsPng > 200, "filter and activation pictures");
    assert.deepEqual(run.saliency.shape, [12, 12]);
    assert.ok(run.saliency.largest > 0, "a saliency map that is not all zero");
    assert.equal(run.loadedDifference, 0, "the loaded model predicts what the saved one did");
    assert.ok(run.transfer.losses.every(Number.isFinite));
    assert.equal(run.transfer.frozenChanged, 0, "the frozen base did not change");
    assert.match(run.syncReadError, /^webgpu in Node cannot read a tensor that is still on the GPU synchronously .* `await tensor.data\(\)`/);
  });

  it("every op ConvNote's layers use gives the CPU backend's values and gradients, with the AvgPoolGrad fill", function () {
    assert.deepEqual(opsProblems(child<OpsRun>("ops")), []);
  });

  it("`CONVNOTE_BACKEND=webgpu convnote train <net> --data xo --json` trains and reports webgpu", function () {
    const out = onWebgpu([CLI, "train", "INPUT 12x12 CONV3-4 POOL2 FC-2 SOFTMAX", "--data", "xo", "--train-size", "64", "--test-size", "32", "--epochs", "2", "--batch", "16", "--json"]);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as { final?: { backend: string; epochs: number; testAccuracy: number } });
    const final = lines[lines.length - 1]!.final;
    assert.equal(final?.backend, "webgpu");
    assert.equal(final?.epochs, 2);
    assert.ok(Number.isFinite(final?.testAccuracy));
  });
});
