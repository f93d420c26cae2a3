// `convnote share`: notebooks with their saved outputs as self-contained pages plus an index.
// (Every notebook's page is also opened in headless Chromium by test/notebooks.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { externalFetches, makeSelfContained } from "../../src/share/self-contained.js";
import { projectRoot } from "../helpers.js";
import { tempDir } from "../kernel/jupyter-env.js";

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

  it("writes a page per notebook and an index, with nothing fetched from outside", () => {
    const notebooks = tempDir("convnote-share-in-");
    const out = tempDir("convnote-share-out-");
    mkdirSync(notebooks, { recursive: true });
    copyFileSync(path.join(projectRoot, "notebooks", "02-x-and-o.ipynb"), path.join(notebooks, "02-x-and-o.ipynb"));
    const run = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli", "main.js"), "share", "--notebooks", notebooks, "--output", out], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /02-x-and-o\.html\s+\d+\.\d MB\s+2\. A toy ConvNet/);
    const page = readFileSync(path.join(out, "02-x-and-o.html"), "utf8");
    assert.deepEqual(externalFetches(page), []);
    assert.match(page, /Plotly\.(newPlot|react)\(/);
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    assert.match(index, /<a href="02-x-and-o\.html">2\. A toy ConvNet: X&#39;s and O&#39;s<\/a>|<a href="02-x-and-o\.html">2\. A toy ConvNet/);
  });

  it("says what is wrong with a bad option", () => {
    const run = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli", "main.js"), "share", "--colour"], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown option '--colour'/);
  });
});
