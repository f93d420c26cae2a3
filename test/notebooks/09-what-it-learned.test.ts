// Seeing what LeNet-5 learned: deeper filters and activation maps, saliency maps that pick out
// pixels, and the test digits that excite one CONV2 unit most.
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { joined, notebookOutputs, percentagesNotInOutputs, type Output } from "./run-notebook.js";

/** The outputs whose text/plain matches, with their PNGs decoded. */
function pictures(outputs: Output[], pattern: RegExp): { text: string; png: PNG }[] {
  return outputs
    .filter((o) => pattern.test(joined(o.data?.["text/plain"])) && o.data?.["image/png"] !== undefined)
    .map((o) => ({ text: joined(o.data!["text/plain"]), png: PNG.sync.read(Buffer.from(joined(o.data!["image/png"]), "base64")) }));
}

/** Colours that are not grey: the heat maps' (the digits, labels and background are grey or one tint). */
function heatColours(png: PNG): number {
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r !== g || g !== b) colours.add((r << 16) | (g << 8) | b);
  }
  return colours.size;
}

describe("notebook 09-what-it-learned", function () {
  this.timeout(1_200_000);

  it("shows deeper filters and maps, saliency maps that are not uniform, and the top images of CONV2 units", async () => {
    const { cells, outputs, text } = await notebookOutputs("09-what-it-learned.ipynb");

    const accuracy = /test accuracy ([\d.]+)% on 10000 test digits/.exec(text);
    assert.ok(accuracy && Number(accuracy[1]) >= 95, `accuracy: ${accuracy?.[0]}`);
    // "the same seeds as notebook 4 ... the two notebooks train the same weights": the same test accuracy, to the hundredth.
    const lenet = /test accuracy ([\d.]+)% on 10000 test digits/.exec((await notebookOutputs("04-lenet-mnist.ipynb")).text);
    assert.equal(accuracy[1], lenet?.[1], "notebook 4 and notebook 9 train the same network the same way");

    // The receptive field the prose quotes: 5 (C1), 14 (C3, two pixels apart), 16 (after S4), then the whole digit.
    assert.match(text, /^CONV1 .*RF: 5 \(jump 1\)$/m);
    assert.match(text, /^CONV2 .*RF: 14 \(jump 2\)$/m);
    assert.match(text, /^POOL2 .*RF: 16 \(jump 4\)$/m);
    for (const layer of ["CONV3", "FC4", "FC5"]) assert.match(text, new RegExp(`^${layer} .*RF: 28 \\(whole input, jump 4\\)$`, "m"));

    // Filters of the first and the second layer (one row per input map), and maps of deeper layers.
    assert.equal(pictures(outputs, /^CONV1: 6 filters of 5x5x1/).length, 1);
    const deepFilters = pictures(outputs, /^CONV2: 16 filters of 5x5x6 .*one row per input channel \(6 of 6\)/);
    assert.equal(deepFilters.length, 1);
    assert.ok(deepFilters[0]!.png.width >= 16 * 30 && deepFilters[0]!.png.height >= 6 * 30);
    assert.equal(pictures(outputs, /^CONV1 on test digit #0 \(a 7\): 6 activation maps of 28x28/).length, 1);
    assert.equal(pictures(outputs, /^CONV2 on test digit #0: 16 activation maps of 10x10/).length, 1);
    assert.equal(pictures(outputs, /^POOL2 on test digit #0: 16 activation maps of 5x5/).length, 1);

    // Saliency maps: six digits, then one mistake seen from its wrong and its true class.
    const saliency = pictures(outputs, /^\|d score \/ d pixel\|/);
    assert.equal(saliency.length, 3);
    assert.match(saliency[0]!.text, /saliency maps of 6 images 28x28x1/);
    for (const { png, text: caption } of saliency) {
      assert.ok(heatColours(png) >= 50, `a heat map with ${heatColours(png)} colours is (nearly) uniform:\n${caption}`);
      for (const largest of caption.matchAll(/largest ([\d.e-]+)/g)) assert.ok(Number(largest[1]) > 0, "a map of zeros");
    }
    const mistake = /#(\d+): true (\d), predicted (\d); gradient of the score of (\d)/.exec(saliency[1]!.text);
    assert.ok(mistake && mistake[2] !== mistake[3] && mistake[4] === mistake[3], `the wrong answer's score: ${saliency[1]!.text}`);
    assert.match(saliency[2]!.text, new RegExp(`#${mistake[1]}: true ${mistake[2]}, predicted ${mistake[3]}; gradient of the score of ${mistake[2]}`));

    // "the bright pixels gather on and right beside the strokes ... The first is clearly larger for
    // every digit, though not all of it": the share of the map near ink against the share of the picture.
    const nearInk = [...text.matchAll(/^#(\d+) \(a (\d)\): (\d+)% of the saliency within 2 pixels of ink, which is (\d+)% of the picture$/gm)];
    assert.deepEqual(nearInk.map((m) => Number(m[1])), [0, 1, 2, 3, 4, 7]);
    for (const [line, , , share, area] of nearInk) assert.ok(Number(share) >= 1.25 * Number(area) && Number(share) < 100, line);

    // The 12 test digits that excite each of three CONV2 channels most, with their maps.
    const top = pictures(outputs, /^CONV2 channel \d+ of 16: the 12 of 10000 images with the strongest response/);
    assert.equal(top.length, 3);
    for (const { png, text: caption } of top) {
      assert.match(caption, /under each, its map 10x10: one heat scale for all/);
      assert.equal((caption.split("\n")[2]!.match(/#\d+/g) ?? []).length, 12, caption);
      assert.ok(png.width >= 12 * 56 && png.height >= 2 * 56, `${png.width}x${png.height}`);
    }
    // The digits counted among each channel's top 12 are those under its pictures.
    let mixing = 0;
    for (const { text: caption } of top) {
      const channel = /^CONV2 channel (\d+) of 16/.exec(caption)![1];
      const labels = [...caption.split("\n")[2]!.matchAll(/(?:^|; )(\d) #\d+/g)].map((m) => Number(m[1]));
      const counts = new Map<number, number>();
      for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
      const counted = new RegExp(`^CONV2 channel ${channel}: (.*) \\((\\d+) different digits?\\)$`, "m").exec(text);
      assert.ok(counted, `the count for channel ${channel}`);
      assert.deepEqual(new Map(counted[1]!.split(", ").map((part) => { const [n, digit] = part.split(" x "); return [Number(digit), Number(n)]; })), counts, caption);
      assert.equal(Number(counted[2]), counts.size);
      if (counts.size > 1) mixing++;
    }
    assert.match(text, new RegExp(`^${mixing} of 3 channels have more than one digit among their top 12$`, "m"));
    assert.deepEqual(percentagesNotInOutputs(cells), []);
  });
});
