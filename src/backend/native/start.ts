/**
 * Starting the native backend: load the addon, register 'native' with tfjs (the CPU backend's
 * kernels copied under the new name, so every op exists), set the thread count.
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { stockKernelsOf } from "../fills/index.js";
import { loadAddon, type AddonInfo, type NativeAddon } from "./addon.js";
import { NATIVE_BACKEND, NativeBackend } from "./backend.js";
import { installFusedTraining } from "./training.js";

export { NATIVE_BACKEND };

export interface NativeStart {
  addon: NativeAddon;
  info: AddonInfo;
  /** Why the thread count is what it is. */
  threadsNote: string;
  file: string;
}

/** Threads from CONVNOTE_THREADS, else one per core. */
export function nativeThreads(env: Record<string, string | undefined>): { threads: number; note: string } {
  const value = env.CONVNOTE_THREADS;
  if (value !== undefined && value.trim() !== "") {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`CONVNOTE_THREADS='${value}' must be a whole number ≥ 1`);
    return { threads: n, note: `CONVNOTE_THREADS=${n}` };
  }
  const cores = os.availableParallelism();
  return { threads: cores, note: `one per core (CONVNOTE_THREADS changes it)` };
}

let registered: NativeAddon | null = null;

function register(addon: NativeAddon): void {
  if (registered !== null) return;
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon));
  for (const config of stockKernelsOf("cpu")) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
  installFusedTraining();
  registered = addon;
}

/** Activates the native backend; throws with the reason when the addon is missing. */
export async function startNativeBackend(env: Record<string, string | undefined>): Promise<NativeStart> {
  const load = loadAddon();
  if (!load.ok) throw new Error(load.why);
  register(load.addon);
  const { threads, note } = nativeThreads(env);
  load.addon.setThreads(threads);
  if (!(await tf.setBackend(NATIVE_BACKEND))) throw new Error("the 'native' backend failed to start (see the tfjs message above)");
  return { addon: load.addon, info: load.addon.info(), threadsNote: note, file: load.file };
}
