/**
 * The one place ConvNote gets TensorFlow.js from.
 *
 * Every other module writes `import { tf } from "../backend/tf.js"` (or imports named
 * symbols from here) instead of importing `@tensorflow/tfjs` directly, so that the whole
 * program sees the backend that `initBackend()` chose and the kernel fills it installed.
 *
 * Why a plain re-export is enough for every backend: tfjs keeps its engine, kernel registry
 * and gradient registry in one process-wide global (`globalThis._tfengine`,
 * `getGlobal('kernelRegistry')` in tfjs-core), and `@tensorflow/tfjs-node(-gpu)` itself does
 * `export * from '@tensorflow/tfjs'` and registers its backend ('tensorflow') into that same
 * engine. Whichever backend `initBackend()` activates, the namespace below drives it.
 *
 * Call `await initBackend()` (src/backend/select.ts) once before building models; until
 * then tfjs runs on its default pure-JS 'cpu' backend without ConvNote's kernel fills.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export * from "@tensorflow/tfjs";
