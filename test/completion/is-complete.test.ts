// is_complete: a console asks for another line while a bracket is open or a separator trails.
import { strict as assert } from "node:assert";
import { isNetworkComplete } from "../../src/completion/is-complete.js";

describe("isNetworkComplete", () => {
  it("complete: a whole network, an empty cell, and text with errors that are not syntax", () => {
    for (const text of ["INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX", "", "# only a comment", "INPUT 28x28 FOO", "INPUT 7x7x3 CONV3-8/s3/p0", "def f(a) = CONV3-a"]) {
      assert.equal(isNetworkComplete(text), "complete", text);
    }
  });

  it("incomplete: an open '[', '{' or '(', or a trailing '->', ',', '-', '/' or '='", () => {
    for (const text of [
      "INPUT 28x28 [CONV3-64",
      "INPUT 28x28 [[CONV3-64]x2",
      "INPUT 28x28 { CONV1-8 | CONV3-8",
      "INPUT 28x28 RES[CONV3-8",
      "INPUT 28x28 CONV(filters=8,",
      "TRAIN(optimizer=sgd(momentum=0.9)",
      "INPUT 28x28 CONV3-8 ->",
      "INPUT 28x28 CONV3-8 ->\n",
      "INPUT 28x28 CONV3-8,  # more below",
      "INPUT 28x28 CONV3-",
      "INPUT 28x28 CONV3-8/",
      "def f(a) =",
      "def ",
      "def f",
      "INPUT 28x28 RES",
    ]) {
      assert.equal(isNetworkComplete(text), "incomplete", text);
    }
  });

  it("invalid: a syntax error, a bracket that closes nothing or the wrong one, an unknown character", () => {
    for (const text of ["INPUT 28x28 CONV3-8]", "INPUT 28x28 [CONV3-8}", "INPUT 28x28 (", "INPUT 28x28 %", "INPUT 28x28 = CONV", "INPUT 28x28 | CONV", "INPUT x3"]) {
      assert.equal(isNetworkComplete(text), text === "INPUT 28x28 (" ? "incomplete" : "invalid", text);
    }
  });
});
