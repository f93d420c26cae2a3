// grammar/diagrams.html in a real browser: headless Chromium (Debian's `chromium`, which CI installs)
// with networking off draws one railroad diagram per parser rule from the inline scripts alone.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { convNoteParser } from "../../src/dsl/parser.js";
import { projectRoot } from "../helpers.js";

function findChromium(): string | undefined {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

/** The page's DOM after its scripts ran, from headless Chromium with the network disabled. */
function renderedDom(file: string): string {
  const chromium = findChromium();
  if (!chromium) throw new Error("headless Chromium is needed for this test: apt-get install -y chromium");
  const profile = mkdtempSync(join(tmpdir(), "convnote-chromium-"));
  try {
    const run = spawnSync(
      chromium,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        // Any request the page made would fail: the diagrams must come from the inline scripts.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        `--user-data-dir=${profile}`,
        "--dump-dom",
        pathToFileURL(file).href,
      ],
      { encoding: "utf8", timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`chromium failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`);
    return run.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe("grammar/diagrams.html in headless Chromium", function () {
  this.timeout(120_000);

  it("draws one diagram per parser rule, in the parser's order", () => {
    const dom = renderedDom(join(projectRoot, "grammar", "diagrams.html"));
    const drawn = [...dom.matchAll(/<h2 class="diagramHeader">([A-Za-z]+)<\/h2><svg class="railroad-diagram"/g)].map((m) => m[1]);
    assert.deepEqual(drawn, Object.keys(convNoteParser.getGAstProductions()));
    // Each diagram has boxes for its tokens and rules, not only its frame.
    assert.ok((dom.match(/class="terminal"/g) ?? []).length >= 30);
  });
});
