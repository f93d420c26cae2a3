/**
 * "Colour shapes": a generated colour data set for VGG-style notebooks,
 * 32x32x3 (like CIFAR-10), values 0..1, 8 classes:
 *   circle, square, triangle, cross, ring, star (outlines),
 *   stripes, checker (textures, inside a disc or a square patch).
 *
 * It is built so that the class is carried by shape and texture only:
 * - foreground, second texture colour and background colour are drawn from
 *   the same distribution for every class, so no colour and no mean
 *   brightness tells the class (every class has the same average image);
 * - position (anywhere, mostly inside the frame), size and rotation are
 *   random, so no fixed pixel template works;
 * - the background has a colour gradient, pixel noise and clutter (short
 *   strokes and specks in random colours), and texture patches share their
 *   outline with the filled shapes (disc, square).
 * A linear classifier therefore has little to hold on to, while a small
 * convolutional network can learn edges, corners and periodic textures.
 * Shapes are anti-aliased by 3x3 supersampling.
 */

import type { ImageDataset } from "./dataset.js";
import { createRng, type Rng } from "./random.js";

export const COLOUR_SHAPES_CLASS_NAMES = ["circle", "square", "triangle", "cross", "ring", "star", "stripes", "checker"];

export interface ColourShapesOptions {
  count: number;
  seed?: number;
  /** Image side in pixels. Default 32. */
  size?: number;
  /** Standard deviation of the per-pixel Gaussian noise. Default 0.05. */
  noise?: number;
  /** Largest number of clutter strokes per image (0 = clean background). Default 4. */
  clutter?: number;
}

type Rgb = [number, number, number];

/** Local shape coordinates: u, v in units of the shape's radius. */
type Inside = (u: number, v: number) => boolean;

const starPolygon: [number, number][] = Array.from({ length: 10 }, (_, i) => {
  const radius = i % 2 === 0 ? 1 : 0.45;
  const angle = -Math.PI / 2 + (i * Math.PI) / 5;
  return [radius * Math.cos(angle), radius * Math.sin(angle)];
});

function insidePolygon(u: number, v: number, polygon: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as [number, number];
    const [xj, yj] = polygon[j] as [number, number];
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const trianglePolygon: [number, number][] = [0, 1, 2].map((i) => {
  const angle = -Math.PI / 2 + (i * 2 * Math.PI) / 3;
  return [Math.cos(angle), Math.sin(angle)];
});

const OUTLINES: Record<string, Inside> = {
  circle: (u, v) => u * u + v * v <= 1,
  // Half-side 0.85: about the same area as the unit disc.
  square: (u, v) => Math.abs(u) <= 0.85 && Math.abs(v) <= 0.85,
  triangle: (u, v) => insidePolygon(u, v, trianglePolygon),
  cross: (u, v) => (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1),
  ring: (u, v) => {
    const r2 = u * u + v * v;
    return r2 <= 1 && r2 >= 0.55 * 0.55;
  },
  star: (u, v) => insidePolygon(u, v, starPolygon),
};

/** A random colour, and one at least `minDistance` away (max over channels) from `avoid`. */
function randomColour(rng: Rng, avoid?: Rgb, minDistance = 0.35): Rgb {
  for (;;) {
    const c: Rgb = [rng.next(), rng.next(), rng.next()];
    if (!avoid) return c;
    const distance = Math.max(...c.map((x, i) => Math.abs(x - (avoid[i] as number))));
    if (distance >= minDistance) return c;
  }
}

/** Renders one image of class `label` into `out` (size*size*3 values). */
function renderImage(rng: Rng, label: number, size: number, noise: number, clutter: number, out: Float32Array): void {
  const className = COLOUR_SHAPES_CLASS_NAMES[label] as string;
  const unit = size / 32;

  // Colours: background first, then foreground far enough from it, then the
  // texture's second colour far from the foreground. Swapping roles at random
  // keeps the three marginal distributions identical.
  const colours: [Rgb, Rgb] = [randomColour(rng), [0, 0, 0]];
  colours[1] = randomColour(rng, colours[0]);
  if (rng.chance(0.5)) colours.reverse();
  const [background, foreground] = colours;
  const second = randomColour(rng, foreground);

  // Background: base colour plus a linear gradient in a random direction.
  const gradAngle = rng.uniform(0, 2 * Math.PI);
  const gradStrength = rng.uniform(0, 0.25);
  const gx = (Math.cos(gradAngle) * gradStrength) / size;
  const gy = (Math.sin(gradAngle) * gradStrength) / size;
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const shade = (x - centre) * gx + (y - centre) * gy;
      for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = (background[c] as number) + shade;
    }
  }

  // Clutter: short strokes and specks in random colours, under the shape.
  const strokes = clutter > 0 ? rng.int(0, clutter) : 0;
  for (let s = 0; s < strokes; s++) {
    const colour = randomColour(rng);
    const length = rng.uniform(2, 7) * unit;
    const angle = rng.uniform(0, Math.PI);
    const x0 = rng.uniform(0, size);
    const y0 = rng.uniform(0, size);
    const steps = Math.ceil(length * 2);
    for (let t = 0; t <= steps; t++) {
      const x = Math.round(x0 + (Math.cos(angle) * length * t) / steps);
      const y = Math.round(y0 + (Math.sin(angle) * length * t) / steps);
      if (x >= 0 && x < size && y >= 0 && y < size) out.set(colour, (y * size + x) * 3);
    }
  }

  // The shape: random radius, position (mostly in frame) and rotation.
  const radius = rng.uniform(7, 12) * unit;
  const margin = radius * 0.8;
  const cx = rng.uniform(margin, size - 1 - margin);
  const cy = rng.uniform(margin, size - 1 - margin);
  const rotation = rng.uniform(0, 2 * Math.PI);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);

  let inside: Inside;
  let colourAt: (u: number, v: number) => Rgb = () => foreground;
  if (className === "stripes" || className === "checker") {
    inside = rng.chance(0.5) ? (OUTLINES.circle as Inside) : (OUTLINES.square as Inside);
    const period = rng.uniform(3, 4.5) * unit; // pixels per colour band
    const cells = radius / period; // bands per radius
    colourAt =
      className === "stripes"
        ? (u) => (Math.floor(u * cells) % 2 === 0 ? foreground : second)
        : (u, v) => ((Math.floor(u * cells) + Math.floor(v * cells)) % 2 === 0 ? foreground : second);
  } else {
    inside = OUTLINES[className] as Inside;
  }

  const sub = 3; // 3x3 samples per pixel for smooth edges
  const x0 = Math.max(0, Math.floor(cx - radius - 1));
  const x1 = Math.min(size - 1, Math.ceil(cx + radius + 1));
  const y0 = Math.max(0, Math.floor(cy - radius - 1));
  const y1 = Math.min(size - 1, Math.ceil(cy + radius + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let covered = 0;
      const sum: Rgb = [0, 0, 0];
      for (let sy = 0; sy < sub; sy++) {
        for (let sx = 0; sx < sub; sx++) {
          const px = x + (sx + 0.5) / sub - 0.5 - cx;
          const py = y + (sy + 0.5) / sub - 0.5 - cy;
          const u = (cos * px + sin * py) / radius;
          const v = (-sin * px + cos * py) / radius;
          if (!inside(u, v)) continue;
          covered++;
          const colour = colourAt(u, v);
          for (let c = 0; c < 3; c++) sum[c] = (sum[c] as number) + (colour[c] as number);
        }
      }
      if (covered === 0) continue;
      const coverage = covered / (sub * sub);
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        out[at + c] = (out[at + c] as number) * (1 - coverage) + (sum[c] as number) / (sub * sub);
      }
    }
  }

  // Sensor noise, then clamp to the 0..1 range.
  for (let i = 0; i < size * size * 3; i++) {
    out[i] = Math.min(1, Math.max(0, (out[i] as number) + noise * rng.normal()));
  }
}

/** A seeded, balanced, shuffled colour-shapes data set, values 0..1, shape [size, size, 3]. */
export function generateColourShapes(options: ColourShapesOptions): ImageDataset {
  const { count } = options;
  const size = options.size ?? 32;
  const noise = options.noise ?? 0.05;
  const clutter = options.clutter ?? 4;
  if (!Number.isInteger(count) || count < 0) throw new Error(`generateColourShapes: count must be a whole number >= 0, got ${count}`);
  if (!Number.isInteger(size) || size < 16) throw new Error(`generateColourShapes: size must be an integer >= 16, got ${size}`);
  const rng = createRng(options.seed ?? 0);
  const k = COLOUR_SHAPES_CLASS_NAMES.length;
  const labels = Int32Array.from(rng.shuffle(Array.from({ length: count }, (_, i) => i % k)));
  const pixels = size * size * 3;
  const images = new Float32Array(count * pixels);
  for (let i = 0; i < count; i++) {
    renderImage(rng, labels[i] as number, size, noise, clutter, images.subarray(i * pixels, (i + 1) * pixels));
  }
  return { name: `colour-shapes-${size}x${size}`, images, labels, shape: [size, size, 3], classNames: [...COLOUR_SHAPES_CLASS_NAMES] };
}
