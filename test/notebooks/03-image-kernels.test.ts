// The image-kernels notebook: every kernel of the lecture's table shown as its matrix beside a
// PNG of the photo it filtered, the identity picture equal to the photo, edge pictures that are
// not blank, the photo credited, and a learned 3x3 filter that matches the fixed edge detector.
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { loadSamplePhoto, SAMPLE_PHOTO } from "../../src/data/sample-photo.js";
import { fixture } from "../helpers.js";
import { byClass, byTag, parseMarkup, tableCells } from "../render/markup.js";
import { allOutputs, checkPngs, executeNotebook, joined, type Output } from "./run-notebook.js";

type KernelEntry = number[][] | { scale: string; kernel: number[][] };
type Kernels = Record<string, KernelEntry | string>;

const table = fixture<Kernels>("classical-kernels.json");
const kernelNames = Object.keys(table).filter((k) => k !== "source");

function decode(output: Output): PNG {
  return PNG.sync.read(Buffer.from(joined(output.data!["image/png"]), "base64"));
}

/** Mean and variance of the red channel (the pictures are grey). */
function greyStats(png: PNG): { mean: number; variance: number } {
  const n = png.width * png.height;
  let sum = 0;
  let squares = 0;
  for (let p = 0; p < n; p++) {
    const v = png.data[p * 4]!;
    sum += v;
    squares += v * v;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
}

describe("notebook 03-image-kernels", function () {
  this.timeout(1_200_000);

  it("shows every kernel of the lecture's table as its matrix beside a PNG of the filtered photo", async () => {
    const { cells } = await executeNotebook("03-image-kernels.ipynb");
    assert.equal(kernelNames.length, 9);
    const outputs = allOutputs(cells);
    for (const name of kernelNames) {
      const entry = table[name] as KernelEntry;
      const integers = Array.isArray(entry) ? entry : entry.kernel;
      const cards = outputs.filter((o) => joined(o.data?.["text/html"]).includes(`data-filter="${name}"`));
      assert.equal(cards.length, 1, `one card for ${name}`);
      const card = cards[0]!;
      assert.ok(joined(card.data!["text/plain"]).includes(`(${name})`), `the card names ${name}`);
      const root = parseMarkup(joined(card.data!["text/html"]));
      const [matrix] = byClass(root, "convnote-filter-matrix");
      assert.deepEqual(tableCells(matrix!), integers.map((row) => row.map(String)), `${name}'s matrix`);
      assert.equal(matrix!.attrs["data-scale"], Array.isArray(entry) ? undefined : entry.scale);
      assert.equal(byTag(root, "img")[0]!.attrs["src"], `data:image/png;base64,${joined(card.data!["image/png"])}`);
      const png = decode(card);
      assert.deepEqual([png.width, png.height], [SAMPLE_PHOTO.width, SAMPLE_PHOTO.height], `${name}: the photo's size`);
    }
    assert.ok(checkPngs(outputs) >= kernelNames.length + 3, "the photo, nine cards, the overview and the colour strip");
    const overview = outputs.find((o) => joined(o.data?.["text/plain"]).startsWith("9 images side by side"));
    assert.ok(overview && decode(overview).width > 3 * 128, "all nine side by side, three to a row");
  });

  it("draws the identity as the photo itself and the edge detectors as pictures that are not blank", async () => {
    const { cells } = await executeNotebook("03-image-kernels.ipynb");
    const card = (name: string): Output => allOutputs(cells).find((o) => joined(o.data?.["text/html"]).includes(`data-filter="${name}"`))!;

    const identity = decode(card("identity"));
    const grey = loadSamplePhoto({ greyscale: true });
    assert.deepEqual([identity.width, identity.height], [grey.width, grey.height]);
    let largest = 0;
    for (let p = 0; p < grey.width * grey.height; p++) {
      largest = Math.max(largest, Math.abs(identity.data[p * 4]! - Math.round(grey.data[p]! * 255)));
    }
    assert.equal(largest, 0, "every pixel of the identity picture is the photo's grey value");
    assert.match(joined(allOutputs(cells).map((o) => joined(o.text))), /every pixel unchanged: yes/);

    for (const name of ["edge_detection_1", "edge_detection_2", "edge_detection_3"]) {
      const { mean, variance } = greyStats(decode(card(name)));
      // Zero is mid-grey; the fur and whiskers make the picture busy, far from a flat grey.
      assert.ok(mean > 100 && mean < 156, `${name}: mean ${mean.toFixed(1)} near mid-grey`);
      assert.ok(variance > 400, `${name}: variance ${variance.toFixed(0)}`);
    }
    const blur = greyStats(decode(card("gaussian_blur_5x5")));
    const photo = greyStats(identity);
    assert.ok(Math.abs(blur.mean - photo.mean) < 1, "a blur keeps the brightness");
    assert.ok(blur.variance < photo.variance, "and loses some contrast");
    assert.match(joined(allOutputs(cells).map((o) => joined(o.text))), /unsharp masking = 2 x picture - Gaussian 5x5 blur: yes/);
  });

  it("credits the photograph and learns the 8-neighbour edge detector", async () => {
    const { cells } = await executeNotebook("03-image-kernels.ipynb");
    const markdown = cells.filter((c) => c.cell_type === "markdown").map((c) => joined(c.source)).join("\n");
    assert.ok(markdown.includes("Chelsea the cat") && markdown.includes(SAMPLE_PHOTO.author) && markdown.includes("CC0"), "the credit");
    assert.ok(markdown.includes("src/data/assets/LICENSE-PHOTO.md"));

    const shown = allOutputs(cells).filter((o) => joined(o.data?.["text/html"]).includes("learned-kernel"));
    assert.equal(shown.length, 1);
    const learned = tableCells(byClass(parseMarkup(joined(shown[0]!.data!["text/html"])), "learned-kernel")[0]!).map((r) => r.map(Number));
    assert.equal(learned.length, 3);
    const fixed = table["edge_detection_3"] as number[][];
    learned.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - fixed[i]![j]!) <= 0.05, `learned[${i}][${j}] = ${v}, fixed ${fixed[i]![j]}`)));
  });
});
