// Tab completion of network text, at the places a student presses Tab.
import { strict as assert } from "node:assert";
import { completeNetwork } from "../../src/completion/complete.js";
import { layerKinds } from "../../src/layers/registry.js";
import { trainArguments } from "../../src/train/settings.js";
import { zooNames } from "../../src/zoo/index.js";
import { mustCheck } from "../helpers.js";

/** Completion with the cursor where `§` is written. */
function complete(textWithCursor: string, zoo: readonly string[] = []) {
  const cursor = textWithCursor.indexOf("§");
  assert.ok(cursor >= 0, "mark the cursor with §");
  const text = textWithCursor.slice(0, cursor) + textWithCursor.slice(cursor + 1);
  return { ...completeNetwork(text, cursor, { zooNames: zoo }), text };
}

/** The text after applying the first match. */
function applyFirst(result: ReturnType<typeof complete>): string {
  return result.text.slice(0, result.cursorStart) + result.matches[0] + result.text.slice(result.cursorEnd);
}

describe("completeNetwork", () => {
  it("offers layer keywords with their number pattern, replacing the word typed so far", () => {
    const r = complete("INPUT 28x28 CO§");
    assert.deepEqual(r.matches, ["CONV3-"]);
    assert.deepEqual([r.cursorStart, r.cursorEnd], [12, 14]);
    assert.equal(applyFirst(r), "INPUT 28x28 CONV3-");
    assert.deepEqual(complete("INPUT 28x28 CONV3-64 P§").matches, ["POOL2", "PRELU"]);
    assert.deepEqual(complete("INPUT 28x28 F§").matches, ["FC-", "FLATTEN"]);
    assert.deepEqual(complete("INPUT 9216 FC-4096 DR§").matches, ["DROPOUT"]);
    assert.deepEqual(complete("INPUT 28x28 A§").matches, ["AUGMENT", "AVGPOOL2", "AUX["]);
    assert.deepEqual(complete("INPUT 28x28 CONV3-8 A§").matches, ["AVGPOOL2", "AUX["], "AUGMENT only right after INPUT");
    assert.deepEqual(complete("INPUT 28x28 CONV3-8 [A§").matches, ["AVGPOOL2"], "AUX on the main chain only");
    assert.deepEqual(complete("INPUT1D 60 E§").matches, ["EMBED10000-", "ELU"]);
    assert.deepEqual(complete("INPUT 28x28 E§").matches, ["ELU"], "EMBED only after INPUT1D");
  });

  it("offers every keyword of the registry at a layer position, INPUT only before the first layer", () => {
    const atStart = complete("§").matches;
    for (const kind of layerKinds.filter((k) => !k.readsInput)) for (const k of kind.keywords) assert.ok(atStart.some((m) => m.startsWith(k.word)), k.word);
    // EMBED and AUGMENT read the input: offered right after an INPUT of their form.
    assert.ok(complete("INPUT1D 60 §").matches.includes("EMBED10000-") && complete("INPUT 32x32x3 §").matches.includes("AUGMENT"));
    assert.equal(atStart[0], "INPUT");
    const later = complete("INPUT 28x28 §").matches;
    assert.ok(!later.some((m) => m.startsWith("INPUT")), String(later));
    assert.ok(later.includes("CONV3-") && later.includes("RES[") && later.includes("CAT[") && later.includes("TRAIN("));
    // Settings and definitions before the input do not count as layers.
    assert.ok(complete("TRAIN(lr=0.1)\ndef b(n) = CONV3-n\nIN§").matches.includes("INPUT"));
  });

  it("keeps the student's lower case", () => {
    assert.deepEqual(complete("input 28x28 co§").matches, ["conv3-"]);
    assert.equal(applyFirst(complete("input 28x28 conv3-8 po§")), "input 28x28 conv3-8 pool2");
  });

  it("after a keyword and its number, offers the dash for the next value", () => {
    const r = complete("INPUT 28x28 CONV5§");
    assert.deepEqual(r.matches, ["CONV5-"]);
    assert.deepEqual(complete("INPUT 28x28 FC4096§").matches, []);
    assert.deepEqual(complete("INPUT 28x28 CONV3-§").matches, []);
  });

  it("offers modifiers after '/', those the layer takes", () => {
    const conv = complete("INPUT 28x28 CONV3-64/§").matches;
    assert.deepEqual(conv, ["s2", "p0", "p1", "d2", "g2", "same", "valid", "floor", "bias", "nobias"]);
    assert.deepEqual(complete("INPUT 28x28 POOL3/s§").matches, ["s2", "same"]);
    assert.ok(!complete("INPUT 28x28 POOL3/§").matches.includes("d2"), "pooling has no dilation");
    assert.deepEqual(complete("INPUT 28x28 FC-10/§").matches, ["bias", "nobias"]);
    assert.deepEqual(complete("INPUT 28x28 CONV3-64/s2/va§").matches, ["valid"]);
    assert.equal(applyFirst(complete("INPUT 28x28 CONV3-64/s2/va§")), "INPUT 28x28 CONV3-64/s2/valid");
  });

  it("offers argument names inside CONV( and values after name=", () => {
    assert.deepEqual(complete("INPUT 28x28 CONV(§").matches, ["filters=", "size=", "stride=", "pad=", "padding=", "rounding=", "dilation=", "groups=", "bias=", "init="]);
    assert.deepEqual(complete("INPUT 28x28 CONV(filters=8, s§").matches, ["size=", "stride="]);
    assert.ok(!complete("INPUT 28x28 CONV(filters=8, §").matches.includes("filters="), "written arguments are not offered again");
    assert.deepEqual(complete("INPUT 28x28 CONV(padding=§").matches, ["same", "valid"]);
    assert.deepEqual(complete("INPUT 28x28 CONV(bias=§").matches, ["true", "false"]);
    assert.deepEqual(complete("INPUT 28x28 AVGPOOL(§").matches, ["size=", "stride=", "pad=", "padding=", "rounding="], "the keyword fixes mode");
    assert.deepEqual(complete("TRAIN(§").matches, trainArguments.map((a) => `${a.name}=`));
    assert.deepEqual(complete("TRAIN(optimizer=§").matches, ["sgd", "momentum", "nesterov", "rmsprop", "adam"]);
    assert.deepEqual(complete("DEFAULTS(activation=t§").matches, ["tanh"]);
  });

  it("offers the blocks defined so far, and their parameters inside the call", () => {
    const text = "def inception(a, b, c, d, e, f) = { CONV1-a | CONV1-b CONV3-c | CONV1-d CONV5-e | POOL3/s1/same CONV1-f }\nINPUT 28x28x192 ";
    assert.deepEqual(complete(`${text}inc§`).matches, ["inception("]);
    assert.ok(complete(`${text}§`).matches.includes("inception("));
    assert.deepEqual(complete(`${text}inception(64, §`).matches, ["a=", "b=", "c=", "d=", "e=", "f="]);
    assert.deepEqual(complete("def f(§").matches, [], "no completion while naming parameters");
    // The completed call checks.
    mustCheck(`${text}inception(64, 96, 128, 16, 32, 32)`);
  });

  it("offers zoo names when the cell is a single name, dashes included", () => {
    const zoo = ["vgg-d", "vgg16", "resnet-50", "resnet-18"];
    assert.deepEqual(complete("vg§", zoo).matches, ["vgg-d", "vgg16"]);
    const dashed = complete("resnet-5§", zoo);
    assert.deepEqual(dashed.matches, ["resnet-50"]);
    assert.deepEqual([dashed.cursorStart, dashed.cursorEnd], [0, 8]);
    assert.ok(!complete("INPUT 28x28 vg§", zoo).matches.includes("vgg16"), "not inside a network");
    // Without a list, the zoo's own names.
    assert.ok(completeNetwork("res", 3).matches.some((m) => zooNames().includes(m)));
  });

  it("offers nothing inside a comment, after '-' or '=' of a layer, or in a number", () => {
    assert.deepEqual(complete("INPUT 28x28 # CO§").matches, []);
    assert.deepEqual(complete("INPUT 28x28 CONV3-6§").matches, []);
    assert.deepEqual(complete("INPUT 28x28 [CONV3-64]x§").matches, []);
  });

  it("replaces the whole word when the cursor is inside it", () => {
    const r = complete("INPUT 28x28 CO§NV3-64");
    assert.deepEqual([r.cursorStart, r.cursorEnd], [12, 17]);
    assert.deepEqual(r.matches, ["CONV3-"]);
  });

  it("clamps a cursor outside the text", () => {
    assert.deepEqual(completeNetwork("INPUT CO", 99, { zooNames: [] }).matches, ["CONV3-"]);
    assert.ok(completeNetwork("INPUT CO", -5, { zooNames: [] }).matches.includes("INPUT"));
  });
});
