/**
 * Gradients of 2-D max and average pooling in plain JavaScript (NHWC).
 *
 * Why these exist: the 'cpu' backend's MaxPoolGrad reads element by element through a
 * TensorBuffer (0.27 s of a LeNet batch here), and the stock AvgPoolGrad of both 'cpu' and
 * 'wasm' divides by the full window size even where a 'same'-padded window hangs over the
 * border, while their forward AvgPool divides by the number of real pixels. The gradient below
 * divides by the same count as the forward pass, so it is the true gradient of tfjs's AvgPool.
 */
import type { ConvGeometry } from "./conv_js.js";

/**
 * For every output index along one axis, the first and one-past-last window taps that land
 * inside the input: [first0, end0, first1, end1, ...]. Computed once per call so the hot
 * loops only read two integers.
 */
function tapRanges(outSize: number, stride: number, pad: number, dilation: number, taps: number, size: number): Int32Array {
  const r = new Int32Array(2 * outSize);
  for (let o = 0; o < outSize; o++) {
    const corner = o * stride - pad;
    let first = 0;
    while (first < taps && corner + first * dilation < 0) first++;
    let end = taps;
    while (end > first && corner + (end - 1) * dilation >= size) end--;
    r[2 * o] = first;
    r[2 * o + 1] = end;
  }
  return r;
}

/**
 * dx for maxPool: each dy value goes to the first maximum of its window (row-major scan,
 * strict `>`), the same tie rule as tfjs's cpu kernel, which matters after ReLU where whole
 * windows are zero.
 */
export function maxPoolBackprop(dy: Float32Array, x: Float32Array, g: ConvGeometry): Float32Array {
  if (isPlain2x2(g)) return maxPool2x2Backprop(dy, x, g);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = g;
  const { dilationHeight: DH, dilationWidth: DW } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  const dx = new Float32Array(N * H * W * C);
  const rows = tapRanges(OH, SH, top, DH, FH, H);
  const cols = tapRanges(OW, SW, left, DW, FW, W);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * SH - top;
      const kh0 = rows[2 * oh];
      const kh1 = rows[2 * oh + 1];
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * SW - left;
        const kw0 = cols[2 * ow];
        const kw1 = cols[2 * ow + 1];
        const dyBase = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          for (let kh = kh0; kh < kh1; kh++) {
            const rowBase = (n * H + ih0 + kh * DH) * W + iw0;
            for (let kw = kw0; kw < kw1; kw++) {
              const at = (rowBase + kw * DW) * C + c;
              const v = x[at];
              if (v > best) {
                best = v;
                where = at;
              }
            }
          }
          if (where >= 0) dx[where] += dy[dyBase + c];
        }
      }
    }
  }
  return dx;
}

/** POOL2 as lecture networks use it: 2×2 windows, stride 2, no padding. */
function isPlain2x2(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 2 && g.filterWidth === 2 && g.strideHeight === 2 && g.strideWidth === 2 &&
    g.dilationHeight === 1 && g.dilationWidth === 1 && g.padInfo.top === 0 && g.padInfo.left === 0 &&
    2 * g.outHeight <= g.inHeight && 2 * g.outWidth <= g.inWidth
  );
}

/** maxPoolBackprop for isPlain2x2 geometries, unrolled over the four taps (~1.5x faster). */
function maxPool2x2Backprop(dy: Float32Array, x: Float32Array, g: ConvGeometry): Float32Array {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const dx = new Float32Array(N * H * W * C);
  const rowStride = W * C;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      let b00 = (n * H + 2 * oh) * rowStride;
      for (let ow = 0; ow < OW; ow++, b00 += 2 * C) {
        const b01 = b00 + C;
        const b10 = b00 + rowStride;
        const b11 = b10 + C;
        for (let c = 0; c < C; c++, o++) {
          // Same scan order and strict '>' as the general loop: first maximum wins.
          let at = b00 + c;
          let best = x[at];
          let v = x[b01 + c];
          if (v > best) { best = v; at = b01 + c; }
          v = x[b10 + c];
          if (v > best) { best = v; at = b10 + c; }
          v = x[b11 + c];
          if (v > best) { best = v; at = b11 + c; }
          dx[at] += dy[o];
        }
      }
    }
  }
  return dx;
}

/** dx for avgPool: dy spread evenly over the in-bounds pixels of each window. */
export function avgPoolBackprop(dy: Float32Array, g: ConvGeometry): Float32Array {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = g;
  const { dilationHeight: DH, dilationWidth: DW } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  const dx = new Float32Array(N * H * W * C);
  const rows = tapRanges(OH, SH, top, DH, FH, H);
  const cols = tapRanges(OW, SW, left, DW, FW, W);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * SH - top;
      const kh0 = rows[2 * oh];
      const kh1 = rows[2 * oh + 1];
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * SW - left;
        const kw0 = cols[2 * ow];
        const kw1 = cols[2 * ow + 1];
        const count = (kh1 - kh0) * (kw1 - kw0);
        if (count === 0) continue;
        const scale = 1 / count;
        const dyBase = ((n * OH + oh) * OW + ow) * C;
        for (let kh = kh0; kh < kh1; kh++) {
          const rowBase = (n * H + ih0 + kh * DH) * W + iw0;
          for (let kw = kw0; kw < kw1; kw++) {
            const base = (rowBase + kw * DW) * C;
            for (let c = 0; c < C; c++) dx[base + c] += dy[dyBase + c] * scale;
          }
        }
      }
    }
  }
  return dx;
}
