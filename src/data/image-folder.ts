/**
 * Image files as model input: one file (decoded, resized, greyscale or RGB) or a folder with
 * one sub-folder per class as an ImageDataset. The images themselves are src/image's.
 */

import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { decodeImage, type DecodeOptions } from "../image/codecs.js";
import { type Image, resize, toChannels } from "../image/image.js";
import type { ImageDataset } from "./dataset.js";
import { readInputFile } from "./input-file.js";

/** Target size of loaded images; omit height/width to keep the file's size. */
export interface ImageLoadOptions extends DecodeOptions {
  height?: number;
  width?: number;
  /** 1 = greyscale (luma), 3 = RGB. Default 3. */
  channels?: 1 | 3;
}

/** An image file is at most this large on disk (a 50-megapixel PNG is well under it). */
const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;

/** Decodes, then resizes and converts as asked. */
export function prepareImage(image: Image, options: ImageLoadOptions = {}): Image {
  const height = options.height ?? image.height;
  const width = options.width ?? image.width;
  const sized = height === image.height && width === image.width ? image : resize(image, height, width);
  return toChannels(sized, options.channels ?? 3);
}

/** Reads a PNG or JPEG file, optionally resized to height x width with 1 or 3 channels. */
export function readImageFile(path: string, options: ImageLoadOptions = {}): Image {
  const bytes = readInputFile(path, "a PNG or JPEG image", MAX_IMAGE_FILE_BYTES);
  return prepareImage(decodeImage(bytes, path, options.maxMegapixels === undefined ? {} : { maxMegapixels: options.maxMegapixels }), options);
}

export interface ImageFolderOptions extends DecodeOptions {
  height: number;
  width: number;
  channels?: 1 | 3;
  name?: string;
}

const isHidden = (name: string): boolean => name.startsWith(".") || name === "Thumbs.db" || name === "desktop.ini";

/**
 * Loads `dir/<class name>/<image files>` as a data set. Classes are the
 * sub-folders in sorted order; files in the top folder are ignored, hidden
 * files (".DS_Store", "Thumbs.db") are skipped; any other file that is not a
 * PNG or JPEG is an error naming it.
 */
export function loadImageFolder(dir: string, options: ImageFolderOptions): ImageDataset {
  const channels = options.channels ?? 3;
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new Error(`loadImageFolder: cannot read folder ${dir} (${(err as Error).message})`);
  }
  const classNames = entries.filter((e) => !isHidden(e) && statSync(join(dir, e)).isDirectory());
  if (classNames.length === 0) {
    throw new Error(`loadImageFolder: ${dir} has no sub-folders; put each class's images in its own sub-folder (${dir}/cat/1.png, ${dir}/dog/1.jpg, ...)`);
  }
  const pictures: Float32Array[] = [];
  const labels: number[] = [];
  classNames.forEach((className, label) => {
    const classDir = join(dir, className);
    for (const file of readdirSync(classDir).sort()) {
      if (isHidden(file)) continue;
      const path = join(classDir, file);
      if (statSync(path).isDirectory()) {
        throw new Error(`loadImageFolder: ${path} is a folder; class folders must hold image files only (one level deep)`);
      }
      const load: ImageLoadOptions = { height: options.height, width: options.width, channels };
      if (options.maxMegapixels !== undefined) load.maxMegapixels = options.maxMegapixels;
      pictures.push(readImageFile(path, load).data);
      labels.push(label);
    }
  });
  if (pictures.length === 0) throw new Error(`loadImageFolder: no image files found under ${dir}`);
  const size = options.height * options.width * channels;
  const images = new Float32Array(pictures.length * size);
  pictures.forEach((p, i) => images.set(p, i * size));
  return {
    name: options.name ?? basename(dir),
    images,
    labels: Int32Array.from(labels),
    shape: [options.height, options.width, channels],
    classNames,
  };
}
