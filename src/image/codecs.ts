/**
 * PNG (pngjs) and JPEG (jpeg-js) to and from the one image type, both pure JavaScript.
 * The format of a file is recognised from its first bytes, not its name.
 */

import { basename } from "node:path";
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

/**
 * Decodes PNG or JPEG bytes to RGB. Transparent PNG pixels are blended over white (alpha is
 * not kept). `source` names the file in errors.
 */
export function decodeImage(bytes: Uint8Array, source = "image"): Image {
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
