// Property tests of the parser and checker: whatever the text, checkNetwork returns (never throws)
// either a network or diagnostics that point inside the text. Inputs are random token soup from the
// language's own tokens and keywords, real networks with random edits, deep nesting and huge counts.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { spanAt } from "../../src/dsl/span.js";
import { checkNetwork, type CheckOptions, type CheckResult } from "../../src/shapes/check.js";
import { sampleNetworks, tokenSoup, withEdits } from "./arbitraries.js";

/** Small enough that a random `x99999` stops quickly; the default limit is tested on its own below. */
const fuzzOptions: CheckOptions = { maxLayers: 5_000 };

/** Throws (failing the property) unless `result` is a network or diagnostics inside `text`. */
export function assertWellFormed(text: string, result: CheckResult): void {
  if (result.network) {
    assert.equal(result.diagnostics.length, 0, "a network comes without diagnostics");
    return;
  }
  assert.ok(result.diagnostics.length > 0, "no network and no diagnostic");
  for (const d of result.diagnostics) {
    const { offset, length, line, column } = d.span;
    const where = `${d.code} at ${JSON.stringify(d.span)} in ${JSON.stringify(text)}`;
    assert.ok(Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0, where);
    // A span lies inside the text; the one exception is "the end of the text", a span of at most
    // one character that starts right after the last character.
    const atEnd = offset === text.length && length <= 1;
    assert.ok(atEnd || offset + length <= text.length, `span past the end: ${where}`);
    const expected = spanAt(text, offset, length);
    assert.deepEqual([line, column], [expected.line, expected.column], `line/column disagree with the offset: ${where}`);
    assert.ok(d.message.length > 0, where);
  }
}

function checkAndAssert(text: string, options: CheckOptions = fuzzOptions): void {
  let result: CheckResult;
  try {
    result = checkNetwork(text, options);
  } catch (error) {
    throw new Error(`checkNetwork threw on ${JSON.stringify(text)}: ${error instanceof Error ? error.stack : String(error)}`);
  }
  assertWellFormed(text, result);
}

describe("checkNetwork on random and mutated text", () => {
  it("the seed networks check (so that their mutations start from valid text)", () => {
    for (const text of sampleNetworks()) {
      const result = checkNetwork(text);
      assert.ok(result.network, `${text}\n${JSON.stringify(result.diagnostics)}`);
    }
  });

  it("never throws on random token soup, and its diagnostics point inside the text", () => {
    fc.assert(fc.property(tokenSoup(), (text) => checkAndAssert(text)), { numRuns: 3000 });
  });

  it("never throws on real networks with random insertions, deletions and swaps", () => {
    fc.assert(fc.property(withEdits(sampleNetworks()), (text) => checkAndAssert(text)), { numRuns: 3000 });
  });

  it("never throws on arbitrary Unicode text", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (text) => checkAndAssert(text)), { numRuns: 1000 });
  });

  it("refuses brackets nested too deep instead of overflowing the stack", () => {
    fc.assert(
      fc.property(fc.integer({ min: 90, max: 5000 }), fc.constantFrom(["[", "]"], ["{", "}"], ["RES[", "]x2"], ["CAT[", "]"], ["(", ")"]), (depth, [open, close]) => {
        const body = open === "(" ? `CONV(filters=${open.repeat(depth)}8${close.repeat(depth)})` : `${open.repeat(depth)}CONV3-8${close.repeat(depth)}`;
        const text = `INPUT 8x8x1 ${body}`;
        checkAndAssert(text);
        if (depth > 100) assert.equal(checkNetwork(text, fuzzOptions).diagnostics[0]?.code, "too-large");
      }),
      { numRuns: 40 },
    );
  });

  it("refuses blocks that call each other too deep", () => {
    const chain = ["def f0() = CONV3-1"];
    for (let i = 1; i < 2000; i++) chain.push(`def f${i}() = [f${i - 1}()]`);
    const text = `${chain.join("\n")}\nINPUT 8x8x1 f1999()`;
    checkAndAssert(text);
    assert.equal(checkNetwork(text).diagnostics[0]?.code, "too-large");
  });

  it("stops huge repetition counts at the layer limit, without repeating an error or spinning on an empty body", () => {
    // `x` takes digits only (`x1e20` is x1 and a word e20); `*` takes any number.
    const huge = fc.constantFrom("x99999", "x99999999999999999999", "*99999", "*1e20", "*1e308");
    fc.assert(
      fc.property(huge, fc.constantFrom("[CONV3-8]", "[]", "RES[]", "CAT[]", "[{}]", "[RES[CONV3-1]]", "[FOO]", "[CONV3-8/s9]"), (count, body) => {
        const text = `INPUT 8x8x1 ${body}${count}`;
        checkAndAssert(text);
        const result = checkNetwork(text, fuzzOptions);
        assert.ok(result.diagnostics.length <= 1, `one diagnostic, not one per repetition: ${text}`);
      }),
      { numRuns: 60 },
    );
    // Repetition counts multiply through nesting and block calls.
    checkAndAssert("def a() = [CONV3-1]x1000\ndef b() = [a()]x1000\nINPUT 8x8x1 [b()]x1000");
    assert.equal(checkNetwork("INPUT 8x8x1 [[[]x100000]x100000]x100000").network?.rows.length, 1);
  });
});
