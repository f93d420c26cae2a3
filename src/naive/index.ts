/**
 * Naive implementations of the lecture's operations: the textbook definitions in
 * plain loops over plain arrays (convolution, padding, pooling, ReLU, output size,
 * the classical image filters). No tfjs: these are what the demos show step by step
 * and the oracle the tfjs layers are tested against.
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
  applyFilter,
  classicalFilter,
  classicalFilters,
  type ApplyFilterOptions,
  type ClassicalFilter,
  type GreyImage,
} from "./image-filters.js";
