/** ReLU, max(0, x): negative values become zero (on a number, a map or a volume). */

import type { Matrix, Volume } from "./conv2d.js";

const reluValue = (v: number): number => (v > 0 ? v : 0);
const reluMatrix = (m: Matrix): Matrix => m.map((row) => row.map(reluValue));

export function relu(x: number): number;
export function relu(x: Matrix): Matrix;
export function relu(x: Volume): Volume;
export function relu(x: number | Matrix | Volume): number | Matrix | Volume {
  if (typeof x === "number") return reluValue(x);
  const isVolume = Array.isArray(x[0]?.[0]);
  return isVolume ? (x as Volume).map(reluMatrix) : reluMatrix(x as Matrix);
}
