import { strict as assert } from "node:assert";
import { createWordVectors, embedSentences, generateTextCorpus, textVocabulary, tokenize } from "../../src/data/index.js";

const POSITIVE = new Set(["great", "wonderful", "brilliant", "moving", "fun", "charming", "clever", "beautiful", "gripping", "delightful"]);
const NEGATIVE = new Set(["awful", "boring", "dull", "terrible", "clumsy", "predictable", "tedious", "weak", "messy", "forgettable"]);

/** Reads a sentence the way the corpus promises: last clause after "but", negation flips. */
function ruleLabel(sentence: string): number {
  const clause = sentence.split(" but ").pop()!.split(" and ").pop()!;
  const words = tokenize(clause);
  const opinion = words.find((w) => POSITIVE.has(w) || NEGATIVE.has(w));
  assert.ok(opinion, `no opinion word in "${clause}"`);
  const negated = words.includes("not") || words.includes("never");
  return POSITIVE.has(opinion) !== negated ? 1 : 0;
}

describe("data: generated text corpus", () => {
  it("generates balanced, seeded sentences whose labels follow the stated rules", () => {
    const corpus = generateTextCorpus({ count: 400, seed: 9 });
    assert.equal(corpus.sentences.length, 400);
    assert.deepEqual(corpus.classNames, ["negative", "positive"]);
    assert.equal(corpus.labels.reduce((s, l) => s + l, 0), 200);
    corpus.sentences.forEach((s, i) => assert.equal(ruleLabel(s), corpus.labels[i], s));
    assert.ok(corpus.sentences.some((s) => / not | never /.test(s)), "has negations");
    assert.ok(corpus.sentences.some((s) => s.includes(" but ")), "has 'but' sentences");
    assert.deepEqual(generateTextCorpus({ count: 400, seed: 9 }).sentences, corpus.sentences);
    assert.notDeepEqual(generateTextCorpus({ count: 400, seed: 10 }).sentences, corpus.sentences);
  });

  it("flips the requested share of labels with labelNoise", () => {
    const corpus = generateTextCorpus({ count: 1000, seed: 1, labelNoise: 0.2 });
    const wrong = corpus.sentences.filter((s, i) => ruleLabel(s) !== corpus.labels[i]).length;
    assert.ok(wrong > 150 && wrong < 250, `${wrong} flipped`);
  });

  it("has a fixed vocabulary covering every generated word", () => {
    const corpus = generateTextCorpus({ count: 300, seed: 2 });
    const vocabulary = new Set(corpus.vocabulary);
    assert.deepEqual(corpus.vocabulary.slice(0, 2), ["<pad>", "<unk>"]);
    assert.deepEqual(corpus.vocabulary, textVocabulary());
    for (const s of corpus.sentences) for (const w of tokenize(s)) assert.ok(vocabulary.has(w), w);
  });

  it("embeds sentences as [N, length, dim], padded with zeros and cut at length", () => {
    const vocabulary = textVocabulary();
    const table = createWordVectors(vocabulary, 8, 5);
    const sentences = ["The plot was dull.", "the film was not very great but the music was really wonderful", "zebra"];
    const out = embedSentences(sentences, table, 6);
    assert.deepEqual(out.shape, [3, 6, 8]);
    assert.equal(out.data.length, 3 * 6 * 8);
    const row = (n: number, t: number): number[] => Array.from(out.data.subarray((n * 6 + t) * 8, (n * 6 + t + 1) * 8));
    const vector = (word: string): number[] => {
      const i = vocabulary.indexOf(word);
      return Array.from(table.vectors.subarray(i * 8, (i + 1) * 8));
    };
    assert.deepEqual(row(0, 3), vector("dull"));
    assert.deepEqual(row(0, 4), new Array(8).fill(0));
    assert.deepEqual(Array.from(out.tokenIds.subarray(0, 6)).slice(4), [0, 0]);
    assert.deepEqual(row(1, 5), vector("great"), "cut after 6 words");
    assert.deepEqual(row(2, 0), vector("<unk>"));
    assert.equal(out.tokenIds[12], 1);
    assert.throws(() => embedSentences(sentences, table, 0), /length must be a positive integer/);
  });

  it("gives each word the same vector whatever the vocabulary order", () => {
    const a = createWordVectors(["<pad>", "<unk>", "dull", "great"], 16, 3);
    const b = createWordVectors(["great", "dull", "<unk>", "<pad>"], 16, 3);
    assert.deepEqual(a.vectors.subarray(3 * 16, 4 * 16), b.vectors.subarray(0, 16));
    assert.deepEqual(Array.from(a.vectors.subarray(0, 16)), new Array(16).fill(0));
    const norm = Math.hypot(...a.vectors.subarray(2 * 16, 3 * 16));
    assert.ok(norm > 0.4 && norm < 1.8);
    assert.notDeepEqual(createWordVectors(["dull"], 16, 4).vectors, createWordVectors(["dull"], 16, 3).vectors);
  });
});
