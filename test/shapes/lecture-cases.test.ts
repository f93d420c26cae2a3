// Every number of the lecture cases (test/fixtures, copied from the slides' JSON) through the checker.
import { strict as assert } from "node:assert";
import { checkNetwork } from "../../src/shapes/check.js";
import { fixture, mustCheck } from "../helpers.js";

interface VggFixture {
  dsl_in_the_card: string;
  rows: { layer: string; shape: number[]; memory: number; weights: number; biases: number }[];
  total_weights_without_biases: number;
  total_params_with_biases: number;
  total_memory_values: number;
}

interface SmallExamples {
  output_size: { N: number; F: number; stride: number; pad: number; expected: number | string }[];
  conv_layer_params: { input: number[]; filters: number; F: number; stride: number; pad: number; expected_output: number[]; expected_params: number };
  one_by_one_conv: { input: number[]; filters: number; F: number; expected_output: number[]; expected_params: number };
  three_3x3_vs_one_7x7: { receptive_field_of_three_stacked_3x3_stride1: number };
  efficiency_edge_detection: { input: number[]; expected_output: number[] };
}

describe("lecture cases", () => {
  const vgg = fixture<VggFixture>("vgg16.json");
  const small = fixture<SmallExamples>("small-examples.json");

  describe("the VGG16 memory/params table", () => {
    const network = mustCheck(vgg.dsl_in_the_card);

    it("has the slide's rows, in order, with shape, memory, weights and biases", () => {
      assert.equal(network.rows.length, vgg.rows.length);
      vgg.rows.forEach((expected, i) => {
        const row = network.rows[i]!;
        const label = row.kind === "input" ? "INPUT" : row.label;
        assert.equal(label, expected.layer, `row ${i}`);
        assert.deepEqual([...row.outputShape], expected.shape, `${row.name} shape`);
        assert.equal(row.memory, expected.memory, `${row.name} memory`);
        assert.equal(row.weights, expected.weights, `${row.name} weights`);
        assert.equal(row.biases, expected.biases, `${row.name} biases`);
      });
    });

    it("totals 138,344,128 weights, 138,357,544 parameters and 15,237,608 values of memory", () => {
      assert.equal(network.totals.weights, vgg.total_weights_without_biases);
      assert.equal(network.totals.params, vgg.total_params_with_biases);
      assert.equal(network.totals.memory, vgg.total_memory_values);
      assert.equal(network.totals.memoryBytes, vgg.total_memory_values * 4);
    });

    it("names the layers as the slides do and ends in softmax", () => {
      assert.deepEqual(network.rows.map((r) => r.name).slice(0, 4), ["INPUT", "CONV1", "CONV2", "POOL1"]);
      const last = network.rows[network.rows.length - 1]!;
      assert.equal(last.name, "FC16");
      assert.equal(last.activation?.fn, "softmax");
      assert.equal(network.rows[1]!.activation?.fn, "relu");
    });
  });

  describe("the output size (N - F)/S + 1", () => {
    for (const c of small.output_size) {
      const text = `INPUT ${c.N}x${c.N}x3 CONV${c.F}-8/s${c.stride}/p${c.pad}`;
      it(`${text} -> ${c.expected}`, () => {
        const result = checkNetwork(text);
        if (typeof c.expected === "number") {
          assert.ok(result.network, JSON.stringify(result.diagnostics));
          assert.deepEqual([...result.network.outputShape], [c.expected, c.expected, 8]);
        } else {
          assert.equal(result.network, undefined);
          const d = result.diagnostics[0]!;
          assert.equal(`error: ${d.message}`, c.expected);
          assert.equal(d.code, "size-not-whole");
          assert.deepEqual(d.span, { offset: 12, length: 13, line: 1, column: 13 });
          assert.match(d.hint ?? "", /stride 1 or 2/);
          assert.match(d.hint ?? "", /pad 1/);
        }
      });
    }
  });

  it("a 32x32x3 input with ten 5x5 filters, pad 2: 32x32x10 and 760 parameters", () => {
    const c = small.conv_layer_params;
    const network = mustCheck(`INPUT ${c.input.join("x")} CONV${c.F}-${c.filters}/s${c.stride}/p${c.pad}`);
    assert.deepEqual([...network.outputShape], c.expected_output);
    assert.equal(network.totals.params, c.expected_params);
    assert.equal(network.rows[1]!.formula?.weights, "(5*5*3)*10");
  });

  it("the same layer with the default padding keeps the size (pad (F-1)/2)", () => {
    for (const f of [3, 5, 7]) {
      const network = mustCheck(`INPUT 32x32x3 CONV${f}-10`);
      assert.deepEqual([...network.outputShape], [32, 32, 10]);
    }
  });

  it("a 1x1 convolution: 56x56x64 to 56x56x32 with 2,080 parameters", () => {
    const c = small.one_by_one_conv;
    const network = mustCheck(`INPUT ${c.input.join("x")} CONV1-${c.filters}`);
    assert.deepEqual([...network.outputShape], c.expected_output);
    assert.equal(network.totals.params, c.expected_params);
  });

  it("three stacked 3x3 convolutions see 7x7, with fewer parameters than one 7x7", () => {
    const three = mustCheck("INPUT 32x32x64 [CONV3-64]x3");
    const one = mustCheck("INPUT 32x32x64 CONV7-64");
    const last = three.rows[three.rows.length - 1]!;
    assert.deepEqual(last.receptiveField.size, [small.three_3x3_vs_one_7x7.receptive_field_of_three_stacked_3x3_stride1, 7]);
    assert.deepEqual(one.rows[1]!.receptiveField.size, [7, 7]);
    assert.equal(three.totals.weights, 3 * (9 * 64 * 64));
    assert.equal(one.totals.weights, 49 * 64 * 64);
  });

  it("the edge-detection efficiency example: a 1x2 kernel on 280x320 gives 280x319", () => {
    const c = small.efficiency_edge_detection;
    const network = mustCheck(`INPUT ${c.input.join("x")}x1 CONV1x2-1/valid`);
    assert.deepEqual([...network.outputShape], [...c.expected_output, 1]);
    assert.equal(network.rows[1]!.weights, 2);
    assert.equal(network.rows[1]!.macs, 280 * 319 * 2);
  });

  it("/same pooling follows TensorFlow: ceil(N/S), so the X-and-O 7x7 maps pool to 4x4", () => {
    const network = mustCheck("INPUT 9x9x1 CONV3-3/valid POOL2/same");
    assert.deepEqual([...network.rows[1]!.outputShape], [7, 7, 3]);
    assert.deepEqual([...network.outputShape], [4, 4, 3]);
    assert.deepEqual([...mustCheck("INPUT 7x7x3 CONV3-8/s2/same").outputShape], [4, 4, 8]);
  });
});
