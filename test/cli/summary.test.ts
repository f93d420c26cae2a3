// `convnote summary` as a user runs it: the built CLI in a child process.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/cli/commands.js";
import { summaryCommand } from "../../src/cli/summary-command.js";
import { captureOutput, fixture, projectRoot } from "../helpers.js";

const cli = join(projectRoot, "dist", "src", "cli", "main.js");

function convnote(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("convnote summary", () => {
  const vgg = fixture<{ dsl_in_the_card: string; total_params_with_biases: number; total_weights_without_biases: number }>("vgg16.json");

  it("prints the slide-style table with totals", () => {
    const { code, stdout } = convnote("summary", vgg.dsl_in_the_card);
    assert.equal(code, 0);
    assert.match(stdout, /CONV1\s+CONV3-64\s+RELU\s+\[224x224x64\]\s+params: \(3\*3\*3\)\*64 \+ 64 = 1,792\s+memory: 224\*224\*64=3\.2M/);
    assert.match(stdout, /Total: 138,357,544 parameters/);
  });

  it("counts weights only with --count weights, as the cs231n table does", () => {
    const { stdout } = convnote("summary", "--count", "weights", vgg.dsl_in_the_card);
    assert.match(stdout, /params: \(3\*3\*3\)\*64 = 1,728/);
    assert.match(stdout, /params: \(7\*7\*512\)\*4096 = 102,760,448/);
    assert.match(stdout, /Total: 138,344,128 weights \(biases not counted/);
  });

  it("prints exactly the documented JSON with --json", () => {
    const { code, stdout } = convnote("summary", "--json", vgg.dsl_in_the_card);
    assert.equal(code, 0);
    const json = JSON.parse(stdout) as { layers: Record<string, unknown>[]; totals: Record<string, unknown> };
    assert.deepEqual(Object.keys(json), ["layers", "totals"]);
    assert.deepEqual(Object.keys(json.layers[1]!), ["name", "kind", "outputShape", "weights", "biases", "params", "trainable", "memory", "macs", "receptiveField"]);
    assert.deepEqual(json.layers[1], { name: "CONV1", kind: "conv", outputShape: [224, 224, 64], weights: 1728, biases: 64, params: 1792, trainable: 1792, memory: 3211264, macs: 86704128, receptiveField: { size: 3, jump: 1 } });
    assert.deepEqual(Object.keys(json.totals), ["params", "trainableParams", "nonTrainableParams", "memory", "memoryBytes", "macs"]);
    assert.equal(json.totals["params"], vgg.total_params_with_biases);
  });

  it("reads a .net file and reports errors as file:line:col with a caret, exit 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "convnote-"));
    const file = join(dir, "bad.net");
    writeFileSync(file, "# a stride that does not fit\nINPUT 7x7x3\nCONV3-8/s3/p0\n");
    const { code, stderr, stdout } = convnote("summary", file);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr.split("\n").slice(0, 3).join("\n"), `${file}:3:1: (7 - 3)/3 + 1 = 2.33 is not a whole number\n  CONV3-8/s3/p0\n  ^~~~~~~~~~~~~`);
    writeFileSync(file, "INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX\n");
    assert.equal(convnote("summary", file).code, 0);
  });

  it("exits 2 on bad usage", async () => {
    assert.equal(convnote("summary").code, 2, "the process's exit status");
    // The rest in-process (a child process costs seconds): the same code path and status.
    for (const args of [["--count", "some", "INPUT 8x8"], ["--frobnicate", "INPUT 8x8"], ["missing.net"]]) {
      assert.equal((await captureOutput(() => summaryCommand.run(args))).code, 2, args.join(" "));
    }
    assert.equal((await captureOutput(() => runCommand(["no-such-command"]))).code, 2);
  });
});
