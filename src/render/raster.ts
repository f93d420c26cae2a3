/** A minimal RGBA raster: the canvas that image grids, labels and colour bars are drawn on. */

export type Rgb = readonly [number, number, number];

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major, RGBA. */
  data: Uint8Array;
}

export function createImage(width: number, height: number, background: Rgb = [255, 255, 255]): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`render/raster: image size ${width}x${height} must be positive integers`);
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
    data[i + 3] = 255;
  }
  return { width, height, data };
}

export function setPixel(image: RgbaImage, x: number, y: number, color: Rgb): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * 4;
  image.data[i] = color[0];
  image.data[i + 1] = color[1];
  image.data[i + 2] = color[2];
  image.data[i + 3] = 255;
}

export function getPixel(image: RgbaImage, x: number, y: number): [number, number, number, number] {
  const i = (y * image.width + x) * 4;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!, image.data[i + 3]!];
}

/** Fills a rectangle, clipped to the image. */
export function fillRect(image: RgbaImage, x: number, y: number, width: number, height: number, color: Rgb): void {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(image.width, x + width);
  const y1 = Math.min(image.height, y + height);
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) setPixel(image, xx, yy, color);
  }
}

/** A rectangle outline `thickness` pixels wide, drawn inside the given bounds. */
export function strokeRect(image: RgbaImage, x: number, y: number, width: number, height: number, color: Rgb, thickness = 1): void {
  fillRect(image, x, y, width, thickness, color);
  fillRect(image, x, y + height - thickness, width, thickness, color);
  fillRect(image, x, y, thickness, height, color);
  fillRect(image, x + width - thickness, y, thickness, height, color);
}

/** Copies `source` onto `target` with its top-left corner at (x, y), clipped. */
export function blit(target: RgbaImage, source: RgbaImage, x: number, y: number): void {
  for (let sy = 0; sy < source.height; sy++) {
    const ty = y + sy;
    if (ty < 0 || ty >= target.height) continue;
    for (let sx = 0; sx < source.width; sx++) {
      const tx = x + sx;
      if (tx < 0 || tx >= target.width) continue;
      const si = (sy * source.width + sx) * 4;
      const ti = (ty * target.width + tx) * 4;
      target.data[ti] = source.data[si]!;
      target.data[ti + 1] = source.data[si + 1]!;
      target.data[ti + 2] = source.data[si + 2]!;
      target.data[ti + 3] = source.data[si + 3]!;
    }
  }
}

/** Nearest-neighbour upscaling by an integer factor: each value becomes a factor x factor block, so small filters stay crisp. */
export function upscaleNearest(image: RgbaImage, factor: number): RgbaImage {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`render/raster: upscale factor ${factor} must be a positive integer`);
  }
  if (factor === 1) return image;
  const out: RgbaImage = { width: image.width * factor, height: image.height * factor, data: new Uint8Array(image.width * image.height * factor * factor * 4) };
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x++) {
      const si = (sy * image.width + Math.floor(x / factor)) * 4;
      const ti = (y * out.width + x) * 4;
      out.data[ti] = image.data[si]!;
      out.data[ti + 1] = image.data[si + 1]!;
      out.data[ti + 2] = image.data[si + 2]!;
      out.data[ti + 3] = image.data[si + 3]!;
    }
  }
  return out;
}

/** The integer upscale factor that makes the longer side at least `targetSize` pixels. */
export function scaleForTarget(width: number, height: number, targetSize: number): number {
  return Math.max(1, Math.ceil(targetSize / Math.max(width, height)));
}

/** Box-filter downscaling by an integer factor (each output pixel averages a factor x factor block), for large maps and photos. */
export function downscaleBox(image: RgbaImage, factor: number): RgbaImage {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`render/raster: downscale factor ${factor} must be a positive integer`);
  }
  if (factor === 1) return image;
  const width = Math.max(1, Math.floor(image.width / factor));
  const height = Math.max(1, Math.floor(image.height / factor));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sums = [0, 0, 0, 0];
      let n = 0;
      for (let dy = 0; dy < factor; dy++) {
        const sy = y * factor + dy;
        if (sy >= image.height) break;
        for (let dx = 0; dx < factor; dx++) {
          const sx = x * factor + dx;
          if (sx >= image.width) break;
          const i = (sy * image.width + sx) * 4;
          for (let c = 0; c < 4; c++) sums[c]! += image.data[i + c]!;
          n++;
        }
      }
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(sums[c]! / n);
    }
  }
  return { width, height, data };
}

/**
 * The scale that fits an image to a tile, as a signed integer: 3 means upscale x3 (nearest
 * neighbour) until the longer side reaches `minSize`; -2 means downscale to 1/2 (box average)
 * until it is at most `maxSize`.
 */
export function fitFactor(width: number, height: number, minSize: number, maxSize: number): number {
  const longer = Math.max(width, height);
  return longer > maxSize ? -Math.ceil(longer / maxSize) : scaleForTarget(width, height, minSize);
}

/** Applies `fitFactor` to an image. */
export function fitTile(image: RgbaImage, minSize: number, maxSize: number): RgbaImage {
  const factor = fitFactor(image.width, image.height, minSize, maxSize);
  return factor < 0 ? downscaleBox(image, -factor) : upscaleNearest(image, factor);
}
