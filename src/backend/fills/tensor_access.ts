/**
 * Reading and writing float32 tensor data from inside a kernel, for the two backends whose
 * memory ConvNote's JS kernels work on directly: the 'cpu' backend keeps a TypedArray per
 * tensor, the 'wasm' backend keeps tensors in the WebAssembly heap.
 *
 * The wasm heap can grow (and detach earlier views) whenever the backend allocates, so the
 * contract is: read every input first, compute into a fresh JS array, then `write` it; never
 * hold a view across an allocation.
 */
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "@tensorflow/tfjs";

export interface FloatStore {
  /** A Float32Array holding t's values (a view; valid until the next allocation). */
  read(t: TensorInfo): Float32Array;
  /** Hands `values` to the backend as a new float32 tensor of `shape`. */
  write(shape: number[], values: Float32Array): TensorInfo;
}

function asFloat32(values: unknown, where: string): Float32Array {
  if (values instanceof Float32Array) return values;
  if (values instanceof Int32Array || values instanceof Uint8Array) return Float32Array.from(values);
  throw new Error(`${where}: expected numeric tensor data, got ${Object.prototype.toString.call(values)}`);
}

export function cpuStore(backend: MathBackendCPU): FloatStore {
  return {
    read(t) {
      const entry = backend.data.get(t.dataId);
      if (entry === undefined || entry.values === undefined) {
        throw new Error("ConvNote cpu kernel fill: tensor data not found on the 'cpu' backend");
      }
      return asFloat32(entry.values, "ConvNote cpu kernel fill");
    },
    write(shape, values) {
      return backend.makeTensorInfo(shape, "float32", values);
    },
  };
}

export function wasmStore(backend: BackendWasm): FloatStore {
  return {
    read(t) {
      return asFloat32(backend.typedArrayFromHeap(t), "ConvNote wasm kernel fill");
    },
    write(shape, values) {
      const out = backend.makeOutput(shape, "float32");
      backend.typedArrayFromHeap(out).set(values);
      return out;
    },
  };
}
