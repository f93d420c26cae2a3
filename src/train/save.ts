// Saving and loading models as files in the TensorFlow.js layers format (model.json + weights
// .bin), with plain fs instead of tfjs-node's file:// handler so that it works on every backend.
// Loading also reads what Keras's tensorflowjs_converter writes: a Keras `modelTopology` and a
// weights manifest of several groups and shards. Beside the model, `convnote.json` keeps what
// `predict` and `evaluate` need to know: the network text, the class names, how it was trained.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tf } from "../backend/tf.js";
import "../layers/registry.js"; // the layer kinds register their custom tfjs layers with tf.serialization
import { keepFrozenBatchNormsInInference } from "./transfer.js";

export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";
export const INFO_FILE = "convnote.json";

/** What ConvNote writes beside a saved model, in `convnote.json`. */
export interface ModelInfo {
  format: "convnote-model";
  version: 1;
  /** The network in the ConvNote language, when the model was compiled from one. */
  source?: string;
  /** Names of the classes, in output order. */
  classNames?: string[];
  /** One example's shape, without the batch axis (e.g. [28, 28, 1]). */
  inputShape: number[];
  /** The data set it was trained on, as the CLI's --data names it (e.g. "mnist", "xo"). */
  data?: string;
  /** The seed and test-set size of the run, so that `evaluate` draws the same test images. */
  seed?: number;
  testSize?: number;
  /** How the input was fitted to the network, e.g. padded from 28x28 to 32x32. */
  preprocessing?: { padTo?: number[] };
  /** The backend that trained it (describeBackend().name). */
  backend?: string;
  training?: {
    epochs: number;
    stopReason: string;
    seconds: number;
    examplesPerSecond: number;
    last?: { loss: number; accuracy: number; valLoss?: number; valAccuracy?: number };
  };
  testAccuracy?: number;
  savedAt: string;
}

export type ModelInfoInput = Partial<Omit<ModelInfo, "format" | "version" | "savedAt">>;

export interface SavedModelFiles {
  dir: string;
  modelJson: string;
  weights: string;
  info: string;
  weightBytes: number;
}

/** tfjs 4.22 hands over weights as one ArrayBuffer or as a list of them (large models). */
function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return tf.io.CompositeArrayBuffer.join(data);
}

function inputShapeOf(model: tf.LayersModel): number[] {
  const shape = model.inputs[0]?.shape ?? [];
  return shape.slice(1).map((d) => d ?? -1);
}

/**
 * Writes `dir/model.json`, `dir/weights.bin` and `dir/convnote.json` (the directory is created).
 * The optimizer's state is not saved: a loaded model is for prediction, evaluation, transfer or
 * a new fit (which compiles a fresh optimizer).
 */
export async function saveModel(model: tf.LayersModel, dir: string, info: ModelInfoInput = {}): Promise<SavedModelFiles> {
  mkdirSync(dir, { recursive: true });
  const files: SavedModelFiles = { dir, modelJson: join(dir, MODEL_FILE), weights: join(dir, WEIGHTS_FILE), info: join(dir, INFO_FILE), weightBytes: 0 };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeightData(artifacts.weightData);
      writeFileSync(files.weights, Buffer.from(weights));
      files.weightBytes = weights.byteLength;
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy ?? "TensorFlow.js",
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      writeFileSync(files.modelJson, JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.byteLength } };
    }),
  );
  const full: ModelInfo = { format: "convnote-model", version: 1, inputShape: inputShapeOf(model), ...info, savedAt: new Date().toISOString() };
  writeFileSync(files.info, JSON.stringify(full, null, 2) + "\n");
  return files;
}

/** `dir` or `dir/model.json` or any other .json path, to the model.json file; throws naming the fix. */
export function modelJsonPath(path: string): string {
  if (!existsSync(path)) throw new Error(`no saved model at ${path}: give the folder that \`convnote train --save DIR\` wrote (it holds ${MODEL_FILE})`);
  if (statSync(path).isDirectory()) {
    const file = join(path, MODEL_FILE);
    if (!existsSync(file)) throw new Error(`${path} holds no ${MODEL_FILE}: give the folder that \`convnote train --save DIR\` or tensorflowjs_converter wrote`);
    return file;
  }
  return path;
}

function parseModelJson(file: string): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON file (${(error as Error).message})`);
  }
  const model = json as Partial<tf.io.ModelJSON> | null;
  if (model === null || typeof model !== "object" || typeof model.modelTopology !== "object" || model.modelTopology === null) {
    throw new Error(`${file}: no modelTopology; this is not a TensorFlow.js model.json`);
  }
  if (model.format === "graph-model") {
    throw new Error(`${file}: a graph model (converted from a TensorFlow SavedModel) cannot be trained or cut; convert a Keras model with tensorflowjs_converter --input_format keras --output_format tfjs_layers_model`);
  }
  return model as tf.io.ModelJSON;
}

/**
 * Reads the weight files of a manifest, relative to model.json's folder: every group's shards in
 * order, concatenated, with the weight specs in the same order (what tfjs's own loaders do).
 */
export function readWeights(manifest: tf.io.WeightsManifestConfig, baseDir: string): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const path of group.paths) {
      const file = resolve(baseDir, path);
      if (!existsSync(file)) throw new Error(`weight file ${file} is missing (listed in ${join(baseDir, MODEL_FILE)}'s weightsManifest)`);
      chunks.push(readFileSync(file));
    }
  }
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.byteLength;
  }
  const needed = specs.reduce((sum, s) => sum + specBytes(s), 0);
  if (needed !== total) {
    throw new Error(`the weight files in ${baseDir} hold ${total} bytes but the weightsManifest describes ${needed}; a shard is missing, truncated or out of order`);
  }
  return { specs, data: data.buffer };
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const stored = spec.quantization?.dtype ?? spec.dtype;
  if (spec.dtype === "string") throw new Error(`weight ${spec.name} holds strings; ConvNote models have numeric weights only`);
  return count * (BYTES_PER_VALUE[stored] ?? 4);
}

export interface LoadedModel {
  model: tf.LayersModel;
  /** convnote.json, when the folder has one (models converted from Keras do not). */
  info?: ModelInfo;
  modelJson: string;
}

/** Reads a model saved by saveModel() or converted from Keras by tensorflowjs_converter. */
export async function loadModel(path: string): Promise<LoadedModel> {
  const file = modelJsonPath(path);
  const dir = dirname(file);
  const json = parseModelJson(file);
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const { specs, data } = readWeights(manifest, dir);
    return [specs, data];
  });
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  keepFrozenBatchNormsInInference(model);
  const loaded: LoadedModel = { model, modelJson: file };
  const infoFile = join(dir, INFO_FILE);
  if (existsSync(infoFile)) loaded.info = readModelInfo(infoFile);
  return loaded;
}

export function readModelInfo(file: string): ModelInfo {
  const info = JSON.parse(readFileSync(file, "utf8")) as Partial<ModelInfo>;
  if (info.format !== "convnote-model") throw new Error(`${file}: not a ConvNote model description (format is ${JSON.stringify(info.format)})`);
  return info as ModelInfo;
}
