/** Reads the lecture fixtures in test/fixtures (tests run from dist/test/reference). */

import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURE_DIR = join(__dirname, "..", "..", "..", "test", "fixtures");

export function loadFixture<T>(file: string): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, file), "utf8")) as T;
}

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
