// The architecture diagram, read back from its SVG: which layers are drawn and in what order, the
// arrows between them, the arcs of skip connections, the forks and joins of branches.
import { strict as assert } from "node:assert";
import { diagramSvg, renderDiagram } from "../../src/render/diagram.js";
import { mustCheck } from "../helpers.js";
import { byTag, findAll, parseMarkup, svgPictures, textContent, type MarkupElement } from "./markup.js";

function read(text: string) {
  const svg = byTag(parseMarkup(diagramSvg(mustCheck(text))), "svg")[0]!;
  const groups = byTag(svg, "g");
  const titled = (g: MarkupElement) => textContent(byTag(g, "title")[0] ?? "");
  // A layer's box: a group with its own rect (an AUX group holds its head's groups).
  const layers = groups.filter((g) => g.children.some((c) => typeof c !== "string" && c.tag === "rect"));
  const merges = groups.filter((g) => byTag(g, "circle").length > 0);
  return {
    svg,
    /** The drawn layers' slide names, left to right. */
    layers: layers.map((g) => titled(g).split(" ")[0]!),
    /** The face of each drawn layer's box: its height grows with the spatial size, its width with the depth. */
    boxes: layers.map((g) => ({ name: titled(g).split(" ")[0]!, height: Number(byTag(g, "rect")[0]!.attrs["height"]), width: Number(byTag(g, "rect")[0]!.attrs["width"]) })),
    arrows: byTag(svg, "line").filter((l) => l.attrs["marker-end"] === "url(#arrow)"),
    arcs: byTag(svg, "polyline").filter((p) => p.attrs["stroke"] === "#c1121f"),
    forks: byTag(svg, "polyline").filter((p) => p.attrs["stroke"] === "#555"),
    merges: merges.map((g) => ({ symbol: textContent(byTag(g, "text")[0]!), title: titled(g) })),
  };
}

describe("render/diagram", () => {
  it("draws a chain's layers in order, one arrow between neighbours, and leaves out BN, dropout and activations", () => {
    const d = read("INPUT 32x32x3 CONV5-6 BN RELU POOL2 DROPOUT0.2 CONV5-16 POOL2 FC-120 FC-10 SOFTMAX");
    assert.deepEqual(d.layers, ["INPUT", "CONV1", "POOL1", "CONV2", "POOL2", "FC3", "FC4"]);
    assert.equal(d.arrows.length, d.layers.length - 1);
    assert.deepEqual(d.arcs, []);
    assert.deepEqual(d.merges, []);
    const title = textContent(byTag(findAll(d.svg, (e) => e.tag === "g")[1]!, "title")[0]!);
    assert.equal(title, "CONV1 CONV5-6: [32x32x6], 450 parameters", "(5*5*3)*6 weights, no bias before BN");
  });

  it("sizes the boxes by the volume: taller for larger maps, wider for more channels", () => {
    const d = read("INPUT 64x64x3 CONV3-8 POOL2 CONV3-64 POOL2");
    const box = (name: string) => d.boxes.find((b) => b.name === name)!;
    assert.ok(box("CONV1").height > box("POOL1").height, "64x64 is drawn taller than 32x32");
    assert.ok(box("POOL1").height > box("POOL2").height);
    assert.ok(box("CONV2").width > box("CONV1").width, "64 channels are drawn deeper than 8");
    assert.equal(box("CONV2").height, box("POOL1").height, "the same 32x32 size, the same height");
  });

  it("draws branches between a fork and a concatenation", () => {
    const d = read("INPUT 28x28x192 { CONV1-64 | CONV1-96 CONV3-128 | CONV1-16 CONV5-32 | POOL3/s1/same CONV1-32 } GAP FC-10");
    assert.deepEqual(d.layers, ["INPUT", "CONV1", "CONV2", "CONV3", "CONV4", "CONV5", "POOL1", "CONV6", "GAP1", "FC7"]);
    assert.equal(d.forks.length, 2 * 4, "a line into and out of each of the four branches");
    assert.deepEqual(d.merges, [{ symbol: "C", title: "CONCAT1: concatenate to [28x28x256]" }]);
  });

  it("draws a skip connection as an arc over its body to the merge, dashed when the shortcut is projected", () => {
    const d = read("INPUT 16x16x8 RES[CONV3-8 CONV3-8] RES[CONV3-16/s2 CONV3-16] CAT[CONV3-4]");
    assert.equal(d.arcs.length, 3);
    assert.deepEqual(d.arcs.map((a) => a.attrs["stroke-dasharray"] ?? "solid"), ["solid", "4 2", "solid"]);
    assert.deepEqual(
      d.merges.map((m) => m.symbol),
      ["+", "+", "C"],
    );
    assert.match(d.merges[1]!.title, /^ADD2: add \(1x1 projection on the shortcut\) to \[8x8x16\]$/);
    assert.ok(!d.layers.includes("PROJ1"), "the projection is the dashed arc, not a box");
  });

  it("draws every kind that changes the volume, each in its kind's colour, and ? sizes as the largest", () => {
    const d = read("INPUT ?x?x3 AUGMENT(flip) CONV3-8/g1 DWCONV3 SEPCONV3-16 MAXOUT2 DECONV2-8/s2 UPSAMPLE2 GAP FC-4");
    assert.deepEqual(d.layers, ["INPUT", "AUGMENT1", "CONV1", "DWCONV2", "SEPCONV3", "MAXOUT1", "DECONV4", "UPSAMPLE1", "GAP1", "FC5"]);
    const fills = byTag(d.svg, "rect").map((r) => r.attrs["fill"]);
    assert.equal(new Set(fills).size, fills.length, "one colour per kind");
    assert.ok(!diagramSvg(mustCheck("INPUT ?x?x3 CONV3-8 GAP FC-2")).includes("NaN"));
    const text = read("INPUT1D 20 EMBED100-8 LOCAL3-4 GMP FC-2");
    assert.deepEqual(text.layers, ["INPUT", "EMBED1", "LOCAL1", "GMP1", "FC2"]);
  });

  it("hangs an AUX head below the main line, which goes straight on", () => {
    const d = read("INPUT 8x8x1 CONV3-4 AUX[GAP FC-2 SOFTMAX] CONV3-4 GAP FC-2 SOFTMAX");
    assert.deepEqual(d.layers, ["INPUT", "CONV1", "AUX1_GAP1", "AUX1_FC1", "CONV2", "GAP1", "FC3"]);
    const head = byTag(d.svg, "polyline").filter((p) => p.attrs["stroke-dasharray"] === "3 2");
    assert.equal(head.length, 1, "one dashed line down to the head");
    const box = (name: string) => byTag(d.svg, "g").find((g) => textContent(byTag(g, "title")[0] ?? "").startsWith(`${name} `))!;
    const top = (name: string) => Number(byTag(box(name), "rect")[0]!.attrs["y"]);
    assert.ok(top("AUX1_FC1") > top("CONV2") + 20, "the head is drawn below the main line");
  });

  it("says how many layers it drew in the plain-text form", () => {
    const bundle = renderDiagram(mustCheck("INPUT 28x28 CONV5-6 BN POOL2 FC-10 SOFTMAX"));
    assert.match(bundle["text/plain"]!, /^architecture diagram: 4 layers drawn/);
    // HTML shows the same SVG as an <img> (kept by a notebook's sanitizer, unlike inline <svg>).
    const [picture] = svgPictures(parseMarkup(bundle["text/html"] as string));
    assert.deepEqual(picture, byTag(parseMarkup(bundle["image/svg+xml"] as string), "svg")[0]);
  });
});
