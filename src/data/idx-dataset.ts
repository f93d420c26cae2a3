/**
 * Turns a pair of IDX files (images [N, H, W] ubyte, labels [N] ubyte), the
 * MNIST layout, into an ImageDataset with values scaled to 0..1. Parsed files
 * are cached per process, so loading a second subset does not re-read disk.
 */

import { type ImageDataset, stratifiedIndices } from "./dataset.js";
import { type IdxArray, IdxFormatError, readIdxFile } from "./idx.js";

const cache = new Map<string, IdxArray>();

/** Reads an IDX file once per process; later calls reuse the parsed array. */
export function readIdxCached(path: string): IdxArray {
  let parsed = cache.get(path);
  if (!parsed) {
    parsed = readIdxFile(path);
    cache.set(path, parsed);
  }
  return parsed;
}

/** Forgets every cached IDX file (frees the memory of the raw bytes). */
export function clearIdxCache(): void {
  cache.clear();
}

export interface IdxPairOptions {
  name: string;
  imagesPath: string;
  labelsPath: string;
  classNames: string[];
  /** Number of images to return; all (in file order) when omitted. */
  count?: number;
  /** Seed for choosing a stratified, shuffled subset when `count` is given. */
  seed?: number;
}

export function loadIdxPair(options: IdxPairOptions): ImageDataset {
  const images = readIdxCached(options.imagesPath);
  const labels = readIdxCached(options.labelsPath);
  if (images.dtype !== "ubyte" || images.dims.length !== 3) {
    throw new IdxFormatError(
      `${options.imagesPath}: expected ubyte images with dims [N, H, W], got ${images.dtype} [${images.dims.join(", ")}]`,
    );
  }
  if (labels.dtype !== "ubyte" || labels.dims.length !== 1) {
    throw new IdxFormatError(
      `${options.labelsPath}: expected ubyte labels with dims [N], got ${labels.dtype} [${labels.dims.join(", ")}]`,
    );
  }
  const [n, h, w] = images.dims as [number, number, number];
  if (n === 0) throw new IdxFormatError(`${options.imagesPath}: holds no images (dims [${images.dims.join(", ")}]); the file is empty or was written wrongly`);
  if (labels.dims[0] !== n) {
    throw new IdxFormatError(
      `${options.name}: ${n} images in ${options.imagesPath} but ${labels.dims[0]} labels in ${options.labelsPath}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if ((labels.data[i] as number) >= options.classNames.length) {
      throw new IdxFormatError(
        `${options.labelsPath}: label ${labels.data[i]} at index ${i} is not one of the ${options.classNames.length} classes`,
      );
    }
  }

  const indices =
    options.count === undefined
      ? Array.from({ length: n }, (_, i) => i)
      : stratifiedIndices(labels.data, options.classNames.length, options.count, options.seed ?? 0);

  // Convert only the chosen images to float, so a 1,000-image subset of the
  // 60,000 training digits costs 3 MB, not 188 MB.
  const size = h * w;
  const out = new Float32Array(indices.length * size);
  const outLabels = new Int32Array(indices.length);
  indices.forEach((index, i) => {
    const from = index * size;
    for (let p = 0; p < size; p++) out[i * size + p] = (images.data[from + p] as number) / 255;
    outLabels[i] = labels.data[index] as number;
  });
  return { name: options.name, images: out, labels: outLabels, shape: [h, w, 1], classNames: [...options.classNames] };
}
