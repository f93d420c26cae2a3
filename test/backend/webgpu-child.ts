/**
 * Run by webgpu.test.ts as a child process with CONVNOTE_BACKEND=webgpu and SwiftShader's
 * Vulkan driver in its environment (never in the mocha process): ConvNote end to end on the
 * webgpu backend, compared with the CPU backend in the same process. Prints one JSON object.
 *
 *   node webgpu-child.js agree   a ConvNet with conv, BN, LRN, pool, a residual add, a concat
 *                                and dropout: a few SGD steps on webgpu, then the same on cpu
 *   node webgpu-child.js views   fit with an interrupt, filters, activations, saliency,
 *                                evaluate, save/load and transfer learning on webgpu
 *   node webgpu-child.js ops     forward values and input gradients of every op ConvNote's
 *                                layers use, webgpu (with its kernel fills) against cpu
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { activateBackend, initBackend, tf, type BackendReport } from "../../src/backend/index.js";
import { compileNetwork } from "../../src/compile/index.js";
import { generateXO } from "../../src/data/index.js";
import { showActivations, showFilters } from "../../src/notebook-api/model-views.js";
import { saliencyMap } from "../../src/notebook-api/saliency.js";
import { checkOrThrow } from "../../src/shapes/check.js";
import { evaluate, fit, loadModel, saveModel, transfer } from "../../src/train/index.js";
import { closeness, poolReference, randomValues } from "./reference.js";

/** Every layer kind the acceptance test names, small enough for a software GPU. */
export const AGREE_NET =
  "INPUT 10x10x3 CONV3-8 BN RELU LRN(size=3) POOL2 RES[CONV3-8 BN RELU CONV3-8 BN] { CONV1-4 | CONV3-4 } DROPOUT0.25 FC-3 SOFTMAX";
const BATCH = 8;
const STEPS = 3;

function batches(): { x: tf.Tensor; y: tf.Tensor }[] {
  return Array.from({ length: STEPS }, (_, i) => {
    const labels = Array.from({ length: BATCH }, (_, j) => (i + j) % 3);
    return {
      x: tf.tensor(randomValues(BATCH * 10 * 10 * 3, 100 + i), [BATCH, 10, 10, 3]),
      y: tf.oneHot(tf.tensor1d(labels, "int32"), 3).toFloat(),
    };
  });
}

/** Trains STEPS batches of SGD on the active backend; losses, then every weight and a prediction. */
async function trainSteps(): Promise<{ losses: number[]; weights: Float32Array[]; prediction: Float32Array }> {
  const model = compileNetwork(checkOrThrow(AGREE_NET), { seed: 1 }).model;
  // The same dropout mask on both backends: tfjs draws a seeded mask on the CPU. (Only here:
  // a fixed seed repeats the mask every step, which training must not do.)
  for (const layer of model.layers) if (layer.getClassName() === "Dropout") (layer as unknown as { seed: number }).seed = 7;
  model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
  const data = batches();
  const losses: number[] = [];
  for (const { x, y } of data) {
    const loss = (await model.trainOnBatch(x, y)) as number;
    losses.push(loss);
  }
  const weights: Float32Array[] = [];
  for (const w of model.getWeights()) weights.push((await w.data()) as Float32Array);
  const out = model.predict(data[0]!.x) as tf.Tensor;
  const prediction = (await out.data()) as Float32Array;
  out.dispose();
  tf.dispose(data.flatMap((d) => [d.x, d.y]));
  model.optimizer.dispose();
  model.dispose();
  return { losses, weights, prediction };
}

function maxDifference(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let worst = 0;
  a.forEach((values, i) => {
    for (let j = 0; j < values.length; j++) worst = Math.max(worst, Math.abs(values[j]! - b[i]![j]!));
  });
  return worst;
}

export interface AgreeRun {
  backend: string;
  tfjsBackend: string;
  device: string;
  gpuSeconds: number;
  losses: number[];
  cpuLosses: number[];
  maxWeightDifference: number;
  maxPredictionDifference: number;
  weightCount: number;
}

/** What is wrong with an `agree` run (empty when webgpu matched the CPU backend). */
export function agreeProblems(run: AgreeRun): string[] {
  const problems: string[] = [];
  if (run.losses.length !== STEPS) problems.push(`${run.losses.length} losses, not ${STEPS}`);
  run.losses.forEach((loss, i) => {
    if (!(Math.abs(loss - run.cpuLosses[i]!) < 1e-4)) problems.push(`step ${i}: loss ${loss} on ${run.backend}, ${run.cpuLosses[i]} on cpu`);
  });
  if (run.weightCount < 15) problems.push(`${run.weightCount} weight tensors`);
  if (!(run.maxWeightDifference < 1e-4)) problems.push(`weights after training differ by ${run.maxWeightDifference}`);
  if (!(run.maxPredictionDifference < 1e-4)) problems.push(`predictions differ by ${run.maxPredictionDifference}`);
  return problems;
}

async function agree(report: BackendReport): Promise<AgreeRun> {
  const started = performance.now();
  const gpu = await trainSteps();
  const gpuSeconds = (performance.now() - started) / 1000;
  await activateBackend("cpu", { makeCurrent: false });
  const cpu = await trainSteps();
  return {
    backend: report.name,
    tfjsBackend: report.tfjsBackend,
    device: report.device,
    gpuSeconds,
    losses: gpu.losses,
    cpuLosses: cpu.losses,
    maxWeightDifference: maxDifference(gpu.weights, cpu.weights),
    maxPredictionDifference: maxDifference([gpu.prediction], [cpu.prediction]),
    weightCount: gpu.weights.length,
  };
}

async function views(report: BackendReport) {
  const train = generateXO({ count: 48, size: 12, seed: 1, variations: "translation" });
  const test = generateXO({ count: 16, size: 12, seed: 2, variations: "translation" });
  const network = checkOrThrow("INPUT 12x12x1 CONV3-4 POOL2 CONV3-8 POOL2 FC-2 SOFTMAX");
  const model = compileNetwork(network, { seed: 1 }).model;
  // Interrupt: the signal aborts after the second batch; fit stops there, keeping the weights.
  const abort = new AbortController();
  let seen = 0;
  const interrupted = await fit(model, train, {
    settings: { epochs: 3, batchSize: 8, validationSplit: 0 },
    signal: abort.signal,
    onBatchEnd: () => {
      if (++seen === 2) abort.abort();
    },
  });
  const history = await fit(model, train, { settings: { epochs: 2, batchSize: 8, validationSplit: 0 } });
  const result = await evaluate(model, test);
  const filters = await showFilters(model, "CONV1");
  const activations = await showActivations(model, "CONV1", test, 0);
  const saliency = await saliencyMap(model, test, 0);
  // Save and load: the loaded model predicts what the trained one does.
  const dir = mkdtempSync(join(tmpdir(), "convnote-webgpu-"));
  let loadedDifference: number;
  try {
    await saveModel(model, dir, { source: "webgpu test" });
    const loaded = await loadModel(dir);
    const x = tf.tensor(test.images, [16, 12, 12, 1]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.model.predict(x) as tf.Tensor];
    loadedDifference = maxDifference([await a.data()], [await b.data()]);
    tf.dispose([x, a, b]);
    loaded.model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Transfer learning: the base frozen, a new head trained on a new task.
  const extractor = transfer(model, { cutAfter: "POOL2", head: "FC-2 SOFTMAX", freeze: "base", seed: 3 });
  const frozenBefore = (await extractor.getLayer("conv1").getWeights()[0]!.data()).slice();
  const transferHistory = await fit(extractor, generateXO({ count: 32, size: 12, seed: 5, variations: "mixed" }), { settings: { epochs: 1, batchSize: 8, validationSplit: 0 } });
  const frozenAfter = await extractor.getLayer("conv1").getWeights()[0]!.data();
  let syncReadError = "";
  try {
    (model.predict(tf.zeros([1, 12, 12, 1])) as tf.Tensor).dataSync();
  } catch (e) {
    syncReadError = (e as Error).message;
  }
  return {
    backend: report.name,
    historyBackend: history.backend,
    interrupted: { stopReason: interrupted.stopReason, batches: interrupted.batches.length },
    losses: history.epochs.map((e) => e.loss),
    accuracy: result.accuracy,
    filtersPng: typeof filters["image/png"] === "string" ? filters["image/png"].length : 0,
    activationsPng: typeof activations["image/png"] === "string" ? activations["image/png"].length : 0,
    saliency: { shape: saliency.shape, largest: Math.max(...saliency.values) },
    loadedDifference,
    transfer: { losses: transferHistory.epochs.map((e) => e.loss), frozenChanged: maxDifference([frozenBefore], [frozenAfter]) },
    syncReadError,
    tensorsLeft: tf.memory().numTensors,
  };
}

type Params = Record<"conv" | "bias" | "dw" | "pw" | "alpha" | "c1" | "beta" | "gamma", tf.Tensor>;
const X_SHAPE = [2, 9, 9, 4];

/** Ops behind ConvNote's layers; each maps x (and fixed parameters) to a tensor. */
const OPS: Record<string, (x: tf.Tensor4D, p: Params) => tf.Tensor> = {
  "conv stride 2 same": (x, p) => tf.conv2d(x, p.conv as tf.Tensor4D, 2, "same"),
  "conv stride 3 valid": (x, p) => tf.conv2d(x, p.conv as tf.Tensor4D, 3, "valid"),
  "conv stride 4 same": (x, p) => tf.conv2d(x, p.conv as tf.Tensor4D, 4, "same"),
  "conv explicit padding": (x, p) => tf.conv2d(x, p.conv as tf.Tensor4D, 1, [[0, 0], [1, 2], [2, 0], [0, 0]]),
  "conv dilation 2": (x, p) => tf.conv2d(x, p.conv as tf.Tensor4D, 1, "same", "NHWC", 2),
  "fused conv + bias + relu": (x, p) => tf.fused.conv2d({ x, filter: p.conv as tf.Tensor4D, strides: 1, pad: "same", bias: p.bias, activation: "relu" }),
  "fused conv dilation 2": (x, p) => tf.fused.conv2d({ x, filter: p.conv as tf.Tensor4D, strides: 1, pad: "same", dilations: 2, bias: p.bias }),
  "depthwise stride 2": (x, p) => tf.depthwiseConv2d(x, p.dw as tf.Tensor4D, 2, "valid"),
  "separable": (x, p) => tf.separableConv2d(x, p.dw as tf.Tensor4D, p.pw as tf.Tensor4D, 1, "same"),
  "conv1d dilation 2": (x, p) => tf.conv1d(x.reshape([2, 81, 4]) as tf.Tensor3D, p.c1 as tf.Tensor3D, 1, "same", "NWC", 2),
  "max pool 3/2 same": (x) => tf.maxPool(x, 3, 2, "same"),
  "max pool 2/2 valid": (x) => tf.maxPool(x, 2, 2, "valid"),
  "avg pool 3/2 same": (x) => tf.avgPool(x, 3, 2, "same"),
  "avg pool 2/2 same": (x) => tf.avgPool(x, 2, 2, "same"),
  "avg pool 3/1 same": (x) => tf.avgPool(x, 3, 1, "same"),
  "global average pool": (x) => tf.mean(x, [1, 2]),
  "global max pool": (x) => tf.max(x, [1, 2]),
  "batch norm (training)": (x, p) => {
    const m = tf.moments(x, [0, 1, 2]);
    return tf.batchNorm(x, m.mean, m.variance, p.beta, p.gamma, 1e-3);
  },
  "LRN": (x) => tf.localResponseNormalization(x, 2, 1, 1e-2, 0.75),
  "elu": (x) => tf.elu(x),
  "selu": (x) => tf.selu(x),
  "softplus": (x) => tf.softplus(x),
  "sigmoid": (x) => tf.sigmoid(x),
  "tanh": (x) => tf.tanh(x),
  "leaky relu": (x) => tf.leakyRelu(x, 0.1),
  "prelu": (x, p) => tf.prelu(x, p.alpha),
  "relu6": (x) => tf.relu6(x),
  "softmax": (x) => tf.softmax(x.reshape([2, -1])),
  "pad, slice, concat": (x) => tf.concat([tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]).slice([0, 1, 1, 0], [2, 9, 9, 2]), x], 3),
};

async function opsOnBackend(): Promise<Record<string, { y: number[]; dx: number[] } | { error: string }>> {
  const out: Record<string, { y: number[]; dx: number[] } | { error: string }> = {};
  const shapes: Record<keyof Params, number[]> = { conv: [3, 3, 4, 5], bias: [5], dw: [3, 3, 4, 2], pw: [1, 1, 8, 5], alpha: [4], c1: [3, 4, 5], beta: [4], gamma: [4] };
  for (const [name, f] of Object.entries(OPS)) {
    const made: tf.Tensor[] = [];
    try {
      const x = tf.tensor4d(randomValues(2 * 9 * 9 * 4, 1), X_SHAPE as [number, number, number, number]);
      const p = Object.fromEntries(Object.entries(shapes).map(([k, s], i) => [k, tf.tensor(randomValues(s.reduce((a, b) => a * b, 1), 2 + i), s)])) as Params;
      made.push(x, ...Object.values(p));
      const y = f(x, p);
      const r = tf.tensor(randomValues(y.size, 11), y.shape);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, p), r)))(x);
      made.push(y, r, dx);
      out[name] = { y: Array.from(await y.data()), dx: Array.from(await dx.data()) };
    } catch (e) {
      out[name] = { error: (e as Error).message.split("\n")[0]! };
    } finally {
      tf.dispose(made);
    }
  }
  return out;
}

export type OpResult = { y: number[]; dx: number[] } | { error: string };
export interface OpsRun {
  gpu: Record<string, OpResult>;
  cpu: Record<string, OpResult>;
  textbookAvgPoolDx: number[];
}

/** What is wrong with an `ops` run (empty when every op matched the CPU backend and the textbook). */
export function opsProblems(run: OpsRun): string[] {
  const problems: string[] = [];
  const names = Object.keys(run.cpu);
  if (names.length < 25) problems.push(`only ${names.length} ops`);
  for (const name of names) {
    const [gpu, cpu] = [run.gpu[name], run.cpu[name]];
    if (gpu === undefined || "error" in gpu) problems.push(`${name} on the GPU: ${gpu === undefined ? "missing" : gpu.error}`);
    if (cpu === undefined || "error" in cpu) problems.push(`${name} on cpu: ${cpu === undefined ? "missing" : cpu.error}`);
    if (gpu === undefined || cpu === undefined || "error" in gpu || "error" in cpu) continue;
    for (const part of ["y", "dx"] as const) {
      const r = closeness(gpu[part], cpu[part], 1e-4, 1e-4);
      if (!r.ok) problems.push(`${name}: ${part} differs from cpu (${r.worst})`);
    }
  }
  const avg = run.gpu["avg pool 3/2 same"];
  if (avg === undefined || "error" in avg) problems.push("avg pool 3/2 same did not run");
  else {
    const r = closeness(avg.dx, run.textbookAvgPoolDx, 1e-5, 1e-5);
    if (!r.ok) problems.push(`avg pool gradient vs the textbook loops: ${r.worst}`);
  }
  return problems;
}

async function ops(report: BackendReport) {
  const gpu = await opsOnBackend();
  // The avg-pool gradient against the textbook loops too (the fill's reason to exist).
  const c = { n: 2, h: 9, w: 9, ci: 4, fh: 3, fw: 3, stride: [2, 2] as [number, number], pad: "same" as const };
  const x = randomValues(2 * 9 * 9 * 4, 1);
  const r = randomValues(2 * 5 * 5 * 4, 11);
  const textbook = Array.from(poolReference("avg", c, x, r).dx);
  await activateBackend("cpu", { makeCurrent: false });
  const cpu = await opsOnBackend();
  return { backend: report.name, kernelFills: report.kernelFills, gpu, cpu, textbookAvgPoolDx: textbook };
}

async function main(): Promise<void> {
  const report = await initBackend();
  const mode = process.argv[2];
  const run = { agree, views, ops }[mode as "agree" | "views" | "ops"];
  if (run === undefined) throw new Error(`usage: webgpu-child.js agree|views|ops, not ${mode}`);
  const out = await run(report);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
