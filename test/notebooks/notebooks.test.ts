// Every notebook in notebooks/ executed head to tail by Jupyter's own client (nbconvert --execute)
// in the ConvNote kernel; its outputs decoded and checked; the X-and-O notebook exported to HTML
// and opened in headless Chromium with no network, where the training plot must be drawn.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { testJupyterEnv, tempDir, type JupyterEnv } from "../kernel/jupyter-env.js";
import { projectRoot } from "../helpers.js";

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : v ?? "");
const notebooksDir = path.join(projectRoot, "notebooks");
const notebooks = readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();

function execute(env: JupyterEnv, name: string, outDir: string): { cells: Cell[]; seconds: number } {
  const started = performance.now();
  const run = spawnSync(
    "/usr/bin/jupyter",
    ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=convnote", "--output-dir", outDir, path.join(notebooksDir, name)],
    { env: env.env, encoding: "utf8", cwd: notebooksDir },
  );
  assert.equal(run.status, 0, `nbconvert --execute ${name} failed:\n${run.stderr.slice(-4000)}`);
  const seconds = (performance.now() - started) / 1000;
  return { cells: (JSON.parse(readFileSync(path.join(outDir, name), "utf8")) as { cells: Cell[] }).cells, seconds };
}

function allOutputs(cells: Cell[]): Output[] {
  return cells.flatMap((c) => c.outputs ?? []);
}

/** Every PNG in the outputs decodes and is a real picture. */
function checkPngs(outputs: Output[]): number {
  let count = 0;
  for (const output of outputs) {
    const png = output.data?.["image/png"];
    if (!png) continue;
    const image = PNG.sync.read(Buffer.from(joined(png), "base64"));
    assert.ok(image.width >= 16 && image.height >= 16, `a ${image.width}x${image.height} PNG`);
    count++;
  }
  return count;
}

describe("the notebooks, executed by nbconvert in the ConvNote kernel", function () {
  this.timeout(1_200_000);
  let env: JupyterEnv;
  const outDir = tempDir("convnote-notebooks-");
  const executed = new Map<string, Cell[]>();

  before(async () => {
    env = await testJupyterEnv();
  });

  for (const name of notebooks) {
    it(`${name} runs head to tail without an error`, () => {
      const { cells, seconds } = execute(env, name, outDir);
      console.log(`      ${name}: ${seconds.toFixed(1)} s`);
      const errors = allOutputs(cells).filter((o) => o.output_type === "error");
      assert.deepEqual(errors, []);
      for (const cell of cells.filter((c) => c.cell_type === "code")) assert.ok((cell.outputs ?? []).length > 0 || joined(cell.source).trim() === "", `a cell without output:\n${joined(cell.source)}`);
      assert.ok(checkPngs(allOutputs(cells)) >= 0);
      executed.set(name, cells);
    });
  }

  it("02-x-and-o: the slide's numbers, pictures, a trained network and its plot", () => {
    const cells = executed.get("02-x-and-o.ipynb");
    assert.ok(cells, "the notebook ran");
    const html = allOutputs(cells).map((o) => joined(o.data?.["text/html"])).join("\n");
    const text = allOutputs(cells).map((o) => joined(o.data?.["text/plain"]) + joined(o.text)).join("\n");
    // The shape table: 7x7x3 after the features, 4x4x3 after 'same' pooling.
    assert.match(html, /\[7x7x3\]/);
    assert.match(html, /\[4x4x3\]/);
    // The slide's filtered values (cut to two decimals) in the HTML tables.
    assert.match(html, /<td[^>]*>0\.77<\/td><td[^>]*>-0\.11<\/td><td[^>]*>0\.11<\/td><td[^>]*>0\.33<\/td><td[^>]*>0\.55<\/td>/);
    assert.ok(checkPngs(allOutputs(cells)) >= 3, "samples, filters and activation maps as PNGs");
    const accuracy = /test accuracy ([\d.]+)%/.exec(text);
    assert.ok(accuracy && Number(accuracy[1]) >= 95, `accuracy: ${accuracy?.[0]}`);
    // The final training view carries the plotly figure with both curves.
    assert.match(html, /Plotly\.(react|newPlot)/);
    assert.match(html, /"name":"validation"/);
  });

  it("02-x-and-o exported to HTML shows the training plot in headless Chromium with no network", () => {
    const name = "02-x-and-o.ipynb";
    const exported = spawnSync("/usr/bin/jupyter", ["nbconvert", "--to", "html", "--output-dir", outDir, path.join(outDir, name)], { env: env.env, encoding: "utf8" });
    assert.equal(exported.status, 0, exported.stderr);
    const page = path.join(outDir, name.replace(/\.ipynb$/, ".html"));
    const browser = spawnSync(
      "chromium",
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", `--user-data-dir=${tempDir("convnote-chromium-")}`, "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=15000", "--dump-dom", `file://${page}`],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    );
    assert.equal(browser.status, 0, `chromium (apt-get install chromium): ${browser.stderr?.slice(-2000) ?? browser.error?.message}`);
    const dom = browser.stdout;
    assert.match(dom, /class="plot-container plotly"/, "plotly drew the training curves");
    assert.ok((dom.match(/class="main-svg"/g) ?? []).length >= 1);
    console.log(`      exported HTML: ${(readFileSync(page).length / 1e6).toFixed(1)} MB`);
  });
});
