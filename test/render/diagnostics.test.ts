import * as assert from "node:assert/strict";
import { renderDiagnostics } from "../../src/render/diagnostics.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { assertOfflineBundle } from "./helpers.js";
import { byClass, parseMarkup, textContent } from "./markup.js";

describe("render/diagnostics", () => {
  it("shows the lecture's stride-3 error with the source line, a caret under the layer and the hint", () => {
    const source = "INPUT 7x7x3 CONV3-8/s3/p0";
    const bundle = renderDiagnostics(checkNetwork(source).diagnostics, source);
    assertOfflineBundle(bundle);
    const text = bundle["text/plain"];
    assert.match(text, /^ConvNoteError: cell:1:13: \(7 - 3\)\/3 \+ 1 = 2\.33 is not a whole number$/m);
    assert.match(text, /^  INPUT 7x7x3 CONV3-8\/s3\/p0$/m);
    assert.match(text, /^ {14}\^~{12}$/m, "the caret spans CONV3-8/s3/p0");
    assert.match(text, /hint: use stride 1 or 2/);
    const root = parseMarkup(bundle["text/html"] as string);
    const boxes = byClass(root, "convnote-diagnostic");
    assert.equal(boxes.length, 1);
    assert.equal(boxes[0]!.attrs["data-code"], "size-not-whole");
    // The HTML says exactly what the text says, line for line.
    assert.equal(textContent(boxes[0]!), text.replace(/^ConvNoteError: /, ""));
  });

  it("lists every diagnostic, names the file, puts a title first, and says when there is nothing wrong", () => {
    const source = "INPUT 28x28\nCONV5-6 POOL2\nFLATTN FC-10";
    const diagnostics = checkNetwork(source).diagnostics;
    assert.ok(diagnostics.length >= 1);
    const bundle = renderDiagnostics(diagnostics, source, { fileName: "lenet", title: "a typo" });
    assert.match(bundle["text/plain"], /^a typo\nConvNoteError: lenet:3:1: /);
    assert.equal(byClass(parseMarkup(bundle["text/html"] as string), "convnote-diagnostic").length, diagnostics.length);
    const fine = renderDiagnostics([], "INPUT 7x7x3 CONV3-8/s2/p0");
    assert.equal(fine["text/plain"], "no errors: the network checks");
    assert.equal(parseMarkup(fine["text/html"] as string).children.length, 1);
  });
});
