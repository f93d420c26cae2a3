import * as assert from "node:assert/strict";
import { escapeHtml, escapeScriptContent, jsonForScript } from "../../src/render/html.js";
import { joinBundles, mimeBundle } from "../../src/render/mime.js";
import { htmlTable, textTable } from "../../src/render/table.js";
import { byTag, parseMarkup, tableCells } from "./markup.js";

describe("render/table and html helpers", () => {
  it("escapes text in cells, header, caption and attributes", () => {
    const html = htmlTable([["<script>alert(1)</script>", 3], [{ text: 'a "b" & c', attrs: { "data-x": '"><img>' } }, { html: "<b>ok</b>" }]], {
      header: ["name & <kind>", "n"],
      caption: "</table>",
    });
    assert.ok(!html.includes("<script>"));
    assert.ok(!html.includes('"><img>'));
    const root = parseMarkup(html);
    const table = byTag(root, "table")[0]!;
    assert.deepEqual(tableCells(table), [
      ["<script>alert(1)</script>", "3"],
      ['a "b" & c', "ok"],
    ]);
    assert.equal(byTag(table, "th")[0]!.children[0], "name & <kind>");
    assert.equal(byTag(table, "td")[2]!.attrs["data-x"], '"><img>');
    assert.equal(byTag(table, "b").length, 1, "trusted html passes through");
  });

  it("aligns text columns: numbers right, text left", () => {
    const text = textTable([["conv1", 1792], ["fc", 10]], { header: ["layer", "params"] });
    assert.equal(text, ["layer  params", "-----  ------", "conv1    1792", "fc         10"].join("\n"));
  });

  it("keeps script content and embedded JSON from closing the script", () => {
    assert.equal(escapeHtml(`<&>"'`), "&lt;&amp;&gt;&quot;&#39;");
    assert.equal(escapeScriptContent('x = "</script>"'), 'x = "<\\/script>"');
    const json = jsonForScript({ s: "</script><!-- \u2028" });
    assert.ok(!json.includes("<"));
    assert.deepEqual(JSON.parse(json), { s: "</script><!-- \u2028" });
  });

  it("builds bundles without undefined entries and joins them", () => {
    const b = mimeBundle("hi", { "text/html": undefined, "image/png": "AAAA" });
    assert.deepEqual(Object.keys(b).sort(), ["image/png", "text/plain"]);
    const joined = joinBundles([mimeBundle("a < b"), mimeBundle("c", { "text/html": "<i>c</i>" })]);
    assert.equal(joined["text/plain"], "a < b\nc");
    assert.equal(joined["text/html"], "<pre>a &lt; b</pre>\n<i>c</i>");
  });
});
