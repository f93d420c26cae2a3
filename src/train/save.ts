// Saving and loading models as files in the TensorFlow.js layers format (model.json + weights
// .bin), with plain fs instead of tfjs-node's file:// handler so that it works on every backend.
// Loading also reads what Keras's tensorflowjs_converter writes: a Keras `modelTopology` and a
// weights manifest of several groups and shards. Beside the model, `convnote.json` keeps what
// `predict` and `evaluate` need to know: the network text, the class names, how it was trained.
import { accessSync, constants, existsSync, mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { tf } from "../backend/tf.js";
import { InputFileError, readInputFile, regularFileSize } from "../data/input-file.js";
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
  makeFolder(dir);
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

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for a path under
 * /proc (ENOENT where the parent exists), which hung `convnote train --save /proc/x`.
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (existsSync(at) && !statSync(at).isDirectory()) throw new Error(`${at} is a file, not a folder`);
  for (const folder of missing) mkdirSync(folder);
}

/** `dir` or `dir/model.json` or any other .json path, to the model.json file; throws naming the fix. */
export function modelJsonPath(path: string): string {
  if (!existsSync(path)) throw new Error(`no saved model at ${path}: give the folder that \`convnote train --save DIR\` wrote (it holds ${MODEL_FILE})`);
  if (statSync(path).isDirectory()) {
    const file = join(path, MODEL_FILE);
    if (!existsSync(file)) throw new Error(`${path} holds no ${MODEL_FILE}: give the folder that \`convnote train --save DIR\` or tensorflowjs_converter wrote`);
    regularFileSize(file, `a TensorFlow.js ${MODEL_FILE}`);
    return file;
  }
  regularFileSize(path, `a TensorFlow.js ${MODEL_FILE}`);
  return path;
}

/** A model.json larger than this is not one (VGG16's topology is about 30 KB; the weights are separate). */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

function readJsonFile(file: string, what: string): unknown {
  const text = readInputFile(file, what, MAX_MODEL_JSON_BYTES).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not a readable JSON file (${(error as Error).message}); ${what} is damaged or was cut short`);
  }
}

function parseModelJson(file: string): tf.io.ModelJSON {
  const json = readJsonFile(file, `a TensorFlow.js ${MODEL_FILE}`);
  const model = json as Partial<tf.io.ModelJSON> | null;
  if (model === null || typeof model !== "object" || typeof model.modelTopology !== "object" || model.modelTopology === null) {
    throw new Error(`${file}: no modelTopology; this is not a TensorFlow.js model.json`);
  }
  if (model.format === "graph-model") {
    throw new Error(`${file}: a graph model (converted from a TensorFlow SavedModel) cannot be trained or cut; convert a Keras model with tensorflowjs_converter --input_format keras --output_format tfjs_layers_model`);
  }
  // Without a manifest tfjs builds the model with fresh random weights and says nothing.
  if (!Array.isArray(model.weightsManifest) || model.weightsManifest.length === 0) {
    throw new Error(`${file}: no weightsManifest, so it holds no trained weights (a model.json saved without its weights); save the model again with its weights file`);
  }
  for (const group of model.weightsManifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights) || group.paths.some((p) => typeof p !== "string")) {
      throw new Error(`${file}: a weightsManifest entry lacks its 'paths' (file names) or 'weights' (names, shapes, dtypes)`);
    }
  }
  return model as tf.io.ModelJSON;
}

/** `path` (from a manifest) inside `baseDir`, following links; throws when it leads outside. */
function weightFileInside(baseDir: string, path: string, manifestFile: string): string {
  const file = resolve(baseDir, path);
  const outside = (from: string, to: string) => {
    const r = relative(from, to);
    return r === "" || r === ".." || r.startsWith(`..${sep}`) || isAbsolute(r);
  };
  let real: string | null = null;
  try {
    real = realpathSync(file);
  } catch {
    // missing: reported by the caller, with the file's name
  }
  if (isAbsolute(path) || outside(baseDir, file) || (real !== null && outside(realpathSync(baseDir), real))) {
    throw new Error(`${manifestFile}: weight file '${path}' is outside the model's folder; a saved model's weights are files in its own folder`);
  }
  return file;
}

/**
 * Reads the weight files of a manifest, relative to model.json's folder: every group's shards in
 * order, concatenated, with the weight specs in the same order (what tfjs's own loaders do).
 * The files are untrusted: each must be a regular file inside the folder, and their sizes must
 * add up to what the manifest describes before any is read; float weights must be finite.
 */
export function readWeights(manifest: tf.io.WeightsManifestConfig, baseDir: string): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const manifestFile = join(baseDir, MODEL_FILE);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const files: string[] = [];
  let total = 0;
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const path of group.paths) {
      const file = weightFileInside(baseDir, path, manifestFile);
      if (!existsSync(file)) throw new Error(`weight file ${file} is missing (listed in ${manifestFile}'s weightsManifest)`);
      try {
        total += regularFileSize(file, "a weights file");
      } catch (error) {
        if (error instanceof InputFileError) throw new Error(`${error.message} (listed in ${manifestFile}'s weightsManifest)`);
        throw error;
      }
      files.push(file);
    }
  }
  const needed = specs.reduce((sum, s) => sum + specBytes(s), 0);
  if (needed !== total) {
    throw new Error(`the weight files in ${baseDir} hold ${total} bytes but the weightsManifest describes ${needed}; a shard is missing, truncated or out of order`);
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const file of files) {
    const chunk = readInputFile(file, "a weights file");
    if (at + chunk.byteLength > total) throw new Error(`${file} grew while it was read; read the model again`);
    data.set(chunk, at);
    at += chunk.byteLength;
  }
  checkFiniteWeights(specs, data, baseDir);
  return { specs, data: data.buffer };
}

/** NaN or infinite float weights (a model saved after training diverged) are an error naming the weight. */
function checkFiniteWeights(specs: readonly tf.io.WeightsManifestEntry[], data: Uint8Array, baseDir: string): void {
  let offset = 0;
  for (const spec of specs) {
    const bytes = specBytes(spec);
    if (spec.dtype === "float32" && spec.quantization === undefined) {
      const values = new Float32Array(data.buffer.slice(offset, offset + bytes));
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new Error(
          `the model in ${baseDir} has a weight that is ${values[bad]} (${spec.name}, value ${bad + 1} of ${values.length}): ` +
            "it was saved after training diverged; train it again, with a smaller learning rate",
        );
      }
    }
    offset += bytes;
  }
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
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new Error(`${file}: ${modelLoadProblem((error as Error).message)}`);
  }
  keepFrozenBatchNormsInInference(model);
  const loaded: LoadedModel = { model, modelJson: file };
  const infoFile = join(dir, INFO_FILE);
  if (existsSync(infoFile)) loaded.info = readModelInfo(infoFile);
  return loaded;
}

/** tfjs's message for a model it cannot build, in one line that names what to do. */
function modelLoadProblem(message: string): string {
  const unknown = /Unknown layer: ([^.\s]+)/.exec(message);
  if (unknown) {
    return `layer class '${unknown[1]}' is neither a TensorFlow.js layer nor one of ConvNote's; ` +
      "the model was saved by a program with custom layers (load it there, or convert it with standard Keras layers)";
  }
  const first = message.split("\n")[0]!;
  return `cannot build the model it describes (${first.length > 300 ? `${first.slice(0, 300)}...` : first})`;
}

export function readModelInfo(file: string): ModelInfo {
  const info = readJsonFile(file, `ConvNote's model description (${INFO_FILE})`) as Partial<ModelInfo> | null;
  if (info === null || typeof info !== "object" || info.format !== "convnote-model") {
    throw new Error(`${file}: not a ConvNote model description (format is ${JSON.stringify(info?.format)}); remove it or save the model again`);
  }
  return info as ModelInfo;
}

/**
 * Checks, before a long training run, that `dir` can receive the saved model: the folder exists
 * (or is made) and a file can be written in it. Throws naming the folder.
 */
export function checkSaveTarget(dir: string): void {
  try {
    makeFolder(dir);
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.convnote-write-test-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code ? (error as Error).message.replace(/^\w+: /, "") : (error as Error).message;
    throw new Error(`cannot save to ${dir}: ${message}`);
  }
}
