/**
 * PNG (pngjs) and JPEG (jpeg-js) to and from the one image type, both pure JavaScript.
 * The format of a file is recognised from its first bytes, not its name.
 *
 * Image files are untrusted input: a 1 MB PNG can claim 20000x20000 pixels (6 GB once decoded).
 * The size in the header is checked against a megapixel limit before anything is decoded, and
 * a PNG's compressed data must inflate to exactly what its header promises (pngjs alone would
 * fill a short image with zeros).
 */

import { basename } from "node:path";
import { inflateSync } from "node:zlib";
import * as jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { type Image, toChannels } from "./image.js";

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

/** Images larger than this many megapixels are refused unless the caller raises the limit. */
export const DEFAULT_MAX_MEGAPIXELS = 50;

export interface DecodeOptions {
  /** Refuse images with more pixels than this many million (default 50: a 48-megapixel phone photo passes). */
  maxMegapixels?: number;
}

/** Raised for an image whose header asks for more pixels than allowed; names the file and the option. */
export class ImageTooLargeError extends UnsupportedImageError {
  constructor(message: string) {
    super(message);
    this.name = "ImageTooLargeError";
  }
}

interface PngHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  interlaced: boolean;
  /** The concatenated IDAT chunks (the zlib stream). */
  data: Buffer;
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Reads a PNG's IHDR and collects its IDAT chunks without decoding; null when the chunks are malformed. */
function readPngChunks(bytes: Uint8Array): PngHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Omit<PngHeader, "data"> | null = null;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = at + 8;
    if (body + length > bytes.length) break; // truncated: pngjs reports it
    if (type === "IHDR" && length >= 13) {
      const channels = PNG_CHANNELS[bytes[body + 9]!] ?? 4;
      header = { width: view.getUint32(body), height: view.getUint32(body + 4), bitsPerPixel: channels * bytes[body + 8]!, interlaced: bytes[body + 12] === 1 };
    } else if (type === "IDAT") {
      idat.push(bytes.subarray(body, body + length));
    } else if (type === "IEND") {
      break;
    }
    at = body + length + 4;
  }
  return header ? { ...header, data: Buffer.concat(idat) } : null;
}

/** Bytes the filtered scanlines of a PNG take once inflated (one filter byte per row, per Adam7 pass when interlaced). */
function pngScanlineBytes(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8)));
  if (!interlaced) return rows(width, height);
  // Adam7: [x start, y start, x step, y step] of the seven passes.
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  return passes.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/** Width and height from a JPEG's start-of-frame marker, without decoding; null when none is found. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  for (let at = 2; at + 9 < bytes.length; ) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    // SOF0..SOF15 but DHT (c4), JPG (c8) and DAC (cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]! };
    }
    at += 2 + length;
  }
  return null;
}

function checkPixels(width: number, height: number, maxMegapixels: number, source: string): void {
  const megapixels = (width * height) / 1e6;
  if (megapixels <= maxMegapixels) return;
  throw new ImageTooLargeError(
    `${source}: ${width}x${height} pixels (${megapixels.toFixed(1)} megapixels) is more than the limit of ${maxMegapixels}; ` +
      `decoding it would take about ${formatBytes(width * height * 16)}. Resize it first, or raise the limit (maxMegapixels, --max-megapixels)`,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

/** Checks a PNG's size and that its data inflates to exactly what the header promises. */
function checkPng(bytes: Uint8Array, maxMegapixels: number, source: string): void {
  const png = readPngChunks(bytes);
  if (!png) return; // no IHDR: pngjs names the damage
  checkPixels(png.width, png.height, maxMegapixels, source);
  const expected = pngScanlineBytes(png.width, png.height, png.bitsPerPixel, png.interlaced);
  let inflated: number;
  try {
    inflated = inflateSync(png.data, { maxOutputLength: expected + 1 }).length;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE") inflated = expected + 1;
    else throw new UnsupportedImageError(`${source}: PNG file cannot be decoded (its image data does not inflate: ${(err as Error).message}); the file is truncated or damaged`);
  }
  if (inflated !== expected) {
    throw new UnsupportedImageError(
      `${source}: the PNG header says ${png.width}x${png.height}, which takes ${expected.toLocaleString("en-US")} bytes of image data, ` +
        `but the file's data ${inflated > expected ? "holds more" : `holds ${inflated.toLocaleString("en-US")}`}; the file is truncated or damaged`,
    );
  }
}

/**
 * Decodes PNG or JPEG bytes to RGB. Transparent PNG pixels are blended over white (alpha is
 * not kept). `source` names the file in errors. Images over `maxMegapixels` are refused before
 * decoding (ImageTooLargeError).
 */
export function decodeImage(bytes: Uint8Array, source = "image", options: DecodeOptions = {}): Image {
  const maxMegapixels = options.maxMegapixels ?? DEFAULT_MAX_MEGAPIXELS;
  const format = sniffImageFormat(bytes);
  let rgba: { width: number; height: number; data: Uint8Array };
  if (format === "png") {
    checkPng(bytes, maxMegapixels, source);
    try {
      rgba = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      throw new UnsupportedImageError(`${source}: PNG file cannot be decoded (${(err as Error).message}); it is probably damaged`);
    }
  } else if (format === "jpeg") {
    const size = jpegSize(bytes);
    if (size) checkPixels(size.width, size.height, maxMegapixels, source);
    try {
      // jpeg-js's own limits as a second guard (a frame it finds that the scan above missed).
      rgba = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxMegapixels, maxMemoryUsageInMB: Math.max(512, maxMegapixels * 16) });
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
    const alpha = rgba.data[p * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) data[p * 3 + c] = (rgba.data[p * 4 + c]! / 255) * alpha + (1 - alpha);
  }
  return { width, height, channels: 3, data };
}

/** 8-bit RGBA of any image (values clamped to 0..1, rounded; greyscale repeated; opaque unless RGBA). */
function rgbaBytes(image: Image): Uint8Array {
  const n = image.width * image.height;
  const c = image.channels;
  const out = new Uint8Array(n * 4);
  const byte = (v: number): number => Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < 3; k++) out[p * 4 + k] = byte(image.data[p * c + (c === 1 ? 0 : k)]!);
    out[p * 4 + 3] = c === 4 ? byte(image.data[p * 4 + 3]!) : 255;
  }
  return out;
}

const PNG_COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** An 8-bit PNG: greyscale, RGB or RGBA as the image's channels. */
export function encodePng(image: Image): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(rgbaBytes(image).buffer);
  return PNG.sync.write(png, { colorType: PNG_COLOR_TYPE[image.channels], inputColorType: 6, inputHasAlpha: true });
}

/** The PNG in base64, as MIME bundles carry it. */
export function encodePngBase64(image: Image): string {
  return encodePng(image).toString("base64");
}

/** A baseline JPEG (quality 1-100); JPEG has no alpha, greyscale is stored as RGB. */
export function encodeJpeg(image: Image, quality = 90): Buffer {
  const rgb = toChannels(image, 3);
  return jpeg.encode({ width: rgb.width, height: rgb.height, data: rgbaBytes(rgb) }, quality).data;
}
