/**
 * The 'native' TensorFlow.js backend: tfjs's CPU backend (every kernel, typed arrays in the
 * JavaScript heap) whose hot kernels run on oneDNN through ConvNote's addon.
 *
 * What it adds to the CPU backend is a second way to hold a tensor's data: in the oneDNN
 * layout a native kernel produced it in (blocked, e.g. nChw16c, or plain NHWC), in memory the
 * addon owns. Convolution, pooling and the element-wise kernels between them read and write
 * that data directly, so a network runs conv -> pool -> conv without converting to NHWC and
 * back at every layer (what PyTorch pays on every call for NCHW tensors). Anything else — a
 * kernel without a native version, `dataSync()` — reads `values`, which makes a plain copy on
 * first use and keeps it. The addon's memory is never handed out, so it is freed the moment
 * the tensor is disposed, and V8 never counts it (counted, activations made the garbage
 * collector run every step, on the core oneDNN's second thread needed).
 */
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type * as tf from "@tensorflow/tfjs";
import type { NativeAddon, NativeResult, PoolResult } from "./addon.js";

/** The name the native backend has in tfjs's registry. */
export const NATIVE_BACKEND = "native";

type BackendValues = Float32Array | Int32Array | Uint8Array | Uint8Array[];
type DataId = object;

/** A native kernel's output in the addon's memory: its layout (0 = plain), and the tfjs shape it was made for. */
export interface LayoutData {
  data: Float32Array;
  layout: number;
  shape: number[];
}

/** A tensor's data as a native kernel reads it. */
export interface NativeInput {
  data: Float32Array;
  /** 0 = plain (tfjs's row-major order). */
  layout: number;
}

/** The tfjs CPU backend's record for one tensor, plus the native layout when there is one. */
export class NativeRecord {
  refCount = 1;
  /** Extra data kept with a max-pooling output: where each maximum was. */
  poolWorkspace?: { workspace: Uint8Array; sourceLayout: number };
  /** A filter reordered into the layout a convolution reads it in (inference keeps it). */
  reorderedFilter?: { data: Float32Array; layout: number };
  private plain: BackendValues | undefined;

  constructor(
    private readonly addon: NativeAddon,
    readonly dtype: tf.DataType,
    readonly native: LayoutData | null,
    plain?: BackendValues,
  ) {
    this.plain = plain;
  }

  /** The values in tfjs's order, as every CPU kernel reads them; converted (or copied) once, on demand. */
  get values(): BackendValues | undefined {
    if (this.plain === undefined && this.native !== null) {
      this.plain = this.native.layout === 0 ? this.native.data.slice() : this.addon.toPlain(this.native.data, this.native.layout);
    }
    return this.plain;
  }

  set values(values: BackendValues | undefined) {
    this.plain = values;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class NativeBackend extends MathBackendCPU {
  constructor(readonly addon: NativeAddon) {
    super();
    // The CPU backend's one-time hint to install tfjs-node does not apply: this is native.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  private record(dataId: DataId): NativeRecord | undefined {
    const r = this.data.get(dataId) as unknown;
    return r instanceof NativeRecord ? r : undefined;
  }

  override write(values: BackendValues, _shape: number[], dtype: tf.DataType): DataId {
    const dataId = {};
    this.data.set(dataId, new NativeRecord(this.addon, dtype, null, values));
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, _shape: number[], dtype: tf.DataType, refCount: number): void {
    const r = new NativeRecord(this.addon, dtype, null, values);
    r.refCount = refCount;
    this.data.set(dataId, r);
  }

  /**
   * A float32 tensor's data for a native kernel: its native data when that is plain or in a
   * layout made for this very shape (a reshaped view of blocked data reads plain values), else
   * the plain values. Null for other dtypes.
   */
  nativeInput(t: tf.TensorInfo): NativeInput | null {
    if (t.dtype !== "float32") return null;
    const r = this.record(t.dataId);
    if (r?.native && (r.native.layout === 0 || sameShape(r.native.shape, t.shape))) return { data: r.native.data, layout: r.native.layout };
    const values = this.data.get(t.dataId)?.values;
    return values instanceof Float32Array ? { data: values, layout: 0 } : null;
  }

  /**
   * A new float32 tensor from a native kernel's result: a plain array (a Node buffer anyone may
   * hold), or `{ data, layout }` in the addon's memory, which stays with the backend.
   */
  output(shape: number[], result: NativeResult | Float32Array): tf.TensorInfo {
    const dataId = {};
    const record =
      result instanceof Float32Array
        ? new NativeRecord(this.addon, "float32", null, result)
        : new NativeRecord(this.addon, "float32", { data: result.data, layout: result.layout, shape });
    this.data.set(dataId, record);
    return { dataId, shape, dtype: "float32" };
  }

  /** A max-pooling output, with the workspace its gradient needs. */
  poolOutput(shape: number[], result: PoolResult, sourceLayout: number): tf.TensorInfo {
    const info = this.output(shape, result);
    if (result.workspace) this.record(info.dataId)!.poolWorkspace = { workspace: result.workspace, sourceLayout };
    return info;
  }

  /**
   * A filter as a convolution should read it: the reordered copy kept from an earlier call,
   * else the plain values (layout 0).
   */
  filterInput(filter: tf.TensorInfo): NativeInput | null {
    const kept = this.record(filter.dataId)?.reorderedFilter;
    return kept ?? this.nativeInput(filter);
  }

  /** Keeps a filter's reordered copy with it (tensors never change, so it stays right). */
  keepReorderedFilter(filter: tf.TensorInfo, layout: number): void {
    const r = this.record(filter.dataId);
    const plain = this.nativeInput(filter);
    if (r === undefined || plain === null || plain.layout !== 0 || r.reorderedFilter !== undefined) return;
    r.reorderedFilter = { data: this.addon.reorderFilter(plain.data, layout), layout };
  }

  /** What the forward max pooling left with its output `y`, if it ran here. */
  poolWorkspace(y: tf.TensorInfo): { workspace: Uint8Array; sourceLayout: number } | undefined {
    return this.record(y.dataId)?.poolWorkspace;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const r = this.record(dataId);
    const released = super.disposeData(dataId, force);
    // Native data never leaves the backend (readers get a copy), so its memory goes now: it
    // is the addon's, and nothing else would ever free it.
    if (released && r?.native && !this.data.has(dataId)) this.addon.release(r.native.data);
    return released;
  }
}
