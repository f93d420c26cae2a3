/** The shapes of the lecture fixtures in test/fixtures, read with test/helpers.ts's `fixture`. */

export { fixture as loadFixture } from "../helpers.js";

export interface Cs231nDemo {
  input_unpadded_5x5x3: number[][][];
  pad: number;
  stride: number;
  filters: number[][][][];
  biases: number[];
  expected_output_3x3x2: number[][][];
}

export interface XAndO {
  image_9x9_X: number[][];
  filters_3x3: number[][][];
  expected_feature_maps_times_9: number[][][];
  expected_pooled_times_9: number[][][];
  expected_relu_of_feature_maps_times_9: number[][][];
}

export interface SmallExamples {
  binary_image_conv: { image: number[][]; filter: number[][]; stride: number; pad: number; expected: number[][] };
  max_pool_2x2_s2: { input: number[][]; expected: number[][] };
  output_size: { N: number; F: number; stride: number; pad: number; expected: number | string }[];
  efficiency_edge_detection: {
    input: [number, number];
    kernel: number[][];
    expected_output: [number, number];
    flops_conv: number;
  };
}

export type ClassicalKernelsFixture = Record<string, number[][] | { scale: string; kernel: number[][] } | string>;
