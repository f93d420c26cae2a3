/** tfjs's convolution and pooling geometry in the flat form the addon reads (addon.ts). */
import * as tf from "@tensorflow/tfjs";
import type { ConvGeometry, PoolGeometry } from "../addon.js";

export function convGeometry(c: tf.backend_util.Conv2DInfo): ConvGeometry {
  const p = c.padInfo;
  return [c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outChannels,
    c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth, p.top, p.left, p.bottom, p.right];
}

export function poolGeometry(c: tf.backend_util.Conv2DInfo): PoolGeometry {
  const p = c.padInfo;
  return [c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outHeight, c.outWidth,
    c.strideHeight, c.strideWidth, p.top, p.left, p.bottom, p.right];
}

/** Padding oneDNN cannot express: a window that starts or ends wholly inside the padding. */
export function paddingFits(c: tf.backend_util.Conv2DInfo): boolean {
  const p = c.padInfo;
  return p.top >= 0 && p.left >= 0 && p.bottom >= 0 && p.right >= 0;
}
