/**
 * ResizeNearestNeighborGrad for the 'cpu' and 'wasm' backends ('native' inherits the cpu fills).
 * tfjs 4.22's stock kernels are not the forward's adjoint: the cpu one is wrong when the batch
 * is larger than one (a 2x upsampling of a [2,3,3,2] input gave +4 for the second image's first
 * gradient, where the four outputs it feeds carry -4), the wasm one with halfPixelCenters.
 * This is the exact adjoint of the forward mapping (tfjs's cpu ResizeNearestNeighbor): each
 * output pixel's gradient goes to the input pixel the forward pass copied it from.
 */
import * as tf from "@tensorflow/tfjs";
import { attrsOf, input, shape4, type KernelArgs } from "./fill_types.js";
import type { FloatStore } from "./tensor_access.js";

/** The input index an output index copies from along one axis, as the forward kernel picks it. */
function sourceIndex(out: number, ratio: number, inSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const frac = halfPixelCenters ? ratio * (out + 0.5) : ratio * out;
  const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, nearest) : nearest;
}

export function resizeNearestNeighborGradKernel(store: (args: KernelArgs) => FloatStore) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { alignCorners, halfPixelCenters } = attrsOf<tf.ResizeNearestNeighborGradAttrs>(args);
    const images = input(args, "images", tf.ResizeNearestNeighborGrad);
    const dy = input(args, "dy", tf.ResizeNearestNeighborGrad);
    const [batch, inH, inW, channels] = shape4(images.shape, "ResizeNearestNeighborGrad images");
    const [, outH, outW] = shape4(dy.shape, "ResizeNearestNeighborGrad dy");
    const ratio = (inSize: number, outSize: number) =>
      (alignCorners && outSize > 1 ? inSize - 1 : inSize) / (alignCorners && outSize > 1 ? outSize - 1 : outSize);
    const rows = Array.from({ length: outH }, (_, r) => sourceIndex(r, ratio(inH, outH), inH, alignCorners, halfPixelCenters));
    const cols = Array.from({ length: outW }, (_, c) => sourceIndex(c, ratio(inW, outW), inW, alignCorners, halfPixelCenters));
    const s = store(args);
    const g = s.read(dy);
    const dx = new Float32Array(batch * inH * inW * channels);
    let o = 0;
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < outH; r++) {
        const rowBase = (b * inH + rows[r]!) * inW;
        for (let c = 0; c < outW; c++) {
          const base = (rowBase + cols[c]!) * channels;
          for (let d = 0; d < channels; d++) dx[base + d] += g[o++]!;
        }
      }
    }
    return s.write(images.shape, dx);
  };
}
