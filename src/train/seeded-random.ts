// Training's randomness from one seed. tfjs shuffles the examples with Math.random, and an op
// given no seed (dropout, noise, random augmentation) draws its seed from Math.random too. So
// while a fit runs, Math.random is a generator seeded for that fit: the same seed gives the same
// batches, the same dropout masks and, from the same starting weights, the same trained weights.
import { mulberry32, normaliseSeed } from "../data/random.js";

const unseeded = Math.random;
/** The generators of the fits running now, innermost last (fits may overlap in one process). */
const active: (() => number)[] = [];

/** Runs `train` with Math.random seeded by `seed`; the previous Math.random is back afterwards. */
export async function withSeededRandom<T>(seed: number, train: () => Promise<T>): Promise<T> {
  const generator = mulberry32(normaliseSeed(seed));
  active.push(generator);
  Math.random = generator;
  try {
    return await train();
  } finally {
    active.splice(active.lastIndexOf(generator), 1);
    Math.random = active.at(-1) ?? unseeded;
  }
}
