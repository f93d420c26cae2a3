/**
 * The native backend (oneDNN, native/): every kernel it takes agrees with tfjs's stock CPU
 * backend — forward values and the gradients training takes — for random shapes, strides,
 * paddings and channel counts that make oneDNN choose blocked layouts (channels padded to 8 or
 * 16), including chains where one native kernel reads another's blocked output. Cases it does
 * not cover go to the kernel beneath and still answer right. Where the addon is not built the
 * tests are pending; under CI=true that is a failure.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import fc from "fast-check";
import { tf } from "../../src/backend/index.js";
import type { NativeBackend } from "../../src/backend/native/backend.js";
import type { BackendReport } from "../../src/backend/index.js";
import { nativeFailures } from "../../src/backend/native/fills.js";
import { requireNativeAddon, switchBackend, withoutLeaks } from "./helpers.js";
import { closeness, randomValues } from "./reference.js";

const RUNS = Number(process.env.CONVNOTE_PROPERTY_RUNS ?? 25);
const ROOT = path.join(__dirname, "..", "..");

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, c: unknown, tolerance = 1e-3): void {
  const r = closeness(actual, expected, tolerance, tolerance);
  assert.ok(r.ok, `${what} differs from the cpu backend (${r.worst}) for ${JSON.stringify(c)}`);
}

/** Runs `f` on the named backend and returns its arrays (tensors are made inside `f`). */
async function on(backend: "cpu" | "native", f: () => Float32Array[]): Promise<Float32Array[]> {
  const restore = await switchBackend(backend);
  try {
    return tf.tidy(() => f());
  } finally {
    await restore();
  }
}

/** The native layout id a tensor's data is held in (0 = plain NHWC). */
function layoutOf(t: tf.Tensor): number {
  return (tf.backend() as unknown as NativeBackend).nativeInput(t)?.layout ?? -1;
}

interface ChainCase {
  n: number;
  h: number;
  w: number;
  ci: number;
  c1: number;
  c2: number;
  k1: number;
  k2: number;
  stride: number;
  pad: "same" | "valid";
  pool: "max" | "avg";
  poolSize: number;
  seed: number;
}

const chainCases: fc.Arbitrary<ChainCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 4, max: 14 }),
    w: fc.integer({ min: 4, max: 14 }),
    ci: fc.integer({ min: 1, max: 20 }),
    c1: fc.integer({ min: 1, max: 40 }),
    c2: fc.integer({ min: 1, max: 24 }),
    k1: fc.integer({ min: 1, max: 5 }),
    k2: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<"same" | "valid">("same", "valid"),
    pool: fc.constantFrom<"max" | "avg">("max", "avg"),
    poolSize: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
  })
  .filter((c) => c.pad === "same" || (c.h >= c.k1 && c.w >= c.k1));

/**
 * conv(+bias, ReLU) -> pool -> conv(+bias) -> channel-wise scale -> loss, its value and the
 * gradients of every input, the way a training step takes them.
 */
function chain(c: ChainCase): Float32Array[] {
  const x = tf.tensor4d(randomValues(c.n * c.h * c.w * c.ci, c.seed), [c.n, c.h, c.w, c.ci]);
  const w1 = tf.tensor4d(randomValues(c.k1 * c.k1 * c.ci * c.c1, c.seed + 1), [c.k1, c.k1, c.ci, c.c1]);
  const b1 = tf.tensor1d(randomValues(c.c1, c.seed + 2));
  const w2 = tf.tensor4d(randomValues(c.k2 * c.k2 * c.c1 * c.c2, c.seed + 3), [c.k2, c.k2, c.c1, c.c2]);
  const b2 = tf.tensor1d(randomValues(c.c2, c.seed + 4));
  const scale = tf.tensor1d(randomValues(c.c2, c.seed + 5));
  const f = (xs: tf.Tensor, a: tf.Tensor, ab: tf.Tensor, b: tf.Tensor, bb: tf.Tensor) => {
    const y1 = tf.fused.conv2d({ x: xs as tf.Tensor4D, filter: a as tf.Tensor4D, bias: ab, strides: c.stride, pad: c.pad, activation: "relu" });
    const p = c.pool === "max" ? tf.maxPool(y1, c.poolSize, 1, "same") : tf.avgPool(y1, c.poolSize, 1, "same");
    const y2 = tf.fused.conv2d({ x: p, filter: b as tf.Tensor4D, bias: bb, strides: 1, pad: "same" });
    return tf.sum(tf.mul(tf.tanh(tf.mul(y2, scale)), tf.sigmoid(y2)));
  };
  const value = f(x, w1, b1, w2, b2);
  const grads = tf.grads(f)([x, w1, b1, w2, b2]);
  return [value, ...grads].map((t) => t.dataSync() as Float32Array);
}

/** The first convolution's output before its ReLU, as chain() computes it. */
function chainPreActivation(c: ChainCase): Float32Array {
  const x = tf.tensor4d(randomValues(c.n * c.h * c.w * c.ci, c.seed), [c.n, c.h, c.w, c.ci]);
  const w1 = tf.tensor4d(randomValues(c.k1 * c.k1 * c.ci * c.c1, c.seed + 1), [c.k1, c.k1, c.ci, c.c1]);
  const b1 = tf.tensor1d(randomValues(c.c1, c.seed + 2));
  return tf.add(tf.conv2d(x, w1, c.stride, c.pad), b1).dataSync() as Float32Array;
}

describe("native backend (oneDNN)", function () {
  this.timeout(120000);

  before(function () {
    requireNativeAddon(this);
  });

  afterEach(function () {
    // A native kernel that throws is answered by the JS kernel beneath it; none may here.
    assert.deepEqual(nativeFailures(), [], "native kernels failed and fell back");
  });

  it("reports oneDNN's version, the instruction set it dispatched to, and the threads (CONVNOTE_THREADS)", function () {
    const script = `
      const b = require(${JSON.stringify(path.join(ROOT, "src", "backend", "index.js"))});
      b.initBackend().then((r) => process.stdout.write(JSON.stringify(r)), (e) => process.stdout.write(JSON.stringify({ error: e.message })));
    `;
    const env = { ...process.env, CONVNOTE_BACKEND: "native", CONVNOTE_THREADS: "1" };
    const report = JSON.parse(execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as BackendReport;
    assert.equal(report.name, "native");
    assert.equal(report.tfjsBackend, "native");
    assert.match(report.native?.onednn ?? "", /^\d+\.\d+\.\d+$/);
    assert.match(report.native?.isa ?? "", /^(sse41|avx|avx2|avx2_vnni|avx512_core\w*)$/);
    assert.equal(report.native?.threads, 1);
    assert.match(report.text, /oneDNN \d+\.\d+\.\d+ \(\w+\), 1 thread/);
    assert.ok(report.kernelFills.some((f) => f.kernel === "Conv2DBackpropFilter" && f.backend === "native" && /oneDNN/.test(f.how)));
  });

  it("keeps a training convolution's output in oneDNN's blocked layout, and reads it back as NHWC", async function () {
    const restore = await switchBackend("native");
    try {
      await withoutLeaks("blocked layout", () => {
        // Inside a gradient computation, as in training (inference may choose NHWC outright).
        const one = tf.scalar(1);
        tf.grad((scale: tf.Tensor) => {
          const x = tf.tensor4d(randomValues(2 * 9 * 9 * 5, 1), [2, 9, 9, 5]);
          const w = tf.tensor4d(randomValues(3 * 3 * 5 * 20, 2), [3, 3, 5, 20]);
          const y = tf.conv2d(x, w, 1, "same");
          const id = layoutOf(y);
          assert.ok(id > 0, "the convolution's output is in a native layout");
          const info = (tf.backend() as unknown as NativeBackend).addon.layoutInfo(id);
          assert.deepEqual(info.dims, [2, 20, 9, 9]);
          assert.match(info.format, /^nChw(8|16)c$/);
          assert.ok(info.floats > 2 * 20 * 9 * 9, "20 channels are padded to a whole block");
          // A ReLU and a max pool read and write that layout without converting.
          const r = tf.relu(y);
          assert.equal(layoutOf(r), id, "the ReLU writes the convolution's layout");
          assert.ok(layoutOf(tf.maxPool(r, 2, 2, "valid")) > 0, "max pooling reads and writes a blocked layout");
          // Reading the values gives tfjs's order: check one against the definition.
          const values = y.dataSync();
          const xv = x.dataSync();
          const wv = w.dataSync();
          let expected = 0;
          for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) for (let i = 0; i < 5; i++) {
            const ih = 4 + kh - 1, iw = 3 + kw - 1;
            expected += xv[((1 * 9 + ih) * 9 + iw) * 5 + i] * wv[((kh * 3 + kw) * 5 + i) * 20 + 7];
          }
          assert.ok(Math.abs(values[((1 * 9 + 4) * 9 + 3) * 20 + 7] - expected) < 1e-4);
          return tf.sum(tf.mul(y, scale));
        })(one).dispose();
        one.dispose();
      });
    } finally {
      await restore();
    }
  });

  it("holds kernel results in its own memory (training's blocked, inference's plain), freed on dispose, never counted as V8's, and hands out copies", async function () {
    const restore = await switchBackend("native");
    try {
      const addon = (tf.backend() as unknown as NativeBackend).addon;
      const before = addon.tensorMemory();
      const x = tf.tensor4d(randomValues(32 * 32 * 32 * 8, 61), [32, 32, 32, 8]);
      const w = tf.tensor4d(randomValues(3 * 3 * 8 * 256, 62), [3, 3, 8, 256]);
      const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
      // Four inside a gradient computation (blocked, training's layout), four in inference.
      const outputs: tf.Tensor[] = [];
      const one = tf.scalar(1);
      tf.grad((s: tf.Tensor) => {
        for (let i = 0; i < 4; i++) outputs.push(tf.keep(tf.conv2d(x, w, 1, "same")));
        return tf.mul(s, 2);  // the gradient does not touch the outputs (its fills are plain)
      })(one).dispose();
      for (let i = 0; i < 4; i++) outputs.push(tf.tidy(() => tf.relu(tf.conv2d(x, w, 1, "same"))));
      const bytes = 8 * 32 * 32 * 32 * 256 * 4;  // eight 32 MB outputs
      const during = addon.tensorMemory();
      assert.ok(outputs.slice(0, 4).every((o) => layoutOf(o) > 0), "the training outputs are blocked");
      assert.ok(during.tensors >= before.tensors + 8 && during.bytes >= before.bytes + bytes, `the addon holds the outputs (${JSON.stringify(during)})`);
      const grew = process.memoryUsage().arrayBuffers - arrayBuffersBefore;
      assert.ok(grew < bytes / 16, `V8 counts ${(grew / 2 ** 20).toFixed(0)} MB of new array buffers for 256 MB of outputs`);
      // The values read as tfjs's NHWC, in a copy (which V8 does count) that outlives the tensor.
      const blocked = outputs[3]!.dataSync();
      const plain = outputs[7]!.dataSync();
      const firstValues = [blocked[12345], plain[12345]];
      assert.equal(blocked.length, 32 * 32 * 32 * 256);
      tf.dispose([...outputs, x, w, one]);
      assert.deepEqual(addon.tensorMemory(), before, "disposing the tensors frees their memory");
      assert.deepEqual([blocked[12345], plain[12345]], firstValues, "the values read before disposing stay readable");
      assert.equal(firstValues[1], Math.max(0, firstValues[0]!), "relu(conv) read back plain agrees with the blocked conv");
    } finally {
      await restore();
    }
  });

  it("inference keeps a filter in the convolution's own layout and gives the same answer from it", async function () {
    const run = () => {
      const x = tf.tensor4d(randomValues(4 * 12 * 12 * 16, 51), [4, 12, 12, 16]);
      const w = tf.tensor4d(randomValues(3 * 3 * 16 * 32, 52), [3, 3, 16, 32]);
      const bias = tf.tensor1d(randomValues(32, 53));
      const conv = () => tf.fused.conv2d({ x, filter: w, bias, strides: 1, pad: "same", activation: "relu" });
      const first = conv().dataSync() as Float32Array;
      const second = conv().dataSync() as Float32Array;
      return [first, second];
    };
    const expected = await on("cpu", run);
    const restore = await switchBackend("native");
    try {
      const [first, second] = tf.tidy(() => {
        const out = run();
        return out;
      });
      expectClose(first!, expected[0]!, "first call", {}, 1e-4);
      expectClose(second!, expected[0]!, "call with the kept filter", {}, 1e-4);
      tf.tidy(() => {
        const w = tf.tensor4d(randomValues(3 * 3 * 16 * 32, 52), [3, 3, 16, 32]);
        tf.conv2d(tf.zeros([1, 8, 8, 16]) as tf.Tensor4D, w, 1, "same").dataSync();
        const kept = (tf.backend() as unknown as NativeBackend).filterInput(w);
        assert.ok(kept !== null && kept.layout > 0, "the filter is kept in a blocked weights layout after an inference call");
      });
    } finally {
      await restore();
    }
  });

  it("conv -> ReLU -> pool -> conv chains and their gradients match the cpu backend (random shapes, blocked layouts)", async function () {
    await fc.assert(
      fc.asyncProperty(chainCases, async (c) => {
        // ReLU's gradient jumps at 0: where a pre-activation lies within float error of 0,
        // two correct backends may mask it differently (found: one of 11,220, -0.004 against
        // 0, spread by the 5x5 input gradient over 354 values). Such cases are discarded.
        const [preActivation] = await on("cpu", () => [chainPreActivation(c)]);
        fc.pre(preActivation!.every((v) => Math.abs(v) > 2e-5));
        const expected = await on("cpu", () => chain(c));
        const actual = await on("native", () => chain(c));
        const names = ["loss", "dx", "dW1", "db1", "dW2", "db2"];
        // The loss sums hundreds of products: compare it relative to its size.
        actual.forEach((a, i) => expectClose(a, expected[i]!, names[i]!, c, i === 0 ? 1e-3 * Math.max(1, Math.abs(expected[0]![0]!)) : 2e-3));
      }),
      { numRuns: RUNS },
    );
  });

  it("element-wise kernels and reductions on large plain and blocked tensors, with broadcasting either side", async function () {
    const shape = [4, 12, 12, 36];
    const size = 4 * 12 * 12 * 36;
    const run = () => {
      const a = tf.tensor4d(randomValues(size, 11), shape as [number, number, number, number]);
      const b = tf.tensor4d(randomValues(size, 12), shape as [number, number, number, number]);
      const v = tf.tensor1d(randomValues(36, 13).map((x) => x + 2));
      const w = tf.ones([3, 3, 36, 36]).mul(0.01) as tf.Tensor4D;
      const blocked = tf.conv2d(a, w, 1, "same"); // native layout on 'native'
      return [
        tf.add(a, b), tf.sub(a, v), tf.sub(v, a), tf.mul(v, a), tf.div(a, v), tf.maximum(a, 0.1), tf.minimum(b, a),
        tf.add(blocked, v), tf.div(blocked, v), tf.mul(blocked, b), tf.sub(b, blocked), tf.addN([blocked, a, blocked]),
        tf.relu(blocked), tf.elu(a), tf.sigmoid(blocked), tf.tanh(a), tf.leakyRelu(blocked, 0.3), tf.relu6(tf.mul(a, 8)),
        tf.step(blocked), tf.step(a, 0.5), tf.abs(blocked), tf.neg(a), tf.square(blocked), tf.exp(tf.neg(tf.abs(a))), tf.sqrt(tf.abs(blocked)),
        tf.sum(blocked, [0, 1, 2]), tf.mean(a, [0, 1, 2], true), tf.mean(blocked, [1, 2]), tf.sum(a, [1, 2], true), tf.sum(blocked), tf.mean(blocked), tf.sum(a, [1, 2]), tf.max(blocked, [0, 1, 2]), tf.max(blocked, -1), tf.sum(blocked, 3, true),
        tf.moments(blocked, [0, 1, 2]).variance,
      ].map((t) => t.dataSync() as Float32Array);
    };
    const expected = await on("cpu", run);
    const actual = await on("native", run);
    actual.forEach((a, i) => expectClose(a, expected[i]!, `operation ${i}`, shape, 1e-4));
  });

  it("matrix products in every transpose, with bias and activation, match the cpu backend", async function () {
    const run = () => {
      const out: Float32Array[] = [];
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = tf.tensor3d(randomValues(2 * 40 * 70, 21), ta ? [2, 70, 40] : [2, 40, 70]);
        const b = tf.tensor3d(randomValues(2 * 70 * 30, 22), tb ? [2, 30, 70] : [2, 70, 30]);
        out.push(tf.matMul(a, b, ta, tb).dataSync() as Float32Array);
      }
      const x = tf.tensor2d(randomValues(64 * 120, 23), [64, 120]);
      const w = tf.tensor2d(randomValues(120 * 84, 24), [120, 84]);
      const bias = tf.tensor1d(randomValues(84, 25));
      out.push(tf.fused.matMul({ a: x, b: w, bias, activation: "relu" }).dataSync() as Float32Array);
      return out;
    };
    const expected = await on("cpu", run);
    const actual = await on("native", run);
    actual.forEach((a, i) => expectClose(a, expected[i]!, `product ${i}`, {}, 1e-4));
  });

  it("cases the native kernels leave to the cpu kernels still answer right: dilation, PReLU, NCHW, depthwise, integers", async function () {
    const run = () => {
      const x = tf.tensor4d(randomValues(2 * 10 * 10 * 6, 31), [2, 10, 10, 6]);
      const w = tf.tensor4d(randomValues(3 * 3 * 6 * 18, 32), [3, 3, 6, 18]);
      const alpha = tf.tensor1d(randomValues(18, 33));
      const dilated = tf.conv2d(x, w, 1, "same", "NHWC", 2);
      const prelu = tf.fused.conv2d({ x, filter: w, strides: 1, pad: "same", activation: "prelu", preluActivationWeights: alpha });
      const nchw = tf.conv2d(tf.transpose(x, [0, 3, 1, 2]) as tf.Tensor4D, w, 1, "valid", "NCHW");
      const depthwise = tf.depthwiseConv2d(tf.conv2d(x, w, 1, "same"), tf.ones([3, 3, 18, 1]) as tf.Tensor4D, 1, "same");
      const ints = tf.add(tf.tensor1d([1, 2, 3], "int32"), tf.tensor1d([4, 5, 6], "int32"));
      const dilatedGrad = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 1, "same", "NHWC", 2)))(w);
      return [dilated, prelu, nchw, depthwise, ints, dilatedGrad].map((t) => Float32Array.from(t.dataSync()));
    };
    const expected = await on("cpu", run);
    const actual = await on("native", run);
    actual.forEach((a, i) => expectClose(a, expected[i]!, `fallback ${i}`, {}, 1e-4));
  });

  it("batch norm by a batch's own moments: gradients through the moments in one kernel match the cpu backend (plain and blocked, random shapes)", async function () {
    const cases = fc.record({
      n: fc.integer({ min: 1, max: 4 }), size: fc.integer({ min: 2, max: 9 }), channels: fc.integer({ min: 1, max: 40 }),
      afterConv: fc.boolean(), seed: fc.integer({ min: 1, max: 1000 }),
    });
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      const grads = () => {
        const image = tf.tensor4d(randomValues(c.n * c.size * c.size * 3, c.seed), [c.n, c.size, c.size, 3]);
        const filter = tf.tensor4d(randomValues(9 * 3 * c.channels, c.seed + 1), [3, 3, 3, c.channels]);
        const plain = tf.tensor4d(randomValues(c.n * c.size * c.size * c.channels, c.seed + 2), [c.n, c.size, c.size, c.channels]);
        const gamma = tf.tensor1d(randomValues(c.channels, c.seed + 3));
        const beta = tf.tensor1d(randomValues(c.channels, c.seed + 4));
        const weights = tf.tensor4d(randomValues(c.n * c.size * c.size * c.channels, c.seed + 5), [c.n, c.size, c.size, c.channels]);
        const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          // A convolution's output is blocked on native in training; `plain` stays NHWC.
          const x = (c.afterConv ? tf.conv2d(a as tf.Tensor4D, filter, 1, "same") : a) as tf.Tensor4D;
          const { mean, variance } = tf.moments(x, [0, 1, 2]);
          return tf.sum(tf.mul(tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3), weights));
        };
        const g = tf.grads(loss)([c.afterConv ? image : plain, gamma, beta]);
        return g.map((t) => t.dataSync() as Float32Array);
      };
      const cpu = await on("cpu", grads);
      const native = await on("native", grads);
      ["dx", "dscale", "doffset"].forEach((name, i) => expectClose(native[i]!, cpu[i]!, name, c, 2e-3));
    }), { numRuns: RUNS, seed: 95 });
  });

  it("a training step never computes the gradient of the input image, with or without a bias before batch norm", async function () {
    const restore = await switchBackend("native");
    try {
      for (const useBias of [true, false]) {
        const model = tf.sequential();
        model.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: "same", useBias }));
        model.add(tf.layers.batchNormalization());
        model.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", useBias }));
        model.add(tf.layers.flatten());
        model.add(tf.layers.dense({ units: 2, activation: "softmax" }));
        model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
        const x = tf.tensor4d(randomValues(4 * 8 * 8 * 3, 51), [4, 8, 8, 3]);
        const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], "int32"), 2).toFloat();
        const profile = await tf.profile(async () => { await model.trainOnBatch(x, y); });
        const inputGradients = profile.kernels.filter((k) => k.name === "Conv2DBackpropInput").length;
        assert.equal(inputGradients, 1, `useBias ${useBias}: ${inputGradients} input gradients for two convolutions (only the second's input needs one)`);
        tf.dispose([x, y]);
        model.dispose();
      }
    } finally {
      await restore();
    }
  });

  it("trains a network with conv, pool, batch norm, dropout, a residual add and a concat (Adam) as the cpu backend does, through the fused paths, and leaks nothing", async function () {
    const build = () => {
      const input = tf.input({ shape: [16, 16, 3] });
      const conv = (filters: number, seed: number) =>
        tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }) });
      const a = conv(16, 1).apply(input) as tf.SymbolicTensor;
      const bn = tf.layers.batchNormalization().apply(conv(16, 2).apply(a)) as tf.SymbolicTensor;
      const sum = tf.layers.add().apply([a, bn]) as tf.SymbolicTensor;
      const pooled = tf.layers.maxPooling2d({ poolSize: 2 }).apply(sum) as tf.SymbolicTensor;
      const joined = tf.layers.concatenate().apply([pooled, tf.layers.averagePooling2d({ poolSize: 2 }).apply(a) as tf.SymbolicTensor]) as tf.SymbolicTensor;
      const dropped = tf.layers.dropout({ rate: 0.3, seed: 7 }).apply(tf.layers.flatten().apply(joined)) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: 4, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(dropped) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    };
    const train = async (backend: "cpu" | "native") => {
      const restore = await switchBackend(backend);
      try {
        const before = tf.memory().numTensors;
        const blockedBefore = backend === "native" ? (tf.backend() as unknown as NativeBackend).addon.tensorMemory() : null;
        const model = build();
        model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
        const x = tf.tensor4d(randomValues(8 * 16 * 16 * 3, 41), [8, 16, 16, 3]);
        const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], "int32"), 4).toFloat();
        const losses: number[] = [];
        for (let step = 0; step < 3; step++) losses.push((await model.trainOnBatch(x, y)) as number);
        // The fused training paths must be the ones that ran on native.
        const ran = new Set((await tf.profile(async () => { losses.push((await model.trainOnBatch(x, y)) as number); })).kernels.map((k) => k.name));
        const fused = ["FusedConv2D", "ConvNoteReluGrad", "ConvNoteMoments", "ConvNoteBatchNormGrad", "ConvNoteAdam"];
        if (backend === "native") {
          for (const k of fused) assert.ok(ran.has(k), `${k} did not run in a native training step`);
          // Batch norm's gradient goes through the batch's moments in its own kernel.
          assert.ok(!ran.has("ConvNoteMomentsGrad"), "the moments' gradient ran apart from batch norm's");
        }
        const weights = model.getWeights().map((t) => t.dataSync() as Float32Array);
        x.dispose();
        y.dispose();
        model.optimizer.dispose();
        model.dispose();
        if (blockedBefore !== null) {
          assert.deepEqual((tf.backend() as unknown as NativeBackend).addon.tensorMemory(), blockedBefore, "blocked results left unreleased after training");
        }
        return { losses, weights, left: tf.memory().numTensors - before };
      } finally {
        await restore();
      }
    };
    const cpu = await train("cpu");
    const native = await train("native");
    // Seeded training repeats exactly: every native reduction adds its threads' parts in order.
    const again = await train("native");
    assert.deepEqual(again.losses, native.losses, "a second identical run on native gives other losses");
    again.weights.forEach((w, i) => assert.deepEqual(w, native.weights[i], `weight ${i} differs between two identical runs`));
    expectClose(native.losses, cpu.losses, "losses", {}, 1e-3);
    // tfjs-layers itself leaves two tensors per disposed model of this kind, on every backend;
    // the native backend must leave no more.
    assert.equal(native.left, cpu.left, "tensors left behind after training and disposing, native against cpu");
    native.weights.forEach((w, i) => expectClose(w, cpu.weights[i]!, `weight ${i} after 4 steps`, {}, 2e-3));
  });
});
