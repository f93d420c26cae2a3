// `convnote start` in execute mode: every notebook runs head to tail through
// nbconvert on the ConvNote kernel, and each one is reported.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { executeNotebooks, findJupyter } from "../../src/cli/start-command.js";
import { TEST_KERNEL, tempDir, testJupyterEnv } from "./jupyter-env.js";

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: TEST_KERNEL, display_name: "ConvNote test", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  });
}

async function captured(fn: () => Promise<number>): Promise<{ code: number; text: string }> {
  let text = "";
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await fn(), text };
  } finally {
    process.stdout.write = write;
  }
}

describe("convnote start --execute", function () {
  this.timeout(180_000);

  it("says so and succeeds when there are no notebooks", async () => {
    const { env, root } = await testJupyterEnv();
    const empty = tempDir("convnote-empty-");
    const jupyter = findJupyter()!;
    const run = await captured(() => executeNotebooks(jupyter, { execute: true, notebooksDir: empty, outputDir: path.join(root, "out0"), timeoutSeconds: 60 }, env, root));
    assert.equal(run.code, 0);
    assert.match(run.text, /No notebooks in .*: nothing to execute/);
  });

  it("executes each notebook into the output folder and reports the failing one", async () => {
    const { env, root } = await testJupyterEnv();
    const jupyter = findJupyter();
    assert.ok(jupyter, "Jupyter must be installed for the kernel tests (apt-get install jupyter-notebook python3-nbconvert)");
    const dir = tempDir("convnote-notebooks-");
    mkdirSync(path.join(dir, "part2"));
    writeFileSync(path.join(dir, "good.ipynb"), notebook(['console.log("trained")', "%%net small\nconv pool", "small.length"]));
    writeFileSync(path.join(dir, "part2", "bad.ipynb"), notebook(['throw new Error("broken notebook")']));
    const out = path.join(root, "executed");
    const run = await captured(() => executeNotebooks(jupyter, { execute: true, notebooksDir: dir, outputDir: out, timeoutSeconds: 120 }, env, root));
    assert.equal(run.code, 1, run.text);
    assert.match(run.text, /ok +good\.ipynb/);
    assert.match(run.text, /FAILED +part2[\\/]bad\.ipynb/);
    assert.match(run.text, /broken notebook/);
    type Text = string | string[];
    const executed = JSON.parse(readFileSync(path.join(out, "good.ipynb"), "utf8")) as { cells: { outputs: { text?: Text; data?: Record<string, Text> }[] }[] };
    // nbformat may store multi-line text as a list of lines.
    const join = (t: Text | undefined): string => (Array.isArray(t) ? t.join("") : String(t));
    assert.equal(join(executed.cells[0]!.outputs[0]!.text), "trained\n");
    assert.equal(join(executed.cells[1]!.outputs[0]!.data!["text/plain"]), "CONV POOL");
    assert.equal(join(executed.cells[2]!.outputs[0]!.data!["text/plain"]), "9");
  });
});
