/**
 * The kernel fills give the same forward values and gradients as textbook loops (reference.ts)
 * and as tfjs's stock 'cpu' kernels, for random shapes, strides, paddings and dilations, on
 * both offline backends. Gradients are taken the way training takes them: tf.grads of
 * Σ conv(x, w)·r, so the backend's registered gradient kernels run.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { removeKernelFills, installKernelFills, tf } from "../../src/backend/index.js";
import { requireNativeAddon, switchBackend, withoutLeaks } from "./helpers.js";
import {
  closeness,
  convReference,
  depthwiseReference,
  geometry,
  poolReference,
  randomValues,
  type ConvCase,
  type Padding,
} from "./reference.js";

/** Cases per property; raise with CONVNOTE_PROPERTY_RUNS for a deeper (slower) search. */
const RUNS = Number(process.env.CONVNOTE_PROPERTY_RUNS ?? 30);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, c: unknown): void {
  const r = closeness(actual, expected);
  assert.ok(r.ok, `${what} differs (${r.worst}) for ${JSON.stringify(c)}`);
}

/** Random conv cases whose output is at least 1×1; strides > 1 and dilations > 1 never mix (tfjs forbids it). */
const convCases: fc.Arbitrary<ConvCase & { seed: number }> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 10 }),
    w: fc.integer({ min: 1, max: 10 }),
    ci: fc.integer({ min: 1, max: 4 }),
    co: fc.integer({ min: 1, max: 5 }),
    fh: fc.integer({ min: 1, max: 4 }),
    fw: fc.integer({ min: 1, max: 4 }),
    dilated: fc.boolean(),
    sh: fc.integer({ min: 1, max: 4 }),
    sw: fc.integer({ min: 1, max: 4 }),
    dh: fc.integer({ min: 1, max: 3 }),
    dw: fc.integer({ min: 1, max: 3 }),
    pad: fc.oneof(
      fc.constant<Padding>("same"),
      fc.constant<Padding>("valid"),
      fc
        .tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3))
        .map(([t, b, l, r]): Padding => [[0, 0], [t, b], [l, r], [0, 0]]),
    ),
    seed: fc.integer(),
  })
  .map((r) => ({
    n: r.n, h: r.h, w: r.w, ci: r.ci, co: r.co, fh: r.fh, fw: r.fw, pad: r.pad, seed: r.seed,
    stride: (r.dilated ? [1, 1] : [r.sh, r.sw]) as [number, number],
    dilation: (r.dilated ? [r.dh, r.dw] : [1, 1]) as [number, number],
  }))
  .filter((c) => {
    const g = geometry(c);
    return g.oh >= 1 && g.ow >= 1;
  });

interface ConvResult {
  y: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
  db?: Float32Array;
}

/** Forward value and gradients of Σ conv(x,w)·r on the active backend. */
function convOnBackend(c: ConvCase, x: Float32Array, w: Float32Array, r: Float32Array, fusedBias?: Float32Array): ConvResult {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, [c.n, c.h, c.w, c.ci]);
    const wt = tf.tensor4d(w, [c.fh, c.fw, c.ci, c.co]);
    const g = geometry(c);
    const rt = tf.tensor4d(r, [c.n, g.oh, g.ow, c.co]);
    if (fusedBias === undefined) {
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad, "NHWC", c.dilation), rt));
      const y = tf.conv2d(xt, wt, c.stride, c.pad, "NHWC", c.dilation);
      const [dx, dw] = tf.grads(f)([xt, wt]);
      return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
    }
    const bt = tf.tensor1d(fusedBias);
    // The path tf.layers.conv2d takes: fused conv with bias and linear activation.
    const fused = (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) =>
      tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.stride, pad: c.pad, dilations: c.dilation, bias });
    const y = fused(xt, wt, bt);
    const [dx, dw, db] = tf.grads((a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) => tf.sum(tf.mul(fused(a, b, bias), rt)))([xt, wt, bt]);
    return {
      y: y.dataSync() as Float32Array,
      dx: dx.dataSync() as Float32Array,
      dw: dw.dataSync() as Float32Array,
      db: db.dataSync() as Float32Array,
    };
  });
}

function inputsFor(c: ConvCase & { seed: number }) {
  const g = geometry(c);
  return {
    x: randomValues(c.n * c.h * c.w * c.ci, c.seed),
    w: randomValues(c.fh * c.fw * c.ci * c.co, c.seed + 1),
    r: randomValues(c.n * g.oh * g.ow * c.co, c.seed + 2),
  };
}

for (const backend of ["cpu", "wasm", "native"] as const) {
  describe(`backend kernel fills on '${backend}'`, function () {
    let restore: (() => Promise<void>) | undefined;
    before(async function () {
      if (backend === "native") requireNativeAddon(this);
      restore = await switchBackend(backend);
    });
    after(async function () {
      // Unset when the addon is missing and the block was skipped (pending, or failed under CI).
      await restore?.();
    });

    it("conv2d forward, dx and dW match the textbook loops (random shapes/strides/paddings/dilations)", async function () {
      await withoutLeaks("conv2d gradients", () => {
        fc.assert(
          fc.property(convCases, (c) => {
            const { x, w, r } = inputsFor(c);
            const got = convOnBackend(c, x, w, r);
            const want = convReference(c, x, w, r);
            expectClose(got.y, want.y, "y", c);
            expectClose(got.dx, want.dx, "dx", c);
            expectClose(got.dw, want.dw, "dW", c);
          }),
          { numRuns: RUNS, seed: 20240611 },
        );
      });
    });

    it("larger layers (crossing the JS kernels' 1024-pixel blocks and 4x4 tiles) match too", async function () {
      const big: (ConvCase & { seed: number })[] = [
        { n: 3, h: 24, w: 20, ci: 7, co: 9, fh: 3, fw: 3, stride: [1, 1], dilation: [1, 1], pad: "same", seed: 11 },
        { n: 2, h: 31, w: 29, ci: 5, co: 6, fh: 5, fw: 5, stride: [2, 2], dilation: [1, 1], pad: "valid", seed: 12 },
        { n: 2, h: 26, w: 26, ci: 3, co: 16, fh: 1, fw: 1, stride: [1, 1], dilation: [1, 1], pad: "valid", seed: 13 },
        { n: 2, h: 20, w: 22, ci: 4, co: 5, fh: 3, fw: 3, stride: [1, 1], dilation: [2, 3], pad: "same", seed: 14 },
      ];
      await withoutLeaks("large conv2d gradients", () => {
        for (const c of big) {
          const { x, w, r } = inputsFor(c);
          const got = convOnBackend(c, x, w, r);
          const want = convReference(c, x, w, r);
          expectClose(got.y, want.y, "y", c);
          expectClose(got.dx, want.dx, "dx", c);
          expectClose(got.dw, want.dw, "dW", c);
        }
      });
    });

    it("fused conv2d with bias (the tf.layers path) has the right dx, dW and db", async function () {
      await withoutLeaks("fused conv2d gradients", () => {
        fc.assert(
          fc.property(convCases, (c) => {
            const { x, w, r } = inputsFor(c);
            const bias = randomValues(c.co, c.seed + 3);
            const got = convOnBackend(c, x, w, r, bias);
            const want = convReference(c, x, w, r);
            const g = want.geometry;
            const yWithBias = want.y.map((v, i) => v + bias[i % c.co]);
            const db = new Float64Array(c.co);
            for (let i = 0; i < c.n * g.oh * g.ow * c.co; i++) db[i % c.co] += r[i];
            expectClose(got.y, yWithBias, "y", c);
            expectClose(got.dx, want.dx, "dx", c);
            expectClose(got.dw, want.dw, "dW", c);
            expectClose(got.db ?? [], db, "db", c);
          }),
          { numRuns: Math.ceil(RUNS / 2), seed: 7 },
        );
      });
    });

    it("depthwise conv2d gradients match the textbook loops", async function () {
      const cases = fc
        .tuple(convCases, fc.integer({ min: 1, max: 3 }))
        // tfjs's depthwise op wants equal strides; tfjs-core has no gradient for dilated depthwise.
        .map(([c, m]) => ({ ...c, m, stride: [c.stride[0], c.stride[0]] as [number, number], dilation: [1, 1] as [number, number] }))
        .filter((c) => {
          const g = geometry(c);
          // ... and forbids explicit padding.
          return g.oh >= 1 && g.ow >= 1 && typeof c.pad === "string";
        });
      await withoutLeaks("depthwise gradients", () => {
        fc.assert(
          fc.property(cases, (c) => {
            const g = geometry(c);
            const x = randomValues(c.n * c.h * c.w * c.ci, c.seed);
            const w = randomValues(c.fh * c.fw * c.ci * c.m, c.seed + 1);
            const r = randomValues(c.n * g.oh * g.ow * c.ci * c.m, c.seed + 2);
            const pad = c.pad as "same" | "valid";
            const [y, dx, dw] = tf.tidy(() => {
              const xt = tf.tensor4d(x, [c.n, c.h, c.w, c.ci]);
              const wt = tf.tensor4d(w, [c.fh, c.fw, c.ci, c.m]);
              const rt = tf.tensor4d(r, [c.n, g.oh, g.ow, c.ci * c.m]);
              const conv = (a: tf.Tensor, b: tf.Tensor) =>
                tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, pad, "NHWC", c.dilation);
              const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), rt)))([xt, wt]);
              return [conv(xt, wt).dataSync(), gx.dataSync(), gw.dataSync()];
            });
            const want = depthwiseReference(c, x, w, r);
            expectClose(y, want.y, "y", c);
            expectClose(dx, want.dx, "dx", c);
            expectClose(dw, want.dw, "dW", c);
          }),
          { numRuns: Math.ceil(RUNS * 2 / 3), seed: 99 },
        );
      });
    });

    it("matMul with transposed operands and sums over leading axes match plain loops", async function () {
      await withoutLeaks("matMul/sum", () => {
        fc.assert(
          fc.property(
            fc.record({
              batch: fc.integer({ min: 1, max: 3 }),
              m: fc.integer({ min: 1, max: 9 }),
              k: fc.integer({ min: 1, max: 9 }),
              n: fc.integer({ min: 1, max: 9 }),
              ta: fc.boolean(),
              tb: fc.boolean(),
              seed: fc.integer(),
            }),
            ({ batch, m, k, n, ta, tb, seed }) => {
              const av = randomValues(batch * m * k, seed);
              const bv = randomValues(batch * k * n, seed + 1);
              // Stored transposed when the op is told to transpose, so the product is always A·B.
              const aAt = (b: number, i: number, p: number) => av[b * m * k + (ta ? p * m + i : i * k + p)];
              const bAt = (b: number, p: number, j: number) => bv[b * k * n + (tb ? j * k + p : p * n + j)];
              const want = new Float64Array(batch * m * n);
              for (let b = 0; b < batch; b++)
                for (let i = 0; i < m; i++)
                  for (let j = 0; j < n; j++) {
                    let s = 0;
                    for (let p = 0; p < k; p++) s += aAt(b, i, p) * bAt(b, p, j);
                    want[(b * m + i) * n + j] = s;
                  }
              const got = tf.tidy(() =>
                tf.matMul(tf.tensor3d(av, ta ? [batch, k, m] : [batch, m, k]), tf.tensor3d(bv, tb ? [batch, n, k] : [batch, k, n]), ta, tb).dataSync(),
              );
              expectClose(got, want, "matMul", { batch, m, k, n, ta, tb });
              // Sums over leading axes (the fills' fast path) and over other axes (stock path).
              const x = tf.tensor3d(av, [batch, m, k]);
              try {
                const lead = tf.tidy(() => tf.sum(x, [0, 1], true));
                assert.deepEqual(lead.shape, [1, 1, k]);
                const leadWant = new Float64Array(k);
                av.forEach((v, i) => (leadWant[i % k] += v));
                expectClose(lead.dataSync(), leadWant, "sum over axes [0,1]", { batch, m, k });
                lead.dispose();
                const last = tf.tidy(() => tf.sum(x, -1).dataSync());
                const lastWant = new Float64Array(batch * m);
                av.forEach((v, i) => (lastWant[Math.floor(i / k)] += v));
                expectClose(last, lastWant, "sum over the last axis", { batch, m, k });
              } finally {
                x.dispose();
              }
            },
          ),
          { numRuns: RUNS, seed: 17 },
        );
      });
    });

    it("the nearest-neighbour resize gradient is the forward's adjoint for batches above one (UPSAMPLE's gradient)", async function () {
      await withoutLeaks("resize gradient", () => {
        tf.tidy(() => {
          // By hand: 2x upsampling of a [2,3,3,2] input; image 2's pixel (0,0), channel 0 feeds
          // four outputs whose upstream gradients r = (i mod 7) - 3 are -1, 1, -3, -1: sum -4.
          const x = tf.tensor4d(Array.from({ length: 36 }, (_, i) => i), [2, 3, 3, 2]);
          const r = tf.tensor4d(Array.from({ length: 144 }, (_, i) => (i % 7) - 3), [2, 6, 6, 2]);
          const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [6, 6]), r)))(x);
          assert.equal(g.dataSync()[18], -4);
          // For a linear map, <resize(x), r> = <x, gradient(r)>, whatever the corner options.
          for (const [alignCorners, halfPixelCenters, size] of [[false, false, [7, 5]], [true, false, [6, 4]], [false, true, [5, 8]]] as const) {
            const xs = tf.tensor4d(randomValues(3 * 4 * 3 * 2, 61), [3, 4, 3, 2]);
            const rs = tf.tensor4d(randomValues(3 * size[0] * size[1] * 2, 62), [3, size[0], size[1], 2]);
            const resize = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [size[0], size[1]], alignCorners, halfPixelCenters);
            const lhs = tf.sum(tf.mul(resize(xs), rs)).dataSync()[0]!;
            const rhs = tf.sum(tf.mul(xs, tf.grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t), rs)))(xs))).dataSync()[0]!;
            assert.ok(Math.abs(lhs - rhs) < 1e-4, `<resize(x), r> = ${lhs} but <x, grad> = ${rhs} (alignCorners ${alignCorners}, halfPixelCenters ${halfPixelCenters})`);
          }
        });
      });
    });

    it("slice and pad (a DECONV's crop and its gradient) match plain loops, any rank, with a constant", async function () {
      await withoutLeaks("slice and pad", () => {
        tf.tidy(() => {
          // By hand: rows 1..2, columns 0..1 of a 3x3 matrix, then padded back with 9s.
          const m = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
          const cut = tf.slice(m, [1, 0], [2, 2]);
          assert.deepEqual(Array.from(cut.dataSync()), [4, 5, 7, 8]);
          assert.deepEqual(Array.from(tf.pad(cut, [[1, 0], [0, 1]], 9).dataSync()), [9, 9, 9, 4, 5, 9, 7, 8, 9]);
          // A 4-D crop as cropping2D does it, and the pad that is its gradient, against index loops.
          const [n, h, w, c] = [2, 7, 6, 3];
          const x = tf.tensor4d(randomValues(n * h * w * c, 71), [n, h, w, c]);
          const values = x.dataSync();
          const [b, z] = [[0, 1, 2, 0], [2, 5, 3, 3]];
          const got = tf.slice(x, b, z).dataSync();
          const padded = tf.pad(tf.slice(x, b, z), [[0, 0], [1, 1], [2, 1], [0, 0]]).dataSync();
          let i = 0;
          for (let a0 = 0; a0 < z[0]!; a0++) for (let a1 = 0; a1 < z[1]!; a1++) for (let a2 = 0; a2 < z[2]!; a2++) for (let a3 = 0; a3 < z[3]!; a3++) {
            const want = values[(((a0 + b[0]!) * h + a1 + b[1]!) * w + a2 + b[2]!) * c + a3 + b[3]!]!;
            assert.equal(got[i++], want, `slice at ${[a0, a1, a2, a3]}`);
            assert.equal(padded[((a0 * (z[1]! + 2) + a1 + 1) * (z[2]! + 3) + a2 + 2) * c + a3], want, `pad at ${[a0, a1, a2, a3]}`);
          }
          assert.equal(padded.length, 2 * 7 * 6 * 3);
          assert.equal(Array.from(padded).filter((v) => v === 0).length, padded.length - got.length, "the border is zeros");
          // Whole trailing axes copied as one run: a batch cut from a dataset (a run of 256
          // values, one memory copy per image block), rows of whole images (runs of 32), and
          // the pad that adds images around a batch.
          const [bn, bh, bw, bc] = [5, 8, 8, 4];
          const batch = tf.tensor4d(randomValues(bn * bh * bw * bc, 72), [bn, bh, bw, bc]);
          const bv = batch.dataSync();
          const at = (a0: number, a1: number, a2: number, a3: number) => bv[((a0 * bh + a1) * bw + a2) * bc + a3]!;
          const cases: [number[], number[]][] = [[[1, 0, 0, 0], [3, 8, 8, 4]], [[0, 2, 0, 0], [2, 3, 8, 4]], [[4, 0, 0, 0], [1, -1, -1, -1]]];
          for (const [from, size] of cases) {
            const cut = tf.slice(batch, from, size);
            const [s0, s1, s2, s3] = cut.shape;
            const cv = cut.dataSync();
            let j = 0;
            for (let a0 = 0; a0 < s0!; a0++) for (let a1 = 0; a1 < s1!; a1++) for (let a2 = 0; a2 < s2!; a2++) for (let a3 = 0; a3 < s3!; a3++) {
              assert.equal(cv[j++], at(a0 + from[0]!, a1 + from[1]!, a2 + from[2]!, a3 + from[3]!), `slice ${from} ${size} at ${[a0, a1, a2, a3]}`);
            }
          }
          const framed = tf.pad(batch, [[1, 2], [0, 0], [0, 0], [0, 0]], 5).dataSync();
          const image = bh * bw * bc;
          assert.ok(framed.subarray(0, image).every((v) => v === 5) && framed.subarray((bn + 1) * image).every((v) => v === 5), "the padded images are 5s");
          assert.deepEqual(Array.from(framed.subarray(image, (bn + 1) * image)), Array.from(bv), "the batch sits whole between them");
          // -1 sizes, and a 1-D slice.
          assert.deepEqual(tf.slice(x, [1, 6, 5, 2], [-1, -1, -1, -1]).shape, [1, 1, 1, 1]);
          assert.deepEqual(Array.from(tf.slice(tf.tensor1d([1, 2, 3, 4]), 1, 2).dataSync()), [2, 3]);
        });
      });
    });

    it("add, sub and mul with equal shapes, bias/scalar broadcasting either side, and other broadcasts", async function () {
      // Shapes: [2,3,4] with the partner [2,3,4], [4], [] (fast paths), [3,1] and [2,1,4] (stock path).
      const partners: number[][] = [[2, 3, 4], [4], [], [3, 1], [2, 1, 4]];
      const full = [2, 3, 4];
      const av = randomValues(24, 31);
      const at = (i: number, shape: number[], v: Float32Array): number => {
        // Value of a broadcast operand at flat index i of the full shape.
        const loc = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
        const off = full.length - shape.length;
        let idx = 0;
        shape.forEach((d, k) => (idx = idx * d + (d === 1 ? 0 : loc[off + k])));
        return v[idx];
      };
      await withoutLeaks("binary ops", () => {
        for (const shape of partners) {
          const bv = randomValues(Math.max(1, shape.reduce((p, q) => p * q, 1)), 32);
          for (const [name, f, ref] of [
            ["add", tf.add, (p: number, q: number) => p + q],
            ["sub", tf.sub, (p: number, q: number) => p - q],
            ["mul", tf.mul, (p: number, q: number) => p * q],
          ] as const) {
            for (const flipped of [false, true]) {
              const got = tf.tidy(() => {
                const a = tf.tensor(av, full);
                const b = tf.tensor(bv.slice(0, Math.max(1, shape.reduce((p, q) => p * q, 1))), shape);
                return (flipped ? f(b, a) : f(a, b)).dataSync();
              });
              const want = Array.from({ length: 24 }, (_, i) =>
                flipped ? ref(at(i, shape, bv), av[i]) : ref(av[i], at(i, shape, bv)),
              );
              expectClose(got, want, `${name}${flipped ? " (flipped)" : ""}`, { shape });
            }
          }
        }
        const ints = tf.tidy(() => tf.add(tf.tensor1d([1, 2], "int32"), tf.tensor1d([3, 4], "int32")));
        assert.equal(ints.dtype, "int32");
        assert.deepEqual(Array.from(ints.dataSync()), [4, 6]);
        ints.dispose();
      });
    });

    for (const kind of ["max", "avg"] as const) {
      it(`${kind}Pool gradient matches the textbook loops (same/valid, strides 1-3)`, async function () {
        const cases = fc
          .record({
            n: fc.integer({ min: 1, max: 2 }),
            h: fc.integer({ min: 1, max: 9 }),
            w: fc.integer({ min: 1, max: 9 }),
            ci: fc.integer({ min: 1, max: 4 }),
            fh: fc.integer({ min: 1, max: 3 }),
            fw: fc.integer({ min: 1, max: 3 }),
            sh: fc.integer({ min: 1, max: 3 }),
            sw: fc.integer({ min: 1, max: 3 }),
            pad: fc.constantFrom<"same" | "valid">("same", "valid"),
            seed: fc.integer(),
          })
          .map((r) => ({ ...r, stride: [r.sh, r.sw] as [number, number] }))
          .filter((c) => {
            const g = geometry({ ...c, dilation: [1, 1] });
            return g.oh >= 1 && g.ow >= 1;
          });
        await withoutLeaks(`${kind}Pool gradient`, () => {
          fc.assert(
            fc.property(cases, (c) => {
              const g = geometry({ ...c, dilation: [1, 1] });
              const x = randomValues(c.n * c.h * c.w * c.ci, c.seed);
              const r = randomValues(c.n * g.oh * g.ow * c.ci, c.seed + 1);
              const [y, dx] = tf.tidy(() => {
                const xt = tf.tensor4d(x, [c.n, c.h, c.w, c.ci]);
                const rt = tf.tensor4d(r, [c.n, g.oh, g.ow, c.ci]);
                const pool = (a: tf.Tensor) =>
                  kind === "max"
                    ? tf.maxPool(a as tf.Tensor4D, [c.fh, c.fw], c.stride, c.pad)
                    : tf.avgPool(a as tf.Tensor4D, [c.fh, c.fw], c.stride, c.pad);
                return [pool(xt).dataSync(), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), rt)))(xt).dataSync()];
              });
              const want = poolReference(kind, c, x, r);
              expectClose(y, want.y, "y", c);
              expectClose(dx, want.dx, "dx", c);
            }),
            {
              numRuns: RUNS,
              seed: kind === "max" ? 3 : 4,
              // Always include POOL2 (2x2, stride 2, no padding), which has its own fast path.
              examples: [[{ n: 2, h: 8, w: 7, ci: 3, fh: 2, fw: 2, sh: 2, sw: 2, pad: "valid", seed: 5, stride: [2, 2] }]],
            },
          );
        });
      });
    }
  });
}

describe("backend kernel fills agree with tfjs's stock 'cpu' kernels", function () {
  let restore: () => Promise<void>;
  before(async function () {
    restore = await switchBackend("cpu");
  });
  after(async function () {
    await restore();
  });

  it("undilated conv2d gradients: stock cpu == filled cpu == filled wasm", async function () {
    const cases = convCases.filter((c) => c.dilation[0] === 1 && c.dilation[1] === 1);
    const samples = fc.sample(cases, { numRuns: 12, seed: 5 });
    const stock: ConvResult[] = [];
    removeKernelFills("cpu");
    try {
      for (const c of samples) {
        const { x, w, r } = inputsFor(c);
        stock.push(convOnBackend(c, x, w, r));
      }
    } finally {
      installKernelFills("cpu");
    }
    for (const target of ["cpu", "wasm"] as const) {
      const back = await switchBackend(target);
      try {
        samples.forEach((c, i) => {
          const { x, w, r } = inputsFor(c);
          const got = convOnBackend(c, x, w, r);
          expectClose(got.y, stock[i].y, `${target} y vs stock cpu`, c);
          expectClose(got.dx, stock[i].dx, `${target} dx vs stock cpu`, c);
          expectClose(got.dw, stock[i].dw, `${target} dW vs stock cpu`, c);
        });
      } finally {
        await back();
      }
    }
  });

  it("dilated conv2d gradient on a hand-worked case (tfjs-core alone refuses it)", function () {
    // 5x5 ones, 2x2 ones filter, dilation 2, 'valid': pixel (0,2) feeds two outputs, its
    // neighbours in row 0 one each.
    const x = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    try {
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 1, "valid", "NHWC", 2)))(x);
      assert.deepEqual(Array.from(g.dataSync()).slice(0, 5), [1, 1, 2, 1, 1]);
      g.dispose();
    } finally {
      x.dispose();
      w.dispose();
    }
  });
});
