// Shift-Tab inspection: the reference of what is under the cursor and what it computes there.
import { strict as assert } from "node:assert";
import { flowed, inspectNetwork } from "../../src/completion/inspect.js";
import { conv } from "../../src/layers/conv.js";
import { pool } from "../../src/layers/pool.js";
import { layerKinds } from "../../src/layers/registry.js";

/** Inspection with the cursor at the first `§`. */
function inspect(textWithCursor: string) {
  const cursor = textWithCursor.indexOf("§");
  assert.ok(cursor >= 0, "mark the cursor with §");
  return inspectNetwork(textWithCursor.slice(0, cursor) + textWithCursor.slice(cursor + 1), cursor);
}

const vgg = "INPUT 224x224x3 [CONV3-64]x2 POOL2 [CONV3-128]x2 POOL2 FC-10 SOFTMAX";

describe("inspectNetwork", () => {
  it("shows the layer's reference and, for each repetition, its output, parameters and receptive field", () => {
    const r = inspect(vgg.replace("CONV3-64", "CO§NV3-64"))!;
    assert.ok(r.markdown.includes(conv.doc.split("\n")[0]!));
    assert.match(r.markdown, /\*\*CONV3: Convolution/);
    assert.match(r.markdown, /Here \(2 times\)/);
    assert.match(r.markdown, /\| CONV1 \| CONV3-64 \| RELU \| \[224x224x64\] \| \(3\*3\*3\)\*64 \+ 64 = 1,792 \| 3 \(jump 1\) \|/);
    assert.match(r.markdown, /\| CONV2 \| CONV3-64 \| RELU \| \[224x224x64\] \| \(3\*3\*64\)\*64 \+ 64 = 36,928 \| 5 \(jump 1\) \|/);
    assert.match(r.plain, /CONV2\s+CONV3-64\s+RELU\s+\[224x224x64\]\s+\(3\*3\*64\)\*64 \+ 64 = 36,928/);
    assert.doesNotMatch(r.plain, /\*\*|`/);
  });

  it("lets the reference's sentences flow (the front end wraps them), keeping lists and code on their lines", () => {
    const r = inspect(vgg.replace("CONV3-64", "CO§NV3-64"))!;
    const firstParagraph = conv.doc.split("\n\n")[0]!;
    assert.ok(firstParagraph.includes("\n"), "the reference is written hard-wrapped in the source");
    assert.ok(r.plain.includes(firstParagraph.replace(/`/g, "").replace(/\n/g, " ")), `not flowed:\n${r.plain.slice(0, 600)}`);
    assert.equal(flowed("one\ntwo\n\n- a\n- b\n    code\nend"), "one two\n\n- a\n- b\n    code end");
  });

  it("finds the layer from its number, its modifiers or the end of its word", () => {
    const at = (marked: string) => inspect(marked)!.markdown.match(/\| (POOL\d) \| POOL3\/s2 \| {2}\| \[(\S+)\] \|/)?.slice(1);
    assert.deepEqual(at("INPUT 55x55x96 POOL§3/2"), ["POOL1", "27x27x96"]);
    assert.deepEqual(at("INPUT 55x55x96 POOL3/§2"), ["POOL1", "27x27x96"]);
    assert.deepEqual(at("INPUT 55x55x96 POOL3§/2"), ["POOL1", "27x27x96"]);
    assert.ok(inspect("INPUT 55x55x96 POOL3/2§")!.markdown.includes(pool.title));
  });

  it("inside the long form, names the argument under the cursor first", () => {
    const r = inspect("INPUT 28x28 CONV(filters=8, si§ze=5)")!;
    assert.match(r.markdown.split("\n\n")[0]!, /^`size`: filter size k or hxw \(default 3\)$/);
    assert.match(r.markdown, /\| CONV1 \| CONV5-8 \| {2}\| \[28x28x8\] \| \(5\*5\*1\)\*8 \+ 8 = 208 \| 5 \(jump 1\) \|/);
  });

  it("computes the shape at the cursor even when the text further down is wrong or unfinished", () => {
    const broken = inspect("INPUT 28x28 CONV3-8/s2 [PO§OL2 CONV3-16")!;
    assert.match(broken.markdown, /\| POOL1 \| POOL2 \| {2}\| \[7x7x8\] \| 0 \| 5 \(jump 4\) \|/);
    const laterError = inspect("INPUT 28x28 CON§V5-6/valid POOL2 FC-10 SOFTMAX FOO")!;
    assert.match(laterError.markdown, /\| CONV1 \| CONV5-6\/valid \| (RELU)? \| \[24x24x6\] \|/);
  });

  it("explains RES, CAT and branches, with their merge", () => {
    const res = inspect("INPUT 32x32x16 R§ES[CONV3-16 CONV3-16]x2 GAP FC-10")!;
    assert.match(res.markdown, /^\*\*Residual block\*\*/);
    assert.match(res.markdown, /\| ADD1 \| add \| RELU \| \[32x32x16\] \| 0 \| 5 \(jump 1\) \|/);
    assert.match(res.markdown, /\| ADD2 \| add \| RELU \| \[32x32x16\] \| 0 \| 9 \(jump 1\) \|/);
    const cat = inspect("INPUT 8x8x4 CAT§[CONV3-2]*3")!;
    assert.match(cat.markdown, /\| CAT3 \| concat \| {2}\| \[8x8x10\] \|/);
    const branches = inspect("INPUT 8x8x3 {CONV1-4 §| CONV3-2} GAP FC-2")!;
    assert.match(branches.markdown, /^\*\*Branches\*\*/);
    assert.match(branches.markdown, /\| CONCAT1 \| concat \| {2}\| \[8x8x6\] \|/);
    assert.match(inspect("INPUT 8x8x3 [CONV3-4]§x2")!.markdown, /^\*\*Repetition\*\*/);
  });

  it("shows a block call's parameters and the output after it, and def's reference on a definition", () => {
    const call = inspect("def f(a) = CONV3-a\nINPUT 8x8 f(4) §f(2) POOL2")!;
    assert.match(call.markdown, /^\*\*block f\(a\)\*\*/);
    assert.match(call.markdown, /Output after this call: 8x8x2/);
    assert.match(inspect("de§f f(a) = CONV3-a\nINPUT 8x8 f(4)")!.markdown, /^\*\*Blocks\*\*/);
  });

  it("shows TRAIN's arguments, and the one under the cursor, also inside a nested call", () => {
    const r = inspect("TRAIN(optimizer=sgd(mom§entum=0.9), lr=1e-2)\nINPUT 8x8")!;
    assert.match(r.markdown, /^`momentum`: SGD momentum/);
    assert.match(r.markdown, /\*\*Training settings\*\*/);
    assert.match(r.markdown, /\| `?lr`? \| learning rate/);
  });

  it("explains every kind of the registry at its keyword, with its output in the example", () => {
    for (const kind of layerKinds.filter((k) => k.kind !== "input")) {
      const example = kind.examples[0]!.replace(/\s*#.*$/, "");
      const keyword = kind.keywords.map((k) => k.word).sort((a, b) => b.length - a.length).find((w) => example.toUpperCase().includes(w))!;
      const at = example.toUpperCase().lastIndexOf(keyword) + 1;
      const r = inspectNetwork(example, at);
      assert.ok(r, `${kind.title}: nothing at ${keyword} in ${example}`);
      assert.ok(r.markdown.includes(kind.doc.split("\n")[0]!), kind.title);
      // An activation written after a CONV is part of the CONV's row: it has none of its own.
      if (kind.kind !== "activation") assert.match(r.markdown, /Here( \(\d+ times\))?:/, `${kind.title}: no computed row in ${example}`);
    }
  });

  it("is undefined on whitespace, in comments and on unknown words", () => {
    assert.equal(inspect("INPUT 8x8  §  CONV3-8"), undefined);
    assert.equal(inspect("INPUT 8x8 # a CO§NV layer"), undefined);
    assert.equal(inspect("INPUT 8x8 FO§O"), undefined);
    assert.equal(inspectNetwork("", 0), undefined);
  });
});
