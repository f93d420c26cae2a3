/**
 * The classical image filters ("image kernels") of the lecture's table (as on
 * Wikipedia's "Kernel (image processing)"), and applying one to a greyscale
 * picture with an output of the same size.
 */

import type { Matrix } from "./conv2d.js";

export interface ClassicalFilter {
  /** Identifier, as in the lecture fixture: "identity", "edge_detection_1", ... */
  name: string;
  title: string;
  description: string;
  /** The integers as printed in the table, before scaling. */
  integers: Matrix;
  /** The factor printed next to the table entry (1/9, 1/16, ...); 1 when none. */
  scale: number;
  scaleText: string | null;
  /** integers * scale: the weights actually applied. */
  matrix: Matrix;
}

function filter(
  name: string,
  title: string,
  description: string,
  integers: Matrix,
  scaleText: string | null = null,
): ClassicalFilter {
  let scale = 1;
  if (scaleText !== null) {
    const [num, den] = scaleText.split("/").map(Number) as [number, number];
    scale = num / den;
  }
  return { name, title, description, integers, scale, scaleText, matrix: integers.map((row) => row.map((v) => v * scale)) };
}

const gaussian5 = [
  [1, 4, 6, 4, 1],
  [4, 16, 24, 16, 4],
  [6, 24, 36, 24, 6],
  [4, 16, 24, 16, 4],
  [1, 4, 6, 4, 1],
];

export const classicalFilters: readonly ClassicalFilter[] = [
  filter("identity", "Identity", "A single 1 in the centre: every pixel stays as it is.", [
    [0, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ]),
  filter("edge_detection_1", "Edge detection (diagonal)", "Differences between diagonal neighbours: responds to edges running along the diagonals, zero on flat areas.", [
    [1, 0, -1],
    [0, 0, 0],
    [-1, 0, 1],
  ]),
  filter("edge_detection_2", "Edge detection (Laplacian, 4 neighbours)", "Four times the pixel subtracted from its 4 neighbours: edges in every direction light up, flat areas become zero.", [
    [0, 1, 0],
    [1, -4, 1],
    [0, 1, 0],
  ]),
  filter("edge_detection_3", "Edge detection (Laplacian, 8 neighbours)", "Eight times the pixel minus its 8 neighbours: a stronger all-direction edge detector, zero on flat areas.", [
    [-1, -1, -1],
    [-1, 8, -1],
    [-1, -1, -1],
  ]),
  filter("sharpen", "Sharpen", "The pixel plus its difference from the 4 neighbours: edges get more contrast, flat areas stay the same.", [
    [0, -1, 0],
    [-1, 5, -1],
    [0, -1, 0],
  ]),
  filter("box_blur", "Box blur", "The plain average of the 3x3 neighbourhood: smooths noise and detail.", [
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
  ], "1/9"),
  filter("gaussian_blur_3x3", "Gaussian blur 3x3", "A weighted average where the centre counts most (an approximation of a Gaussian): a softer blur than the box.", [
    [1, 2, 1],
    [2, 4, 2],
    [1, 2, 1],
  ], "1/16"),
  filter("gaussian_blur_5x5", "Gaussian blur 5x5", "The 5x5 binomial approximation of a Gaussian: a wider, smooth blur.", gaussian5, "1/256"),
  filter(
    "unsharp_masking_5x5",
    "Unsharp masking 5x5",
    "The image plus (image minus its 5x5 Gaussian blur): sharpens by boosting what the blur removes.",
    gaussian5.map((row, i) => row.map((v, j) => (i === 2 && j === 2 ? -476 : v))),
    "-1/256",
  ),
];

/** A filter from the table by name; the error lists the names. */
export function classicalFilter(name: string): ClassicalFilter {
  const found = classicalFilters.find((k) => k.name === name);
  if (!found) {
    throw new Error(`classicalFilter: unknown filter "${name}"; known: ${classicalFilters.map((k) => k.name).join(", ")}`);
  }
  return found;
}

/** A greyscale picture: height*width values, row-major (an image.Image with 1 channel fits). */
export interface GreyImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
  channels?: number;
}

export interface ApplyFilterOptions {
  /**
   * What lies beyond the border. "extend" (default): the nearest edge pixel
   * is repeated, so flat areas stay flat up to the edge and edge detectors
   * do not light up the picture's frame. "zero": black outside, as with the
   * zero padding of a CNN layer.
   */
  border?: "extend" | "zero";
}

/**
 * Applies a filter (odd-sized, centred on each pixel) to a greyscale picture
 * and returns a picture of the same size. Like a CNN layer this lays the
 * filter on the image unflipped (cross-correlation); every filter of the
 * classical table is symmetric under a half-turn, so for them this equals
 * true convolution. Values are not clipped: edge detectors give negative
 * values, which a renderer may show with a diverging colour scale.
 */
export function applyFilter(image: GreyImage, filterOrMatrix: ClassicalFilter | Matrix, options: ApplyFilterOptions = {}): GreyImage & { channels: 1; data: Float32Array } {
  const matrix = Array.isArray(filterOrMatrix) ? filterOrMatrix : filterOrMatrix.matrix;
  const border = options.border ?? "extend";
  if (image.channels !== undefined && image.channels !== 1) {
    throw new Error(`applyFilter: the picture has ${image.channels} channels; convert it to greyscale first (e.g. loadSamplePhoto({ greyscale: true }))`);
  }
  const { width, height } = image;
  if (image.data.length !== width * height) {
    throw new Error(`applyFilter: ${width}x${height} picture needs ${width * height} values, got ${image.data.length}`);
  }
  const kh = matrix.length;
  const kw = matrix[0]?.length ?? 0;
  if (kh % 2 === 0 || kw % 2 === 0 || matrix.some((row) => row.length !== kw)) {
    throw new Error(`applyFilter: the filter must be a rectangle with odd sides so it has a centre, got ${kh}x${kw}`);
  }
  const ry = (kh - 1) / 2;
  const rx = (kw - 1) / 2;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let i = 0; i < kh; i++) {
        let sy = y + i - ry;
        if (sy < 0 || sy >= height) {
          if (border === "zero") continue;
          sy = Math.min(Math.max(sy, 0), height - 1);
        }
        const row = matrix[i] as number[];
        for (let j = 0; j < kw; j++) {
          let sx = x + j - rx;
          if (sx < 0 || sx >= width) {
            if (border === "zero") continue;
            sx = Math.min(Math.max(sx, 0), width - 1);
          }
          sum += (image.data[sy * width + sx] as number) * (row[j] as number);
        }
      }
      out[y * width + x] = sum;
    }
  }
  return { width, height, channels: 1, data: out };
}
