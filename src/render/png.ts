/** PNG encoding with pngjs (pure JavaScript, no native code), and base64 for MIME bundles. */

import { PNG } from "pngjs";
import { upscaleNearest, scaleForTarget, type RgbaImage } from "./raster.js";

export { upscaleNearest, scaleForTarget };

export type PngColorType = "grey" | "rgb" | "rgba";

const COLOR_TYPES: Record<PngColorType, 0 | 2 | 6> = { grey: 0, rgb: 2, rgba: 6 };

/** Encodes an RGBA raster; `rgb` (the default) drops the alpha channel we never use. */
export function encodePng(image: RgbaImage, colorType: PngColorType = "rgb"): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png, { colorType: COLOR_TYPES[colorType], inputColorType: 6, inputHasAlpha: true });
}

export function encodePngBase64(image: RgbaImage, colorType: PngColorType = "rgb"): string {
  return encodePng(image, colorType).toString("base64");
}

/** Raw pixels in greyscale (1 byte), RGB (3) or RGBA (4) per pixel -> RGBA raster. */
export function rasterFromPixels(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3 | 4): RgbaImage {
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`render/png: ${pixels.length} values do not fill ${width}x${height}x${channels}`);
  }
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    const d = p * 4;
    if (channels === 1) {
      data[d] = data[d + 1] = data[d + 2] = pixels[s]!;
      data[d + 3] = 255;
    } else {
      data[d] = pixels[s]!;
      data[d + 1] = pixels[s + 1]!;
      data[d + 2] = pixels[s + 2]!;
      data[d + 3] = channels === 4 ? pixels[s + 3]! : 255;
    }
  }
  return { width, height, data };
}

/** Encodes 8-bit pixels directly, optionally upscaled: the simplest path from numbers to a PNG. */
export function encodePixels(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3 | 4, scale = 1): Buffer {
  const raster = rasterFromPixels(pixels, width, height, channels);
  const colorType: PngColorType = channels === 1 ? "grey" : channels === 3 ? "rgb" : "rgba";
  return encodePng(upscaleNearest(raster, scale), colorType);
}
