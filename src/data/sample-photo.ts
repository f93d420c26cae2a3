/**
 * One small free photograph shipped with ConvNote for the classical image
 * kernels notebook: "Chelsea the cat" by Stefan van der Walt, CC0 (public
 * domain dedication), from scikit-image's sample data; 256x256, cropped to the
 * cat's face. Source and licence: src/data/assets/LICENSE-PHOTO.md.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeImage } from "../image/codecs.js";
import type { Image } from "../image/image.js";
import { prepareImage } from "./image-folder.js";

export const SAMPLE_PHOTO = {
  file: "chelsea.png",
  title: "Chelsea the cat",
  author: "Stefan van der Walt",
  licence: "CC0 1.0 (public domain dedication)",
  source: "scikit-image sample data (skimage.data.chelsea), Debian package python3-skimage 0.19.3",
  width: 256,
  height: 256,
} as const;

export interface SamplePhotoOptions {
  /** Side of the square result in pixels (bilinear resize). Default 256, the stored size. */
  size?: number;
  /** true: one luma channel (BT.601); false (default): RGB. */
  greyscale?: boolean;
}

/**
 * Where the asset lies. Compiled code runs from dist/src/data, the PNG stays
 * in src/data/assets (tsc does not copy it), so both places are tried.
 */
export function samplePhotoPath(): string {
  const candidates = [
    join(__dirname, "assets", SAMPLE_PHOTO.file),
    join(__dirname, "..", "..", "..", "src", "data", "assets", SAMPLE_PHOTO.file),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `loadSamplePhoto: ${SAMPLE_PHOTO.file} not found (looked in ${candidates.join(", ")}); ` +
        `the package must ship src/data/assets/ next to dist/`,
    );
  }
  return found;
}

/** The sample photograph, values 0..1, HWC, 3 channels (or 1 with greyscale). */
export function loadSamplePhoto(options: SamplePhotoOptions = {}): Image {
  const path = samplePhotoPath();
  const size = options.size ?? SAMPLE_PHOTO.width;
  return prepareImage(decodeImage(readFileSync(path), path), {
    height: size,
    width: size,
    channels: options.greyscale ? 1 : 3,
  });
}
