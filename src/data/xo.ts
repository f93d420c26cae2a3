/**
 * Generated images of Xs and Os, the lecture's toy ConvNet example (after
 * Brandon Rohrer, "How convolutional neural networks work").
 *
 * Values are -1 (background) and +1 (stroke), as on the slides; shape
 * [size, size, 1], default 9x9. With no variation the 9x9 X is exactly the
 * lecture's (two one-pixel diagonals from (1,1) to (7,7) and (1,7) to (7,1))
 * and the O is a one-pixel ring of radius 3 around the centre.
 *
 * Shapes are drawn geometrically, so any size works: for each pixel centre we
 * undo the pose (shift, rotation, scale) and test the distance to the X's two
 * segments or the O's circle against half the stroke width. The lecture's
 * "trickier cases" are poses: translated, scaled, rotated, bold, or all mixed.
 */

import type { ImageDataset } from "./dataset.js";
import { createRng, type Rng } from "./random.js";

export type XOShape = "X" | "O";

/** Where and how one shape is drawn. */
export interface XOPose {
  /** Shift in pixels to the right (columns) and down (rows). */
  dx: number;
  dy: number;
  /** Size factor; 1 is the canonical size. */
  scale: number;
  /** Rotation in degrees, counter-clockwise as seen on screen. */
  rotationDegrees: number;
  /** Stroke width as a multiple of the normal (size/9 pixels); 2 is bold. */
  strokeWeight: number;
}

export const CANONICAL_POSE: Readonly<XOPose> = { dx: 0, dy: 0, scale: 1, rotationDegrees: 0, strokeWeight: 1 };

/** Ranges the generator draws poses from (uniformly). Omitted = no variation. */
export interface XOVariations {
  /** Largest shift in whole pixels, each direction: dx, dy in {-t..t}. */
  translation?: number;
  /** [min, max] size factor. */
  scale?: [number, number];
  /** Largest rotation in degrees, either way. */
  rotation?: number;
  /** [min, max] stroke weight (1 normal, 2 bold). */
  strokeWeight?: [number, number];
}

/** The lecture's trickier cases by name; "mixed" combines them (milder each). */
export type XOVariationName = "none" | "translation" | "scaling" | "rotation" | "bold" | "mixed";

export interface XOOptions {
  count: number;
  /** Image side in pixels (e.g. 9, 16, 28). Default 9. */
  size?: number;
  seed?: number;
  /** A named preset, several presets combined, or explicit ranges. */
  variations?: XOVariationName | XOVariationName[] | XOVariations;
}

export const XO_CLASS_NAMES = ["X", "O"];

/** The preset ranges for a given image size (shifts scale with the size). */
export function xoVariationPreset(name: XOVariationName, size = 9): XOVariations {
  const shift = Math.max(1, Math.round(size / 9));
  switch (name) {
    case "none":
      return {};
    case "translation":
      return { translation: shift };
    case "scaling":
      return { scale: [0.6, 1.15] };
    case "rotation":
      return { rotation: 30 };
    case "bold":
      return { strokeWeight: [2, 2] };
    case "mixed":
      return { translation: shift, scale: [0.7, 1], rotation: 20, strokeWeight: [1, 2] };
  }
}

function resolveVariations(v: XOOptions["variations"], size: number): XOVariations {
  if (v === undefined) return {};
  if (typeof v === "string") {
    if (!["none", "translation", "scaling", "rotation", "bold", "mixed"].includes(v)) {
      throw new Error(
        `generateXO: unknown variation "${v}"; use none, translation, scaling, rotation, bold or mixed`,
      );
    }
    return xoVariationPreset(v, size);
  }
  if (Array.isArray(v)) {
    // Later presets only add ranges the earlier ones did not set.
    return v.map((name) => resolveVariations(name, size)).reduce((acc, next) => ({ ...next, ...acc }), {});
  }
  return v;
}

function drawPose(rng: Rng, v: XOVariations): XOPose {
  const t = v.translation ?? 0;
  const [smin, smax] = v.scale ?? [1, 1];
  const r = v.rotation ?? 0;
  const [wmin, wmax] = v.strokeWeight ?? [1, 1];
  return {
    dx: t > 0 ? rng.int(-t, t) : 0,
    dy: t > 0 ? rng.int(-t, t) : 0,
    scale: rng.uniform(smin, smax),
    rotationDegrees: r > 0 ? rng.uniform(-r, r) : 0,
    strokeWeight: rng.uniform(wmin, wmax),
  };
}

/** Distance from point (x, y) to the segment (ax, ay)-(bx, by). */
function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
}

/**
 * Draws one X or O into a new size*size array of -1 / +1 (row-major).
 * Geometry at scale 1: arms (or ring radius) reach (size-1)/2 - size/9 pixels
 * from the centre; the stroke is size/9 pixels wide times strokeWeight.
 */
export function renderXO(shape: XOShape, size = 9, pose: Partial<XOPose> = {}): Float32Array {
  if (!Number.isInteger(size) || size < 5) throw new Error(`renderXO: size must be an integer >= 5, got ${size}`);
  const p: XOPose = { ...CANONICAL_POSE, ...pose };
  if (!(p.scale > 0)) throw new Error(`renderXO: scale must be positive, got ${p.scale}`);
  const centre = (size - 1) / 2;
  const reach = centre - size / 9;
  const halfWidth = (size / 18) * p.strokeWeight;
  const angle = (p.rotationDegrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const out = new Float32Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      // Undo the pose: shift, then rotate back, then unscale (y grows downwards).
      const x0 = col - centre - p.dx;
      const y0 = row - centre - p.dy;
      const x = (cos * x0 - sin * y0) / p.scale;
      const y = (sin * x0 + cos * y0) / p.scale;
      // Distances measured in canonical units, converted back to pixels.
      const d =
        shape === "X"
          ? Math.min(
              distanceToSegment(x, y, -reach, -reach, reach, reach),
              distanceToSegment(x, y, -reach, reach, reach, -reach),
            ) * p.scale
          : Math.abs(Math.hypot(x, y) - reach) * p.scale;
      out[row * size + col] = d <= halfWidth + 1e-9 ? 1 : -1;
    }
  }
  return out;
}

/**
 * A seeded, balanced, shuffled set of X and O images (labels 0 = X, 1 = O),
 * values -1 / +1, shape [size, size, 1].
 */
export function generateXO(options: XOOptions): ImageDataset {
  const { count } = options;
  const size = options.size ?? 9;
  if (!Number.isInteger(count) || count < 0) throw new Error(`generateXO: count must be a whole number >= 0, got ${count}`);
  const variations = resolveVariations(options.variations, size);
  const rng = createRng(options.seed ?? 0);
  const labels = Int32Array.from(rng.shuffle(Array.from({ length: count }, (_, i) => i % 2)));
  const pixels = size * size;
  const images = new Float32Array(count * pixels);
  for (let i = 0; i < count; i++) {
    const shape: XOShape = labels[i] === 0 ? "X" : "O";
    images.set(renderXO(shape, size, drawPose(rng, variations)), i * pixels);
  }
  const preset = typeof options.variations === "string" ? `-${options.variations}` : "";
  return { name: `xo-${size}x${size}${preset}`, images, labels, shape: [size, size, 1], classNames: [...XO_CLASS_NAMES] };
}
