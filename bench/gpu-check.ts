/**
 * The GPU check: on a machine with a GPU (and no network), does ConvNote take the GPU through
 * WebGPU, compute what the CPU backend computes, and how much faster does it train?
 *
 *   node dist/bench/gpu-check.js [--allow-software] [--smoke] [--skip-cpu-vgg16] [--json=FILE]
 *
 * Usually run by bench/gpu-check.sh from a bundle made by bench/gpu-bundle.sh (README, "GPU").
 *  1. `convnote backend`: the automatic choice must be webgpu on a hardware adapter; the adapter
 *     (vendor, architecture, description) is printed. --allow-software forces webgpu on a
 *     software adapter instead, to try this script's flow on SwiftShader.
 *  2. Correctness on webgpu against the CPU backend (test/backend/webgpu-child.js): a ConvNet with
 *     conv, BN, LRN, pool, residual add, concat and dropout trained 3 steps, and every op
 *     ConvNote's layers use, forward and gradient.
 *  3. Throughput in img/s on webgpu and on every CPU backend that starts here (tfjs-node, native
 *     (oneDNN), wasm with one thread per core, wasm with one thread): LeNet-5 and the small VGG at batch 64
 *     (training with Adam and inference), the small VGG training at batch 256, and one VGG16
 *     training step (224x224x3, batch 16, Adam). Each backend runs in its own process. The last
 *     table gives webgpu's ratio to the best CPU backend for each workload.
 *  --smoke shrinks every workload (batch 8-16, VGG16 at 32x32, one timed step) so the flow can be
 *  tried on a software GPU in minutes; its numbers mean nothing.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { activateBackend, tf, type BackendChoice, type BackendReport } from "../src/backend/index.js";
import { compileNetwork } from "../src/compile/index.js";
import { checkOrThrow } from "../src/shapes/check.js";
import { findZooEntry } from "../src/zoo/index.js";
import { agreeProblems, opsProblems, type AgreeRun, type OpsRun } from "../test/backend/webgpu-child.js";
import { LENET, SMALL_VGG, type BenchNetwork } from "./networks.js";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist", "src", "cli", "main.js");
const CHILD = path.join(ROOT, "dist", "test", "backend", "webgpu-child.js");

interface Options {
  allowSoftware: boolean;
  smoke: boolean;
  skipCpuVgg16: boolean;
  json: string | null;
}

interface Workload {
  id: string;
  title: string;
  kind: "train" | "infer";
  batch: number;
  /** Timed steps at least (more while under `seconds`). */
  minSteps: number;
  seconds: number;
  build(): tf.LayersModel;
  inputShape: number[];
  classes: number;
  cpu: boolean;
}

function vgg16(side: number): tf.LayersModel {
  const entry = findZooEntry("vgg16");
  if (entry === undefined) throw new Error("vgg16 is not in the zoo");
  const source = side === 224 ? entry.source : entry.source.replace(/INPUT 224x224x3/, `INPUT ${side}x${side}x3`);
  return compileNetwork(checkOrThrow(source), { seed: 1 }).model;
}

function workloads(o: Options): Workload[] {
  const s = o.smoke;
  const net = (n: BenchNetwork) => ({ build: () => n.build(), inputShape: [...n.inputShape], classes: n.classes });
  const timed = { minSteps: s ? 1 : 5, seconds: s ? 0 : 5 };
  return [
    { id: "lenet-train", title: `LeNet-5 train, batch ${s ? 8 : 64}`, kind: "train", batch: s ? 8 : 64, ...timed, ...net(LENET), cpu: true },
    { id: "lenet-infer", title: `LeNet-5 infer, batch ${s ? 8 : 64}`, kind: "infer", batch: s ? 8 : 64, ...timed, ...net(LENET), cpu: true },
    { id: "vgg-train", title: `small VGG train, batch ${s ? 8 : 64}`, kind: "train", batch: s ? 8 : 64, ...timed, ...net(SMALL_VGG), cpu: true },
    { id: "vgg-infer", title: `small VGG infer, batch ${s ? 8 : 64}`, kind: "infer", batch: s ? 8 : 64, ...timed, ...net(SMALL_VGG), cpu: true },
    { id: "vgg-train-256", title: `small VGG train, batch ${s ? 16 : 256}`, kind: "train", batch: s ? 16 : 256, ...timed, ...net(SMALL_VGG), cpu: true },
    {
      id: "vgg16-train",
      title: s ? "VGG16 train step, 32x32x3, batch 2 (smoke size)" : "VGG16 train step, 224x224x3, batch 16",
      kind: "train",
      batch: s ? 2 : 16,
      minSteps: 1,
      seconds: 0,
      build: () => vgg16(s ? 32 : 224),
      inputShape: s ? [32, 32, 3] : [224, 224, 3],
      classes: 1000,
      cpu: !o.skipCpuVgg16,
    },
  ];
}

interface Measured {
  id: string;
  imagesPerSec: number;
  msPerStep: number;
  steps: number;
}

/** Child side: one backend, every workload; img/s after one untimed warm-up step (GPU: shader compiles). */
interface ChildResult {
  /** Null when the backend does not start here (`why` says why). */
  report: BackendReport | null;
  why?: string;
  results: Measured[];
  failures: Record<string, string>;
}

async function measureAll(config: string, o: Options): Promise<ChildResult> {
  const choice = (config === "wasm-threads" ? "wasm" : config) as BackendChoice;
  let report: BackendReport;
  try {
    report = await activateBackend(choice, { wasmThreads: config === "wasm-threads" ? os.cpus().length : 1 });
  } catch (e) {
    return { report: null, why: (e instanceof Error ? e.message : String(e)).split("\n")[0]!, results: [], failures: {} };
  }
  const results: Measured[] = [];
  const failures: Record<string, string> = {};
  for (const w of workloads(o)) {
    if (config !== "webgpu" && !w.cpu) continue;
    const model = w.build();
    const x = tf.randomNormal([w.batch, ...w.inputShape]);
    const y = tf.tidy(() => tf.oneHot(tf.randomUniform([w.batch], 0, w.classes, "int32"), w.classes).toFloat());
    try {
      model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
      const step = async () => {
        if (w.kind === "train") {
          await model.trainOnBatch(x, y);
        } else {
          const out = model.predict(x) as tf.Tensor;
          await out.data();
          out.dispose();
        }
      };
      // A big CPU step (VGG16) is timed once, without a warm-up: it takes long enough as it is.
      const heavyOnCpu = config !== "webgpu" && w.id === "vgg16-train";
      if (!heavyOnCpu) await step();
      const started = performance.now();
      let steps = 0;
      while (steps < w.minSteps || performance.now() - started < w.seconds * 1000) {
        await step();
        steps++;
      }
      const ms = (performance.now() - started) / steps;
      results.push({ id: w.id, imagesPerSec: (w.batch * 1000) / ms, msPerStep: ms, steps });
    } catch (e) {
      failures[w.id] = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
    } finally {
      tf.dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
    }
  }
  return { report, results, failures };
}

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 3_600_000): { ok: true; out: string } | { ok: false; why: string } {
  try {
    return { ok: true, out: execFileSync(process.execPath, args, { env, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, why: (err.stderr || err.message).trim().split("\n").slice(-3).join(" | ") };
  }
}

function lastJson<T>(out: string): T {
  const line = out.trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (line === undefined) throw new Error(`no JSON in:\n${out.slice(-500)}`);
  return JSON.parse(line) as T;
}

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

function fmt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return "-";
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  return n >= 1 ? n.toFixed(n >= 10 ? 1 : 2) : n.toPrecision(2);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const child = argv.find((a) => a.startsWith("--child="))?.slice("--child=".length);
  const o: Options = {
    allowSoftware: argv.includes("--allow-software"),
    smoke: argv.includes("--smoke"),
    skipCpuVgg16: argv.includes("--skip-cpu-vgg16"),
    json: argv.find((a) => a.startsWith("--json="))?.slice("--json=".length) ?? null,
  };
  if (child !== undefined) {
    process.stdout.write(`${JSON.stringify(await measureAll(child, o))}\n`);
    return 0;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CONVNOTE_BACKEND;
  const summary: Record<string, unknown> = { date: new Date().toISOString(), host: os.hostname(), cpu: `${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}`, smoke: o.smoke };

  say("== 1. which backend ConvNote takes here");
  const auto = run([CLI, "backend", "--json"], env);
  if (!auto.ok) {
    say(`convnote backend failed: ${auto.why}`);
    return 1;
  }
  const autoReport = lastJson<BackendReport>(auto.out);
  say(autoReport.text);
  for (const r of autoReport.reasons) say(`  ${r.chosen ? "*" : " "} ${r.candidate.padEnd(7)} ${r.why}`);
  summary.automatic = { backend: autoReport.name, device: autoReport.device, webgpu: autoReport.reasons.find((r) => r.candidate === "webgpu")?.why };
  const gpuEnv = { ...env, CONVNOTE_BACKEND: "webgpu" };
  if (autoReport.name !== "webgpu") {
    if (!o.allowSoftware) {
      say("\nFAIL: the automatic choice is not webgpu on a hardware adapter (see the webgpu line above).");
      say("      With no Vulkan driver: install the GPU vendor's driver (NVIDIA: the driver ships nvidia_icd.json);");
      say("      with no Vulkan loader: see gpu-check.sh's message about libvulkan1.");
      writeJson(o, summary);
      return 1;
    }
    const forced = run([CLI, "backend", "--json"], gpuEnv);
    if (!forced.ok) {
      say(`CONVNOTE_BACKEND=webgpu convnote backend failed: ${forced.why}`);
      return 1;
    }
    const f = lastJson<BackendReport>(forced.out);
    say(`--allow-software: forced ${f.text}`);
    summary.forced = { device: f.device };
  }
  const adapter = run([CLI, "backend", "--json"], gpuEnv);
  if (adapter.ok) {
    const a = lastJson<BackendReport>(adapter.out).webgpu?.adapter;
    if (a) say(`adapter: vendor '${a.vendor}', architecture '${a.architecture}', description '${a.description}', ${a.software === null ? "hardware" : `software (${a.software})`}`);
    summary.adapter = a;
  }

  say("\n== 2. correctness on webgpu against the CPU backend");
  let correct = true;
  for (const [mode, problemsOf] of [["agree", (out: string) => agreeProblems(lastJson<AgreeRun>(out))], ["ops", (out: string) => opsProblems(lastJson<OpsRun>(out))]] as const) {
    const r = run([CHILD, mode], gpuEnv);
    const problems = r.ok ? problemsOf(r.out) : [`failed: ${r.why}`];
    say(`${mode === "agree" ? "ConvNet (conv, BN, LRN, pool, residual add, concat, dropout), 3 SGD steps" : "every op ConvNote's layers use, forward and gradient"}: ${problems.length === 0 ? "agrees with cpu" : "DIFFERS"}`);
    for (const p of problems) say(`   ${p}`);
    correct &&= problems.length === 0;
  }
  summary.correct = correct;

  say("\n== 3. throughput (img/s), each backend in its own process");
  const configs = ["webgpu", "node", "native", "wasm-threads", "wasm"];
  const measured: Record<string, Measured[]> = {};
  const devices: Record<string, string> = {};
  for (const config of configs) {
    if (config === "wasm-threads" && os.cpus().length < 2) continue;
    const started = performance.now();
    const r = run([__filename, `--child=${config}`, ...argv], config === "webgpu" ? gpuEnv : env);
    if (!r.ok) {
      say(`${config}: not measured (${r.why})`);
      continue;
    }
    const res = lastJson<ChildResult>(r.out);
    if (res.report === null) {
      say(`${config}: not measured (${res.why ?? "did not start"})`);
      continue;
    }
    measured[config] = res.results;
    devices[config] = res.report.device;
    say(`${config}: ${res.report.device} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    for (const [id, why] of Object.entries(res.failures)) say(`   ${id}: failed: ${why}`);
  }
  const cpuConfigs = configs.filter((c) => c !== "webgpu" && measured[c] !== undefined);
  const rows: string[][] = [["workload", "webgpu", "best CPU", "CPU backend", "ratio"]];
  const table: Record<string, unknown>[] = [];
  for (const w of workloads(o)) {
    const gpu = measured.webgpu?.find((m) => m.id === w.id);
    let best: { config: string; m: Measured } | null = null;
    for (const c of cpuConfigs) {
      const m = measured[c]!.find((x) => x.id === w.id);
      if (m && (best === null || m.imagesPerSec > best.m.imagesPerSec)) best = { config: c, m };
    }
    const ratio = gpu && best ? gpu.imagesPerSec / best.m.imagesPerSec : undefined;
    rows.push([w.title, fmt(gpu?.imagesPerSec), fmt(best?.m.imagesPerSec), best?.config ?? "-", ratio === undefined ? "-" : `${fmt(ratio)}x`]);
    table.push({ id: w.id, title: w.title, webgpu: gpu?.imagesPerSec ?? null, bestCpu: best?.m.imagesPerSec ?? null, cpuBackend: best?.config ?? null, ratio: ratio ?? null, webgpuMsPerStep: gpu?.msPerStep ?? null });
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) say(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  summary.throughput = table;
  summary.devices = devices;
  const goal = table.find((t) => t.id === "vgg-train-256")?.ratio as number | null | undefined;
  say("");
  say(`GOAL small VGG training at batch 256 >= 10x the best CPU backend: ${goal == null ? "not measured" : `${fmt(goal)}x, ${goal >= 10 ? "met" : "NOT met"}`}${o.smoke ? " (smoke sizes: meaningless)" : ""}`);
  writeJson(o, summary);
  return correct ? 0 : 1;
}

function writeJson(o: Options, summary: Record<string, unknown>): void {
  if (o.json === null) return;
  fs.writeFileSync(o.json, `${JSON.stringify(summary, null, 2)}\n`);
  say(`(results written to ${o.json})`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
