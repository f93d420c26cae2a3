/**
 * Textbook reference implementations (float64, straight from the definitions) that the
 * kernel-fill tests compare against. Deliberately independent of src/backend: padding is
 * computed here from TensorFlow's rules, every sum is an explicit loop over output positions.
 */

export type Padding = "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  fh: number;
  fw: number;
  stride: [number, number];
  dilation: [number, number];
  pad: Padding;
}

export interface Geometry {
  oh: number;
  ow: number;
  top: number;
  left: number;
}

/** TensorFlow's output size and leading padding for one spatial axis. */
function axis(size: number, filter: number, stride: number, dilation: number, pad: Padding, index: 1 | 2): { out: number; before: number } {
  const eff = (filter - 1) * dilation + 1;
  if (pad === "valid") return { out: Math.ceil((size - eff + 1) / stride), before: 0 };
  if (pad === "same") {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + eff - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const [before, after] = pad[index];
  return { out: Math.floor((size + before + after - eff) / stride) + 1, before };
}

export function geometry(c: Pick<ConvCase, "h" | "w" | "fh" | "fw" | "stride" | "dilation" | "pad">): Geometry {
  const a = axis(c.h, c.fh, c.stride[0], c.dilation[0], c.pad, 1);
  const b = axis(c.w, c.fw, c.stride[1], c.dilation[1], c.pad, 2);
  return { oh: a.out, ow: b.out, top: a.before, left: b.before };
}

/** Calls f(n, oh, ow, kh, kw, ih, iw) for every in-bounds tap of every output position. */
function forEachTap(
  c: Pick<ConvCase, "n" | "h" | "w" | "fh" | "fw" | "stride" | "dilation">,
  g: Geometry,
  f: (n: number, oh: number, ow: number, kh: number, kw: number, ih: number, iw: number) => void,
): void {
  for (let n = 0; n < c.n; n++)
    for (let oh = 0; oh < g.oh; oh++)
      for (let ow = 0; ow < g.ow; ow++)
        for (let kh = 0; kh < c.fh; kh++)
          for (let kw = 0; kw < c.fw; kw++) {
            const ih = oh * c.stride[0] + kh * c.dilation[0] - g.top;
            const iw = ow * c.stride[1] + kw * c.dilation[1] - g.left;
            if (ih >= 0 && ih < c.h && iw >= 0 && iw < c.w) f(n, oh, ow, kh, kw, ih, iw);
          }
}

/**
 * y = conv2d(x, w) and, for the loss L = Σ y·r, the gradients dL/dx and dL/dw (dy = r).
 * x: [n,h,w,ci], w: [fh,fw,ci,co], r: [n,oh,ow,co].
 */
export function convReference(c: ConvCase, x: ArrayLike<number>, w: ArrayLike<number>, r: ArrayLike<number>) {
  const g = geometry(c);
  const y = new Float64Array(c.n * g.oh * g.ow * c.co);
  const dx = new Float64Array(c.n * c.h * c.w * c.ci);
  const dw = new Float64Array(c.fh * c.fw * c.ci * c.co);
  forEachTap(c, g, (n, oh, ow, kh, kw, ih, iw) => {
    for (let i = 0; i < c.ci; i++) {
      const xi = ((n * c.h + ih) * c.w + iw) * c.ci + i;
      for (let o = 0; o < c.co; o++) {
        const yi = ((n * g.oh + oh) * g.ow + ow) * c.co + o;
        const wi = ((kh * c.fw + kw) * c.ci + i) * c.co + o;
        y[yi] += x[xi] * w[wi];
        dx[xi] += r[yi] * w[wi];
        dw[wi] += r[yi] * x[xi];
      }
    }
  });
  return { y, dx, dw, geometry: g };
}

/** Depthwise conv with channel multiplier m: w [fh,fw,ci,m], y [n,oh,ow,ci·m]. */
export function depthwiseReference(c: ConvCase & { m: number }, x: ArrayLike<number>, w: ArrayLike<number>, r: ArrayLike<number>) {
  const g = geometry(c);
  const cm = c.ci * c.m;
  const y = new Float64Array(c.n * g.oh * g.ow * cm);
  const dx = new Float64Array(c.n * c.h * c.w * c.ci);
  const dw = new Float64Array(c.fh * c.fw * cm);
  forEachTap(c, g, (n, oh, ow, kh, kw, ih, iw) => {
    for (let i = 0; i < c.ci; i++) {
      const xi = ((n * c.h + ih) * c.w + iw) * c.ci + i;
      for (let q = 0; q < c.m; q++) {
        const yi = ((n * g.oh + oh) * g.ow + ow) * cm + i * c.m + q;
        const wi = (kh * c.fw + kw) * cm + i * c.m + q;
        y[yi] += x[xi] * w[wi];
        dx[xi] += r[yi] * w[wi];
        dw[wi] += r[yi] * x[xi];
      }
    }
  });
  return { y, dx, dw, geometry: g };
}

/**
 * Max and average pooling with their gradients for L = Σ y·r. Max: the first maximum of a
 * window (row-major) gets the gradient. Average: divides by the in-bounds pixels, which is what
 * tfjs's forward AvgPool computes for 'same' padding.
 */
export function poolReference(
  kind: "max" | "avg",
  c: Omit<ConvCase, "co" | "dilation">,
  x: ArrayLike<number>,
  r: ArrayLike<number>,
) {
  const full = { ...c, co: c.ci, dilation: [1, 1] as [number, number] };
  const g = geometry(full);
  const y = new Float64Array(c.n * g.oh * g.ow * c.ci);
  const dx = new Float64Array(c.n * c.h * c.w * c.ci);
  for (let n = 0; n < c.n; n++)
    for (let oh = 0; oh < g.oh; oh++)
      for (let ow = 0; ow < g.ow; ow++)
        for (let i = 0; i < c.ci; i++) {
          const taps: number[] = [];
          for (let kh = 0; kh < c.fh; kh++)
            for (let kw = 0; kw < c.fw; kw++) {
              const ih = oh * c.stride[0] + kh - g.top;
              const iw = ow * c.stride[1] + kw - g.left;
              if (ih >= 0 && ih < c.h && iw >= 0 && iw < c.w) taps.push(((n * c.h + ih) * c.w + iw) * c.ci + i);
            }
          const yi = ((n * g.oh + oh) * g.ow + ow) * c.ci + i;
          if (taps.length === 0) continue;
          if (kind === "max") {
            let best = taps[0];
            for (const t of taps) if (x[t] > x[best]) best = t;
            y[yi] = x[best];
            dx[best] += r[yi];
          } else {
            let s = 0;
            for (const t of taps) s += x[t];
            y[yi] = s / taps.length;
            for (const t of taps) dx[t] += r[yi] / taps.length;
          }
        }
  return { y, dx, geometry: g };
}

/** Largest |a−b| relative to tolerance atol + rtol·|b|; ≤ 1 means close. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-3, rtol = 1e-3): { ok: boolean; worst: string } {
  if (actual.length !== expected.length) return { ok: false, worst: `length ${actual.length} vs ${expected.length}` };
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const ratio = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i]));
    if (!(ratio <= worst)) {
      worst = ratio;
      at = i;
    }
  }
  return { ok: worst <= 1, worst: at < 0 ? "exact" : `index ${at}: ${actual[at]} vs ${expected[at]}` };
}

/** Deterministic uniform values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomValues(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
