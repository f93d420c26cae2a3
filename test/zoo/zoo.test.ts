// The zoo as a whole: every entry checks, published counts hold exactly, names resolve, the
// README's table is the measured one, and the compiled tfjs models count the same parameters.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileNetwork } from "../../src/compile/index.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { findZooEntry, zoo, zooNames } from "../../src/zoo/index.js";
import { zooMarkdownTable } from "../../src/zoo/summary.js";
import { projectRoot } from "../helpers.js";
import { checkEntry } from "./zoo-helpers.js";

describe("zoo", () => {
  it("has the networks of the lecture", () => {
    assert.deepEqual(
      zoo.map((e) => e.name),
      ["xo", "xo-28", "lenet-5", "alexnet", "alexnet-2gpu", "zfnet", "vgg-a", "vgg-a-lrn", "vgg-b", "vgg-c", "vgg-d", "vgg-e", "googlenet", "googlenet-aux", "resnet-18", "resnet-34", "resnet-50", "resnet-101", "resnet-152", "densenet-121"],
    );
  });

  for (const entry of zoo) {
    it(`${entry.name} checks without diagnostics${entry.published ? `, with ${entry.published.params.toLocaleString("en-US")} parameters as published` : ""}`, () => {
      const result = checkNetwork(entry.source);
      assert.deepEqual(result.diagnostics, []);
      const network = checkEntry(entry);
      if (entry.published) {
        assert.equal(network.totals.trainableParams, entry.published.params);
        if (!/trainable/.test(entry.published.convention)) assert.equal(network.totals.nonTrainableParams, 0);
      }
    });
  }

  it("every entry is commented teaching text that fits on a screen, with a citation and notes", () => {
    for (const entry of zoo) {
      assert.match(entry.source, /^# /, entry.name);
      const long = entry.source.split("\n").filter((line) => line.length > 100);
      assert.deepEqual(long, [], entry.name);
      assert.ok(entry.title.length > 0 && entry.citation.length > 0 && entry.notes.length > 0, entry.name);
      assert.match(entry.notes, /Measured: [\d,]+/, entry.name);
    }
  });

  it("each entry's notes state the total the checker measures", () => {
    for (const entry of zoo) {
      const stated = /Measured: ([\d,]+)/.exec(entry.notes)![1]!;
      assert.equal(stated, checkEntry(entry).totals.trainableParams.toLocaleString("en-US"), entry.name);
    }
  });

  describe("findZooEntry", () => {
    it("finds names and aliases whatever the case, dashes or underscores", () => {
      const cases: [string, string][] = [
        ["vgg16", "vgg-d"],
        ["VGG-16", "vgg-d"],
        ["vgg_19", "vgg-e"],
        ["VGG-D", "vgg-d"],
        ["vgg11", "vgg-a"],
        ["ResNet-152", "resnet-152"],
        ["resnet50", "resnet-50"],
        ["DenseNet121", "densenet-121"],
        ["LeNet", "lenet-5"],
        ["AlexNet", "alexnet"],
        ["Inception-v1", "googlenet"],
        ["ZFNet", "zfnet"],
        ["x-and-o", "xo"],
        [" xo ", "xo"],
      ];
      for (const [name, expected] of cases) assert.equal(findZooEntry(name)?.name, expected, name);
    });

    it("finds nothing for other names or for network text", () => {
      for (const name of ["vgg17", "resnet", "", "INPUT 28x28 CONV3-8", "alexnet2"]) assert.equal(findZooEntry(name), undefined, name);
    });

    it("no name or alias means two entries", () => {
      const seen = new Map<string, string>();
      for (const entry of zoo) {
        for (const name of new Set([entry.name, ...entry.aliases].map((n) => n.toLowerCase().replace(/[\s_.-]+/g, "")))) {
          assert.equal(seen.get(name), undefined, `${name} names both ${seen.get(name)} and ${entry.name}`);
          seen.set(name, entry.name);
        }
      }
      assert.equal(zooNames().length, zoo.reduce((n, e) => n + 1 + e.aliases.length, 0));
    });
  });

  it("src/zoo/README.md holds the table of measured numbers", () => {
    const readme = readFileSync(join(projectRoot, "src", "zoo", "README.md"), "utf8");
    const table = zooMarkdownTable();
    assert.ok(readme.includes(table), `src/zoo/README.md is out of date; its table should be:\n${table}`);
  });

  describe("compiled to tfjs, the models count the same parameters", () => {
    // The small and the branched ones; the FC-heavy networks (AlexNet, VGG) take seconds to initialise.
    for (const name of ["xo", "xo-28", "lenet-5", "googlenet", "resnet-18", "densenet-121"]) {
      it(name, () => {
        const network = checkEntry(findZooEntry(name)!);
        const { model } = compileNetwork(network);
        try {
          assert.equal(model.countParams(), network.totals.params);
          const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
          assert.equal(trainable, network.totals.trainableParams);
          assert.deepEqual(model.outputs[0]!.shape.slice(1), [...network.outputShape]);
        } finally {
          model.dispose();
        }
      });
    }
  });
});
