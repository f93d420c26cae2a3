// Every new layer kind trains on the backends that run in a process of their own: ConvNote's
// native (oneDNN) backend, and webgpu on SwiftShader's software Vulkan driver (the environment a
// real GPU would give, without one). cpu and wasm are covered by each kind's own test file.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { requireWebgpu, swiftShaderEnv } from "../backend/swiftshader.js";
import { kindNetworks, type KindRun } from "./train-kinds.js";

function runIn(backend: string, epochs: number, env: NodeJS.ProcessEnv): { runs: KindRun[]; error: string } {
  const child = spawnSync(process.execPath, [join(__dirname, "train-kinds.js"), backend, String(epochs)], { encoding: "utf8", env, timeout: 300_000 });
  const runs = child.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as KindRun);
  return { runs, error: child.status === 0 ? "" : child.stderr.slice(-2000) };
}

function assertAllTrained(backend: string, runs: KindRun[]): void {
  assert.equal(runs.length, kindNetworks.length);
  for (const run of runs) {
    assert.equal(run.backend, backend, run.network);
    assert.ok(run.lastLoss < run.firstLoss, `${backend}: the loss does not fall: ${run.network}`);
    assert.deepEqual(run.unmoved, [], `${backend}: no gradient reached ${run.unmoved.join(", ")} in ${run.network}`);
  }
}

describe("the new layer kinds on the native and webgpu backends", function () {
  this.timeout(400_000);

  it("train on native (oneDNN)", function () {
    const env = { ...process.env };
    delete env.CONVNOTE_BACKEND;
    const { runs, error } = runIn("native", 8, env);
    if (error !== "" && /not built|cannot start|not available|no addon/i.test(error) && process.env.CI !== "true") this.skip();
    assert.equal(error, "");
    assertAllTrained("native", runs);
  });

  it("train on webgpu (SwiftShader)", function () {
    requireWebgpu(this);
    const { runs, error } = runIn("webgpu", 4, swiftShaderEnv());
    assert.equal(error, "");
    assertAllTrained("webgpu", runs);
  });
});
