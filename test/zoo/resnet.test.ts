// ResNet-18/34/50/101/152 and DenseNet-121 against torchvision's counts.
import { strict as assert } from "node:assert";
import { performance } from "node:perf_hooks";
import { checkNetwork } from "../../src/shapes/check.js";
import type { CheckedSkip } from "../../src/shapes/network.js";
import { densenet121 } from "../../src/zoo/densenet.js";
import { resnet101, resnet152, resnet18, resnet34, resnet50 } from "../../src/zoo/resnet.js";
import { rowNamed } from "../helpers.js";
import { checkEntry, shapeOf } from "./zoo-helpers.js";

const resnets = [
  { entry: resnet18, trainable: 11_689_512, blocks: [2, 2, 2, 2], width: 512, gflops: "1.81" },
  { entry: resnet34, trainable: 21_797_672, blocks: [3, 4, 6, 3], width: 512, gflops: "3.66" },
  { entry: resnet50, trainable: 25_557_032, blocks: [3, 4, 6, 3], width: 2048, gflops: "4.09" },
  { entry: resnet101, trainable: 44_549_160, blocks: [3, 4, 23, 3], width: 2048, gflops: "7.80" },
  { entry: resnet152, trainable: 60_192_808, blocks: [3, 8, 36, 3], width: 2048, gflops: "11.51" },
];

describe("zoo: ResNet (torchvision)", () => {
  for (const { entry, trainable, blocks, width, gflops } of resnets) {
    describe(entry.name, () => {
      const network = checkEntry(entry);
      const residuals = network.nodes.filter((n): n is CheckedSkip => n.type === "skip");

      it(`has ${trainable.toLocaleString("en-US")} trainable parameters, torchvision's count`, () => {
        assert.equal(network.totals.trainableParams, trainable);
        assert.equal(network.totals.params, trainable + network.totals.nonTrainableParams);
      });

      it("shrinks 224 -> 112 (conv1) -> 56 (pool) -> 56, 28, 14, 7 (stages), then GAP and FC-1000", () => {
        assert.deepEqual(shapeOf(rowNamed(network, "CONV1")), [112, 112, 64]);
        assert.deepEqual(shapeOf(rowNamed(network, "POOL1")), [56, 56, 64]);
        const perStage = new Map<string, number>();
        for (const r of residuals) perStage.set(shapeOf(r).join("x"), (perStage.get(shapeOf(r).join("x")) ?? 0) + 1);
        const c = width / 8;
        assert.deepEqual([...perStage.keys()], [`56x56x${c}`, `28x28x${c * 2}`, `14x14x${c * 4}`, `7x7x${c * 8}`]);
        assert.deepEqual([...perStage.values()], blocks);
        assert.deepEqual(shapeOf(network.nodes.at(-2)!), [width]);
        assert.deepEqual(shapeOf(network), [1000]);
      });

      it("has no bias on any convolution, a projection (1x1 conv + BN) where the shape changes, and ReLU after each sum", () => {
        assert.ok(network.rows.filter((r) => r.kind === "conv").every((r) => r.biases === 0));
        const projected = residuals.filter((r) => r.projection.length > 0);
        assert.equal(projected.length, width === 512 ? 3 : 4);
        for (const r of projected) assert.deepEqual(r.projection.map((p) => p.kind), ["conv", "batch-norm"]);
        assert.deepEqual(projected.map((r) => r.projection[0]!.label).slice(-3), [`CONV1-${width / 4}/s2`, `CONV1-${width / 2}/s2`, `CONV1-${width}/s2`]);
        assert.ok(residuals.every((r) => r.activation?.fn === "relu"));
      });

      it(`has ${gflops} G multiply-adds, torchvision's GFLOPS`, () => {
        assert.equal((network.totals.macs / 1e9).toFixed(2), gflops);
      });
    });
  }

  it("checks ResNet-152 (timed, printed)", () => {
    const runs = 5;
    const start = performance.now();
    for (let i = 0; i < runs; i++) assert.ok(checkNetwork(resnet152.source).network);
    const ms = (performance.now() - start) / runs;
    const rows = checkEntry(resnet152).rows.length;
    console.log(`      checkNetwork(ResNet-152): ${ms.toFixed(1)} ms per check (${rows} rows, mean of ${runs}; other agents share the machine)`);
  });
});

describe("zoo: DenseNet-121 (torchvision)", () => {
  const network = checkEntry(densenet121);

  it("has 7,978,856 trainable parameters, torchvision's count, and 83,648 moving-statistics values", () => {
    assert.equal(network.totals.trainableParams, 7_978_856);
    assert.equal(network.totals.nonTrainableParams, 83_648);
  });

  it("grows by 32 channels per layer and halves at each transition: 256, 128, 512, 256, 1024, 512, 1024", () => {
    const shapes = network.nodes.filter((n) => n.type === "layer" && (n.kind === "pool" || n.kind === "global-pool")).map((n) => n.inputShape.join("x"));
    // Each pool's input: the stem before its max pool, then each transition's 1x1 output, then the final BN.
    assert.deepEqual(shapes, ["112x112x64", "56x56x128", "28x28x256", "14x14x512", "7x7x1024"]);
    const blockEnds = network.nodes.filter((n, i) => n.type === "skip" && network.nodes[i + 1]?.type !== "skip").map((n) => shapeOf(n).join("x"));
    assert.deepEqual(blockEnds, ["56x56x256", "28x28x512", "14x14x1024", "7x7x1024"]);
    assert.equal(network.nodes.filter((n) => n.type === "skip").length, 6 + 12 + 24 + 16);
  });

  it("uses BN-ReLU-conv layers without conv biases; only the classifier has a bias", () => {
    assert.ok(network.rows.filter((r) => r.kind === "conv").every((r) => r.biases === 0 && r.activation === undefined));
    assert.ok(network.rows.filter((r) => r.kind === "batch-norm").every((r) => r.activation?.fn === "relu"));
    const fc = network.rows.filter((r) => r.kind === "dense");
    assert.deepEqual(fc.map((r) => [r.weights, r.biases]), [[1024 * 1000, 1000]]);
  });

  it("has 2.83 G multiply-adds, torchvision's GFLOPS", () => {
    assert.equal((network.totals.macs / 1e9).toFixed(2), "2.83");
  });
});
