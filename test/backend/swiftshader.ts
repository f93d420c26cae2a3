/**
 * The software GPU the webgpu tests run on: SwiftShader's Vulkan driver, which Debian's chromium
 * package ships (/usr/lib/chromium, with its own libvulkan.so.1). The variables go only into the
 * environment of the child processes a test starts, never into the test process itself, so the
 * other tests see the machine as it is.
 */
import { existsSync } from "node:fs";
import { packageInstalled } from "../../src/backend/webgpu.js";

export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** The environment of a child that should see SwiftShader as its only Vulkan device. */
export function swiftShaderEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: "/usr/lib/chromium" };
  delete env.CONVNOTE_BACKEND;
  delete env.CONVNOTE_WASM_THREADS;
  return env;
}

/**
 * Why the webgpu tests cannot run here, or null when they can. In CI (CI=true) a missing piece
 * is a failure, since .ci/run installs chromium and npm ci installs the optional packages;
 * elsewhere (a Mac, a machine without chromium) the tests are reported pending.
 */
export function webgpuTestBlocker(): string | null {
  if (!existsSync(SWIFTSHADER_ICD)) return `SwiftShader's Vulkan driver is missing (${SWIFTSHADER_ICD}): apt-get install chromium`;
  for (const pkg of ["webgpu", "@tensorflow/tfjs-backend-webgpu"]) {
    if (!packageInstalled(pkg)) return `${pkg} is not installed (an optional dependency): npm install`;
  }
  return null;
}

/** Skips (pending) where the webgpu tests cannot run, fails instead in CI. */
export function requireWebgpu(context: Mocha.Context): void {
  const blocker = webgpuTestBlocker();
  if (blocker === null) return;
  if (process.env.CI === "true") throw new Error(`webgpu tests must run in CI: ${blocker}`);
  context.skip();
}
