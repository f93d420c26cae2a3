// A notebook on the webgpu backend: 01-convolution executed by nbconvert in the real ConvNote
// kernel, started by Jupyter with SwiftShader's Vulkan driver and CONVNOTE_BACKEND=webgpu in its
// environment only. Its outputs must say what the stored notebook says (the cs231n numbers come
// out of a tfjs convolution on the GPU backend), and the kernel's banner names the adapter.
// (That the automatic choice refuses the adapter, and says so in the banner's text, is
// test/backend/select.test.ts.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { requireWebgpu, swiftShaderEnv } from "../backend/swiftshader.js";
import { tempDir } from "../kernel/jupyter-env.js";
import { joined, notebookEnv, notebooksDir, readNotebook, storedFacts, type Cell } from "./run-notebook.js";

const outDir = tempDir("convnote-webgpu-notebooks-");

async function execute(file: string, extraEnv: Record<string, string>): Promise<Cell[]> {
  const jupyter = await notebookEnv();
  const env = { ...swiftShaderEnv(jupyter.env), ...extraEnv };
  const result = spawnSync(
    "/usr/bin/jupyter",
    ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=convnote", "--output-dir", outDir, file],
    { env, encoding: "utf8", cwd: notebooksDir },
  );
  assert.equal(result.status, 0, `nbconvert --execute ${path.basename(file)} failed:\n${result.stderr.slice(-4000)}`);
  return readNotebook(path.join(outDir, path.basename(file)));
}

const bannerOf = (cells: Cell[]): string => {
  const first = cells.find((c) => c.cell_type === "code");
  const text = (first?.outputs ?? []).map((o) => joined(o.text) + joined(o.data?.["text/plain"])).join("\n");
  return /^ConvNote backend .*$/m.exec(text)?.[0] ?? "";
};

describe("a notebook on the webgpu backend (SwiftShader)", function () {
  this.timeout(900_000);
  before(function () {
    requireWebgpu(this);
  });

  it("01-convolution runs head to tail on webgpu, its outputs match the stored ones, and the banner names the adapter", async () => {
    const name = "01-convolution.ipynb";
    const cells = await execute(path.join(notebooksDir, name), { CONVNOTE_BACKEND: "webgpu" });
    assert.match(bannerOf(cells), /^ConvNote backend webgpu \(gpu\) on google swiftshader, 'SwiftShader driver [\d.]+' \(Vulkan via Dawn\); .*CONVNOTE_BACKEND=webgpu/);
    const fresh = cells.filter((c) => c.cell_type === "code");
    const stored = readNotebook(path.join(notebooksDir, name)).filter((c) => c.cell_type === "code");
    assert.equal(fresh.length, stored.length);
    for (const [i, cell] of fresh.entries()) {
      const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
      if (cell.metadata?.tags?.includes("raises-exception")) assert.ok(errors.length > 0, `tagged raises-exception but ran cleanly:\n${joined(cell.source)}`);
      else assert.deepEqual(errors, [], `an error on webgpu in:\n${joined(cell.source)}`);
      if (stored[i]!.metadata?.tags?.includes("varies")) continue;
      assert.deepEqual(storedFacts(cell), storedFacts(stored[i]!), `on webgpu this cell says something else than the stored notebook:\n${joined(cell.source)}`);
    }
  });
});
