/**
 * Convolution and its two gradients in plain JavaScript on Float32Arrays (NHWC data, HWIO
 * filters), written as im2col + the register-blocked product in gemm.ts.
 *
 * Used by the kernel fills for the pure-JS 'cpu' backend, whose stock Conv2DBackpropFilter
 * walks a TensorBuffer element by element (about 7.6 s of an 8.1 s LeNet batch of 64 here).
 * All functions are pure: inputs in, a fresh output array back; geometry comes from tfjs's
 * `backend_util.computeConv2DInfo`, so 'same' / 'valid' / explicit padding, strides and
 * dilations are all just numbers by the time they arrive here.
 */
import { gemmABt, transposeInto } from "./gemm.js";

/** The parts of tfjs's Conv2DInfo these kernels read (Conv2DInfo satisfies it). */
export interface ConvGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padInfo: { top: number; left: number };
}

/**
 * Output pixels handled per block. Bounded so that the im2col block and the few rows the
 * product streams stay in the per-core L2 cache instead of spilling to memory.
 */
const PIXELS_PER_BLOCK = 1024;

function patchLength(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/**
 * im2col for the output pixels [p0, p1) of the flattened (n, oh, ow) space: row r of `out`
 * holds the receptive field of pixel p0 + r in (kh, kw, ci) order, zeros where it falls in
 * the padding. That order equals the row order of an HWIO filter seen as a K×outC matrix.
 */
export function im2colRows(x: Float32Array, g: ConvGeometry, p0: number, p1: number, out: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = g;
  const { dilationHeight: DH, dilationWidth: DW } = g;
  const padTop = g.padInfo.top;
  const padLeft = g.padInfo.left;
  const K = FH * FW * C;
  let o = 0;
  for (let p = p0; p < p1; p++) {
    const ow = p % OW;
    const t = (p - ow) / OW;
    const oh = t % OH;
    const n = (t - oh) / OH;
    const ihBase = oh * SH - padTop;
    const iwBase = ow * SW - padLeft;
    const imageBase = n * H;
    for (let kh = 0; kh < FH; kh++) {
      const ih = ihBase + kh * DH;
      if (ih < 0 || ih >= H) {
        out.fill(0, o, o + FW * C);
        o += FW * C;
        continue;
      }
      const rowBase = (imageBase + ih) * W;
      for (let kw = 0; kw < FW; kw++) {
        const iw = iwBase + kw * DW;
        if (iw < 0 || iw >= W) {
          for (let c = 0; c < C; c++) out[o + c] = 0;
        } else {
          const s = (rowBase + iw) * C;
          for (let c = 0; c < C; c++) out[o + c] = x[s + c];
        }
        o += C;
      }
    }
  }
  if (o !== (p1 - p0) * K) throw new Error("im2colRows: internal size mismatch");
}

/** Inverse of im2colRows: adds each patch row back into the input-shaped `dx`. */
function col2imRowsAdd(cols: Float32Array, g: ConvGeometry, p0: number, p1: number, dx: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = g;
  const { dilationHeight: DH, dilationWidth: DW } = g;
  const padTop = g.padInfo.top;
  const padLeft = g.padInfo.left;
  let o = 0;
  for (let p = p0; p < p1; p++) {
    const ow = p % OW;
    const t = (p - ow) / OW;
    const oh = t % OH;
    const n = (t - oh) / OH;
    const ihBase = oh * SH - padTop;
    const iwBase = ow * SW - padLeft;
    for (let kh = 0; kh < FH; kh++) {
      const ih = ihBase + kh * DH;
      if (ih < 0 || ih >= H) {
        o += FW * C;
        continue;
      }
      const rowBase = (n * H + ih) * W;
      for (let kw = 0; kw < FW; kw++) {
        const iw = iwBase + kw * DW;
        if (iw >= 0 && iw < W) {
          const d = (rowBase + iw) * C;
          for (let c = 0; c < C; c++) dx[d + c] += cols[o + c];
        }
        o += C;
      }
    }
  }
}

function isPointwise(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 &&
    g.padInfo.top === 0 && g.padInfo.left === 0 && g.outHeight === g.inHeight && g.outWidth === g.inWidth
  );
}

/** y = conv2d(x, filter): x [N,H,W,Ci], filter [FH,FW,Ci,Co] -> y [N,OH,OW,Co]. */
export function conv2dForward(x: Float32Array, filter: Float32Array, g: ConvGeometry): Float32Array {
  const K = patchLength(g);
  const Co = g.outChannels;
  const pixels = g.batchSize * g.outHeight * g.outWidth;
  const y = new Float32Array(pixels * Co);
  // The product wants the filter as Co rows of length K.
  const filterT = new Float32Array(K * Co);
  transposeInto(filter, 0, K, Co, filterT, 0);
  const b = { data: filterT, offset: 0, stride: K };
  if (isPointwise(g)) {
    gemmABt(pixels, Co, K, { data: x, offset: 0, stride: K }, b, { data: y, offset: 0, stride: Co }, false);
    return y;
  }
  const cols = new Float32Array(Math.min(PIXELS_PER_BLOCK, pixels) * K);
  for (let p0 = 0; p0 < pixels; p0 += PIXELS_PER_BLOCK) {
    const p1 = Math.min(p0 + PIXELS_PER_BLOCK, pixels);
    im2colRows(x, g, p0, p1, cols);
    gemmABt(p1 - p0, Co, K, { data: cols, offset: 0, stride: K }, b, { data: y, offset: p0 * Co, stride: Co }, false);
  }
  return y;
}

/** dx = ∂L/∂x of conv2d given dy [N,OH,OW,Co] and filter [FH,FW,Ci,Co] -> [N,H,W,Ci]. */
export function conv2dBackpropInput(dy: Float32Array, filter: Float32Array, g: ConvGeometry): Float32Array {
  const K = patchLength(g);
  const Co = g.outChannels;
  const pixels = g.batchSize * g.outHeight * g.outWidth;
  const dx = new Float32Array(g.batchSize * g.inHeight * g.inWidth * g.inChannels);
  // dcols[p][k] = Σ_co dy[p][co] · filter[k][co]: the filter already is K rows of length Co.
  const b = { data: filter, offset: 0, stride: Co };
  if (isPointwise(g)) {
    gemmABt(pixels, K, Co, { data: dy, offset: 0, stride: Co }, b, { data: dx, offset: 0, stride: K }, false);
    return dx;
  }
  const cols = new Float32Array(Math.min(PIXELS_PER_BLOCK, pixels) * K);
  for (let p0 = 0; p0 < pixels; p0 += PIXELS_PER_BLOCK) {
    const p1 = Math.min(p0 + PIXELS_PER_BLOCK, pixels);
    gemmABt(p1 - p0, K, Co, { data: dy, offset: p0 * Co, stride: Co }, b, { data: cols, offset: 0, stride: K }, false);
    col2imRowsAdd(cols, g, p0, p1, dx);
  }
  return dx;
}

/** dW = ∂L/∂filter of conv2d given x [N,H,W,Ci] and dy [N,OH,OW,Co] -> [FH,FW,Ci,Co]. */
export function conv2dBackpropFilter(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const K = patchLength(g);
  const Co = g.outChannels;
  const pixels = g.batchSize * g.outHeight * g.outWidth;
  // dWᵀ[co][k] = Σ_p dy[p][co] · cols[p][k]; both factors are transposed per block so the
  // long pixel axis becomes the contiguous reduction axis of the product.
  const dwT = new Float32Array(Co * K);
  const block = Math.min(PIXELS_PER_BLOCK, pixels);
  const cols = new Float32Array(block * K);
  const colsT = new Float32Array(block * K);
  const dyT = new Float32Array(block * Co);
  const pointwise = isPointwise(g);
  for (let p0 = 0; p0 < pixels; p0 += PIXELS_PER_BLOCK) {
    const p1 = Math.min(p0 + PIXELS_PER_BLOCK, pixels);
    const rows = p1 - p0;
    if (pointwise) transposeInto(x, p0 * K, rows, K, colsT, 0);
    else {
      im2colRows(x, g, p0, p1, cols);
      transposeInto(cols, 0, rows, K, colsT, 0);
    }
    transposeInto(dy, p0 * Co, rows, Co, dyT, 0);
    gemmABt(
      Co, K, rows,
      { data: dyT, offset: 0, stride: rows },
      { data: colsT, offset: 0, stride: rows },
      { data: dwT, offset: 0, stride: K },
      p0 > 0,
    );
  }
  const dw = new Float32Array(K * Co);
  transposeInto(dwT, 0, Co, K, dw, 0);
  return dw;
}

/**
 * Depthwise conv filter gradient: x [N,H,W,Ci], dy [N,OH,OW,Ci·M] -> dW [FH,FW,Ci,M] with
 * dW[kh,kw,ci,m] = Σ_{n,oh,ow} x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] · dy[n,oh,ow,ci·M+m].
 */
export function depthwiseBackpropFilter(x: Float32Array, dy: Float32Array, g: ConvGeometry, multiplier: number): Float32Array {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = g;
  const { dilationHeight: DH, dilationWidth: DW } = g;
  const M = multiplier;
  const CM = C * M;
  const dw = new Float32Array(FH * FW * CM);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * CM;
        for (let kh = 0; kh < FH; kh++) {
          const ih = oh * SH + kh * DH - g.padInfo.top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < FW; kw++) {
            const iw = ow * SW + kw * DW - g.padInfo.left;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * FW + kw) * CM;
            for (let c = 0; c < C; c++) {
              const xv = x[xBase + c];
              for (let m = 0; m < M; m++) dw[wBase + c * M + m] += xv * dy[dyBase + c * M + m];
            }
          }
        }
      }
    }
  }
  return dw;
}

/** Depthwise conv input gradient: dy [N,OH,OW,Ci·M], filter [FH,FW,Ci,M] -> dx [N,H,W,Ci]. */
export function depthwiseBackpropInput(dy: Float32Array, filter: Float32Array, g: ConvGeometry, multiplier: number): Float32Array {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = g;
  const { dilationHeight: DH, dilationWidth: DW } = g;
  const M = multiplier;
  const CM = C * M;
  const dx = new Float32Array(N * H * W * C);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * CM;
        for (let kh = 0; kh < FH; kh++) {
          const ih = oh * SH + kh * DH - g.padInfo.top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < FW; kw++) {
            const iw = ow * SW + kw * DW - g.padInfo.left;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * FW + kw) * CM;
            for (let c = 0; c < C; c++) {
              let s = 0;
              for (let m = 0; m < M; m++) s += dy[dyBase + c * M + m] * filter[wBase + c * M + m];
              dx[xBase + c] += s;
            }
          }
        }
      }
    }
  }
  return dx;
}
