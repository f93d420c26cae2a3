// `convnote start`: in execute mode every notebook runs head to tail through nbconvert on the
// ConvNote kernel, and each one is reported; opening them, Jupyter gets the address options and
// the committed notebooks signed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { executeNotebooks, findJupyter, parseStartArgs, trustCommittedNotebooks } from "../../src/cli/start-command.js";
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

describe("convnote start (opening the notebooks)", function () {
  this.timeout(60_000);

  it("passes --port, --ip and --no-browser on to Jupyter, and refuses an address that is not one", () => {
    const args = parseStartArgs(["--port", "8890", "--ip", "0.0.0.0", "--no-browser"], "/course", {}, true);
    assert.equal(args.execute, false);
    assert.deepEqual(args.jupyterArgs, ["--port=8890", "--ip=0.0.0.0", "--no-browser"]);
    assert.throws(() => parseStartArgs(["--ip", "0.0.0.0; rm -rf ~"], "/course", {}, true), /--ip needs an address/);
    assert.throws(() => parseStartArgs(["--port", "eighty"], "/course", {}, true), /--port/);
  });

  it("signs the notebooks that are as committed, so a lecture notebook opens trusted; not one the student changed", async () => {
    const { env } = await testJupyterEnv();
    const repo = tempDir("convnote-course-");
    const dir = path.join(repo, "notebooks");
    mkdirSync(dir);
    const git = (...args: string[]) => assert.equal(spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" }).status, 0, `git ${args.join(" ")}`);
    git("init", "-q");
    writeFileSync(path.join(dir, "lecture.ipynb"), notebook(["1 + 1"]).replace('"outputs":[]', '"outputs":[{"output_type":"display_data","metadata":{},"data":{"text/html":"<b>2</b>","text/plain":"2"}}]'));
    writeFileSync(path.join(dir, "changed.ipynb"), notebook(["2 + 2"]).replace('"outputs":[]', '"outputs":[{"output_type":"display_data","metadata":{},"data":{"text/html":"<b>4</b>","text/plain":"4"}}]'));
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "course");
    writeFileSync(path.join(dir, "changed.ipynb"), readFileSync(path.join(dir, "changed.ipynb"), "utf8").replace("<b>4</b>", "<script>alert(1)</script>"));
    const jupyter = findJupyter()!;
    assert.equal(trustCommittedNotebooks(jupyter, env, repo, dir), 1);
    const trusted = (file: string) =>
      spawnSync("/usr/bin/python3", ["-c", "import sys, nbformat; from nbformat.sign import NotebookNotary; print(NotebookNotary().check_signature(nbformat.read(sys.argv[1], 4)))", file], { env, encoding: "utf8" }).stdout.trim();
    assert.equal(trusted(path.join(dir, "lecture.ipynb")), "True");
    assert.equal(trusted(path.join(dir, "changed.ipynb")), "False");
  });
});
