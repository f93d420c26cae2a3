/**
 * Gradients of dilated 2-D convolutions, on every backend.
 *
 * tfjs 4.22 refuses them in tfjs-core itself: both the registered Conv2D gradient and the
 * custom gradient inside `tf.fused.conv2d` (which tf.layers.conv2d uses) assert
 * "dilation rates greater than 1 are not yet supported in gradients". So any model with
 * `dilationRate > 1` (conv2d, or conv1d, which tfjs runs as conv2d) cannot be trained.
 *
 * The fix, installed once per process:
 *  1. the Conv2D gradient is re-registered; undilated convolutions still use tfjs's own
 *     gradient, dilated ones (tfjs only allows those with stride 1) are computed with forward
 *     convolutions every backend has:
 *       dx = conv2d(dy, W rotated 180° with in/out channels swapped, dilation d,
 *                   padding d·(F−1) − pad per side)
 *       dW = transpose(conv2d(xᵀ[ci,H,W,n], dyᵀ[oh,ow,n,co], stride d, same top/left padding))
 *  2. `tf.fused.conv2d` is wrapped so that dilated calls take the unfused path
 *     (conv2d + add + activation), whose gradient is (1). Undilated calls are untouched.
 *     The `fused` namespace of tfjs-core is a plain mutable object that tf.layers reads at call
 *     time (`tfc.fused.conv2d(...)`), which is what makes the wrapper effective.
 */
import * as tf from "@tensorflow/tfjs";

type Pads = [[number, number], [number, number], [number, number], [number, number]];

let installed = false;

function pair(v: number | [number, number] | undefined): [number, number] {
  if (v === undefined) return [1, 1];
  return typeof v === "number" ? [v, v] : v;
}

function isDilated(dilations: number | [number, number] | undefined): boolean {
  const [h, w] = pair(dilations);
  return h > 1 || w > 1;
}

/** ∂L/∂x of a stride-1 dilated conv2d (NHWC). */
export function dilatedConv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: [number, number, number, number],
  pad: tf.Conv2DAttrs["pad"],
  dilations: number | [number, number],
  dimRoundingMode?: "floor" | "round" | "ceil",
): tf.Tensor4D {
  const g = tf.backend_util.computeConv2DInfo(xShape, filter.shape, 1, dilations, pad, dimRoundingMode);
  const extentH = g.dilationHeight * (g.filterHeight - 1);
  const extentW = g.dilationWidth * (g.filterWidth - 1);
  // Padding of the full correlation; a negative amount (explicit padding wider than the dilated
  // filter) means those rows/columns of dy are cropped instead.
  const before = [extentH - g.padInfo.top, extentW - g.padInfo.left];
  const after = [extentH - g.padInfo.bottom, extentW - g.padInfo.right];
  const pads: Pads = [[0, 0], [Math.max(0, before[0]), Math.max(0, after[0])], [Math.max(0, before[1]), Math.max(0, after[1])], [0, 0]];
  return tf.tidy(() => {
    let grad = dy;
    if (before.some((p) => p < 0) || after.some((p) => p < 0)) {
      const begin = [0, Math.max(0, -before[0]), Math.max(0, -before[1]), 0];
      const size = [
        -1,
        dy.shape[1] - begin[1] - Math.max(0, -after[0]),
        dy.shape[2] - begin[2] - Math.max(0, -after[1]),
        -1,
      ];
      grad = tf.slice(dy, begin, size);
    }
    const swapped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(grad, swapped, 1, pads, "NHWC", [g.dilationHeight, g.dilationWidth]);
  });
}

/** ∂L/∂W of a conv2d with any stride/dilation (NHWC), via one forward conv. */
export function dilatedConv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: tf.Conv2DAttrs["pad"],
  dilations: number | [number, number],
  dimRoundingMode?: "floor" | "round" | "ceil",
): tf.Tensor4D {
  const g = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode);
  const pads: Pads = [[0, 0], [g.padInfo.top, g.padInfo.bottom], [g.padInfo.left, g.padInfo.right], [0, 0]];
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const taps = tf.conv2d(xT, dyT, [g.dilationHeight, g.dilationWidth], pads, "NHWC", [g.strideHeight, g.strideWidth]);
    const [ci, , , co] = taps.shape;
    const cropped = tf.slice(taps, [0, 0, 0, 0], [ci, g.filterHeight, g.filterWidth, co]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

type FusedConv2dArgs = Parameters<typeof tf.fused.conv2d>[0];

function applyActivation(y: tf.Tensor4D, args: FusedConv2dArgs): tf.Tensor4D {
  switch (args.activation ?? "linear") {
    case "linear":
      return y;
    case "relu":
      return tf.relu(y);
    case "relu6":
      return tf.relu6(y);
    case "elu":
      return tf.elu(y);
    case "sigmoid":
      return tf.sigmoid(y);
    case "leakyrelu":
      return tf.leakyRelu(y, args.leakyreluAlpha ?? 0.2);
    case "prelu":
      if (args.preluActivationWeights === undefined) throw new Error("fused conv2d: 'prelu' needs preluActivationWeights");
      return tf.prelu(y, args.preluActivationWeights) as tf.Tensor4D;
    default:
      throw new Error(`fused conv2d: unknown activation '${String(args.activation)}'`);
  }
}

/** Installs the dilated-gradient support (idempotent; process-wide, all backends). */
export function installDilatedConvGradients(): void {
  if (installed) return;
  const stock = tf.getGradient(tf.Conv2D);
  if (stock === undefined) throw new Error("tfjs has no Conv2D gradient registered; cannot extend it");
  tf.registerGradient({
    kernelName: tf.Conv2D,
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as tf.Conv2DAttrs;
      if (!isDilated(a.dilations)) return stock.gradFunc(dy, saved, attrs);
      if (a.dataFormat === "NCHW") {
        throw new Error("Gradient of dilated conv2d: only NHWC (channels-last) data is supported");
      }
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dy4 = dy as tf.Tensor4D;
      return {
        x: () => dilatedConv2dInputGradient(dy4, filter, x.shape, a.pad, a.dilations, a.dimRoundingMode),
        filter: () => dilatedConv2dFilterGradient(x, dy4, filter.shape, a.strides, a.pad, a.dilations, a.dimRoundingMode),
      };
    },
  });

  const fusedOps = tf.fused as unknown as { conv2d: typeof tf.fused.conv2d };
  const stockFused = fusedOps.conv2d;
  const dilationAware: typeof tf.fused.conv2d = <T extends tf.Tensor3D | tf.Tensor4D>(args: FusedConv2dArgs): T => {
    if (!isDilated(args.dilations)) return stockFused<T>(args as Parameters<typeof stockFused<T>>[0]);
    return tf.tidy(() => {
      let y = tf.conv2d(args.x as tf.Tensor4D, args.filter as tf.Tensor4D, args.strides, args.pad,
        args.dataFormat ?? "NHWC", args.dilations, args.dimRoundingMode);
      if (args.bias != null) y = tf.add(y, args.bias) as tf.Tensor4D;
      return applyActivation(y, args) as unknown as T;
    });
  };
  fusedOps.conv2d = dilationAware;
  installed = true;
}
