// Every notebook in notebooks/ executed head to tail by nbconvert in the ConvNote kernel:
// no errors, every code cell shows something, every PNG decodes, the stored outputs still
// say what running the notebook says, and its HTML export shows every plot in headless
// Chromium with no network. Each notebook's own lecture numbers are checked in its own
// test file beside this one (NN-name.test.ts).
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { externalFetches } from "../../src/share/self-contained.js";
import { byClass, parseMarkup } from "../render/markup.js";
import { filledCells, pictureCount, trustedView, untrustedView } from "../render/untrusted-view.js";
import {
  allOutputs, checkPngs, type Output, executeNotebook, exportHtml, joined, notebookNames, notebooksDir, readNotebook, renderInChromium, storedFacts,
} from "./run-notebook.js";

/** Interactive charts in an output: ConvNote's chart elements (class convnote-chart), whatever their script calls things. */
function interactivePlots(output: Output): number {
  const html = joined(output.data?.["text/html"]);
  if (!html.includes("convnote-chart")) return 0; // e.g. the plotly library's own output: nothing to parse
  return byClass(parseMarkup(html), "convnote-chart").length;
}

describe("a notebook on the WASM backend, where the native one is not built", function () {
  this.timeout(600_000);

  it("02-x-and-o runs head to tail with CONVNOTE_BACKEND=wasm and prints what the stored notebook says", async () => {
    const name = "02-x-and-o.ipynb";
    const { cells } = await executeNotebook(name, "wasm");
    const code = cells.filter((c) => c.cell_type === "code");
    assert.match(allOutputs(code).map((o) => joined(o.text)).join("\n"), /^ConvNote backend wasm /m, "the kernel's banner names wasm");
    const stored = readNotebook(path.join(notebooksDir, name)).filter((c) => c.cell_type === "code");
    for (const [i, cell] of stored.entries()) {
      assert.deepEqual((code[i]!.outputs ?? []).filter((o) => o.output_type === "error"), [], `an error in:\n${joined(cell.source)}`);
      if (!cell.metadata?.tags?.includes("varies")) assert.deepEqual(storedFacts(code[i]!), storedFacts(cell), `differs on wasm:\n${joined(cell.source)}`);
    }
  });
});

describe("the notebooks, executed by nbconvert in the ConvNote kernel", function () {
  this.timeout(1_200_000);

  for (const name of notebookNames()) {
    describe(name, () => {
      it("has its own test file with the lecture's numbers", () => {
        const own = path.join(__dirname, name.replace(/\.ipynb$/, ".test.js"));
        assert.ok(existsSync(own), `test/notebooks/${name.replace(/\.ipynb$/, ".test.ts")} is missing`);
      });

      it("is stored small: a notebook with charts under 1.5 MB, without plotly.js in it", () => {
        const file = path.join(notebooksDir, name);
        const text = readFileSync(file, "utf8");
        assert.doesNotMatch(text, /plotly\.js [\d.]+ inlined/, "plotly.js comes from the kernelspec (Notebook 6) or the shared site, not from the notebook");
        if (text.includes("convnote-chart")) assert.ok(statSync(file).size < 1.5e6, `${name} is ${(statSync(file).size / 1e6).toFixed(2)} MB`);
      });

      it("runs head to tail without an error; every code cell shows something; every PNG decodes", async () => {
        const { cells, seconds } = await executeNotebook(name);
        console.log(`      ${name}: ${seconds.toFixed(1)} s`);
        // A cell tagged raises-exception (nbclient's tag) shows an error on purpose, and must; no other cell may.
        for (const cell of cells.filter((c) => c.cell_type === "code")) {
          const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
          if (cell.metadata?.tags?.includes("raises-exception")) assert.ok(errors.length > 0, `tagged raises-exception but ran cleanly:\n${joined(cell.source)}`);
          else assert.deepEqual(errors, [], `an error in:\n${joined(cell.source)}`);
        }
        for (const cell of cells.filter((c) => c.cell_type === "code")) {
          assert.ok((cell.outputs ?? []).length > 0, `a cell without output:\n${joined(cell.source)}`);
        }
        checkPngs(allOutputs(cells));
        // Viewers that run no JavaScript (GitHub, PDF) get the static picture of every plot.
        for (const output of allOutputs(cells)) {
          if (interactivePlots(output) > 0) {
            assert.ok(output.data?.["image/svg+xml"] ?? output.data?.["image/png"], "a plot without its static image");
          }
        }
      });

      it("opened untrusted (Notebook 6's and JupyterLab's rules), shows every picture and colour it shows trusted", async () => {
        const { cells } = await executeNotebook(name);
        for (const output of allOutputs(cells)) {
          if (!output.data) continue;
          const trusted = trustedView(output.data);
          if (!trusted) continue;
          for (const viewer of ["notebook6", "jupyterlab"] as const) {
            const shown = untrustedView(output.data, viewer);
            const what = `${viewer}, ${shown?.mime ?? "nothing"} of an output with ${Object.keys(output.data).join(", ")}`;
            assert.ok(pictureCount(shown?.html ?? "") >= pictureCount(trusted.html), `a picture is lost (${what})`);
            assert.ok(filledCells(shown?.html ?? "") >= filledCells(trusted.html), `colours are lost (${what})`);
          }
        }
      });

      it("is stored with outputs, and they still match a fresh run (shapes, counts, values)", async () => {
        const stored = readNotebook(path.join(notebooksDir, name)).filter((c) => c.cell_type === "code");
        const { cells } = await executeNotebook(name);
        const fresh = cells.filter((c) => c.cell_type === "code");
        assert.equal(fresh.length, stored.length);
        for (const [i, cell] of stored.entries()) {
          assert.ok((cell.outputs ?? []).length > 0, `stored without outputs (run it and save):\n${joined(cell.source)}`);
          if (cell.metadata?.tags?.includes("varies")) continue;
          assert.deepEqual(storedFacts(fresh[i]!), storedFacts(cell), `stored outputs are stale; re-run and save ${name}. Cell:\n${joined(cell.source)}`);
        }
      });

      it("exported to HTML shows every plot and picture in headless Chromium with no network", async () => {
        const executed = await executeNotebook(name);
        const page = await exportHtml(executed);
        const html = readFileSync(page, "utf8");
        const dom = renderInChromium(page);
        const plots = allOutputs(executed.cells).reduce((sum, o) => sum + interactivePlots(o), 0);
        const drawn = (dom.match(/class="plot-container plotly"/g) ?? []).length;
        assert.ok(drawn >= plots, `plotly drew ${drawn} of ${plots} plots`);
        assert.deepEqual(externalFetches(html), [], "nothing is fetched from outside the page");
        const pngs = checkPngs(allOutputs(executed.cells));
        assert.ok((dom.match(/<img [^>]*src="data:image\/png;base64/g) ?? []).length >= pngs, "every PNG is in the page");
        console.log(`      exported HTML: ${(html.length / 1e6).toFixed(1)} MB, ${plots} plots, ${pngs} PNGs`);
      });
    });
  }
});
