/**
 * Starting tfjs's WebGPU backend in Node on Dawn (the npm package `webgpu`).
 *
 * Both `webgpu` (Dawn's Node binding, with prebuilt binaries for linux-x64/arm64, macOS and
 * Windows inside the package) and `@tensorflow/tfjs-backend-webgpu` are optional dependencies,
 * loaded only when this candidate is tried. Dawn drives the GPU through Vulkan on Linux, Metal on
 * macOS and D3D12 on Windows.
 *
 * What is done here, and why:
 *  - The adapter is asked for and judged before any device is made. A software adapter
 *    (SwiftShader, lavapipe/llvmpipe, or one Dawn marks isFallbackAdapter) runs every shader on
 *    the CPU, far slower than the CPU backends, so the automatic order never takes it; forcing
 *    the backend (CONVNOTE_BACKEND=webgpu) does, which is how CI tests this code on SwiftShader.
 *  - On Linux Dawn loads the Vulkan loader (libvulkan.so.1) and the drivers named by its ICD
 *    files; when either is missing Dawn prints warnings on stderr from native code. Those are
 *    checked for first (vulkanReadiness), so a machine without Vulkan says why in one line and
 *    loads nothing.
 *  - tfjs-backend-webgpu registers itself only where `navigator.gpu` exists (browsers). In Node
 *    ConvNote creates the device itself, as the package's own factory does (same features and
 *    limits), and registers the 'webgpu' backend with it; `navigator` is never set globally, so
 *    the package cannot start a second device behind ConvNote's back. Dawn's `GPUBufferUsage`,
 *    `GPUMapMode`, ... constants are set on globalThis, which the backend's kernels read.
 *  - Synchronous reads (dataSync) cannot work: tfjs reads GPU buffers synchronously through an
 *    OffscreenCanvas, which Node lacks, and Dawn maps buffers only from the event loop. ConvNote
 *    reads with `await tensor.data()` (src/backend/read.ts), which also caches the values so a
 *    later dataSync() of the same tensor works.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";

/** What Dawn says about the adapter, and ConvNote's verdict on it. */
export interface WebGpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn's own flag for a software/fallback adapter. */
  isFallbackAdapter: boolean;
  /** Why ConvNote takes it for a software adapter, or null for a hardware one. */
  software: string | null;
  /** The native API Dawn uses on this platform. */
  api: "Vulkan" | "Metal" | "D3D12";
}

export interface WebGpuStart {
  adapter: WebGpuAdapter;
  /** Versions of the two packages. */
  dawnPackage: string;
  tfjsWebgpu: string;
  /** Largest buffer the device accepts, in bytes (limits the biggest layer). */
  maxBufferSize: number;
}

/** The packages, with the versions package.json pins; shown in "not installed" reasons. */
export const WEBGPU_PACKAGES = "webgpu@0.6.2 and @tensorflow/tfjs-backend-webgpu@4.22.0";

interface DawnModule {
  create(options: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: "high-performance" | "low-power" }): Promise<DawnAdapter | null>;
}

interface DawnAdapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  features: ReadonlySet<string>;
  limits: Record<string, number>;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<DawnDevice>;
}

interface DawnDevice {
  destroy(): void;
  lost: Promise<{ reason: string; message: string }>;
}

type WebGpuModule = {
  WebGPUBackend: new (device: DawnDevice, adapterInfo: DawnAdapter["info"]) => tf.KernelBackend;
};

export type WebGpuProbe =
  | { ok: true; adapter: WebGpuAdapter; gpu: DawnGpu; raw: DawnAdapter; dawn: DawnModule }
  | { ok: false; why: string };

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver|\bwarp\b|\bcpu\b/i;

/** Why an adapter is software, or null when it looks like real hardware. */
export function softwareAdapterReason(info: Pick<WebGpuAdapter, "vendor" | "architecture" | "device" | "description" | "isFallbackAdapter">): string | null {
  if (info.isFallbackAdapter) return "Dawn marks it a fallback (software) adapter";
  for (const [field, value] of [["architecture", info.architecture], ["description", info.description], ["device", info.device], ["vendor", info.vendor]] as const) {
    const m = SOFTWARE_NAMES.exec(value ?? "");
    if (m) return `its ${field} '${value}' names a software renderer (${m[0].toLowerCase()})`;
  }
  return null;
}

/** "google swiftshader, 'SwiftShader driver 5.0.0'" */
export function adapterName(a: Pick<WebGpuAdapter, "vendor" | "architecture" | "description">): string {
  const who = [a.vendor, a.architecture].filter((s) => s !== "").join(" ") || "unnamed adapter";
  return a.description !== "" ? `${who}, '${a.description}'` : who;
}

function platformApi(): WebGpuAdapter["api"] {
  if (process.platform === "darwin") return "Metal";
  if (process.platform === "win32") return "D3D12";
  return "Vulkan";
}

/** Whether `pkg` can be resolved from ConvNote's own node_modules. */
export function packageInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

const LIB_DIRS = ["/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"];

function ldconfigHas(lib: string): boolean {
  for (const cache of ["/etc/ld.so.cache"]) {
    try {
      if (fs.readFileSync(cache).includes(lib)) return true;
    } catch {
      // no cache: fall through to the directory search
    }
  }
  return false;
}

/**
 * On Linux: null when a Vulkan loader and at least one driver (ICD) are there, else why not.
 * Other platforms: null (Metal and D3D12 come with the OS).
 */
export function vulkanReadiness(env: Record<string, string | undefined> = process.env): string | null {
  if (process.platform !== "linux") return null;
  const libDirs = [...(env.LD_LIBRARY_PATH ?? "").split(":").filter((d) => d !== ""), ...LIB_DIRS];
  const loader = libDirs.some((d) => fs.existsSync(path.join(d, "libvulkan.so.1"))) || ldconfigHas("libvulkan.so.1");
  if (!loader) {
    return "no Vulkan loader (libvulkan.so.1): install it (Debian/Ubuntu: apt-get install libvulkan1) with your GPU vendor's driver";
  }
  const named = [env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES].filter((v): v is string => v !== undefined && v !== "");
  if (named.length > 0) {
    const files = named.flatMap((v) => v.split(":")).filter((f) => f !== "");
    if (files.some((f) => fs.existsSync(f))) return null;
    return `no Vulkan driver: VK_ICD_FILENAMES/VK_DRIVER_FILES name ${files.join(", ")}, which do not exist`;
  }
  const dataDirs = [env.XDG_CONFIG_DIRS ?? "/etc/xdg", "/etc", ...(env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":"), env.HOME ? path.join(env.HOME, ".local/share") : ""];
  for (const dir of dataDirs.filter((d) => d !== "")) {
    const icd = path.join(dir, "vulkan", "icd.d");
    try {
      if (fs.readdirSync(icd).some((f) => f.endsWith(".json"))) return null;
    } catch {
      // not there
    }
  }
  return "no Vulkan driver: the Vulkan loader is there but no driver (ICD) is installed; install your GPU vendor's driver (NVIDIA: the proprietary driver ships one; AMD/Intel: mesa-vulkan-drivers)";
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.trim();
}

/** Loads Dawn and asks it for the high-performance adapter, without making a device. */
export async function probeWebGpu(env: Record<string, string | undefined> = process.env): Promise<WebGpuProbe> {
  if (!packageInstalled("webgpu") || !packageInstalled("@tensorflow/tfjs-backend-webgpu")) {
    return { ok: false, why: `not installed: npm install ${WEBGPU_PACKAGES} (optional dependencies; the webgpu package is 132 MB, binaries for every platform)` };
  }
  const notReady = vulkanReadiness(env);
  if (notReady !== null) return { ok: false, why: notReady };
  let dawn: DawnModule;
  try {
    // An ES module; import() keeps it out of processes that never try webgpu.
    dawn = (await import("webgpu" as string)) as DawnModule;
  } catch (e) {
    return { ok: false, why: `failed to load: the webgpu package (${firstLine(e)})` };
  }
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  const gpu = dawn.create([]);
  const raw = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (raw === null) {
    return { ok: false, why: `no adapter: Dawn found no ${platformApi()} device (is the GPU driver installed and the GPU visible to this process?)` };
  }
  const i = raw.info;
  const base = {
    vendor: i.vendor ?? "",
    architecture: i.architecture ?? "",
    device: i.device ?? "",
    description: i.description ?? "",
    isFallbackAdapter: i.isFallbackAdapter === true,
  };
  return { ok: true, adapter: { ...base, software: softwareAdapterReason(base), api: platformApi() }, gpu, raw, dawn };
}

export const SYNC_READ_MESSAGE =
  "webgpu in Node cannot read a tensor that is still on the GPU synchronously (dataSync, arraySync, " +
  "bufferSync, print, toString): read it with `await tensor.data()` or `await tensor.array()`, which work on " +
  "every backend (after that, dataSync() of the same tensor works too)";

interface WebGpuInternals {
  tensorMap: { get(dataId: object): { values?: unknown; dtype: string } | undefined };
  readSync(dataId: object): unknown;
  read(dataId: object): Promise<unknown>;
}

/**
 * tfjs's own synchronous read fails in Node with "OffscreenCanvas is not defined"; ConvNote
 * says instead what to write. A GPU validation error (an invalid shader, an out-of-memory
 * buffer) is reported by Dawn only on stderr and the results are silently wrong: the next read
 * throws it instead.
 */
function guardReads(backend: tf.KernelBackend, device: DawnDevice): void {
  const internals = backend as unknown as WebGpuInternals;
  let deviceError: string | null = null;
  const events = device as unknown as { addEventListener?(type: string, listener: (event: { error?: { message?: string } }) => void): void };
  events.addEventListener?.("uncapturederror", (event) => {
    deviceError ??= event.error?.message ?? "unknown WebGPU error";
  });
  const failIfDeviceError = () => {
    if (deviceError !== null) {
      const message = deviceError;
      deviceError = null;
      throw new Error(`the GPU reported an error, so these results are not to be trusted: ${message.split("\n")[0]}`);
    }
  };
  const stockReadSync = internals.readSync.bind(backend);
  const stockRead = internals.read.bind(backend);
  internals.readSync = (dataId) => {
    const data = internals.tensorMap.get(dataId);
    if (data !== undefined && data.values == null && data.dtype !== "string") throw new Error(SYNC_READ_MESSAGE);
    return stockReadSync(dataId);
  };
  internals.read = async (dataId) => {
    const values = await stockRead(dataId);
    failIfDeviceError();
    return values;
  };
}

let active: { device: DawnDevice; gpu: DawnGpu; start: WebGpuStart } | null = null;

/**
 * Activates the 'webgpu' backend on the probed adapter. The device and Dawn's instance are kept
 * for the life of the process (tfjs keeps the backend registered).
 */
export async function startWebGpu(probe: Extract<WebGpuProbe, { ok: true }>): Promise<WebGpuStart> {
  if (active !== null && tf.findBackend("webgpu") !== null) {
    if (!(await tf.setBackend("webgpu"))) throw new Error("the 'webgpu' backend did not start again");
    return active.start;
  }
  const module = require("@tensorflow/tfjs-backend-webgpu") as WebGpuModule;
  const adapter = probe.raw;
  const requiredFeatures = ["timestamp-query", "bgra8unorm-storage"].filter((f) => adapter.features.has(f));
  const limits = adapter.limits;
  // The limits tfjs-backend-webgpu's own factory asks for: the adapter's maximum, not the defaults.
  const requiredLimits: Record<string, number> = {};
  for (const name of [
    "maxComputeWorkgroupStorageSize",
    "maxComputeWorkgroupsPerDimension",
    "maxStorageBufferBindingSize",
    "maxBufferSize",
    "maxComputeWorkgroupSizeX",
    "maxComputeInvocationsPerWorkgroup",
  ]) {
    requiredLimits[name] = limits[name]!;
  }
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  // The backend's constructor checks `navigator.gpu` (webgpu_util.isWebGPUSupported); it is
  // there only while the constructor runs.
  const previous = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", { value: { gpu: probe.gpu }, configurable: true, writable: true });
  let backend: tf.KernelBackend;
  try {
    backend = new module.WebGPUBackend(device, adapter.info);
  } finally {
    if (previous === undefined) delete (globalThis as { navigator?: unknown }).navigator;
    else Object.defineProperty(globalThis, "navigator", previous);
  }
  guardReads(backend, device);
  if (tf.findBackend("webgpu") === null) tf.registerBackend("webgpu", () => backend, 0);
  if (!(await tf.setBackend("webgpu"))) throw new Error("the 'webgpu' backend failed to start (see the tfjs message above)");
  const version = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
  const start: WebGpuStart = {
    adapter: probe.adapter,
    dawnPackage: `webgpu ${version("webgpu")}`,
    tfjsWebgpu: version("@tensorflow/tfjs-backend-webgpu"),
    maxBufferSize: limits.maxBufferSize ?? 0,
  };
  active = { device, gpu: probe.gpu, start };
  return start;
}
