/**
 * Guarded loading of the optional native packages @tensorflow/tfjs-node-gpu and
 * @tensorflow/tfjs-node. They are optionalDependencies: their install step downloads
 * libtensorflow, so on an offline machine they are simply absent, and ConvNote must not need
 * their type declarations to compile. Loading one registers the 'tensorflow' backend into
 * the same global tfjs engine that src/backend/tf.ts re-exports (tfjs-node does
 * `export * from '@tensorflow/tfjs'`).
 */

export type NativePackage = "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node";

/** The little of a native package's surface ConvNote reads. */
export interface NativeTfjsModule {
  version: Record<string, string>;
}

/** The part of tfjs-node's NodeJSKernelBackend that says where ops run. */
export interface NativeKernelBackend {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

export type NativeLoad =
  | { ok: true; module: NativeTfjsModule; version: string }
  | { ok: false; why: string };

const INSTALL_HINT: Record<NativePackage, string> = {
  "@tensorflow/tfjs-node-gpu":
    "npm install @tensorflow/tfjs-node-gpu@4.22.0 needs Linux x64, CUDA 11.x with cuDNN 8, and network access to download libtensorflow",
  "@tensorflow/tfjs-node":
    "npm install @tensorflow/tfjs-node@4.22.0 needs network access to download libtensorflow",
};

function firstLine(message: string): string {
  return message.split("\n")[0].trim();
}

export function loadNativePackage(pkg: NativePackage): NativeLoad {
  try {
    require.resolve(pkg);
  } catch {
    return { ok: false, why: `not installed: ${INSTALL_HINT[pkg]}` };
  }
  try {
    const module = require(pkg) as NativeTfjsModule;
    return { ok: true, module, version: module.version?.["tfjs-node"] ?? module.version?.["tfjs-node-gpu"] ?? "unknown" };
  } catch (e) {
    return { ok: false, why: `failed to load: ${firstLine(e instanceof Error ? e.message : String(e))}` };
  }
}
