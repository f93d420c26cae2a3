/**
 * The one seeded pseudo-random generator used by every ConvNote data set.
 *
 * mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast, and good enough
 * for shuffling and drawing shapes. It is NOT cryptographic. The same seed
 * always gives the same sequence on every platform, which is what makes the
 * generated data sets and subsets reproducible.
 */

/** A source of uniform numbers in [0, 1), plus a few derived draws. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [min, max] (both ends included). */
  int(min: number, max: number): number;
  /** Standard normal draw (Box-Muller), mean 0, standard deviation 1. */
  normal(): number;
  /** true with the given probability. */
  chance(probability: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Shuffles the array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
}

/** Turns any number (or string) into a 32-bit unsigned seed. */
export function normaliseSeed(seed: number | string): number {
  if (typeof seed === "string") return hashString(seed);
  if (!Number.isFinite(seed)) {
    throw new Error(`random: seed must be a finite number, got ${seed}`);
  }
  // Keep integers as they are (mod 2^32); mix fractional seeds so 0.5 != 0.
  const whole = Math.floor(seed);
  const fraction = seed - whole;
  let s = whole >>> 0;
  if (fraction !== 0) s = (s ^ Math.floor(fraction * 0x100000000)) >>> 0;
  return s;
}

/** FNV-1a hash of a string, used to derive seeds from names (e.g. a word). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: returns a function giving uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator with convenience draws. */
export function createRng(seed: number | string): Rng {
  const next = mulberry32(normaliseSeed(seed));
  let spareNormal: number | null = null;
  const rng: Rng = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new Error(`random: int(${min}, ${max}) needs integers with min <= max`);
      }
      return min + Math.floor(next() * (max - min + 1));
    },
    normal: () => {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error("random: pick() from an empty array");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
  };
  return rng;
}
