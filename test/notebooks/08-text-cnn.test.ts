// Text classification with a 1-D ConvNet (Kim 2014): the generated corpus, the three parallel
// branches of widths 3, 4 and 5 with max-over-time pooling, and a trained network that beats the
// majority class and a bag-of-words linear model, most of all on sentences with a negation.
import assert from "node:assert/strict";
import { notebookOutputs } from "./run-notebook.js";

/** The percentage printed after `label`, e.g. "bag of words: test accuracy 63.2%". */
function percentAfter(text: string, label: RegExp): number {
  const found = new RegExp(`${label.source}: test accuracy ([\\d.]+)%`).exec(text);
  assert.ok(found, `no "${label.source}: test accuracy ...%" in the outputs`);
  return Number(found[1]);
}

describe("notebook 08-text-cnn", function () {
  this.timeout(1_200_000);

  it("shows the three 1-D branches and trains a text CNN that beats both baselines", async () => {
    const { html, text } = await notebookOutputs("08-text-cnn.ipynb");

    // The corpus: seeded, with the test sentences that also occur in training left out.
    assert.match(text, /2000 training sentences, (\d+) test sentences \((\d+) of 600 generated test sentences also occur in training and are left out\); 58 words in the vocabulary/);
    assert.match(text, /"the music was never fun" \(5 words\) as a 16x16 matrix/);

    // The shape table: three branches (indented) over a 16-word sentence, each ending in its own
    // max over time, concatenated to 3 x 32 = 96 features.
    for (const [conv, width, length, params] of [["CONV1", 3, 14, "1,568"], ["CONV2", 4, 13, "2,080"], ["CONV3", 5, 12, "2,592"]] as const) {
      assert.match(text, new RegExp(`^ +${conv} +CONV${width}-32/valid +RELU +\\[${length}x32\\] +params: \\(${width}\\*16\\)\\*32 \\+ 32 = ${params} `, "m"), conv);
      assert.match(html, new RegExp(`\\[${length}x32\\]`));
    }
    for (const pool of ["GMP1", "GMP2", "GMP3"]) assert.match(text, new RegExp(`^ +${pool} +GMP +\\[32\\]`, "m"), pool);
    assert.match(text, /^CONCAT1 +concat +\[96\]/m);
    assert.match(text, /^FC4 +FC-2 +SOFTMAX +\[2\]/m);
    assert.match(text, /Total: 6,434 parameters /);

    // Trained: the CNN beats the majority class and the bag of words by a wide margin.
    const cnn = percentAfter(text, /1-D CNN/);
    const bagOfWords = percentAfter(text, /bag of words/);
    const majority = percentAfter(text, /majority class \((?:negative|positive)\)/);
    assert.ok(majority > 40 && majority < 60, `the classes are balanced: majority ${majority}%`);
    assert.ok(cnn >= 85, `1-D CNN ${cnn}%`);
    assert.ok(cnn > Math.max(bagOfWords, majority) + 10, `1-D CNN ${cnn}% against bag of words ${bagOfWords}% and majority ${majority}%`);

    // Word order is what the bag of words lacks: the CNN does better on negated sentences.
    const negated = /with 'not' or 'never' +(\d+) +([\d.]+)% +([\d.]+)%/.exec(text);
    assert.ok(negated, "the accuracy by kind of sentence");
    assert.ok(Number(negated[3]) > Number(negated[2]), `negated sentences: CNN ${negated[3]}%, bag of words ${negated[2]}%`);
    // "*but* sentences are harder for it too": the CNN does worse on them than on plain sentences.
    const plain = /no negation, no 'but' +(\d+) +([\d.]+)% +([\d.]+)%/.exec(text);
    const but = /with 'but' +(\d+) +([\d.]+)% +([\d.]+)%/.exec(text);
    assert.ok(plain && but && Number(but[3]) < Number(plain[3]), `'but' sentences: CNN ${but?.[3]}% against ${plain?.[3]}% on plain ones`);

    // A few test sentences with both models' answers.
    const answers = text.match(/^.+ (negative|positive) +(negative|positive) \([01]\.\d\d\) +(negative|positive) \([01]\.\d\d\)$/gm) ?? [];
    assert.equal(answers.length, 12, "twelve test sentences with predictions");

    // The live view ends as an interactive plot with the validation curve.
    assert.match(html, /"name":"validation"/);
  });
});
