// %%net highlighting read from the lexer: the HTML for shared pages (Pygments' classes) and the
// rules kernel.js's CodeMirror mode runs (checked in Notebook 6 by test/browser).
import assert from "node:assert/strict";
import { allTokens } from "../../src/dsl/lexer.js";
import { highlightNetHtml, languageWordPattern, netHighlightRules } from "../../src/render/net-highlight.js";

const spans = (html: string): [string, string][] => [...html.matchAll(/<span class="(\w+)">([^<]*)<\/span>/g)].map((m) => [m[1]!, m[2]!]);

describe("render/net-highlight", () => {
  it("highlights a %%net cell as the language: an apostrophe in a comment is a comment, not a string", () => {
    const html = highlightNetHtml("%%net lenet\n# LeNet-5's class of layers\nINPUT 28x28x1 CONV5-6/p2 POOL2 FC-10 SOFTMAX  # it's done");
    const found = spans(html);
    assert.deepEqual(found[0], ["nd", "%%net lenet"]);
    assert.ok(found.some(([c, t]) => c === "c1" && /^# LeNet-5(&#39;|&#x27;|')s class of layers$/.test(t)), html);
    assert.ok(found.some(([c, t]) => c === "c1" && /^# it(&#39;|&#x27;|')s done$/.test(t)), html);
    assert.ok(!found.some(([c]) => /^s/.test(c)), "nothing is a string");
    for (const word of ["INPUT", "CONV5", "POOL2", "FC", "SOFTMAX"]) assert.ok(found.some(([c, t]) => c === "k" && t === word), `${word} is a keyword: ${html}`);
    assert.ok(found.some(([c, t]) => c === "m" && t === "28x28x1"));
    // The text is all there, in order.
    assert.equal(html.replace(/<[^>]+>/g, "").replace(/&#39;|&#x27;/g, "'"), "%%net lenet\n# LeNet-5's class of layers\nINPUT 28x28x1 CONV5-6/p2 POOL2 FC-10 SOFTMAX  # it's done");
  });

  it("gives kernel.js one rule per lexer token, in the lexer's order, and knows the layer words", () => {
    const rules = netHighlightRules();
    assert.deepEqual(rules.map((r) => r.name), allTokens.map((t) => t.name));
    for (const rule of rules) new RegExp(rule.source, rule.flags);
    const word = new RegExp(languageWordPattern(), "i");
    for (const w of ["CONV3", "conv", "POOL2", "DROPOUT0.5", "INPUT", "FC", "TRAIN"]) assert.match(w, word);
    for (const w of ["class", "lenet", "my_block"]) assert.doesNotMatch(w, word);
  });
});
