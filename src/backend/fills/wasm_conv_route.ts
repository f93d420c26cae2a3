/**
 * Convolution gradients on the 'wasm' backend expressed as forward convolutions, so that they
 * run in XNNPACK's SIMD convolution instead of scalar loops.
 *
 * Filter gradient. For y = conv2d(x, W) with stride s, dilation d and padding (top, left):
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh·d − top, ow·s + kw·d − left, ci] · dy[n,oh,ow,co]
 * Read with ci as the batch, n as the input channel, (oh,ow) as the filter taps and (kh,kw) as
 * the output position, that is a convolution of xᵀ = x transposed to [ci,H,W,n] with the
 * filter dyᵀ = dy transposed to [oh,ow,n,co], stride d and dilation s (the roles swap), same
 * top/left padding. Its output [ci,·,·,co] is cropped to [ci,FH,FW,co] (a strided 'valid'
 * conv may leave unused rows) and transposed to the HWIO filter layout.
 *
 * Input gradient (stride 1 only). dx is the full correlation of dy with the filter rotated by
 * 180° and with in/out channels swapped, dilation d, padding d·(F−1) − pad on each side.
 * Strided input gradients stay on the stock wasm kernel (see wasm_fills.ts for timings).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { ConvGeometry } from "./conv_js.js";

type Pads = [[number, number], [number, number], [number, number], [number, number]];

/** Runs another registered wasm kernel from inside a kernel (no engine bookkeeping). */
export function runWasm(
  backend: BackendWasm,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, "wasm");
  if (kernel === undefined) {
    throw new Error(`ConvNote wasm kernel fill needs the wasm kernel '${kernelName}', which is not registered`);
  }
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) throw new Error(`ConvNote wasm kernel fill: '${kernelName}' returned several outputs`);
  return out;
}

/** Geometry plus the bottom/right padding, which ConvGeometry leaves out. */
export interface RouteGeometry extends ConvGeometry {
  padInfo: { top: number; left: number; bottom: number; right: number };
}

export function wasmConv2dFilterGradient(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: RouteGeometry,
): tf.TensorInfo {
  const { inChannels: Ci, outChannels: Co, filterHeight: FH, filterWidth: FW } = g;
  const temporaries: tf.TensorInfo[] = [];
  try {
    const xT = runWasm(backend, "Transpose", { x }, { perm: [3, 1, 2, 0] });
    temporaries.push(xT);
    const dyT = runWasm(backend, "Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
    temporaries.push(dyT);
    const pad: Pads = [[0, 0], [g.padInfo.top, g.padInfo.bottom], [g.padInfo.left, g.padInfo.right], [0, 0]];
    let grad = runWasm(backend, "Conv2D", { x: xT, filter: dyT }, {
      strides: [g.dilationHeight, g.dilationWidth],
      dilations: [g.strideHeight, g.strideWidth],
      pad,
      dataFormat: "NHWC",
    });
    temporaries.push(grad);
    if (grad.shape[1] !== FH || grad.shape[2] !== FW) {
      if (grad.shape[1] < FH || grad.shape[2] < FW) {
        throw new Error(
          `ConvNote wasm Conv2DBackpropFilter: internal conv gave taps ${grad.shape[1]}x${grad.shape[2]} ` +
            `for a ${FH}x${FW} filter`,
        );
      }
      grad = runWasm(backend, "Slice", { x: grad }, { begin: [0, 0, 0, 0], size: [Ci, FH, FW, Co] });
      temporaries.push(grad);
    }
    return runWasm(backend, "Transpose", { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** True when the stride-1 input-gradient route below applies to this geometry. */
export function inputGradientRouteApplies(g: RouteGeometry): boolean {
  const extentH = g.dilationHeight * (g.filterHeight - 1);
  const extentW = g.dilationWidth * (g.filterWidth - 1);
  return (
    g.strideHeight === 1 && g.strideWidth === 1 &&
    g.padInfo.top <= extentH && g.padInfo.bottom <= extentH &&
    g.padInfo.left <= extentW && g.padInfo.right <= extentW
  );
}

export function wasmConv2dInputGradientStride1(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: RouteGeometry,
): tf.TensorInfo {
  const extentH = g.dilationHeight * (g.filterHeight - 1);
  const extentW = g.dilationWidth * (g.filterWidth - 1);
  const temporaries: tf.TensorInfo[] = [];
  try {
    const flipped = runWasm(backend, "Reverse", { x: filter }, { dims: [0, 1] });
    temporaries.push(flipped);
    const swapped = runWasm(backend, "Transpose", { x: flipped }, { perm: [0, 1, 3, 2] });
    temporaries.push(swapped);
    const pad: Pads = [
      [0, 0],
      [extentH - g.padInfo.top, extentH - g.padInfo.bottom],
      [extentW - g.padInfo.left, extentW - g.padInfo.right],
      [0, 0],
    ];
    const dx = runWasm(backend, "Conv2D", { x: dy, filter: swapped }, {
      strides: [1, 1],
      dilations: [g.dilationHeight, g.dilationWidth],
      pad,
      dataFormat: "NHWC",
    });
    if (dx.shape[1] !== g.inHeight || dx.shape[2] !== g.inWidth) {
      backend.disposeData(dx.dataId);
      throw new Error(
        `ConvNote wasm Conv2DBackpropInput: internal conv gave ${dx.shape[1]}x${dx.shape[2]}, ` +
          `expected ${g.inHeight}x${g.inWidth}`,
      );
    }
    return dx;
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}
