/**
 * Image files to arrays: PNG (pngjs) and JPEG (jpeg-js) decoding, bilinear
 * resizing, greyscale conversion, and a folder loader (one sub-folder per
 * class) that returns an ImageDataset.
 *
 * Every array here is row-major HWC with values 0..1 (0 = black).
 * The format is recognised from the file's first bytes, not its name.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import * as jpeg from "jpeg-js";
import { PNG } from "pngjs";
import type { ImageDataset } from "./dataset.js";

/** One decoded image: height*width*channels values, row-major HWC, 0..1. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

/** Raised for files that are not (readable) PNG or JPEG; names the file and the fix. */
export class UnsupportedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedImageError";
  }
}

const SIGNATURES: { format: string; bytes: number[] }[] = [
  { format: "png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: "jpeg", bytes: [0xff, 0xd8, 0xff] },
  // Recognised only to say what they are in the error message.
  { format: "GIF", bytes: [0x47, 0x49, 0x46, 0x38] },
  { format: "BMP", bytes: [0x42, 0x4d] },
  { format: "TIFF", bytes: [0x49, 0x49, 0x2a, 0x00] },
  { format: "TIFF", bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { format: "WebP", bytes: [0x52, 0x49, 0x46, 0x46] },
];

/** "png", "jpeg", the name of another known image format, or null. */
export function sniffImageFormat(bytes: Uint8Array): string | null {
  for (const { format, bytes: sig } of SIGNATURES) {
    if (bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b)) return format;
  }
  return null;
}

/**
 * Decodes PNG or JPEG bytes to RGB, 0..1. Transparent PNG pixels are blended
 * over white (alpha is not kept). `source` names the file in errors.
 */
export function decodeImage(bytes: Uint8Array, source = "image"): DecodedImage {
  const format = sniffImageFormat(bytes);
  let rgba: { width: number; height: number; data: Uint8Array };
  if (format === "png") {
    try {
      rgba = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      throw new UnsupportedImageError(`${source}: PNG file cannot be decoded (${(err as Error).message}); it is probably damaged`);
    }
  } else if (format === "jpeg") {
    try {
      rgba = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    } catch (err) {
      throw new UnsupportedImageError(`${source}: JPEG file cannot be decoded (${(err as Error).message}); it is probably damaged`);
    }
  } else {
    const what = format ? `a ${format} image` : "not a PNG or JPEG image";
    throw new UnsupportedImageError(
      `${source}: ${what}; ConvNote reads PNG and JPEG files only. Convert it first, e.g. \`convert ${basename(source)} out.png\` (ImageMagick)`,
    );
  }
  const { width, height } = rgba;
  const data = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const alpha = (rgba.data[p * 4 + 3] as number) / 255;
    for (let c = 0; c < 3; c++) {
      data[p * 3 + c] = ((rgba.data[p * 4 + c] as number) / 255) * alpha + (1 - alpha);
    }
  }
  return { width, height, channels: 3, data };
}

/** Luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B); greyscale input is returned as is. */
export function toGreyscale(image: DecodedImage): DecodedImage {
  if (image.channels === 1) return image;
  const n = image.width * image.height;
  const data = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    data[p] =
      0.299 * (image.data[p * 3] as number) + 0.587 * (image.data[p * 3 + 1] as number) + 0.114 * (image.data[p * 3 + 2] as number);
  }
  return { width: image.width, height: image.height, channels: 1, data };
}

/** Converts to 1 (greyscale) or 3 (grey copied into R, G, B) channels. */
export function toChannels(image: DecodedImage, channels: 1 | 3): DecodedImage {
  if (image.channels === channels) return image;
  if (channels === 1) return toGreyscale(image);
  const n = image.width * image.height;
  const data = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) data.fill(image.data[p] as number, p * 3, p * 3 + 3);
  return { width: image.width, height: image.height, channels: 3, data };
}

/** Averages factor x factor blocks (dropping leftover edge rows/columns). */
function boxReduce(image: DecodedImage, factor: number): DecodedImage {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const c = image.channels;
  const data = new Float32Array(width * height * c);
  const norm = 1 / (factor * factor);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * image.width;
          for (let dx = 0; dx < factor; dx++) sum += image.data[(row + x * factor + dx) * c + ch] as number;
        }
        data[(y * width + x) * c + ch] = sum * norm;
      }
    }
  }
  return { width, height, channels: image.channels, data };
}

/**
 * Bilinear resize with half-pixel centres (the convention of
 * tf.image.resizeBilinear with halfPixelCenters, and of most image tools).
 * Shrinking by more than 2x first averages whole blocks of pixels, because
 * plain bilinear sampling skips pixels and makes fine detail alias.
 */
export function resizeBilinear(image: DecodedImage, height: number, width: number): DecodedImage {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0) {
    throw new Error(`resizeBilinear: target size must be positive integers, got ${height}x${width}`);
  }
  const factor = Math.min(Math.floor(image.height / height / 2), Math.floor(image.width / width / 2));
  const src = factor >= 2 ? boxReduce(image, factor) : image;
  if (src.height === height && src.width === width) return src === image ? { ...image, data: image.data.slice() } : src;
  const c = src.channels;
  const data = new Float32Array(height * width * c);
  const scaleY = src.height / height;
  const scaleX = src.width / width;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), src.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), src.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const fx = sx - x0;
      for (let ch = 0; ch < c; ch++) {
        const a = src.data[(y0 * src.width + x0) * c + ch] as number;
        const b = src.data[(y0 * src.width + x1) * c + ch] as number;
        const d = src.data[(y1 * src.width + x0) * c + ch] as number;
        const e = src.data[(y1 * src.width + x1) * c + ch] as number;
        const top = a + (b - a) * fx;
        const bottom = d + (e - d) * fx;
        data[(y * width + x) * c + ch] = top + (bottom - top) * fy;
      }
    }
  }
  return { width, height, channels: src.channels, data };
}

/** Cuts out a rectangle (top-left at row `top`, column `left`). */
export function cropImage(image: DecodedImage, top: number, left: number, height: number, width: number): DecodedImage {
  if (top < 0 || left < 0 || top + height > image.height || left + width > image.width || height <= 0 || width <= 0) {
    throw new Error(
      `cropImage: rectangle ${height}x${width} at (${top}, ${left}) is outside the ${image.height}x${image.width} image`,
    );
  }
  const c = image.channels;
  const data = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * c;
    data.set(image.data.subarray(from, from + width * c), y * width * c);
  }
  return { width, height, channels: image.channels, data };
}

/** Encodes as an 8-bit PNG (values clamped to 0..1). */
export function encodePng(image: DecodedImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  const n = image.width * image.height;
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = image.data[p * image.channels + (image.channels === 1 ? 0 : c)] as number;
      png.data[p * 4 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
    png.data[p * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** Encodes as a baseline JPEG (quality 1-100). */
export function encodeJpeg(image: DecodedImage, quality = 90): Buffer {
  const rgb = toChannels(image, 3);
  const data = new Uint8Array(rgb.width * rgb.height * 4);
  for (let p = 0; p < rgb.width * rgb.height; p++) {
    for (let c = 0; c < 3; c++) data[p * 4 + c] = Math.round(Math.min(1, Math.max(0, rgb.data[p * 3 + c] as number)) * 255);
    data[p * 4 + 3] = 255;
  }
  return jpeg.encode({ width: rgb.width, height: rgb.height, data }, quality).data;
}

/** Target size of loaded images; omit height/width to keep the file's size. */
export interface ImageLoadOptions {
  height?: number;
  width?: number;
  /** 1 = greyscale (luma), 3 = RGB. Default 3. */
  channels?: 1 | 3;
}

/** Decodes, then resizes and converts as asked. */
export function prepareImage(image: DecodedImage, options: ImageLoadOptions = {}): DecodedImage {
  const height = options.height ?? image.height;
  const width = options.width ?? image.width;
  const sized = height === image.height && width === image.width ? image : resizeBilinear(image, height, width);
  return toChannels(sized, options.channels ?? 3);
}

/** Reads a PNG or JPEG file, optionally resized to height x width with 1 or 3 channels. */
export function readImageFile(path: string, options: ImageLoadOptions = {}): DecodedImage {
  return prepareImage(decodeImage(readFileSync(path), path), options);
}

export interface ImageFolderOptions {
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
      pictures.push(readImageFile(path, { height: options.height, width: options.width, channels }).data);
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
