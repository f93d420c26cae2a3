// A class's first hour, as a student's browser shows it: Debian's Notebook 6 (one server for the
// whole file) in Debian's headless Chromium, two page loads.
// 1. A lecture notebook from the repository, opened untrusted (a fresh Jupyter has never signed
//    it): every picture is there and drawn (DOM: decoded images; screenshots: their pixels), the
//    tables keep their colours, and the %%net cell is highlighted as the language (an apostrophe
//    in a # comment is not a string).
// 2. A new notebook: fitLive interrupted from the Kernel menu keeps the model, the History and
//    the cell's other names; the final chart is shown once; saved, the notebook is signed
//    (trusted when it is opened again).
// Screenshots go to CONVNOTE_SCREENSHOTS when set (look at them), else a temporary folder.
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { projectRoot } from "../helpers.js";
import { tempDir } from "../kernel/jupyter-env.js";
import { filledCells, pictureCount, trustedView } from "../render/untrusted-view.js";
import {
  assertShows, kernelIdle, keepScreenshot, launchChromium, openNotebook, screenshotDir, startNotebookServer, writeNotebook, type NotebookServer,
} from "./harness.js";
import type { NotebookWindow, PageDocument } from "./page-globals.js";

// The page's globals, in the functions that run in the browser.
declare const window: NotebookWindow;
declare const document: PageDocument;

const LECTURE = "04-lenet-mnist.ipynb";

interface StoredOutput {
  data?: Record<string, unknown>;
}

/** What the stored notebook shows trusted: its pictures and its filled table cells. */
function expectedFromFile(file: string): { pictures: number; filled: number } {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells: { outputs?: StoredOutput[] }[] };
  let pictures = 0;
  let filled = 0;
  for (const cell of nb.cells) {
    for (const output of cell.outputs ?? []) {
      const view = output.data ? trustedView(output.data) : null;
      if (!view) continue;
      pictures += view.mime.startsWith("image/") ? 1 : pictureCount(view.html);
      filled += filledCells(view.html);
    }
  }
  return { pictures, filled };
}

/** The outputs of the first code cell whose source matches. */
async function outputOf(page: Page, source: RegExp): Promise<ReturnType<Page["locator"]>> {
  const index = await page.evaluate((pattern) => {
    const cells = window.Jupyter!.notebook!.get_cells();
    return cells.findIndex((c) => c.cell_type === "code" && new RegExp(pattern).test(c.get_text()));
  }, source.source);
  assert.ok(index >= 0, `no code cell matches ${source}`);
  return page.locator("#notebook-container > .cell").nth(index).locator(".output_wrapper");
}

/** The CodeMirror tokens of a cell's editor: strings, the comment on the line with `marker`, keywords, the magic. */
async function netTokens(cell: Locator, marker: string): Promise<{ mode: unknown; strings: number; comment: string; keywords: (string | null)[]; magic: string }> {
  const mode = await cell.evaluate((_element, text) => {
    const cells = window.Jupyter!.notebook!.get_cells();
    return cells.find((c) => c.get_text().includes(text))?.code_mirror?.getOption("mode");
  }, marker);
  const tokens = await cell.locator(".CodeMirror-code").evaluate((code, text) => {
    const line = [...code.querySelectorAll("pre.CodeMirror-line")].find((l) => l.textContent?.includes(text));
    return {
      strings: code.querySelectorAll(".cm-string").length,
      comment: [...(line?.querySelectorAll(".cm-comment") ?? [])].map((s) => s.textContent).join(""),
      keywords: [...code.querySelectorAll(".cm-keyword")].map((s) => s.textContent),
      magic: code.querySelector(".cm-magic")?.textContent ?? "",
    };
  }, marker);
  return { mode, ...tokens };
}

describe("Notebook 6 in Chromium (a student's browser)", function () {
  this.timeout(300_000);
  let server: NotebookServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const dir = tempDir("convnote-browser-");
    copyFileSync(path.join(projectRoot, "notebooks", LECTURE), path.join(dir, LECTURE));
    [server, browser] = await Promise.all([startNotebookServer(dir), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => console.log(`      page error: ${e.message}`));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`      screenshots: ${screenshotDir}`);
  });

  it("a lecture notebook opened untrusted shows every picture and colour, and highlights its %%net cell as the language", async () => {
    await openNotebook(page, server, LECTURE);
    assert.equal(await page.evaluate(() => window.Jupyter!.notebook!.trusted), false, "opened untrusted");
    const expected = expectedFromFile(path.join(server.dir, LECTURE));
    assert.ok(expected.pictures >= 8 && expected.filled >= 100, `the lecture has pictures and colours to show (${JSON.stringify(expected)})`);

    // Every picture is an image that the browser decoded; every filled cell kept its colour.
    await page.waitForFunction((n) => [...document.querySelectorAll(".output_area img")].filter((i) => i.complete === true && (i.naturalWidth ?? 0) > 0).length >= n, expected.pictures, { timeout: 30_000 });
    const shown = await page.evaluate(() => ({
      images: [...document.querySelectorAll(".output_area img")].filter((i) => i.complete === true && (i.naturalWidth ?? 0) > 0).length,
      svgImages: document.querySelectorAll('.output_area img[src^="data:image/svg+xml"]').length,
      filled: document.querySelectorAll(".output_area td[bgcolor], .output_area th[bgcolor]").length,
      text: document.querySelector("#notebook-container")!.textContent ?? "",
    }));
    assert.ok(shown.images >= expected.pictures, `${shown.images} pictures drawn of ${expected.pictures}`);
    assert.ok(shown.svgImages >= 3, `the diagram and the charts as SVG images: ${shown.svgImages}`);
    assert.ok(shown.filled >= expected.filled, `${shown.filled} coloured cells of ${expected.filled}`);
    // What the sanitizer used to leave of a chart and of the diagram: their SVG's text, run together.
    assert.doesNotMatch(shown.text, /loss\s*0\s*0\.5\s*1(\.0)?\s*1\.5/);
    assert.doesNotMatch(shown.text, /\],\s*0 parametersINPUT/);

    // The pixels: the diagram, the final training chart and the confusion matrix are drawn in colour.
    await page.screenshot({ path: path.join(screenshotDir, "untrusted-lecture-top.png") });
    const diagram = (await outputOf(page, /^%%net lenet/)).locator('img[src^="data:image/svg+xml"]').first();
    assertShows(keepScreenshot("untrusted-diagram.png", await diagram.screenshot()), "the LeNet diagram", { colourful: 2000, dark: 200 });
    const chart = (await outputOf(page, /await fitLive\(/)).locator('img[src^="data:image/svg+xml"]').first();
    const chartPixels = keepScreenshot("untrusted-training-chart.png", await chart.screenshot());
    assertShows(chartPixels, "the training chart", { colourful: 500, dark: 500 });
    const matrix = (await outputOf(page, /renderConfusionMatrix/)).locator("table").first();
    assertShows(keepScreenshot("untrusted-confusion.png", await matrix.screenshot()), "the confusion matrix", { colourful: 3000 });

    // %%net highlighting: the language's own mode; the comment with "LeNet-5's" is one comment, no string.
    await page.waitForFunction(() => {
      const cells = window.Jupyter!.notebook!.get_cells();
      return cells.some((c) => c.get_text().startsWith("%%net") && c.code_mirror?.getOption("mode") === "magic_convnote-net");
    }, null, { timeout: 30_000 });
    const netCell = page.locator("#notebook-container > .cell").filter({ hasText: "%%net lenet" }).first();
    const tokens = await netTokens(netCell, "LeNet-5's");
    assert.equal(tokens.strings, 0, "nothing in a %%net cell is a string");
    assert.match(tokens.comment, /^# LeNet-5's layers and sizes, with ReLU \(the default\) and max pooling$/);
    assert.ok(tokens.keywords.includes("INPUT") && tokens.keywords.some((k) => /^CONV5/.test(k ?? "")), `layer words are keywords: ${tokens.keywords.join(" ")}`);
    assert.match(tokens.magic, /%%net/);
    assertShows(keepScreenshot("net-cell-highlighted.png", await netCell.locator(".CodeMirror").screenshot()), "the %%net cell", { colourful: 200 });
  });

  it("an interrupt from the Kernel menu ends fitLive's training, not the cell; the chart is shown once; saved, the notebook is signed", async () => {
    writeNotebook(path.join(server.dir, "class.ipynb"), [
      "%%net xo\n# the X-and-O net: it's small\nINPUT 9x9x1 CONV3-4/valid POOL2/same FC-2 SOFTMAX",
      [
        'import { data, fitLive } from "convnote";',
        "const model = xo.model({ seed: 1 });",
        'const note = "declared in the training cell";',
        "const history = await fitLive(model, data.generateXO({ count: 320, size: 9, seed: 1 }), {",
        "  settings: { epochs: 500, batchSize: 16, validationSplit: 0 },",
        '  onEpochEnd: async (log) => { if (log.epoch === 1) console.log("second epoch done"); },',
        "});",
        "history",
      ].join("\n"),
      "[note, history.stopReason, history.stoppedAt?.epoch, history.epochs.length, model.countParams()].join(' | ')",
    ]);
    await openNotebook(page, server, "class.ipynb");
    await kernelIdle(page);
    await page.evaluate(() => window.Jupyter!.notebook!.execute_all_cells());
    const training = await outputOf(page, /await fitLive/);
    await training.locator("text=second epoch done").first().waitFor({ timeout: 120_000 });
    await page.click("#kernellink");
    await page.click("#int_kernel > a");
    await page.waitForFunction(() => document.querySelectorAll("#notebook-container > .cell")[2]?.querySelector(".output_area") !== null, null, { timeout: 60_000 });
    await kernelIdle(page);

    const cells = await page.evaluate(() =>
      [...document.querySelectorAll("#notebook-container > .cell")].map((cell) => ({
        text: cell.querySelector(".output_wrapper")?.textContent ?? "",
        charts: cell.querySelectorAll('.output_area img[src^="data:image/svg+xml"], .output_area .plot-container').length,
        plotly: cell.querySelectorAll(".output_area .plot-container").length,
        errors: cell.querySelectorAll(".output_error").length,
      })),
    );
    await page.screenshot({ path: path.join(screenshotDir, "interrupted-training.png"), fullPage: true });
    // The new notebook's %%net cell is in the language's mode too, whichever loaded first: kernel.js or the kernel's language.
    const xo = await netTokens(page.locator("#notebook-container > .cell").first(), "it's small");
    assert.equal(xo.mode, "magic_convnote-net");
    assert.equal(xo.strings, 0, "the apostrophe in the comment starts no string");
    assert.equal(xo.comment, "# the X-and-O net: it's small");
    const [, trainCell, after] = cells;
    assert.equal(trainCell!.errors, 0, `the training cell ended without an error: ${trainCell!.text.slice(0, 500)}`);
    assert.match(trainCell!.text, /stopped at epoch \d+, batch \d+ of 20 \(interrupted\)/);
    assert.doesNotMatch(trainCell!.text, /KeyboardInterrupt/);
    assert.equal(trainCell!.charts, 1, "the final chart once (the History as the cell's value is one line)");
    assert.equal(trainCell!.plotly, 1, "interactive: plotly.js came from the kernelspec (kernel.js)");
    assert.match(trainCell!.text, /History: /);
    assert.equal(after!.errors, 0, after!.text);
    assert.match(after!.text, /declared in the training cell \| interrupted \| \d+ \| \d+ \| \d+/);

    // Saved (File > Save), the notebook is signed: opened again, it is trusted.
    await page.evaluate(() => window.Jupyter!.notebook!.save_notebook());
    const reopened = (await (await fetch(`${server.url}/api/contents/class.ipynb`)).json()) as { content: { cells: { cell_type: string; metadata: { trusted?: boolean } }[] } };
    const code = reopened.content.cells.filter((c) => c.cell_type === "code");
    assert.ok(code.every((c) => c.metadata.trusted === true), `saved after running, the notebook is signed: ${JSON.stringify(code.map((c) => c.metadata))}`);
  });
});
