/**
 * Backend selection: the automatic order, CONVNOTE_BACKEND, and the reasons in the report.
 * initBackend() decides once per process, so each case runs in a fresh Node child process.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { BackendReport } from "../../src/backend/index.js";
import { softwareAdapterReason } from "../../src/backend/webgpu.js";
import { requireWebgpu, swiftShaderEnv } from "./swiftshader.js";

const BACKEND_MODULE = path.join(__dirname, "..", "..", "src", "backend", "index.js");

type ChildResult = { ok: true; report: BackendReport; conv: number[]; describeMatches: boolean } | { ok: false; error: string };

/** Runs initBackend() in a child with the given environment; returns its report or error. */
function initInChild(env: Record<string, string>, base: NodeJS.ProcessEnv = process.env): ChildResult {
  const script = `
    const b = require(${JSON.stringify(BACKEND_MODULE)});
    b.initBackend().then(async (report) => {
      const again = await b.initBackend({ backend: "cpu" });
      const y = b.tf.conv2d(b.tf.ones([1, 4, 4, 1]), b.tf.ones([3, 3, 1, 1]), 1, "same");
      const conv = Array.from(await y.data());
      process.stdout.write(JSON.stringify({ ok: true, report, conv,
        describeMatches: again === report && b.describeBackend() === report }));
    }, (e) => process.stdout.write(JSON.stringify({ ok: false, error: e.message })));
  `;
  const childEnv: Record<string, string | undefined> = { ...base, ...env };
  if (!("CONVNOTE_BACKEND" in env)) delete childEnv.CONVNOTE_BACKEND;
  if (!("CONVNOTE_WASM_THREADS" in env)) delete childEnv.CONVNOTE_WASM_THREADS;
  const out = execFileSync(process.execPath, ["-e", script], { env: childEnv, encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "ignore"] });
  return JSON.parse(out) as ChildResult;
}

/** Sum of a 3×3 ones filter over a 4×4 ones image with 'same' padding. */
const EXPECTED_CONV = [4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4];

function reasonFor(report: BackendReport, candidate: string) {
  const r = report.reasons.find((x) => x.candidate === candidate);
  assert.ok(r, `no reason recorded for ${candidate}`);
  return r;
}

describe("backend selection", function () {
  this.timeout(120000);

  it("without CONVNOTE_BACKEND takes the first that works and says why the others were not chosen", function () {
    const r = initInChild({});
    assert.ok(r.ok, r.ok ? "" : r.error);
    const { report } = r;
    assert.deepEqual(report.reasons.map((x) => x.candidate), ["gpu", "webgpu", "node", "native", "wasm", "cpu"]);
    assert.equal(report.reasons.filter((x) => x.chosen).length, 1);
    const chosen = report.reasons.find((x) => x.chosen);
    assert.equal(chosen?.candidate, { "tensorflow-gpu": "gpu", webgpu: "webgpu", tensorflow: "node", native: "native", wasm: "wasm", cpu: "cpu" }[report.name]);
    for (const native of ["gpu", "node"]) {
      const why = reasonFor(report, native).why;
      if (!reasonFor(report, native).chosen) assert.match(why, /^(not installed: npm install @tensorflow\/tfjs-node|failed to load: |loaded |not tried: )/);
    }
    assert.match(report.selectedBy, /automatic/);
    assert.equal(report.tfjsVersion, "4.22.0");
    assert.ok(report.text.length > 0 && !report.text.includes("\n"), "text is one line");
    assert.deepEqual(r.conv, EXPECTED_CONV);
    assert.ok(r.describeMatches, "initBackend() is idempotent and describeBackend() returns the same report");
  });

  it("CONVNOTE_BACKEND=wasm forces wasm, reports SIMD/threads and its kernel fills", function () {
    const r = initInChild({ CONVNOTE_BACKEND: "wasm" });
    assert.ok(r.ok, r.ok ? "" : r.error);
    const { report } = r;
    assert.equal(report.name, "wasm");
    assert.equal(report.kind, "wasm");
    assert.equal(report.selectedBy, "CONVNOTE_BACKEND=wasm");
    assert.match(report.device, /SIMD|WebAssembly/);
    assert.equal(report.wasm?.threads, 1);
    assert.ok(report.kernelFills.some((f) => f.kernel === "Conv2DBackpropFilter" && f.backend === "wasm" && f.action === "added"));
    for (const other of ["gpu", "webgpu", "node", "native", "cpu"]) assert.match(reasonFor(report, other).why, /^not tried: CONVNOTE_BACKEND=wasm/);
    assert.deepEqual(r.conv, EXPECTED_CONV);
  });

  it("CONVNOTE_WASM_THREADS=2 starts the threaded wasm build in Node, computes correctly and lets the process exit", function () {
    if (os.cpus().length < 2) this.skip();
    // execFileSync returning at all shows the pthread workers no longer hold the process open.
    const r = initInChild({ CONVNOTE_BACKEND: "wasm", CONVNOTE_WASM_THREADS: "2" });
    assert.ok(r.ok, r.ok ? "" : r.error);
    assert.equal(r.report.wasm?.threads, 2);
    assert.equal(r.report.wasm?.binary, "tfjs-backend-wasm-threaded-simd.wasm");
    assert.deepEqual(r.conv, EXPECTED_CONV);
  });

  it("CONVNOTE_BACKEND=cpu forces the plain JavaScript backend", function () {
    const r = initInChild({ CONVNOTE_BACKEND: "cpu" });
    assert.ok(r.ok, r.ok ? "" : r.error);
    assert.equal(r.report.name, "cpu");
    assert.equal(r.report.tfjsBackend, "cpu");
    assert.ok(reasonFor(r.report, "cpu").chosen);
    assert.deepEqual(r.conv, EXPECTED_CONV);
  });

  it("describeBackend() before initBackend() describes tfjs's own default and says the fills are not in effect", function () {
    const script = `
      const b = require(${JSON.stringify(BACKEND_MODULE)});
      process.stdout.write(JSON.stringify(b.describeBackend()));`;
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.CONVNOTE_BACKEND;
    const out = execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "ignore"] });
    const report = JSON.parse(out) as BackendReport;
    assert.equal(report.tfjsBackend, "cpu");
    assert.match(report.selectedBy, /initBackend\(\) has not run/);
    assert.deepEqual(report.kernelFills, []);
  });

  it("an unknown CONVNOTE_BACKEND is an error that names the choices", function () {
    const r = initInChild({ CONVNOTE_BACKEND: "tpu" });
    assert.ok(!r.ok);
    assert.match(r.error, /CONVNOTE_BACKEND='tpu'/);
    assert.match(r.error, /gpu, webgpu, node, native, wasm, cpu/);
  });

  it("forcing a native backend that is not installed is an error that says why and names the choices", function () {
    let nativeInstalled = true;
    try {
      require.resolve("@tensorflow/tfjs-node-gpu");
    } catch {
      nativeInstalled = false;
    }
    if (nativeInstalled) this.skip();
    const r = initInChild({ CONVNOTE_BACKEND: "gpu" });
    assert.ok(!r.ok);
    assert.match(r.error, /not installed: npm install @tensorflow\/tfjs-node-gpu/);
    assert.match(r.error, /Choices: gpu, webgpu, node, native, wasm, cpu/);
  });

  it("software WebGPU adapters are told from hardware ones by Dawn's flag and by their names", function () {
    const adapter = (vendor: string, architecture: string, description: string, isFallbackAdapter = false) =>
      softwareAdapterReason({ vendor, architecture, device: "", description, isFallbackAdapter });
    for (const hardware of [
      adapter("nvidia", "ampere", "NVIDIA GeForce RTX 3080"),
      adapter("nvidia", "lovelace", "NVIDIA H100 80GB HBM3"),
      adapter("amd", "rdna-2", "AMD Radeon RX 6800 (RADV NAVI21)"),
      adapter("intel", "gen-12lp", "Intel(R) UHD Graphics 770 (ADL-S GT1)"),
      adapter("apple", "common-3", "Apple M2"),
    ]) assert.equal(hardware, null);
    assert.match(adapter("google", "swiftshader", "SwiftShader driver 5.0.0") ?? "", /swiftshader/);
    assert.match(adapter("mesa", "", "llvmpipe (LLVM 15.0.6, 256 bits)") ?? "", /llvmpipe/);
    assert.match(adapter("mesa", "", "lavapipe") ?? "", /lavapipe/);
    assert.match(adapter("microsoft", "", "Microsoft Basic Render Driver") ?? "", /basic render driver/);
    assert.match(adapter("nvidia", "ampere", "anything", true) ?? "", /fallback/);
  });

  describe("webgpu on SwiftShader (a software adapter)", function () {
    before(function () {
      requireWebgpu(this);
    });

    it("the automatic choice does not take the software adapter, and says which adapter it saw and why", function () {
      const r = initInChild({}, swiftShaderEnv());
      assert.ok(r.ok, r.ok ? "" : r.error);
      assert.notEqual(r.report.name, "webgpu");
      const why = reasonFor(r.report, "webgpu");
      assert.equal(why.chosen, false);
      assert.match(why.why, /^software adapter \(google swiftshader, 'SwiftShader driver [\d.]+'\), never chosen automatically/);
      assert.match(why.why, /CONVNOTE_BACKEND=webgpu forces it/);
      // The one-line banner says it too.
      assert.match(r.report.text, /webgpu: software adapter \(google swiftshader, 'SwiftShader/);
      assert.equal(r.report.webgpu, null);
    });

    it("without a Vulkan driver the webgpu candidate says what to install, loading nothing", function () {
      const env = swiftShaderEnv();
      env.VK_ICD_FILENAMES = "/nonexistent/icd.json";
      const r = initInChild({}, env);
      assert.ok(r.ok, r.ok ? "" : r.error);
      assert.match(reasonFor(r.report, "webgpu").why, /^no Vulkan driver: VK_ICD_FILENAMES\/VK_DRIVER_FILES name \/nonexistent\/icd.json/);
    });

    it("CONVNOTE_BACKEND=webgpu takes it, names the adapter and computes correctly", function () {
      const r = initInChild({ CONVNOTE_BACKEND: "webgpu" }, swiftShaderEnv());
      assert.ok(r.ok, r.ok ? "" : r.error);
      const { report } = r;
      assert.equal(report.name, "webgpu");
      assert.equal(report.kind, "gpu");
      assert.equal(report.tfjsBackend, "webgpu");
      assert.equal(report.selectedBy, "CONVNOTE_BACKEND=webgpu");
      assert.match(report.device, /^google swiftshader, 'SwiftShader driver [\d.]+' \(Vulkan via Dawn\)$/);
      assert.deepEqual(
        { vendor: report.webgpu?.adapter.vendor, architecture: report.webgpu?.adapter.architecture, fallback: report.webgpu?.adapter.isFallbackAdapter },
        { vendor: "google", architecture: "swiftshader", fallback: true },
      );
      assert.match(report.webgpu?.adapter.software ?? "", /fallback/);
      assert.match(reasonFor(report, "webgpu").why, /^software adapter google swiftshader, 'SwiftShader driver [\d.]+', forced/);
      assert.match(report.text, /^ConvNote backend webgpu \(gpu\) on google swiftshader/);
      assert.deepEqual(r.conv, EXPECTED_CONV);
    });
  });
});
