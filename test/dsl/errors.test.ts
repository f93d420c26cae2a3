// Bad input: each diagnostic names the place (line, column, span), says what is wrong and the fix.
import { strict as assert } from "node:assert";
import { diagnosticSummary, formatDiagnostic, type Diagnostic } from "../../src/dsl/diagnostics.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { LEARNING_RATE_HINT, learningRateProblem } from "../../src/train/settings.js";

function firstDiagnostic(source: string): Diagnostic {
  const result = checkNetwork(source);
  assert.equal(result.network, undefined, `expected a diagnostic for: ${source}`);
  return result.diagnostics[0]!;
}

function at(d: Diagnostic): string {
  return `${d.span.line}:${d.span.column}+${d.span.length}`;
}

describe("diagnostics", () => {
  it("the lecture's error for a stride that does not fit, with its place and a fix", () => {
    const source = "INPUT 7x7x3\nCONV3-8/s3/p0 POOL2";
    const d = firstDiagnostic(source);
    assert.equal(d.message, "(7 - 3)/3 + 1 = 2.33 is not a whole number");
    assert.equal(at(d), "2:1+13");
    assert.equal(
      formatDiagnostic(d, source, "vgg.net").split("\n").slice(0, 3).join("\n"),
      "vgg.net:2:1: (7 - 3)/3 + 1 = 2.33 is not a whole number\n  CONV3-8/s3/p0 POOL2\n  ^~~~~~~~~~~~~",
    );
  });

  it("writes the padding into the formula", () => {
    assert.equal(firstDiagnostic("INPUT 8x8x3 CONV3-8/s2/p0").message, "(8 - 3)/2 + 1 = 3.5 is not a whole number");
    assert.equal(firstDiagnostic("INPUT 8x8x3 CONV4-8/s3/p2").message, "(8 - 4 + 2*2)/3 + 1 = 3.67 is not a whole number");
  });

  it("pooling that leaves a remainder suggests /same or /valid", () => {
    const d = firstDiagnostic("INPUT 7x7x3 POOL2");
    assert.equal(d.message, "(7 - 2)/2 + 1 = 3.5 is not a whole number");
    assert.match(d.hint!, /\/same .*output 4.*\/valid .*output 3/);
  });

  it("a window larger than its input", () => {
    const d = firstDiagnostic("INPUT 4x4x3 CONV5-8/valid");
    assert.equal(d.code, "size-too-small");
    assert.equal(at(d), "1:13+13");
  });

  it("an unknown layer, with a suggestion", () => {
    const d = firstDiagnostic("INPUT 28x28\nCONV5-6 POOOL2");
    assert.equal(d.code, "unknown-layer");
    assert.equal(d.message, "unknown layer 'POOOL2'");
    assert.equal(at(d), "2:9+6");
    assert.equal(d.hint, "did you mean POOL2?");
  });

  it("a missing INPUT and an INPUT in the middle", () => {
    assert.equal(firstDiagnostic("CONV3-8 POOL2").code, "missing-input");
    assert.match(firstDiagnostic("CONV3-8 POOL2").hint!, /INPUT 224x224x3/);
    const d = firstDiagnostic("INPUT 8x8 CONV3-8 INPUT 8x8");
    assert.equal(d.code, "misplaced-input");
    assert.equal(at(d), "1:19+9");
    assert.equal(firstDiagnostic("").code, "missing-input");
  });

  it("syntax errors point at the token", () => {
    const unclosed = firstDiagnostic("INPUT 8x8 [CONV3-8");
    assert.equal(unclosed.code, "syntax");
    assert.equal(unclosed.message, "expected ']' but found the end of the text");
    const stray = firstDiagnostic("INPUT 8x8 CONV3-8]");
    assert.equal(stray.message, "this ']' closes no '['");
    assert.equal(at(stray), "1:18+1");
    const character = firstDiagnostic("INPUT 8x8 CONV3-8 %");
    assert.equal(character.message, "unexpected character '%'");
    assert.equal(at(character), "1:19+1");
  });

  it("unknown modifiers and arguments name what the layer takes", () => {
    const modifier = firstDiagnostic("INPUT 8x8 POOL2/d2");
    assert.equal(modifier.message, "POOL has no modifier /d2");
    assert.match(modifier.hint!, /\/sN/);
    const argument = firstDiagnostic("INPUT 8x8 CONV(filters=8, sise=3)");
    assert.equal(argument.message, "CONV has no argument 'sise'");
    assert.equal(argument.hint, "did you mean size?");
    assert.equal(firstDiagnostic("INPUT 8x8 CONV3-0").message, "CONV's filters must be a whole number of at least 1, not 0");
    assert.equal(firstDiagnostic("INPUT 8x8 DROPOUT1.5").message, "DROPOUT's rate must be a number from 0 up to (not including) 1, not 1.5");
    assert.equal(firstDiagnostic("INPUT 8x8 RELU-3").message, "RELU takes no '-' value");
  });

  it("shape errors: a CONV after an FC, branches that do not line up, a 1-D input with a 2-D filter", () => {
    assert.equal(firstDiagnostic("INPUT 8x8 FC-10 CONV3-8").code, "wrong-rank");
    const branches = firstDiagnostic("INPUT 8x8x3 { CONV3-8 | CONV3-8/s2 }");
    assert.equal(branches.code, "shape-mismatch");
    assert.equal(at(branches), "1:13+24");
    assert.match(firstDiagnostic("INPUT1D 60x50 CONV3x3-8").message, /1-D input takes one filter size per axis/);
  });

  it("block calls: arity, unknown parameters, recursion", () => {
    assert.match(firstDiagnostic("def f(a) = CONV3-a INPUT 8x8 f(1, 2)").message, /takes 1 argument/);
    assert.match(firstDiagnostic("def f(a) = CONV3-a INPUT 8x8 f()").message, /needs a/);
    assert.match(firstDiagnostic("def f(a) = CONV3-b INPUT 8x8 f(4)").message, /unknown name 'b'/);
    assert.equal(firstDiagnostic("def f(a) = [CONV3-a f(a)] INPUT 8x8 f(4)").code, "recursion");
    assert.equal(firstDiagnostic("def conv(a) = CONV3-a INPUT 8x8").code, "bad-call");
  });

  it("a network that unrolls too far is refused before it is built", () => {
    const result = checkNetwork("INPUT 8x8 [[[CONV3-8]x1000]x1000]x1000", { maxLayers: 100_000 });
    assert.equal(result.diagnostics[0]!.code, "too-large");
  });

  it("settings: unknown names and bad values", () => {
    assert.equal(firstDiagnostic("TRAIN(optimiser=sgd) INPUT 4 FC-2").hint, "did you mean optimizer?");
    assert.match(firstDiagnostic("TRAIN(optimizer=adagrad) INPUT 4 FC-2").message, /one of sgd, momentum, nesterov, rmsprop, adam/);
    assert.equal(firstDiagnostic("INPUT 4 [TRAIN(lr=1)] FC-2").code, "bad-call");
  });

  it("a learning rate of 0 or below is refused at its number, by the rule --lr uses", () => {
    const cases: [string, number, string, string][] = [
      ["TRAIN(lr=-1) INPUT 4 FC-2", -1, "1:10+2", "a negative rate climbs the loss"],
      ["TRAIN(lr=0) INPUT 4 FC-2", 0, "1:10+1", "the weights would never change"],
      ["TRAIN(optimizer=sgd(lr=0, momentum=0.9)) INPUT 4 FC-2", 0, "1:24+1", "never change"],
      ["TRAIN(optimizer=adam, lr=-0.5) INPUT 4 FC-2", -0.5, "1:26+4", "climbs"],
    ];
    for (const [source, rate, place, why] of cases) {
      const d = firstDiagnostic(source);
      assert.equal(d.code, "bad-argument", source);
      assert.equal(d.message, learningRateProblem(rate), source);
      assert.ok(d.message.includes(why), d.message);
      assert.equal(at(d), place, source);
      assert.equal(d.hint, LEARNING_RATE_HINT);
    }
    assert.equal(learningRateProblem(1e30), undefined, "a huge rate is legal: fit stops it when the loss stops being finite");
    assert.ok(checkNetwork("TRAIN(lr=1e-3) INPUT 4 FC-2").network);
  });
});

describe("diagnostics of huge or hostile text stay short and printable", () => {
  const printable = (text: string) => !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text);
  const caretUnder = (text: string, word: string) => {
    const [, line, caret] = text.split("\n");
    return line!.indexOf(word) === caret!.indexOf("^");
  };

  it("an error in a 1 MB line shows 60 characters either side of it, with … where the line goes on", () => {
    const source = "INPUT 28x28" + " ".repeat(500_000) + "FROB FC-10 # " + "x".repeat(500_000);
    const text = formatDiagnostic(firstDiagnostic(source), source, "cell");
    assert.ok(text.length < 400, `${text.length} characters`);
    const line = text.split("\n")[1]!;
    assert.ok(line.startsWith("  …") && line.endsWith("…"), line);
    assert.ok(caretUnder(text, "FROB"), text);
    assert.match(text, /^cell:1:500012: unknown layer/);
  });

  it("a 1 MB word is shortened in the message; NUL and other control characters show as pictures under their caret", () => {
    const word = "INPUT 28x28 " + "A".repeat(1_000_000);
    const huge = formatDiagnostic(firstDiagnostic(word), word);
    assert.ok(huge.length < 600, `${huge.length} characters`);
    assert.match(huge, /AAAA…\(1000000 characters\)…AAAA/);

    const nul = "INPUT 28x28 CONV3-4\u0000\u001b[2J FC-10";
    const d = firstDiagnostic(nul);
    const text = formatDiagnostic(d, nul);
    assert.ok(printable(text), JSON.stringify(text));
    assert.ok(text.includes("\u2400"), "NUL is shown as ␀");
    assert.ok(caretUnder(text, "\u2400"), text);
    assert.ok(printable(diagnosticSummary(d)));

    const nuls = "INPUT 28x28 " + "\u0000".repeat(1_000_000);
    const many = formatDiagnostic(firstDiagnostic(nuls), nuls);
    assert.ok(many.length < 600 && printable(many), `${many.length} characters`);
  });

  it("a tab and a CRLF line ending keep the caret under its column", () => {
    const source = "INPUT 28x28\r\n\tCONV3-4 FROB\r\nFC-10";
    const text = formatDiagnostic(firstDiagnostic(source), source);
    assert.ok(printable(text), JSON.stringify(text));
    assert.ok(caretUnder(text, "FROB"), text);
  });
});

describe("diagnostics for repetition", () => {
  it("a count after a layer or call says to bracket it", () => {
    const result = checkNetwork("def block(n) = CONV3-n\nINPUT 8x8 block(4)x2");
    assert.equal(result.diagnostics[0]!.message, "'x2' repeats a bracketed group only: write [ ... ]x2");
    assert.equal(result.diagnostics[0]!.span.line, 2);
  });
});
