// What does one unit respond to? Run a data set through the network and keep the k images that
// excite the unit most (Zeiler & Fergus 2013 show such sets for units of every layer). A unit of
// a CONV layer is one channel: its response to an image is the largest value of its map, since
// the same filter looks for its pattern everywhere. A unit of an FC layer is one neuron.
import { tf } from "../backend/tf.js";
import { formatNumber } from "../render/format.js";
import type { MimeBundle } from "../render/mime.js";
import { renderTopImages, type TopImageItem, type TopImagesOptions } from "../render/top-images.js";
import { exampleCount, toTensors, type Examples } from "../train/examples.js";
import { layerNamed, modelUpTo } from "./probe.js";

export interface TopActivationOptions {
  /** How many images to keep. */
  k?: number;
  /** Examples per forward pass. */
  batchSize?: number;
}

export const TOP_ACTIVATION_DEFAULTS = { k: 9, batchSize: 256 };

export interface UnitResponse {
  /** The example's index in the data set. */
  index: number;
  /** The unit's response: the largest value of its map (CONV), or its output (FC). */
  value: number;
  label: number;
  /** The unit's map for this example, mapShape row-major; absent for an FC unit. */
  map?: Float32Array;
}

export interface TopActivations {
  /** The layer's slide name, upper case. */
  layer: string;
  channel: number;
  /** How many channels (or units) the layer has. */
  channels: number;
  /** [h, w] of one channel's map; undefined for an FC layer. */
  mapShape?: [number, number];
  /** Strongest first; ties keep data-set order. */
  top: UnitResponse[];
  /** How many examples were ranked. */
  count: number;
}

/** One value per example: the unit's strongest response, computed in batches, read asynchronously. */
async function responses(probe: tf.LayersModel, examples: Examples, channel: number, batchSize: number): Promise<Float32Array> {
  const n = exampleCount(examples);
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const values = tf.tidy(() => {
      const output = probe.predict(toTensors(examples, start, end).x, { batchSize: end - start }) as tf.Tensor;
      const unit = output.gather([channel], output.rank - 1).reshape([end - start, -1]);
      return unit.max(1);
    });
    try {
      out.set(await values.data(), start);
    } finally {
      values.dispose();
    }
  }
  return out;
}

/** The k examples of `examples` that excite `channel` of `layer` most, with their maps. */
export async function topActivations(model: tf.LayersModel, layer: string, examples: Examples, channel: number, options: TopActivationOptions = {}): Promise<TopActivations> {
  const k = options.k ?? TOP_ACTIVATION_DEFAULTS.k;
  const batchSize = options.batchSize ?? TOP_ACTIVATION_DEFAULTS.batchSize;
  const target = layerNamed(model, layer);
  const shape = target.outputShape as (number | null)[];
  if (shape.length !== 4 && shape.length !== 2) {
    throw new Error(`topActivations: ${layer} outputs [${shape.slice(1).join("x")}]; pick a CONV, POOL or FC layer (an image volume or a vector)`);
  }
  const channels = shape[shape.length - 1]!;
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
    throw new RangeError(`topActivations: ${layer} has channels 0..${channels - 1}, not ${channel}`);
  }
  const n = exampleCount(examples);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topActivations: k must be a positive whole number, got ${k}`);
  const probe = modelUpTo(model, target);
  const values = await responses(probe, examples, channel, batchSize);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  const chosen = order.slice(0, Math.min(k, n));
  const mapShape: [number, number] | undefined = shape.length === 4 ? [shape[1]!, shape[2]!] : undefined;

  const top: UnitResponse[] = chosen.map((index) => ({ index, value: values[index]!, label: examples.labels[index]! }));
  if (mapShape) {
    const [h, w] = mapShape;
    const size = examples.shape.reduce((a, b) => a * b, 1);
    const inputs = new Float32Array(chosen.length * size);
    chosen.forEach((index, i) => inputs.set(examples.images.subarray(index * size, (index + 1) * size), i * size));
    const mapTensor = tf.tidy(() => {
      const output = probe.predict(tf.tensor(inputs, [chosen.length, ...examples.shape]), { batchSize: chosen.length }) as tf.Tensor;
      return output.gather([channel], 3);
    });
    let maps: Float32Array;
    try {
      maps = Float32Array.from(await mapTensor.data());
    } finally {
      mapTensor.dispose();
    }
    top.forEach((t, i) => (t.map = Float32Array.from(maps.subarray(i * h * w, (i + 1) * h * w))));
  }
  return { layer: layer.toUpperCase(), channel, channels, ...(mapShape ? { mapShape } : {}), top, count: n };
}

/** The k images that excite one unit most, each labelled with its class and the response, its map under it. */
export async function showTopImages(model: tf.LayersModel, layer: string, examples: Examples, channel: number, options: TopActivationOptions & TopImagesOptions = {}): Promise<MimeBundle> {
  const found = await topActivations(model, layer, examples, channel, options);
  const size = examples.shape.reduce((a, b) => a * b, 1);
  const items: TopImageItem[] = found.top.map((t) => {
    const item: TopImageItem = {
      image: { values: examples.images.subarray(t.index * size, (t.index + 1) * size), shape: examples.shape },
      label: `${examples.classNames[t.label] ?? t.label} #${t.index}\n${formatNumber(t.value, 3)}`,
    };
    if (t.map && found.mapShape) item.map = { values: t.map, shape: found.mapShape };
    return item;
  });
  const what = found.mapShape ? `the largest value of its ${found.mapShape.join("x")} map` : "its output";
  // After ReLU a unit that no image makes positive is "dead": its ranking means nothing.
  const silent = found.top[0]!.value <= 0 ? `; no image gives a response above ${formatNumber(found.top[0]!.value, 3)}: the unit is silent (dead) on this data` : "";
  const title = options.title ?? `${found.layer} channel ${channel} of ${found.channels}: the ${found.top.length} of ${found.count} images with the strongest response (${what})${silent}`;
  return renderTopImages(items, { ...options, title });
}
