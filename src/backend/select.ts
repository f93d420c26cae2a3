/**
 * Choosing the TensorFlow.js backend at start.
 *
 * Order tried: '@tensorflow/tfjs-node-gpu' (CUDA), '@tensorflow/tfjs-backend-webgpu' on Dawn
 * (a hardware GPU only; see webgpu.ts), '@tensorflow/tfjs-node' (TensorFlow's C library),
 * ConvNote's 'native' backend (oneDNN, see native/), '@tensorflow/tfjs-backend-wasm' (SIMD),
 * tfjs's pure-JS 'cpu'. The environment variable CONVNOTE_BACKEND=gpu|webgpu|node|native|wasm|cpu
 * forces one (an error if it is unknown or cannot start); forcing webgpu also accepts a software
 * adapter (SwiftShader, llvmpipe). CONVNOTE_THREADS=<n> sets the native backend's threads,
 * CONVNOTE_WASM_THREADS=<n> the wasm backend's (see wasm.ts).
 * Every candidate gets a line in the report saying why it was or was not chosen.
 */
import * as tf from "@tensorflow/tfjs";
import { describeCpu, nvidiaGpuName } from "./device.js";
import { installKernelFills, type InstalledFill } from "./fills/index.js";
import { loadAddon } from "./native/addon.js";
import { startNativeBackend, type NativeStart } from "./native/start.js";
import { loadNativePackage, type NativeKernelBackend, type NativePackage } from "./tensorflow.js";
import { startWasm, type WasmStart } from "./wasm.js";
import { adapterName, probeWebGpu, startWebGpu, type WebGpuStart } from "./webgpu.js";

export type BackendChoice = "gpu" | "webgpu" | "node" | "native" | "wasm" | "cpu";

/** Preference order of the automatic choice. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ["gpu", "webgpu", "node", "native", "wasm", "cpu"];

export type BackendName = "tensorflow-gpu" | "webgpu" | "tensorflow" | "native" | "wasm" | "cpu";
export type BackendKind = "gpu" | "native" | "wasm" | "cpu";

export interface CandidateReason {
  candidate: BackendChoice;
  /** npm package that provides it. */
  package: string;
  chosen: boolean;
  why: string;
}

export interface BackendReport {
  /** ConvNote's name for what runs the ops. */
  name: BackendName;
  kind: BackendKind;
  /** The name the backend has in tfjs's registry ('tensorflow', 'webgpu', 'wasm' or 'cpu'). */
  tfjsBackend: string;
  /** GPU name, or CPU model and cores (plus SIMD/threads for wasm). */
  device: string;
  tfjsVersion: string;
  /** How the choice was made: automatic order, CONVNOTE_BACKEND, or an explicit option. */
  selectedBy: string;
  reasons: CandidateReason[];
  /** Kernels ConvNote added or replaced on this backend (fills/index.ts). */
  kernelFills: InstalledFill[];
  /** Details of the wasm start, when wasm was chosen. */
  wasm: WasmStart | null;
  /** The WebGPU adapter and packages, when webgpu was chosen. */
  webgpu: WebGpuStart | null;
  /** The oneDNN library, instruction set and threads, when the native backend was chosen. */
  native: NativeDetails | null;
  /** The report in one line, for logs and the notebook banner. */
  text: string;
}

export interface NativeDetails {
  onednn: string;
  isa: string;
  threads: number;
  threadsNote: string;
}

export interface BackendOptions {
  /** Forces a backend; takes precedence over CONVNOTE_BACKEND. */
  backend?: BackendChoice;
  /** Where CONVNOTE_BACKEND / CONVNOTE_WASM_THREADS are read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Threads for the wasm backend; defaults to CONVNOTE_WASM_THREADS, else 1. */
  wasmThreads?: number;
  /** Install ConvNote's kernel fills (default true). */
  kernelFills?: boolean;
  /**
   * activateBackend only: whether the new report becomes what describeBackend() and later
   * initBackend() calls return (default true). Tests that switch backends temporarily pass false.
   */
  makeCurrent?: boolean;
}

const PACKAGES: Record<BackendChoice, string> = {
  gpu: "@tensorflow/tfjs-node-gpu",
  webgpu: "@tensorflow/tfjs-backend-webgpu + webgpu (Dawn)",
  node: "@tensorflow/tfjs-node",
  native: "ConvNote's oneDNN addon (native/)",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs (cpu backend)",
};

function choicesText(): string {
  return BACKEND_CHOICES.join(", ");
}

export function parseBackendChoice(value: string, source: string): BackendChoice {
  const v = value.trim().toLowerCase();
  if ((BACKEND_CHOICES as readonly string[]).includes(v)) return v as BackendChoice;
  throw new Error(
    `${source}='${value}' is not a ConvNote backend; choose one of ${choicesText()} ` +
      `(or leave it unset to take the first that works in that order)`,
  );
}

function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`CONVNOTE_WASM_THREADS='${value}' must be a whole number ≥ 1`);
  }
  return n;
}

interface Started {
  name: BackendName;
  kind: BackendKind;
  device: string;
  why: string;
  wasm: WasmStart | null;
  webgpu?: WebGpuStart;
  native?: NativeDetails;
}

type Attempt = { ok: true; started: Started } | { ok: false; why: string };

async function startTensorflow(pkg: NativePackage, gpu: boolean): Promise<Attempt> {
  const loaded = loadNativePackage(pkg);
  if (!loaded.ok) return loaded;
  if (!(await tf.setBackend("tensorflow"))) {
    return { ok: false, why: `loaded ${pkg} ${loaded.version}, but its 'tensorflow' backend did not start` };
  }
  const backend = tf.backend() as unknown as NativeKernelBackend;
  if (gpu && backend.isUsingGpuDevice === true) {
    const gpuName = nvidiaGpuName() ?? "CUDA GPU (name not reported)";
    return {
      ok: true,
      started: { name: "tensorflow-gpu", kind: "gpu", device: gpuName, why: `loaded ${pkg} ${loaded.version}; TensorFlow uses ${gpuName}`, wasm: null },
    };
  }
  const why = gpu
    ? `loaded ${pkg} ${loaded.version}, but TensorFlow sees no CUDA device, so ops run on the CPU`
    : `loaded ${pkg} ${loaded.version}`;
  return { ok: true, started: { name: "tensorflow", kind: "native", device: `${describeCpu()} (TensorFlow C library)`, why, wasm: null } };
}

/** WebGPU on Dawn: a hardware adapter always; a software one only when `forced`. */
async function startWebGpuCandidate(forced: boolean): Promise<Attempt> {
  const probe = await probeWebGpu();
  if (!probe.ok) return probe;
  const a = probe.adapter;
  if (a.software !== null && !forced) {
    return { ok: false, why: `software adapter (${adapterName(a)}), never chosen automatically: ${a.software}; CONVNOTE_BACKEND=webgpu forces it` };
  }
  const w = await startWebGpu(probe);
  const kind = a.software === null ? `hardware adapter ${adapterName(a)}` : `software adapter ${adapterName(a)}, forced (${a.software})`;
  return {
    ok: true,
    started: {
      name: "webgpu",
      kind: "gpu",
      device: `${adapterName(a)} (${a.api} via Dawn)`,
      why: `${kind}; ${w.dawnPackage}, tfjs-backend-webgpu ${w.tfjsWebgpu}`,
      wasm: null,
      webgpu: w,
    },
  };
}

function nativeStarted(n: NativeStart): Started {
  const details: NativeDetails = { onednn: n.info.onednn, isa: n.info.isa, threads: n.info.threads, threadsNote: n.threadsNote };
  const threads = `${details.threads} thread${details.threads === 1 ? "" : "s"}`;
  return {
    name: "native",
    kind: "native",
    device: `${describeCpu()}; oneDNN ${details.onednn} (${details.isa}), ${threads}`,
    why: `oneDNN ${details.onednn} dispatches to ${details.isa}; ${threads}, ${details.threadsNote}`,
    wasm: null,
    native: details,
  };
}

async function startCandidate(choice: BackendChoice, wasmThreads: number, forced: boolean, env: Record<string, string | undefined>): Promise<Attempt> {
  try {
    switch (choice) {
      case "gpu":
        return await startTensorflow("@tensorflow/tfjs-node-gpu", true);
      case "webgpu":
        return await startWebGpuCandidate(forced);
      case "node":
        return await startTensorflow("@tensorflow/tfjs-node", false);
      case "native": {
        const addon = loadAddon();
        if (!addon.ok) return addon;
        return { ok: true, started: nativeStarted(await startNativeBackend(env)) };
      }
      case "wasm": {
        const w = await startWasm(wasmThreads);
        const simd = w.simd ? "WebAssembly SIMD" : "WebAssembly without SIMD";
        const threads = `${w.threads} thread${w.threads === 1 ? "" : "s"}`;
        return {
          ok: true,
          started: { name: "wasm", kind: "wasm", device: `${describeCpu()}; ${simd}, ${threads}`, why: `${w.binary}; ${w.threadsNote}`, wasm: w },
        };
      }
      case "cpu":
        if (!(await tf.setBackend("cpu"))) return { ok: false, why: "tfjs's 'cpu' backend did not start" };
        return {
          ok: true,
          started: { name: "cpu", kind: "cpu", device: `${describeCpu()}; plain JavaScript, 1 thread`, why: "always available", wasm: null },
        };
    }
  } catch (e) {
    return { ok: false, why: `failed to start: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` };
  }
}

function oneLine(r: Omit<BackendReport, "text">): string {
  const others = r.reasons
    .filter((c) => !c.chosen)
    .map((c) => `${c.candidate}: ${c.why.split(":")[0]}`)
    .join("; ");
  return `ConvNote backend ${r.name} (${r.kind}) on ${r.device}; tfjs ${r.tfjsVersion}; ${r.selectedBy}` +
    (others.length > 0 ? `; others: ${others}` : "");
}

let current: BackendReport | null = null;
let pending: Promise<BackendReport> | null = null;

/**
 * Starts a backend now (switching if another is active) and installs its kernel fills.
 * `forced` names one backend, or null for the automatic order. Used by initBackend, and
 * directly by benchmarks and tests that compare backends in one process.
 */
export async function activateBackend(forced: BackendChoice | null, options: BackendOptions = {}, selectedBy?: string): Promise<BackendReport> {
  const env = options.env ?? process.env;
  const wasmThreads = options.wasmThreads ?? parseThreads(env.CONVNOTE_WASM_THREADS) ?? 1;
  const by = selectedBy ?? (forced === null ? `automatic (first that works of ${choicesText()})` : `requested '${forced}'`);
  const reasons: CandidateReason[] = [];
  let started: Started | null = null;
  let startedChoice: BackendChoice | null = null;
  for (const candidate of BACKEND_CHOICES) {
    const pkg = PACKAGES[candidate];
    if (forced !== null && candidate !== forced) {
      reasons.push({ candidate, package: pkg, chosen: false, why: `not tried: ${by}` });
      continue;
    }
    if (started !== null) {
      reasons.push({ candidate, package: pkg, chosen: false, why: `not tried: ${startedChoice} comes first and works` });
      continue;
    }
    const attempt = await startCandidate(candidate, wasmThreads, forced === candidate, env);
    if (attempt.ok) {
      started = attempt.started;
      startedChoice = candidate;
      reasons.push({ candidate, package: pkg, chosen: true, why: attempt.started.why });
    } else {
      reasons.push({ candidate, package: pkg, chosen: false, why: attempt.why });
    }
  }
  if (started === null) {
    const failed = reasons.find((r) => r.candidate === forced);
    throw new Error(
      `${by}: backend '${forced}' is unavailable (${failed?.why ?? "unknown reason"}). ` +
        `Choices: ${choicesText()}; unset CONVNOTE_BACKEND to take the first that works.`,
    );
  }
  const tfjsBackend = tf.getBackend();
  const kernelFills = options.kernelFills === false ? [] : installKernelFills(tfjsBackend);
  const partial: Omit<BackendReport, "text"> = {
    name: started.name,
    kind: started.kind,
    tfjsBackend,
    device: started.device,
    tfjsVersion: tf.version.tfjs,
    selectedBy: by,
    reasons,
    kernelFills,
    wasm: started.wasm,
    webgpu: started.webgpu ?? null,
    native: started.native ?? null,
  };
  const report = { ...partial, text: oneLine(partial) };
  if (options.makeCurrent !== false) current = report;
  return report;
}

/**
 * Chooses and starts ConvNote's backend once per process; later calls return the same report
 * (whatever their options). Honours CONVNOTE_BACKEND, CONVNOTE_THREADS and CONVNOTE_WASM_THREADS.
 */
export function initBackend(options: BackendOptions = {}): Promise<BackendReport> {
  if (current !== null) return Promise.resolve(current);
  if (pending !== null) return pending;
  pending = (async () => {
    const env = options.env ?? process.env;
    let forced: BackendChoice | null = null;
    let by: string | undefined;
    if (options.backend !== undefined) {
      forced = parseBackendChoice(options.backend, "initBackend({ backend })");
      by = `initBackend({ backend: '${forced}' })`;
    } else if (env.CONVNOTE_BACKEND !== undefined && env.CONVNOTE_BACKEND.trim() !== "") {
      forced = parseBackendChoice(env.CONVNOTE_BACKEND, "CONVNOTE_BACKEND");
      by = `CONVNOTE_BACKEND=${forced}`;
    }
    return activateBackend(forced, options, by);
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

/**
 * The report of the active backend. Before initBackend() has finished it describes whatever
 * tfjs is using on its own (usually 'cpu'), says so in `selectedBy`, and lists no kernel fills;
 * it never starts a backend itself beyond what tfjs does when first asked for one.
 */
export function describeBackend(): BackendReport {
  if (current !== null) return current;
  tf.backend(); // lets tfjs pick its default if nothing is active yet
  const tfjsBackend = tf.getBackend();
  const known: Record<string, { name: BackendName; kind: BackendKind; device: string }> = {
    cpu: { name: "cpu", kind: "cpu", device: `${describeCpu()}; plain JavaScript, 1 thread` },
    wasm: { name: "wasm", kind: "wasm", device: `${describeCpu()}; WebAssembly` },
    tensorflow: { name: "tensorflow", kind: "native", device: `${describeCpu()} (TensorFlow C library)` },
    webgpu: { name: "webgpu", kind: "gpu", device: "WebGPU adapter" },
    native: { name: "native", kind: "native", device: `${describeCpu()}; oneDNN` },
  };
  const what = known[tfjsBackend] ?? { name: "cpu" as const, kind: "cpu" as const, device: `tfjs backend '${tfjsBackend}'` };
  const partial: Omit<BackendReport, "text"> = {
    ...what,
    tfjsBackend,
    tfjsVersion: tf.version.tfjs,
    selectedBy: "tfjs's own default: initBackend() has not run, so ConvNote's choice and kernel fills are not in effect",
    reasons: [],
    kernelFills: [],
    wasm: null,
    webgpu: null,
    native: null,
  };
  return { ...partial, text: oneLine(partial) };
}
