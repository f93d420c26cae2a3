/**
 * Max pooling on one feature map [rows][cols] (or on every channel of a
 * volume), with the two TensorFlow padding modes:
 *   "valid": only whole windows; output floor((N - size)/stride) + 1
 *            (leftover rows/columns at the end are dropped, as tf.maxPool does);
 *   "same":  output ceil(N/stride); windows that run past the edge use only the
 *            values inside (TensorFlow pads with -infinity, extra padding at the
 *            end). This is how the lecture pools a 7x7 map to 4x4.
 */

import type { Matrix, Volume } from "./conv2d.js";

export type PoolMode = "valid" | "same";

export interface PoolOptions {
  /** Window side. Default 2. */
  size?: number;
  /** Step between windows. Default: the window size. */
  stride?: number;
  /** Default "valid". */
  mode?: PoolMode;
}

/** Output length and padding before the first window, for one dimension. */
export function poolGeometry(n: number, size: number, stride: number, mode: PoolMode): { out: number; padBefore: number } {
  if (mode === "same") {
    const out = Math.ceil(n / stride);
    const padTotal = Math.max((out - 1) * stride + size - n, 0);
    return { out, padBefore: Math.floor(padTotal / 2) };
  }
  if (size > n) throw new Error(`maxPool: window ${size} is larger than the map (${n}); use mode "same" or a smaller window`);
  return { out: Math.floor((n - size) / stride) + 1, padBefore: 0 };
}

export function maxPool(map: Matrix, options: PoolOptions = {}): Matrix {
  const size = options.size ?? 2;
  const stride = options.stride ?? size;
  const mode = options.mode ?? "valid";
  if (!Number.isInteger(size) || size < 1) throw new Error(`maxPool: size must be an integer >= 1, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`maxPool: stride must be an integer >= 1, got ${stride}`);
  if (mode !== "valid" && mode !== "same") throw new Error(`maxPool: mode must be "valid" or "same", got ${String(mode)}`);
  const h = map.length;
  const w = map[0]?.length ?? 0;
  if (h === 0 || w === 0 || map.some((row) => row.length !== w)) {
    throw new Error("maxPool: map must be a non-empty rectangular [rows][cols] array");
  }
  const rows = poolGeometry(h, size, stride, mode);
  const cols = poolGeometry(w, size, stride, mode);
  const out: Matrix = [];
  for (let r = 0; r < rows.out; r++) {
    const outRow: number[] = [];
    for (let c = 0; c < cols.out; c++) {
      let best = -Infinity;
      for (let i = 0; i < size; i++) {
        const y = r * stride + i - rows.padBefore;
        if (y < 0 || y >= h) continue;
        for (let j = 0; j < size; j++) {
          const x = c * stride + j - cols.padBefore;
          if (x < 0 || x >= w) continue;
          best = Math.max(best, (map[y] as number[])[x] as number);
        }
      }
      outRow.push(best);
    }
    out.push(outRow);
  }
  return out;
}

/** maxPool applied to each channel of a [C][H][W] volume. */
export function maxPoolVolume(volume: Volume, options: PoolOptions = {}): Volume {
  return volume.map((map) => maxPool(map, options));
}
