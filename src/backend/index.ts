/**
 * ConvNote's TensorFlow.js backend layer: which backend runs the ops, and the kernels ConvNote
 * adds so that every backend can train CNNs. Import tfjs itself from "./tf.js".
 */
export {
  activateBackend,
  BACKEND_CHOICES,
  describeBackend,
  initBackend,
  parseBackendChoice,
  type BackendChoice,
  type BackendKind,
  type BackendName,
  type BackendOptions,
  type BackendReport,
  type CandidateReason,
} from "./select.js";
export { installKernelFills, kernelFillsInstalled, removeKernelFills, type InstalledFill } from "./fills/index.js";
export type { WasmStart } from "./wasm.js";
export { tf } from "./tf.js";
