/**
 * Plain-array reference implementations of the lecture's operations
 * (convolution, padding, pooling, ReLU, output size, classical kernels).
 * No tfjs: these are what the demos show step by step and what the tfjs
 * layers are checked against.
 */

export {
  conv2d,
  formatStep,
  padInput,
  volumeShape,
  type ConvOptions,
  type ConvStep,
  type ConvTerm,
  type ConvTrace,
  type Matrix,
  type OperationCount,
  type Volume,
} from "./conv2d.js";
export { maxPool, maxPoolVolume, poolGeometry, type PoolMode, type PoolOptions } from "./pooling.js";
export { relu } from "./activations.js";
export { outputSize, outputSizeFormula, requireOutputSize, type OutputSize } from "./output-size.js";
export {
  applyKernel,
  classicalKernel,
  classicalKernels,
  type ApplyKernelOptions,
  type ClassicalKernel,
  type GreyImage,
} from "./kernels.js";
