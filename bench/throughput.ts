/**
 * Training and inference throughput of LeNet-5, a small VGG, ResNet-8 and VGG-6 (batch 64, Adam) on
 * every backend configuration available, with a per-kernel time breakdown of one training step
 * (tf.profile), and optionally PyTorch CPU on the same networks for comparison.
 *
 *   node dist/bench/throughput.js [--configs=native,wasm,...] [--networks=lenet,vgg,resnet,vgg6]
 *                              [--seconds=4] [--stock] [--pytorch] [--busy-cores=N] [--json]
 *
 * Each configuration runs in its own child process (a backend starts once per process, and
 * a fresh process keeps the measurements independent). --busy-cores=N keeps N cores busy with
 * `yes > /dev/null` while everything (PyTorch too) is measured: a laptop running a browser.
 * Configurations:
 *   native        ConvNote's oneDNN backend (native/), one thread per core
 *   cpu           tfjs 'cpu' backend with ConvNote's kernel fills
 *   cpu-stock     tfjs 'cpu' as shipped (only with --stock; LeNet only, it is very slow)
 *   wasm          WebAssembly SIMD, one thread (tfjs's behaviour in Node) + fills
 *   wasm-threads  WebAssembly SIMD with one thread per core (ConvNote's workaround) + fills
 *   node, gpu     @tensorflow/tfjs-node / -gpu, when installed
 * GFLOP/s count 2 FLOPs per multiply-add of the checked network (ConvNote's own shape table),
 * a training step as 3 forward passes (forward, input gradient, weight gradient), against the
 * machine's single-precision peak (cores x clock x FLOPs per cycle from the CPU's vector units).
 * Throughput numbers depend on what else the machine is doing; run it on a quiet machine. Each
 * measurement records the CPU time the hypervisor gave to other guests meanwhile (steal, from
 * /proc/stat): on a shared VM that alone moved a VGG step from 135 to 190 ms.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { activateBackend, removeKernelFills, tf, type BackendChoice } from "../src/backend/index.js";
import { checkOrThrow } from "../src/shapes/check.js";
import { NETWORKS, type BenchNetwork } from "./networks.js";

const BATCH = 64;

export type ConfigName = "cpu" | "cpu-stock" | "wasm" | "wasm-threads" | "native" | "node" | "gpu";
const ALL_CONFIGS: readonly ConfigName[] = ["gpu", "node", "native", "wasm-threads", "wasm", "cpu", "cpu-stock"];

interface KernelShare {
  kernel: string;
  calls: number;
  ms: number;
}

export interface NetworkResult {
  network: string;
  title: string;
  trainImagesPerSec: number;
  inferImagesPerSec: number;
  trainStepMs: number;
  trainGflops: number;
  inferGflops: number;
  /** The child process's peak resident memory so far (it runs the networks in order). */
  peakRssMb: number;
  /** Share of the machine's CPU time stolen by the hypervisor while this network was timed. */
  stealPercent: number;
  /** Sum of kernel times in the profiled step (profiling itself adds some overhead). */
  profiledKernelMs: number;
  kernels: KernelShare[];
}

export interface ConfigResult {
  config: ConfigName;
  ok: boolean;
  why?: string;
  backend?: string;
  device?: string;
  networks: NetworkResult[];
}

interface Options {
  configs: ConfigName[];
  networks: string[];
  seconds: number;
  stock: boolean;
  pytorch: boolean;
  busyCores: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const stock = argv.includes("--stock");
  const configs = (get("configs")?.split(",") ?? ALL_CONFIGS.filter((c) => c !== "cpu-stock" || stock)) as ConfigName[];
  for (const c of configs) {
    if (!ALL_CONFIGS.includes(c)) throw new Error(`--configs: unknown '${c}'; choose from ${ALL_CONFIGS.join(", ")}`);
  }
  return {
    configs,
    networks: get("networks")?.split(",") ?? NETWORKS.map((n) => n.name),
    seconds: Number(get("seconds") ?? 4),
    stock,
    pytorch: argv.includes("--pytorch"),
    busyCores: Number(get("busy-cores") ?? 0),
    json: argv.includes("--json"),
  };
}

/** Repeats `run` until at least `seconds` and 3 runs have passed; returns ms per run. */
async function timePerRun(run: () => Promise<void>, seconds: number, maxRuns = 200): Promise<number> {
  const start = performance.now();
  let runs = 0;
  while (runs < 3 || (performance.now() - start < seconds * 1000 && runs < maxRuns)) {
    await run();
    runs++;
  }
  return (performance.now() - start) / runs;
}

/** CPU time stolen by the hypervisor and all CPU time so far, in clock ticks (Linux; zeros elsewhere). */
export function stealTicks(): { steal: number; total: number } {
  const fields = fs.existsSync("/proc/stat") ? fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number) : [];
  return { steal: fields[7] ?? 0, total: fields.reduce((s, x) => s + x, 0) };
}

/** The percentage of CPU time stolen since `since`. */
export function stealPercentSince(since: { steal: number; total: number }): number {
  const now = stealTicks();
  return now.total > since.total ? (100 * (now.steal - since.steal)) / (now.total - since.total) : 0;
}

/** Forward multiply-adds of one image, from the checked network. */
function forwardMacs(net: BenchNetwork): number {
  return checkOrThrow(net.text).totals.macs;
}

/** The machine's single-precision peak in GFLOP/s, and how it was derived. */
export function machinePeak(): { gflops: number; how: string } {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.speed ?? 0);
  const flags = /flags\s*:(.*)/.exec(cpuinfo)?.[1] ?? "";
  // FMA units x vector lanes x 2 (a fused multiply-add is two FLOPs): AVX-512 64, AVX2+FMA 32, SSE 8.
  const perCycle = /\bavx512f\b/.test(flags) ? 64 : /\bavx2\b/.test(flags) && /\bfma\b/.test(flags) ? 32 : 8;
  const cores = os.cpus().length;
  return { gflops: (cores * mhz * perCycle) / 1000, how: `${cores} cores x ${(mhz / 1000).toFixed(2)} GHz x ${perCycle} FLOPs/cycle` };
}

async function measureNetwork(net: BenchNetwork, seconds: number, quick: boolean): Promise<NetworkResult> {
  const macs = forwardMacs(net);
  const model = net.build();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  const x = tf.randomNormal([BATCH, ...net.inputShape]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, net.classes, "int32"), net.classes).toFloat());
  const train = async () => {
    await model.trainOnBatch(x, y);
  };
  const infer = async () => {
    // The whole batch at once, as PyTorch runs it (predict's default splits it into 32s).
    const out = model.predict(x, { batchSize: BATCH }) as tf.Tensor;
    await out.data();
    out.dispose();
  };
  try {
    for (let i = 0; i < (quick ? 1 : 2); i++) await train();
    const stealStart = stealTicks();
    const trainStepMs = await timePerRun(train, quick ? 0 : seconds, quick ? 1 : 200);
    const profile = await tf.profile(train);
    const byKernel = new Map<string, KernelShare>();
    for (const k of profile.kernels) {
      const entry = byKernel.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
      byKernel.set(k.name, entry);
    }
    const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
    for (let i = 0; i < 2; i++) await infer();
    const inferMs = await timePerRun(infer, quick ? 0 : seconds / 2);
    const stealPercent = stealPercentSince(stealStart);
    return {
      network: net.name,
      title: net.title,
      trainImagesPerSec: (BATCH * 1000) / trainStepMs,
      inferImagesPerSec: (BATCH * 1000) / inferMs,
      trainStepMs,
      trainGflops: (BATCH * 6 * macs) / trainStepMs / 1e6,
      inferGflops: (BATCH * 2 * macs) / inferMs / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      stealPercent,
      profiledKernelMs: kernels.reduce((s, k) => s + k.ms, 0),
      kernels,
    };
  } finally {
    model.optimizer.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  }
}

/** Child side: start one configuration and measure the requested networks. */
async function runChild(config: ConfigName, options: Options): Promise<ConfigResult> {
  const choice: BackendChoice = config === "cpu-stock" ? "cpu" : config === "wasm-threads" ? "wasm" : config;
  const threads = config === "wasm-threads" ? os.cpus().length : 1;
  if (config === "wasm-threads" && threads < 2) return { config, ok: false, why: "only one core", networks: [] };
  let report;
  try {
    report = await activateBackend(choice, { wasmThreads: threads });
  } catch (e) {
    return { config, ok: false, why: e instanceof Error ? e.message : String(e), networks: [] };
  }
  if (config === "cpu-stock") removeKernelFills("cpu");
  const networks: NetworkResult[] = [];
  for (const net of NETWORKS) {
    if (!options.networks.includes(net.name)) continue;
    // Stock cpu needs ~8 s per LeNet step here; one timed step is all it gets. Plain JS would
    // need minutes for VGG-6.
    if (config === "cpu-stock" && net.name !== "lenet") continue;
    if (config === "cpu" && net.name === "vgg6") continue;
    networks.push(await measureNetwork(net, options.seconds, config === "cpu-stock"));
  }
  return { config, ok: true, backend: report.name, device: report.device, networks };
}

export function runConfigInChild(config: ConfigName, argv: string[]): ConfigResult {
  try {
    const out = execFileSync(process.execPath, [__filename, `--child=${config}`, ...argv], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = out.split("\n").find((l) => l.startsWith("{\"config\""));
    if (line === undefined) return { config, ok: false, why: "child printed no result", networks: [] };
    return JSON.parse(line) as ConfigResult;
  } catch (e) {
    return { config, ok: false, why: `child failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, networks: [] };
  }
}

/** PyTorch's images per second, `${network}_train` and `${network}_infer`. */
export interface PyTorchResult {
  ok: boolean;
  why?: string;
  threads?: number;
  torch?: string;
  /** Share of CPU time stolen by the hypervisor during the whole PyTorch run. */
  steal_percent?: number;
  [rate: `${string}_train` | `${string}_infer`]: number | undefined;
}

export function runPyTorch(seconds: number, networks: string[]): PyTorchResult {
  const script = path.join(__dirname, "..", "..", "bench", "pytorch", "throughput.py");
  if (!fs.existsSync(script)) return { ok: false, why: `missing ${script}` };
  try {
    const out = execFileSync("/usr/bin/python3", [script, `--seconds=${seconds}`, `--networks=${networks.join(",")}`], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as PyTorchResult;
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message.split("\n")[0] : String(e) };
  }
}

export function formatTable(results: ConfigResult[], torch: PyTorchResult | null): string {
  const lines: string[] = [];
  const peak = machinePeak();
  lines.push(`ConvNote kernel benchmark: batch ${BATCH}, Adam, ${os.cpus()[0]?.model ?? "CPU"} x ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
  lines.push(`machine peak ${peak.gflops.toFixed(0)} GFLOP/s single precision (${peak.how})`);
  const ofPeak = (gflops: number) => `${gflops.toFixed(1)} GFLOP/s, ${((100 * gflops) / peak.gflops).toFixed(1)}% of peak`;
  for (const r of results) {
    if (!r.ok) {
      lines.push(`\n== ${r.config}: skipped (${r.why})`);
      continue;
    }
    lines.push(`\n== ${r.config}: ${r.backend} on ${r.device}`);
    for (const n of r.networks) {
      let vsTorch = "";
      const torchTrain = torch?.ok ? torch[`${n.network}_train`] : undefined;
      if (torchTrain !== undefined) vsTorch = `  (${(n.trainImagesPerSec / torchTrain).toFixed(2)}x PyTorch)`;
      lines.push(
        `${n.title}: train ${n.trainImagesPerSec.toFixed(0)} img/s (${n.trainStepMs.toFixed(1)} ms/step, ${ofPeak(n.trainGflops)})${vsTorch}, ` +
          `inference ${n.inferImagesPerSec.toFixed(0)} img/s (${ofPeak(n.inferGflops)}); peak RSS ${n.peakRssMb.toFixed(0)} MB; ` +
          `${n.stealPercent.toFixed(1)}% of CPU time stolen`,
      );
      lines.push(`  one profiled training step, kernels summing to ${n.profiledKernelMs.toFixed(1)} ms:`);
      for (const k of n.kernels.slice(0, 12)) {
        const share = n.profiledKernelMs > 0 ? (100 * k.ms) / n.profiledKernelMs : 0;
        lines.push(`    ${k.kernel.padEnd(26)} ${k.ms.toFixed(2).padStart(9)} ms ${share.toFixed(1).padStart(5)}%  (${k.calls} calls)`);
      }
    }
  }
  if (torch !== null) {
    lines.push("");
    const rates = NETWORKS.filter((n) => torch[`${n.name}_train`] !== undefined)
      .map((n) => `${n.title} train ${torch[`${n.name}_train`]!.toFixed(0)} / infer ${torch[`${n.name}_infer`]!.toFixed(0)} img/s`);
    lines.push(torch.ok
      ? `PyTorch ${torch.torch} CPU, ${torch.threads} threads: ${rates.join("; ")}; ${(torch.steal_percent ?? 0).toFixed(1)}% of CPU time stolen`
      : `PyTorch: not measured (${torch.why})`);
  }
  return lines.join("\n");
}

/** Keeps `cores` cores busy (`yes > /dev/null` each) until the returned function is called. */
export function keepCoresBusy(cores: number): () => void {
  const busy = Array.from({ length: cores }, () => spawn("yes", [], { stdio: ["ignore", "ignore", "ignore"] }));
  return () => busy.forEach((p) => p.kill());
}

/** Runs every configuration (each in a child process) and, with --pytorch, the PyTorch reference. */
export function runKernelsBench(argv: string[]): { results: ConfigResult[]; torch: PyTorchResult | null } {
  const options = parseOptions(argv);
  const passOn = argv.filter((a) => !a.startsWith("--configs=") && !a.startsWith("--busy-cores=") && a !== "--pytorch" && a !== "--json");
  const stopBusy = keepCoresBusy(options.busyCores);
  try {
    const results = options.configs.map((c) => runConfigInChild(c, passOn));
    const torch = options.pytorch ? runPyTorch(options.seconds, options.networks) : null;
    return { results, torch };
  } finally {
    stopBusy();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const child = argv.find((a) => a.startsWith("--child="))?.slice("--child=".length) as ConfigName | undefined;
  if (child !== undefined) {
    const result = await runChild(child, options);
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  const { results, torch } = runKernelsBench(argv);
  if (options.json) process.stdout.write(JSON.stringify({ results, pytorch: torch }, null, 1) + "\n");
  else process.stdout.write(formatTable(results, torch) + "\n");
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/throughput: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
