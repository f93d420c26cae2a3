// A saved model is untrusted input (issue 15): its weight paths stay in its folder, only regular
// files are read, sizes are checked against the manifest before reading, a model without weights
// or with NaN weights is refused, and every error names the file.
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { checkSaveTarget, loadModel, saveModel } from "../../src/train/index.js";
import { projectRoot } from "../helpers.js";
import { bestBackend, compileText } from "./helpers.js";

interface Manifest {
  modelTopology: unknown;
  weightsManifest?: { paths: string[]; weights: { name: string }[] }[];
}

describe("saved models are untrusted input", function () {
  this.timeout(60_000);
  let saved: string;

  before(async () => {
    await bestBackend();
    const model = compileText("INPUT 8x8 CONV3-4 POOL2 FC-2 SOFTMAX");
    saved = join(mkdtempSync(join(tmpdir(), "convnote-untrusted-")), "model");
    await saveModel(model, saved, { classNames: ["x", "o"] });
    model.dispose();
  });

  /** A copy of the saved model (inside a folder of its own, with a file beside it), changed by `edit`. */
  function tampered(edit: (dir: string, manifest: Manifest) => Manifest | void): string {
    const root = mkdtempSync(join(tmpdir(), "convnote-tampered-"));
    writeFileSync(join(root, "outside.bin"), Buffer.alloc(readFileSync(join(saved, "weights.bin")).length));
    const dir = join(root, "model");
    mkdirSync(dir);
    for (const file of ["model.json", "weights.bin", "convnote.json"]) writeFileSync(join(dir, file), readFileSync(join(saved, file)));
    const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Manifest;
    const changed = edit(dir, manifest) ?? manifest;
    writeFileSync(join(dir, "model.json"), JSON.stringify(changed));
    return dir;
  }

  const setPaths = (paths: string[]) => (_dir: string, m: Manifest) => {
    m.weightsManifest![0]!.paths = paths;
  };

  it("keeps weight paths inside the model's folder: ../, absolute paths and links leading out are refused", async () => {
    for (const paths of [["../outside.bin"], ["/etc/hostname"], ["/dev/zero"], ["sub/../../outside.bin"]]) {
      await assert.rejects(loadModel(tampered(setPaths(paths))), /model\.json: weight file '.*' is outside the model's folder/, paths[0]);
    }
    const linked = tampered((dir, m) => {
      symlinkSync("/dev/zero", join(dir, "zero.bin"));
      m.weightsManifest![0]!.paths = ["zero.bin"];
    });
    await assert.rejects(loadModel(linked), /weight file 'zero\.bin' is outside the model's folder/);
  });

  it("reads regular files only, and checks their sizes against the manifest before reading", async () => {
    const folder = tampered((dir, m) => {
      mkdirSync(join(dir, "weights.d"));
      m.weightsManifest![0]!.paths = ["weights.d"];
    });
    await assert.rejects(loadModel(folder), /weights\.d is a folder, not a weights file \(listed in .*model\.json's weightsManifest\)/);
    const fifo = tampered((dir, m) => {
      spawnSync("mkfifo", [join(dir, "pipe.bin")]);
      m.weightsManifest![0]!.paths = ["pipe.bin"];
    });
    // Reading a pipe with no writer would wait forever; it is refused before any read.
    await assert.rejects(loadModel(fifo), /pipe\.bin is not a regular file/);
    const doubled = tampered((_dir, m) => {
      m.weightsManifest![0]!.paths = ["weights.bin", "weights.bin"];
    });
    await assert.rejects(loadModel(doubled), /hold \d+ bytes but the weightsManifest describes \d+/);
  });

  it("refuses a model.json without a weightsManifest (it would run with random weights)", async () => {
    const bare = tampered((_dir, m) => ({ modelTopology: m.modelTopology }));
    await assert.rejects(loadModel(bare), /model\.json: no weightsManifest, so it holds no trained weights/);
  });

  it("refuses NaN and infinite weights, naming the weight", async () => {
    for (const bad of [NaN, Infinity]) {
      const dir = tampered((d) => {
        const weights = readFileSync(join(d, "weights.bin"));
        weights.writeFloatLE(bad, 8);
        writeFileSync(join(d, "weights.bin"), weights);
      });
      await assert.rejects(loadModel(dir), new RegExp(`has a weight that is ${bad} \\(conv1/kernel, value 3 of 36\\): it was saved after training diverged`));
    }
  });

  it("names the file: a damaged convnote.json, a folder for model.json, an unknown layer class", async () => {
    const info = tampered((dir) => writeFileSync(join(dir, "convnote.json"), '{"format": "conv'));
    await assert.rejects(loadModel(info), /convnote\.json: not a readable JSON file \(.*\); ConvNote's model description \(convnote\.json\) is damaged/);
    const folder = tampered((dir) => {
      unlinkSync(join(dir, "weights.bin"));
      mkdirSync(join(dir, "weights.bin"));
    });
    await assert.rejects(loadModel(folder), /weights\.bin is a folder, not a weights file/);
    const directory = tampered(() => undefined);
    unlinkSync(join(directory, "model.json"));
    mkdirSync(join(directory, "model.json"));
    await assert.rejects(loadModel(directory), /model\.json is a folder, not a TensorFlow\.js model\.json/);
    const custom = tampered((dir) => {
      writeFileSync(join(dir, "model.json"), readFileSync(join(dir, "model.json"), "utf8").replace('"Conv2D"', '"FancyConv"'));
      return JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Manifest;
    });
    const error = await loadModel(custom).then(
      () => assert.fail("an unknown layer class loaded"),
      (e: Error) => e,
    );
    assert.match(error.message, /model\.json: layer class 'FancyConv' is neither a TensorFlow\.js layer nor one of ConvNote's/);
    assert.ok(!error.message.includes("\n") && error.message.length < 400, `one short line: ${error.message}`);
  });

  it("checks a --save folder before training: a file, or a path that cannot be made, is an error naming it", () => {
    const root = mkdtempSync(join(tmpdir(), "convnote-save-target-"));
    checkSaveTarget(join(root, "a", "b"));
    writeFileSync(join(root, "file"), "");
    assert.throws(() => checkSaveTarget(join(root, "file")), /cannot save to .*file: .* is a file, not a folder/);
    // Node's own recursive mkdir never returns here.
    assert.throws(() => checkSaveTarget("/proc/convnote-nope"), /cannot save to \/proc\/convnote-nope: no such file or directory/);
  });

  it("convnote train --save into an impossible folder fails before training", () => {
    const cli = join(projectRoot, "dist", "src", "cli", "main.js");
    const run = spawnSync(process.execPath, [cli, "train", "INPUT 8x8 CONV3-4 POOL2 FC-2 SOFTMAX", "--data", "xo", "--epochs", "50", "--save", "/proc/convnote-nope"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(run.status, 1, `${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^convnote train: cannot save to \/proc\/convnote-nope: /m);
    assert.doesNotMatch(run.stdout, /epoch/, "no training before the check");
  });
});
