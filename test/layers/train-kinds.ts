// Run as a child process by backends.test.ts: `node train-kinds.js <backend>` trains one small
// network per new layer kind on that backend (forced, so it fails if the backend cannot start), and
// prints one JSON line per network: whether the loss fell and which weights did not move.
import { activateBackend, tf } from "../../src/backend/index.js";
import type { BackendChoice } from "../../src/backend/select.js";
import { compileNetwork } from "../../src/compile/index.js";
import { checkOrThrow } from "../../src/shapes/check.js";
import { compileForTraining, trainedModel } from "../../src/train/fit.js";
import { optimizer, trainingSettings } from "../../src/train/settings.js";

/** One network per kind the language gained with issue 11 (and INPUT ?x?, AUX). */
export const kindNetworks: readonly string[] = [
  "INPUT 8x8x4 CONV3-8/g2 CONV3-8/g4/s2 GAP FC-2 SOFTMAX",
  "INPUT 8x8x3 DWCONV3-2 SEPCONV3-8/s2 GAP FC-2 SOFTMAX",
  "INPUT 4x4x3 DECONV4-6/s2/p1 UPSAMPLE2 CONV3-4/s2 GAP FC-2 SOFTMAX",
  "INPUT 9x9x2 LOCAL3-4/t2 CONV3-8 MAXOUT2 LOCAL3-4/s2 FC-4 MAXOUT2 FC-2 SOFTMAX",
  "INPUT1D 12 EMBED20-4 CONV3-4 GMP FC-2 SOFTMAX",
  "INPUT 10x10x2 AUGMENT(flip, crop=8, translate=0.1, rotate=10) CONV3-4 GAP FC-2 SOFTMAX",
  "INPUT ?x?x2 CONV3-4 SEPCONV3-4/s2 GAP FC-2 SOFTMAX",
  "INPUT 8x8x1 CONV3-4 AUX(weight=0.3)[GAP FC-2 SOFTMAX] CONV3-4 GAP FC-2 SOFTMAX",
];

export interface KindRun {
  network: string;
  backend: string;
  firstLoss: number;
  lastLoss: number;
  /** Trainable weights that did not change: no gradient reached them. */
  unmoved: string[];
}

async function train(text: string, epochs: number): Promise<KindRun> {
  const network = checkOrThrow(text);
  const { model, training } = compileNetwork(network, { seed: 7 });
  const shape = network.input.outputShape.map((v) => (Number.isFinite(v) ? v : 9));
  const x = text.includes("EMBED") ? tf.floor(tf.randomUniform([16, ...shape], 0, 20, "float32", 3)) : tf.randomNormal([16, ...shape], 0, 1, "float32", 11);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), "int32"), 2);
  compileForTraining(model, trainingSettings({ optimizer: optimizer("adam", { learningRate: 0.01 }) }));
  const trained = trainedModel(model);
  const y = training ? tf.tile(labels, [1, training.outputs.length]) : labels;
  const before = trained.trainableWeights.map((w) => w.read().clone());
  const history = await trained.fit(x, y, { epochs, batchSize: 8, shuffle: false, verbose: 0 });
  const losses = history.history["loss"] as number[];
  const unmoved: string[] = [];
  // Read with data(): the webgpu backend in Node cannot read a GPU tensor synchronously.
  for (const [i, w] of trained.trainableWeights.entries()) if ((await tf.sub(w.read(), before[i]!).abs().max().data())[0] === 0) unmoved.push(w.name);
  tf.dispose([x, y, labels, ...before]);
  model.dispose();
  return { network: text, backend: tf.getBackend(), firstLoss: losses[0]!, lastLoss: losses[losses.length - 1]!, unmoved };
}

async function main(): Promise<void> {
  const [choice, epochs] = process.argv.slice(2);
  await activateBackend(choice as BackendChoice);
  for (const text of kindNetworks) process.stdout.write(JSON.stringify(await train(text, Number(epochs ?? 8))) + "\n");
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
