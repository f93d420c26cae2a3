/** Switching backends inside a test file without disturbing the files that run after it. */
import { activateBackend, kernelFillsInstalled, removeKernelFills, tf } from "../../src/backend/index.js";
import { loadAddon } from "../../src/backend/native/addon.js";

/**
 * Skips (pending, never passed) a native-backend test where the oneDNN addon is not built, and
 * fails it in CI, where .ci/run installs what the addon needs and `npm ci` builds it.
 */
export function requireNativeAddon(ctx: Mocha.Context): void {
  const load = loadAddon();
  if (load.ok) return;
  if (process.env.CI === "true") throw new Error(`CI must build the native addon: ${load.why}`);
  ctx.skip();
}

/**
 * Activates `choice` with ConvNote's fills and returns a function that puts back the backend
 * (and the fill state of the 'cpu' backend) that was active before, so that other test files in
 * the same mocha process see what they expect. The switch does not change what initBackend() /
 * describeBackend() report.
 */
export async function switchBackend(choice: "cpu" | "wasm" | "native"): Promise<() => Promise<void>> {
  const previous: unknown = tf.engine().backendName;
  const cpuFillsBefore = kernelFillsInstalled("cpu");
  await activateBackend(choice, { makeCurrent: false });
  return async () => {
    if (!cpuFillsBefore) removeKernelFills("cpu");
    if (typeof previous === "string" && previous !== tf.getBackend()) await tf.setBackend(previous);
  };
}

/** Runs `body` and fails if it leaves tensors behind. */
export async function withoutLeaks<T>(what: string, body: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${what} leaked ${after - before} tensor(s) (${before} before, ${after} after)`);
  return result;
}
