/**
 * ConvNote's one image type and what is done with images: made, drawn on (rectangles,
 * copies, text in font.ts), cut, converted between greyscale and RGB, and resized.
 * Data sets read photos into it (src/data) and renders compose pictures in it (src/render);
 * codecs.ts reads and writes PNG and JPEG.
 *
 * Every image is row-major HWC (the tfjs layout) with values 0..1 (0 = black): models take
 * it as it is, and a PNG gets it rounded to 8 bits when encoded.
 */

/** 1 = greyscale, 3 = RGB, 4 = RGBA. */
export type Channels = 1 | 3 | 4;

export interface Image {
  width: number;
  height: number;
  channels: Channels;
  /** width * height * channels values, row-major, channels interleaved, 0..1. */
  data: Float32Array;
}

/** A colour as 8-bit R, G, B (0..255), the way colours are usually written. */
export type Rgb = readonly [number, number, number];

function checkSize(width: number, height: number, where: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${where}: image size ${width}x${height} must be positive integers`);
  }
}

function checkFactor(factor: number, where: string): void {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`${where}: factor ${factor} must be a positive integer`);
}

/** A blank image: RGB by default, filled with `background` (white by default; alpha opaque). */
export function createImage(width: number, height: number, background: Rgb = [255, 255, 255], channels: Channels = 3): Image {
  checkSize(width, height, "createImage");
  const image: Image = { width, height, channels, data: new Float32Array(width * height * channels) };
  fillRect(image, 0, 0, width, height, background);
  return image;
}

/** An image from 8-bit values (0..255), e.g. pixels as a lecture prints them. */
export function imageFromBytes(pixels: ArrayLike<number>, width: number, height: number, channels: Channels): Image {
  checkSize(width, height, "imageFromBytes");
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`imageFromBytes: ${pixels.length} values do not fill ${width}x${height}x${channels}`);
  }
  const data = new Float32Array(pixels.length);
  for (let i = 0; i < data.length; i++) data[i] = pixels[i]! / 255;
  return { width, height, channels, data };
}

/** The pixel at (x, y) as 8-bit values [R, G, B] (greyscale repeated), the way a PNG stores it. */
export function pixelRgb(image: Image, x: number, y: number): [number, number, number] {
  const i = (y * image.width + x) * image.channels;
  const byte = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 255);
  if (image.channels === 1) {
    const g = byte(image.data[i]!);
    return [g, g, g];
  }
  return [byte(image.data[i]!), byte(image.data[i + 1]!), byte(image.data[i + 2]!)];
}

/** Writes one pixel (clipped): greyscale images get the colour's luma; RGBA ones are made opaque. */
export function setPixel(image: Image, x: number, y: number, color: Rgb): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * image.channels;
  if (image.channels === 1) {
    image.data[i] = luma(color[0], color[1], color[2]) / 255;
    return;
  }
  image.data[i] = color[0] / 255;
  image.data[i + 1] = color[1] / 255;
  image.data[i + 2] = color[2] / 255;
  if (image.channels === 4) image.data[i + 3] = 1;
}

/** Fills a rectangle, clipped to the image. */
export function fillRect(image: Image, x: number, y: number, width: number, height: number, color: Rgb): void {
  const x1 = Math.min(image.width, x + width);
  const y1 = Math.min(image.height, y + height);
  for (let yy = Math.max(0, y); yy < y1; yy++) {
    for (let xx = Math.max(0, x); xx < x1; xx++) setPixel(image, xx, yy, color);
  }
}

/** A rectangle outline `thickness` pixels wide, drawn inside the given bounds. */
export function strokeRect(image: Image, x: number, y: number, width: number, height: number, color: Rgb, thickness = 1): void {
  fillRect(image, x, y, width, thickness, color);
  fillRect(image, x, y + height - thickness, width, thickness, color);
  fillRect(image, x, y, thickness, height, color);
  fillRect(image, x + width - thickness, y, thickness, height, color);
}

/** ITU-R BT.601 luma: 0.299 R + 0.587 G + 0.114 B. */
function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Copies `source` onto `target` with its top-left corner at (x, y), clipped; greyscale is repeated into RGB. */
export function blit(target: Image, source: Image, x: number, y: number): void {
  const tc = target.channels;
  const sc = source.channels;
  for (let sy = 0; sy < source.height; sy++) {
    const ty = y + sy;
    if (ty < 0 || ty >= target.height) continue;
    for (let sx = 0; sx < source.width; sx++) {
      const tx = x + sx;
      if (tx < 0 || tx >= target.width) continue;
      const si = (sy * source.width + sx) * sc;
      const ti = (ty * target.width + tx) * tc;
      if (tc === 1) {
        target.data[ti] = sc === 1 ? source.data[si]! : luma(source.data[si]!, source.data[si + 1]!, source.data[si + 2]!);
        continue;
      }
      for (let c = 0; c < 3; c++) target.data[ti + c] = source.data[si + (sc === 1 ? 0 : c)]!;
      if (tc === 4) target.data[ti + 3] = sc === 4 ? source.data[si + 3]! : 1;
    }
  }
}

/** Cuts out a rectangle (top-left at row `top`, column `left`). */
export function crop(image: Image, top: number, left: number, height: number, width: number): Image {
  if (top < 0 || left < 0 || top + height > image.height || left + width > image.width || height <= 0 || width <= 0) {
    throw new RangeError(`crop: rectangle ${height}x${width} at (${top}, ${left}) is outside the ${image.height}x${image.width} image`);
  }
  const c = image.channels;
  const data = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * c;
    data.set(image.data.subarray(from, from + width * c), y * width * c);
  }
  return { width, height, channels: c, data };
}

/** Greyscale (BT.601 luma) or RGB (grey repeated into R, G, B); alpha is dropped. */
export function toChannels(image: Image, channels: 1 | 3): Image {
  if (image.channels === channels) return image;
  const n = image.width * image.height;
  const src = image.data;
  const sc = image.channels;
  const data = new Float32Array(n * channels);
  for (let p = 0; p < n; p++) {
    if (channels === 1) data[p] = luma(src[p * sc]!, src[p * sc + 1]!, src[p * sc + 2]!);
    else if (sc === 1) data.fill(src[p]!, p * 3, p * 3 + 3);
    else for (let c = 0; c < 3; c++) data[p * 3 + c] = src[p * sc + c]!;
  }
  return { width: image.width, height: image.height, channels, data };
}

/** Averages factor x factor blocks (edge blocks that run past the image average what there is). */
export function boxReduce(image: Image, factor: number): Image {
  checkFactor(factor, "boxReduce");
  if (factor === 1) return image;
  const width = Math.max(1, Math.floor(image.width / factor));
  const height = Math.max(1, Math.floor(image.height / factor));
  const c = image.channels;
  const data = new Float32Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const y1 = Math.min(image.height, (y + 1) * factor);
    for (let x = 0; x < width; x++) {
      const x1 = Math.min(image.width, (x + 1) * factor);
      const n = (y1 - y * factor) * (x1 - x * factor);
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let sy = y * factor; sy < y1; sy++) {
          for (let sx = x * factor; sx < x1; sx++) sum += image.data[(sy * image.width + sx) * c + ch]!;
        }
        data[(y * width + x) * c + ch] = sum / n;
      }
    }
  }
  return { width, height, channels: c, data };
}

/** Nearest-neighbour upscaling by an integer factor: each value becomes a factor x factor block, so small filters stay crisp. */
export function upscaleNearest(image: Image, factor: number): Image {
  checkFactor(factor, "upscaleNearest");
  if (factor === 1) return image;
  const c = image.channels;
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Float32Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const si = (row + Math.floor(x / factor)) * c;
      const ti = (y * width + x) * c;
      for (let ch = 0; ch < c; ch++) data[ti + ch] = image.data[si + ch]!;
    }
  }
  return { width, height, channels: c, data };
}

/**
 * Bilinear resize with half-pixel centres (the convention of tf.image.resizeBilinear with
 * halfPixelCenters, and of most image tools). Shrinking by more than 2x first averages whole
 * blocks of pixels, because plain bilinear sampling skips pixels and makes fine detail alias.
 */
export function resize(image: Image, height: number, width: number): Image {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0) {
    throw new RangeError(`resize: target size must be positive integers, got ${height}x${width}`);
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
        const a = src.data[(y0 * src.width + x0) * c + ch]!;
        const b = src.data[(y0 * src.width + x1) * c + ch]!;
        const d = src.data[(y1 * src.width + x0) * c + ch]!;
        const e = src.data[(y1 * src.width + x1) * c + ch]!;
        const top = a + (b - a) * fx;
        const bottom = d + (e - d) * fx;
        data[(y * width + x) * c + ch] = top + (bottom - top) * fy;
      }
    }
  }
  return { width, height, channels: c, data };
}

/** The integer upscale factor that makes the longer side at least `targetSize` pixels. */
export function scaleForTarget(width: number, height: number, targetSize: number): number {
  return Math.max(1, Math.ceil(targetSize / Math.max(width, height)));
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
export function fitTile(image: Image, minSize: number, maxSize: number): Image {
  const factor = fitFactor(image.width, image.height, minSize, maxSize);
  return factor < 0 ? boxReduce(image, -factor) : upscaleNearest(image, factor);
}
