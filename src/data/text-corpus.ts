/**
 * A small GENERATED sentiment corpus for a 1-D text-CNN notebook. It is not
 * real review text: short sentences are assembled from fixed word lists by a
 * seeded generator, and the label (0 = negative, 1 = positive) is known by
 * construction. The signal is learnable but not a single keyword:
 *   - an opinion word sets the polarity ("the plot was dull" -> negative);
 *   - a negation before it flips it ("the plot was not dull" -> positive),
 *     which a width-2 or width-3 filter can detect;
 *   - "A but B" sentences take the polarity of B, "A and B" agree.
 * Word vectors are seeded random vectors per word (not trained embeddings):
 * they carry identity, not meaning, so the network must learn which words
 * matter. All of this is deterministic for a given seed.
 */

import { createRng, type Rng } from "./random.js";

export const TEXT_CLASS_NAMES = ["negative", "positive"];
export const PAD_TOKEN = "<pad>";
export const UNKNOWN_TOKEN = "<unk>";

const SUBJECTS = ["the film", "this movie", "the plot", "the acting", "the story", "the music", "the ending", "the cast", "the script", "the dialogue"];
const VERBS = ["was", "is", "felt", "seemed"];
const POSITIVE = ["great", "wonderful", "brilliant", "moving", "fun", "charming", "clever", "beautiful", "gripping", "delightful"];
const NEGATIVE = ["awful", "boring", "dull", "terrible", "clumsy", "predictable", "tedious", "weak", "messy", "forgettable"];
const INTENSIFIERS = ["really", "very", "quite", "truly", "rather"];
const NEGATIONS = ["not", "never"];
const OPENERS = ["honestly", "overall", "i think", "to be fair", "in the end", "sadly", "happily"];
const CONNECTORS = ["and", "but"];

export interface TextCorpus {
  name: string;
  sentences: string[];
  /** 0 = negative, 1 = positive. */
  labels: Int32Array;
  classNames: string[];
  /** Every word the generator can produce, sorted, after "<pad>" (id 0) and "<unk>" (id 1). */
  vocabulary: string[];
}

export interface TextCorpusOptions {
  count: number;
  seed?: number;
  /** Probability of a negation in a clause. Default 0.3. */
  negationRate?: number;
  /** Probability of a two-clause sentence ("... and ..." / "... but ..."). Default 0.3. */
  twoClauseRate?: number;
  /** Fraction of labels flipped at random, to model annotator noise. Default 0. */
  labelNoise?: number;
}

/** Lower-case words; punctuation is dropped. */
export function tokenize(sentence: string): string[] {
  return sentence.toLowerCase().match(/[a-z']+/g) ?? [];
}

/** The fixed vocabulary of the generator (ids are positions in this list). */
export function textVocabulary(): string[] {
  const words = new Set<string>();
  for (const list of [SUBJECTS, VERBS, POSITIVE, NEGATIVE, INTENSIFIERS, NEGATIONS, OPENERS, CONNECTORS]) {
    for (const phrase of list) for (const w of tokenize(phrase)) words.add(w);
  }
  return [PAD_TOKEN, UNKNOWN_TOKEN, ...[...words].sort()];
}

/** One clause with the wanted polarity (true = positive). */
function clause(rng: Rng, positive: boolean, negationRate: number): string {
  const negated = rng.chance(negationRate);
  // A negated clause uses an opinion word of the opposite polarity.
  const opinion = rng.pick(positive !== negated ? POSITIVE : NEGATIVE);
  const parts = [rng.pick(SUBJECTS), rng.pick(VERBS)];
  if (negated) parts.push(rng.pick(NEGATIONS));
  if (rng.chance(0.35)) parts.push(rng.pick(INTENSIFIERS));
  parts.push(opinion);
  return parts.join(" ");
}

export function generateTextCorpus(options: TextCorpusOptions): TextCorpus {
  const { count } = options;
  if (!Number.isInteger(count) || count < 0) throw new Error(`generateTextCorpus: count must be a whole number >= 0, got ${count}`);
  const negationRate = options.negationRate ?? 0.3;
  const twoClauseRate = options.twoClauseRate ?? 0.3;
  const labelNoise = options.labelNoise ?? 0;
  const rng = createRng(options.seed ?? 0);
  const wanted = rng.shuffle(Array.from({ length: count }, (_, i) => i % 2));
  const sentences: string[] = [];
  const labels = new Int32Array(count);
  wanted.forEach((label, i) => {
    const positive = label === 1;
    let text: string;
    if (rng.chance(twoClauseRate)) {
      const connector = rng.pick(CONNECTORS);
      // "but" turns the opinion around: the first clause says the opposite.
      const first = clause(rng, connector === "but" ? !positive : positive, negationRate);
      text = `${first} ${connector} ${clause(rng, positive, negationRate)}`;
    } else {
      text = clause(rng, positive, negationRate);
    }
    if (rng.chance(0.25)) text = `${rng.pick(OPENERS)} ${text}`;
    sentences.push(text);
    labels[i] = rng.chance(labelNoise) ? 1 - label : label;
  });
  return { name: "generated-sentiment", sentences, labels, classNames: [...TEXT_CLASS_NAMES], vocabulary: textVocabulary() };
}

/** Seeded random word vectors, one row per vocabulary word. */
export interface WordVectors {
  dim: number;
  vocabulary: string[];
  /** vocabulary.length * dim values; row i is the vector of vocabulary[i]. */
  vectors: Float32Array;
}

/**
 * Each word's vector depends only on (seed, word), not on the vocabulary's
 * order: Gaussian entries scaled by 1/sqrt(dim), so vectors have length about
 * 1 and different words are nearly orthogonal. "<pad>" is the zero vector.
 */
export function createWordVectors(vocabulary: string[], dim = 16, seed = 0): WordVectors {
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`createWordVectors: dim must be a positive integer, got ${dim}`);
  const vectors = new Float32Array(vocabulary.length * dim);
  const scale = 1 / Math.sqrt(dim);
  vocabulary.forEach((word, i) => {
    if (word === PAD_TOKEN) return;
    const rng = createRng(`${seed}:${word}`);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = rng.normal() * scale;
  });
  return { dim, vocabulary: [...vocabulary], vectors };
}

export interface EmbeddedSentences {
  /** N * length * dim values. */
  data: Float32Array;
  shape: [number, number, number];
  /** N * length word ids (0 = padding, 1 = unknown word). */
  tokenIds: Int32Array;
}

/**
 * Sentences as [N, length, dim]: word i of a sentence becomes its vector;
 * shorter sentences are padded at the end with "<pad>" (zeros), longer ones
 * are cut after `length` words. Words outside the vocabulary use "<unk>".
 */
export function embedSentences(sentences: string[], table: WordVectors, length: number): EmbeddedSentences {
  if (!Number.isInteger(length) || length <= 0) throw new Error(`embedSentences: length must be a positive integer, got ${length}`);
  const ids = new Map(table.vocabulary.map((w, i) => [w, i] as const));
  const pad = ids.get(PAD_TOKEN);
  const unknown = ids.get(UNKNOWN_TOKEN);
  if (pad === undefined || unknown === undefined) {
    throw new Error(`embedSentences: the vocabulary must contain "${PAD_TOKEN}" and "${UNKNOWN_TOKEN}" (use textVocabulary())`);
  }
  const { dim } = table;
  const data = new Float32Array(sentences.length * length * dim);
  const tokenIds = new Int32Array(sentences.length * length).fill(pad);
  sentences.forEach((sentence, n) => {
    tokenize(sentence)
      .slice(0, length)
      .forEach((word, t) => {
        const id = ids.get(word) ?? unknown;
        tokenIds[n * length + t] = id;
        data.set(table.vectors.subarray(id * dim, (id + 1) * dim), (n * length + t) * dim);
      });
  });
  return { data, shape: [sentences.length, length, dim], tokenIds };
}
