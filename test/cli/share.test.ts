// `convnote share`: a course folder's ConvNote notebooks with their saved outputs as pages plus an index.
// (Every notebook's page is also opened in headless Chromium by test/notebooks.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { externalFetches, makeSelfContained } from "../../src/share/self-contained.js";
import { projectRoot } from "../helpers.js";
import { tempDir } from "../kernel/jupyter-env.js";
import { renderInChromium } from "../notebooks/run-notebook.js";

const cli = path.join(projectRoot, "dist", "src", "cli", "main.js");

describe("convnote share", function () {
  this.timeout(180_000);

  it("drops the template's CDN and file:// scripts and reports any other outside fetch", () => {
    const page = [
      '<script src="file:///usr/share/javascript/requirejs/require.min.js"></script>',
      '<script src="https://cdn.example/MathJax.js?config=TeX"> </script>',
      '<script type="text/x-mathjax-config">init_mathjax()</script>',
      '<link rel="stylesheet" href="https://cdn.example/style.css">',
      '<script>window.inline = 1;</script>',
      '<a href="https://cs231n.github.io/">a link is fine</a>',
      '<img src="https://example.org/cat.png">',
    ].join("\n");
    const result = makeSelfContained(page);
    assert.deepEqual(result.removed, ["file:///usr/share/javascript/requirejs/require.min.js", "https://cdn.example/MathJax.js?config=TeX", "https://cdn.example/style.css"]);
    assert.match(result.html, /window\.inline = 1/);
    assert.match(result.html, /cs231n\.github\.io/);
    assert.doesNotMatch(result.html, /mathjax/i);
    assert.deepEqual(result.external, ["https://example.org/cat.png"]);
  });

  it("shares only the course's ConvNote notebooks, titled by their heading, with one offline plotly.js for the site", () => {
    const notebooks = tempDir("convnote-share-in-");
    const out = tempDir("convnote-share-out-");
    mkdirSync(path.join(notebooks, "drafts"), { recursive: true });
    copyFileSync(path.join(projectRoot, "notebooks", "02-x-and-o.ipynb"), path.join(notebooks, "02-x-and-o.ipynb"));
    const convnote = { kernelspec: { name: "convnote", display_name: "ConvNote (TypeScript)", language: "typescript" } };
    const scratch = (file: string, metadata: object) =>
      writeFileSync(path.join(notebooks, file), JSON.stringify({ cells: [{ cell_type: "markdown", metadata: {}, source: "# scratch" }], metadata, nbformat: 4, nbformat_minor: 5 }));
    scratch("Untitled.ipynb", convnote);
    scratch("Untitled1.ipynb", convnote);
    scratch("python.ipynb", { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } });
    scratch("try-this.ipynb", convnote);
    scratch("drafts/next-week.ipynb", convnote);
    const run = spawnSync(process.execPath, [cli, "share", "--notebooks", notebooks, "--output", out, "--exclude", "try-*,drafts/**"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /skipped .*Untitled\.ipynb: matches \*\*\/Untitled\*\.ipynb/);
    assert.match(run.stdout, /skipped .*python\.ipynb: a 'python3' notebook, not ConvNote's/);
    assert.match(run.stdout, /skipped .*try-this\.ipynb: matches try-\*/);
    assert.match(run.stdout, /skipped .*next-week\.ipynb: matches drafts\/\*\*/);
    assert.match(run.stdout, /02-x-and-o\.html\s+\d+\.\d MB\s+2\. A toy ConvNet/);

    // The index lists the lecture notebook only; the page is titled by its first heading.
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    assert.deepEqual([...index.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]), ["02-x-and-o.html"]);
    const page = readFileSync(path.join(out, "02-x-and-o.html"), "utf8");
    assert.match(page, /<title>2\. A toy ConvNet: X&#39;s and O&#39;s<\/title>|<title>2\. A toy ConvNet[^<]*<\/title>/);
    // %%net cells are highlighted as the language: comments are comments, nothing is a string.
    const net = /<div class=" ?highlight hl-convnote-net"><pre>([\s\S]*?)<\/pre>/.exec(page);
    assert.ok(net, "a %%net cell highlighted as the network language");
    assert.match(net[1]!, /<span class="c1"># -1 background, \+1 stroke<\/span>/);
    assert.doesNotMatch(net[1]!, /class="s\d?"/);

    // plotly.js once, beside the pages: the page is small, and its charts still draw with no network.
    const plotly = readdirSync(out).filter((f) => /^plotly-[\d.]+\.min\.js$/.test(f));
    assert.equal(plotly.length, 1, readdirSync(out).join(", "));
    assert.match(page, new RegExp(`<script src="${plotly[0]!.replace(/\./g, "\\.")}"></script>`));
    assert.ok(statSync(path.join(out, "02-x-and-o.html")).size < 1.5e6, `the page is ${statSync(path.join(out, "02-x-and-o.html")).size} bytes`);
    assert.deepEqual(externalFetches(page), []);
    const dom = renderInChromium(path.join(out, "02-x-and-o.html"));
    assert.ok((dom.match(/class="plot-container plotly"/g) ?? []).length >= 1, "plotly drew the chart from the site's copy, offline");

    // One page on request: plotly.js inside it, nothing beside it.
    const single = tempDir("convnote-share-one-");
    const alone = spawnSync(process.execPath, [cli, "share", "--self-contained", "--output", single, path.join(notebooks, "02-x-and-o.ipynb")], { encoding: "utf8" });
    assert.equal(alone.status, 0, alone.stdout + alone.stderr);
    assert.deepEqual(readdirSync(single).sort(), ["02-x-and-o.html", "index.html"]);
    const whole = readFileSync(path.join(single, "02-x-and-o.html"), "utf8");
    assert.ok(whole.length > 4e6 && /plotly\.js [\d.]+ inlined/.test(whole), "plotly.js is in the page");
    assert.deepEqual(externalFetches(whole), []);
  });

  it("says what is wrong with a bad option", () => {
    const run = spawnSync(process.execPath, [cli, "share", "--colour"], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown option '--colour'/);
  });
});
