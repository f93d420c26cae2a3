/**
 * Loading ConvNote's oneDNN addon (native/, built by `npm ci` where Debian's libdnnl-dev and a
 * C++ compiler are present) and its typed surface.
 *
 * Data crosses as Float32Arrays with a layout id: 0 is TensorFlow.js's own row-major order
 * (NHWC images, HWIO filters); any other id is a oneDNN layout (such as nChw16c) that a native
 * kernel chose for its output. Only native kernels read non-plain data; everything else sees
 * a plain copy made by `toPlain` (see backend.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A tensor's data as a native kernel returns it, in the addon's memory: only the backend may
 * hold `data` (it is freed by release() when the tensor is disposed).
 */
export interface NativeResult {
  data: Float32Array;
  layout: number;
}

export interface PoolResult extends NativeResult {
  /** Where each maximum was (max pooling in training only), for the backward pass. */
  workspace?: Uint8Array;
}

export interface AddonInfo {
  onednn: string;
  /** The instruction set oneDNN dispatches to, e.g. "avx2" or "avx512_core". */
  isa: string;
  threads: number;
  runtime: string;
}

export interface LayoutInfo {
  dims: number[];
  floats: number;
  format: string;
}

/** tfjs's conv geometry as the addon reads it: [n,h,w,c, kh,kw,oc, oh,ow, sh,sw, dh,dw, pt,pl,pb,pr]. */
export type ConvGeometry = number[];
/** [n,h,w,c, kh,kw, oh,ow, sh,sw, pt,pl,pb,pr]. */
export type PoolGeometry = number[];

export interface NativeAddon {
  info(): AddonInfo;
  setThreads(threads: number): void;
  /** Frees an array's memory now; only for arrays nobody else holds. */
  release(array: Float32Array): void;
  /**
   * Kernel results (`{ data, layout }`, any layout) alive now. Their memory is the addon's (V8
   * does not count it as external memory, so it never triggers a garbage collection) and goes
   * back on release().
   */
  tensorMemory(): { tensors: number; bytes: number };
  toPlain(data: Float32Array, layout: number): Float32Array;
  fromPlain(data: Float32Array, layout: number): Float32Array;
  layoutInfo(layout: number): LayoutInfo;
  /** The result's weightsLayout is the layout to keep the filter in for later calls (reorderFilter). */
  conv2d(x: Float32Array, xLayout: number, filter: Float32Array, filterLayout: number, bias: Float32Array | null, geometry: ConvGeometry,
    activation: number, alpha: number, training: boolean): NativeResult & { weightsLayout: number };
  /** An HWIO filter in a convolution's weights layout. */
  reorderFilter(filter: Float32Array, layout: number): Float32Array;
  conv2dBackpropInput(dy: Float32Array, dyLayout: number, filter: Float32Array, geometry: ConvGeometry): NativeResult;
  conv2dBackpropFilter(x: Float32Array, xLayout: number, dy: Float32Array, dyLayout: number, geometry: ConvGeometry): Float32Array;
  pool2d(kind: "max" | "avg", x: Float32Array, xLayout: number, geometry: PoolGeometry, training: boolean): PoolResult;
  pool2dBackward(kind: "max" | "avg", dy: Float32Array, dyLayout: number, xLayout: number, geometry: PoolGeometry,
    workspace: Uint8Array | null): NativeResult;
  /** [batch, m, n] = a·b with a [batch, m, k] and b [batch, k, n] (either stored transposed), + bias, activation. */
  matmul(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
    bias: Float32Array | null, activation: number, alpha: number): Float32Array;
  /** One Adam step of a variable and its two moments (tfjs's AdamOptimizer update). */
  adam(value: Float32Array, m: Float32Array, v: Float32Array, gradient: Float32Array, learningRate: number, beta1: number, beta2: number,
    epsilon: number, oneMinusAccBeta1: number, oneMinusAccBeta2: number): [Float32Array, Float32Array, Float32Array];
  /** An element-wise function of x, in x's layout. */
  unary(op: UnaryOp, x: Float32Array, xLayout: number, shape: number[], alpha: number): NativeResult;
  /** a (op) b in a's layout and shape; b has a's shape or broadcasts to it. */
  binary(op: BinaryOp, a: Float32Array, aLayout: number, aShape: number[], b: Float32Array, bLayout: number, bShape: number[]): NativeResult;
  /** x·scale[c] + shift[c] for a 4-D x, in x's layout (batch normalization with known moments). */
  channelAffine(x: Float32Array, xLayout: number, shape: number[], scale: Float32Array, shift: Float32Array): NativeResult;
  /** Mean and variance per channel of a 4-D x over batch, height and width. */
  channelMoments(x: Float32Array, xLayout: number, shape: number[]): { mean: Float32Array; variance: Float32Array };
  /** The gradient of channelMoments to x, in x's layout. */
  momentsBackward(x: Float32Array, xLayout: number, shape: number[], mean: Float32Array, dmean: Float32Array, dvariance: Float32Array): NativeResult;
  /**
   * The gradients of a batch normalization with given moments, dx in x's layout; with
   * throughMoments, the moments are x's own (training) and dx includes their gradient.
   */
  batchNormBackward(dy: Float32Array, dyLayout: number, x: Float32Array, xLayout: number, shape: number[], mean: Float32Array,
    variance: Float32Array, scale: Float32Array | null, epsilon: number, throughMoments?: boolean): BatchNormGradients;
  /** dy where y > 0, else 0, in y's layout (the ReLU gradient; y may be its input or output). */
  reluBackward(dy: Float32Array, dyLayout: number, y: Float32Array, yLayout: number, shape: number[]): NativeResult;
  /**
   * x reduced over the axes where keptShape is 1 (and shape is not); plain, of keptShape. Null
   * for reductions it does not cover (it covers all axes, and height and width with or without
   * the batch).
   */
  reduce(op: ReduceOp, x: Float32Array, xLayout: number, shape: number[], keptShape: number[]): Float32Array | null;
}

export interface BatchNormGradients {
  dx: NativeResult;
  dmean: Float32Array;
  dvariance: Float32Array;
  dscale: Float32Array;
  doffset: Float32Array;
}

export type UnaryOp = "relu" | "leakyrelu" | "relu6" | "elu" | "sigmoid" | "tanh" | "exp" | "log" | "sqrt" | "square" | "abs" | "neg" | "step";
export type BinaryOp = "add" | "sub" | "mul" | "div" | "max" | "min";
export type ReduceOp = "sum" | "mean";

/** Every function of NativeAddon: an addon built from older source lacks some. */
const ADDON_FUNCTIONS: readonly (keyof NativeAddon)[] = [
  "info", "setThreads", "release", "tensorMemory", "toPlain", "fromPlain", "layoutInfo", "conv2d", "reorderFilter", "conv2dBackpropInput", "conv2dBackpropFilter",
  "pool2d", "pool2dBackward", "matmul", "unary", "binary", "reduce", "reluBackward", "channelAffine", "channelMoments",
  "momentsBackward", "batchNormBackward", "adam",
];

export type AddonLoad = { ok: true; addon: NativeAddon; file: string } | { ok: false; why: string };

/** The one command that builds the addon on a Debian machine. */
export const ENABLE_NATIVE_HINT = "apt-get install g++ make libdnnl-dev, then run node native/build.js in the ConvNote folder";

/** native/build/Release/convnote_native.node, from dist/src/backend/native/ or src/backend/native/. */
export function addonPath(): string {
  const above = path.resolve(__dirname, "..", "..", "..");
  const root = path.basename(above) === "dist" ? path.dirname(above) : above;
  return path.join(root, "native", "build", "Release", "convnote_native.node");
}

let loaded: AddonLoad | null = null;

/** Loads the addon once per process; says why not when it is missing or fails to load. */
export function loadAddon(): AddonLoad {
  if (loaded !== null) return loaded;
  const file = addonPath();
  if (!fs.existsSync(file)) {
    const skipped = path.join(path.dirname(file), "..", "..", "build-skipped.txt");
    const why = fs.existsSync(skipped) ? fs.readFileSync(skipped, "utf8").trim() : "the addon was not built";
    return (loaded = { ok: false, why: `not built (${why}); to enable it: ${ENABLE_NATIVE_HINT}` });
  }
  // OpenMP reads its settings when the library loads. A waiting thread that sleeps instead of
  // spinning keeps training fast when another program (a browser) is busy on the same cores.
  process.env.OMP_WAIT_POLICY ??= "passive";
  try {
    const addon = require(file) as Record<string, unknown>;
    const missing = ADDON_FUNCTIONS.filter((name) => typeof addon[name] !== "function");
    if (missing.length > 0) {
      return (loaded = { ok: false, why: `${file} is older than its source (no ${missing.join(", ")}); rebuild it: node native/build.js` });
    }
    return (loaded = { ok: true, addon: addon as unknown as NativeAddon, file });
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return (loaded = { ok: false, why: `failed to load ${file}: ${message}; to rebuild it: ${ENABLE_NATIVE_HINT}` });
  }
}
