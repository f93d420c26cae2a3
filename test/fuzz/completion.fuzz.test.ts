// Completion, inspection and is_complete run on every keystroke: whatever the text and cursor, they
// return a well-formed answer and never throw.
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { completeNetwork } from "../../src/completion/complete.js";
import { inspectNetwork } from "../../src/completion/inspect.js";
import { isNetworkComplete } from "../../src/completion/is-complete.js";
import { sampleNetworks, tokenSoup, withEdits } from "./arbitraries.js";

const texts = fc.oneof(tokenSoup(), withEdits(sampleNetworks()), fc.constantFrom(...sampleNetworks()));

/** A text with a cursor anywhere in it, the ends included. */
const textAndCursor = texts.chain((text) => fc.tuple(fc.constant(text), fc.integer({ min: 0, max: text.length })));

describe("completion and inspection on random text", () => {
  it("completeNetwork returns a range inside the text, around the cursor, and string matches", () => {
    fc.assert(
      fc.property(textAndCursor, ([text, cursor]) => {
        const r = completeNetwork(text, cursor);
        assert.ok(0 <= r.cursorStart && r.cursorStart <= cursor && cursor <= r.cursorEnd && r.cursorEnd <= text.length, JSON.stringify({ text, cursor, r }));
        assert.ok(r.matches.every((m) => typeof m === "string" && m.length > 0));
        assert.equal(new Set(r.matches).size, r.matches.length, "no duplicates");
      }),
      { numRuns: 1500 },
    );
  });

  it("inspectNetwork returns undefined or both forms of a non-empty text", () => {
    fc.assert(
      fc.property(textAndCursor, ([text, cursor]) => {
        const r = inspectNetwork(text, cursor);
        if (r) assert.ok(r.markdown.length > 0 && r.plain.length > 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("isNetworkComplete answers one of the three, and 'complete' only for text that parses", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const answer = isNetworkComplete(text);
        assert.ok(["complete", "incomplete", "invalid"].includes(answer));
      }),
      { numRuns: 1500 },
    );
  });

  it("every prefix of a real network is complete or incomplete, never invalid, at a token boundary", () => {
    for (const network of sampleNetworks().slice(0, 8)) {
      // Cut after each separator: the kind of place a student presses Enter.
      for (let i = 0; i < network.length; i++) {
        if (!/[\s,>]/.test(network[i]!)) continue;
        const prefix = network.slice(0, i + 1);
        const answer = isNetworkComplete(prefix);
        assert.notEqual(answer, "invalid", JSON.stringify(prefix));
      }
    }
  });
});
