/**
 * The TensorFlow backends (@tensorflow/tfjs-node-gpu on CUDA, @tensorflow/tfjs-node on the CPU):
 * when one is installed, CONVNOTE_BACKEND forces it and a small ConvNet trains on it with the
 * loss going down and the same forward result as the CPU backend. Where it is not installed
 * (no network at install time, no CUDA) the test is reported pending, never as passed.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

interface NativeRun {
  backend: string;
  device: string;
  losses: number[];
  maxDifferenceFromCpu: number;
}

/** Trains a few steps in a child process with the backend forced. */
export function trainInChild(choice: "gpu" | "node" | "wasm"): NativeRun {
  const script = `
    const { initBackend, tf } = require(${JSON.stringify(path.join(ROOT, "src", "backend", "index.js"))});
    const { compileNetwork } = require(${JSON.stringify(path.join(ROOT, "src", "compile", "index.js"))});
    const { checkOrThrow } = require(${JSON.stringify(path.join(ROOT, "src", "shapes", "check.js"))});
    const { fit } = require(${JSON.stringify(path.join(ROOT, "src", "train", "fit.js"))});
    const { generateXO } = require(${JSON.stringify(path.join(ROOT, "src", "data", "xo.js"))});
    (async () => {
      const report = await initBackend();
      const network = checkOrThrow("INPUT 28x28x1 CONV5-8 POOL2 CONV3-16 POOL2 FC-2 SOFTMAX");
      const model = compileNetwork(network, { seed: 1 }).model;
      const x = tf.randomNormal([4, 28, 28, 1], 0, 1, "float32", 7);
      const native = await model.predict(x).data();
      const history = await fit(model, generateXO({ count: 256, size: 28, seed: 1 }), { settings: { epochs: 3, batchSize: 32, validationSplit: 0 } });
      const fresh = compileNetwork(network, { seed: 1 }).model;
      await tf.setBackend("cpu");
      const cpu = await fresh.predict(tf.randomNormal([4, 28, 28, 1], 0, 1, "float32", 7)).data();
      const maxDifferenceFromCpu = Math.max(...Array.from(native, (v, i) => Math.abs(v - cpu[i])));
      process.stdout.write(JSON.stringify({ backend: report.name, device: report.device, losses: history.epochs.map((e) => e.loss), maxDifferenceFromCpu }));
    })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
  `;
  const out = execFileSync(process.execPath, ["-e", script], { env: { ...process.env, CONVNOTE_BACKEND: choice }, encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out) as NativeRun;
}

describe("native backends (run only where installed)", function () {
  this.timeout(300_000);

  it("@tensorflow/tfjs-node-gpu: trains a ConvNet on the GPU, agreeing with the CPU backend", function () {
    if (!installed("@tensorflow/tfjs-node-gpu")) this.skip();
    const run = trainInChild("gpu");
    assert.equal(run.backend, "tensorflow-gpu");
    assert.match(run.device, /GPU|CUDA|NVIDIA/i);
    assert.ok(run.losses[run.losses.length - 1]! < run.losses[0]!, `losses ${run.losses.join(", ")}`);
    assert.ok(run.maxDifferenceFromCpu < 1e-4, `differs from cpu by ${run.maxDifferenceFromCpu}`);
  });

  it("@tensorflow/tfjs-node: trains a ConvNet on the native CPU backend, agreeing with the CPU backend", function () {
    if (!installed("@tensorflow/tfjs-node")) this.skip();
    const run = trainInChild("node");
    assert.equal(run.backend, "tensorflow");
    assert.ok(run.losses[run.losses.length - 1]! < run.losses[0]!, `losses ${run.losses.join(", ")}`);
    assert.ok(run.maxDifferenceFromCpu < 1e-4, `differs from cpu by ${run.maxDifferenceFromCpu}`);
  });
});
