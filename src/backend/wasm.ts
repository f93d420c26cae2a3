/**
 * Starting tfjs's WebAssembly backend in Node, offline.
 *
 * What tfjs-backend-wasm 4.22 does by itself in Node (measured here, Node 20):
 *  - SIMD: detected with WebAssembly.validate and used (tfjs-backend-wasm-simd.wasm).
 *  - Threads: the flag WASM_HAS_MULTITHREAD_SUPPORT is hard-coded to false when IS_NODE
 *    (tfjs issue #3830), so the single-threaded SIMD binary is loaded.
 *  - The .wasm files are found through `setWasmPaths(<local dist folder>)`; nothing is fetched.
 *
 * Threads can be made to work (opt-in, `threads > 1`), which needs three workarounds, all
 * confined to the duration of the backend's start:
 *  1. The emscripten pthread worker is normally given as a `blob:` URL, which Node's
 *     worker_threads cannot load. We write the worker script tfjs ships
 *     (wasm-out/tfjs-backend-wasm-threaded-simd.worker.js) to a file in os.tmpdir(), changed
 *     to load the threaded factory script from node_modules instead of from a Blob, and make
 *     URL.createObjectURL return that file's path while the backend starts.
 *  2. tfjs's C++ caps the thread pool at emscripten_num_logical_cores() / 2 (it assumes
 *     hyper-threading), i.e. 1 thread on a 2-core machine; os.cpus() is made to report twice
 *     the cores while the module starts, so the cap becomes the real core count.
 *  3. The pool's workers would keep Node's event loop alive forever; they are unref()'d.
 *
 * Emscripten's start-up code adds process listeners for 'uncaughtException' (re-throws) and
 * 'unhandledRejection' (throws the reason): a listener that throws ends the process, so one
 * error in a timer or one promise nobody awaited would kill a notebook's kernel. They are
 * removed once the backend has started (tfjs's own _dispose removes the same ones).
 */
import * as fs from "node:fs";
// The real module object (not an esModuleInterop copy), so that os.cpus can be swapped.
import os = require("node:os");
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";

type WasmModule = typeof import("@tensorflow/tfjs-backend-wasm");

export interface WasmStart {
  simd: boolean;
  /** Threads in XNNPACK's pool (1 = single-threaded). */
  threads: number;
  /** Why the thread count is what it is. */
  threadsNote: string;
  /** Which binary was loaded. */
  binary: string;
}

type FaultEvent = "uncaughtException" | "unhandledRejection";
const FAULT_EVENTS: readonly FaultEvent[] = ["uncaughtException", "unhandledRejection"];

/** Runs `start` and removes the uncaughtException/unhandledRejection listeners it added. */
async function withoutAddedFaultListeners<T>(start: () => Promise<T>): Promise<T> {
  const before = new Map(FAULT_EVENTS.map((event) => [event, new Set((process as NodeJS.EventEmitter).listeners(event))]));
  try {
    return await start();
  } finally {
    for (const event of FAULT_EVENTS) {
      for (const listener of (process as NodeJS.EventEmitter).listeners(event)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/** Loads the package (which registers the 'wasm' backend factory) and points it at local files. */
export function loadWasmPackage(): { module: WasmModule; distDir: string } {
  // A plain require keeps the package (and its backend registration) out of processes that
  // never ask for wasm.
  const module = require("@tensorflow/tfjs-backend-wasm") as WasmModule;
  const distDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm"));
  module.setWasmPaths(distDir + path.sep);
  return { module, distDir };
}

interface PThreadPool {
  runningWorkers: { unref(): void }[];
  unusedWorkers: { unref(): void }[];
}

/** Writes the Node-loadable pthread worker script; returns its path. */
function writeWorkerScript(distDir: string): string {
  const factoryPath = path.join(distDir, "..", "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
  const workerModule = path.join(distDir, "..", "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js");
  const { wasmWorkerContents } = require(workerModule) as { wasmWorkerContents: string };
  const blobImport =
    'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';
  if (!wasmWorkerContents.includes(blobImport)) {
    throw new Error(
      "wasm threads: the pthread worker of this tfjs-backend-wasm version differs from 4.22's; " +
        "run without threads (CONVNOTE_WASM_THREADS=1)",
    );
  }
  // The shipped text is a template literal whose "\n" escapes became real newlines.
  const source = wasmWorkerContents
    .replace(/\n/g, "\\n")
    .replace(blobImport, `importScripts(${JSON.stringify(factoryPath)});`);
  const file = path.join(os.tmpdir(), `convnote-tfjs-wasm-${tf.version_core}-pthread-worker.js`);
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== source) {
    // Write-then-rename, so a process starting at the same moment never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, source);
    fs.renameSync(partial, file);
  }
  return file;
}

/**
 * Activates the 'wasm' backend. `threads` ≤ 1 loads the single-threaded SIMD build (tfjs's
 * own behaviour in Node); more loads the threaded SIMD build with the workarounds above.
 */
export async function startWasm(threads: number): Promise<WasmStart> {
  const { module, distDir } = loadWasmPackage();
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  const wantThreads = Math.max(1, Math.floor(threads));
  if (wantThreads <= 1 || !simd) {
    if (!(await withoutAddedFaultListeners(() => tf.setBackend("wasm")))) throw new Error("the 'wasm' backend failed to start (see the tfjs message above)");
    return {
      simd,
      threads: 1,
      threadsNote: simd
        ? "single-threaded: tfjs disables wasm threads in Node; opt in with CONVNOTE_WASM_THREADS=<n>"
        : "single-threaded: this Node has no WebAssembly SIMD, and the threaded build needs it",
      binary: simd ? "tfjs-backend-wasm-simd.wasm" : "tfjs-backend-wasm.wasm",
    };
  }

  const workerFile = writeWorkerScript(distDir);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  module.setThreadsCount(wantThreads);
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const osMutable: { cpus: typeof os.cpus } = os;
  URL.createObjectURL = () => workerFile;
  osMutable.cpus = () => {
    const cores = realCpus();
    return cores.concat(cores);
  };
  let ok: boolean;
  try {
    ok = await withoutAddedFaultListeners(() => tf.setBackend("wasm"));
  } finally {
    URL.createObjectURL = realCreateObjectURL;
    osMutable.cpus = realCpus;
  }
  if (!ok) throw new Error("the threaded 'wasm' backend failed to start; try CONVNOTE_WASM_THREADS=1");
  const wasm = (tf.backend() as unknown as { wasm: { PThread?: PThreadPool } }).wasm;
  for (const w of [...(wasm.PThread?.runningWorkers ?? []), ...(wasm.PThread?.unusedWorkers ?? [])]) w.unref();
  const actual = module.getThreadsCount();
  return {
    simd,
    threads: actual,
    threadsNote: `threaded SIMD build, ${actual} of ${wantThreads} requested threads (ConvNote workaround for Node)`,
    binary: "tfjs-backend-wasm-threaded-simd.wasm",
  };
}
