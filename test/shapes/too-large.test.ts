// Sizes no backend can allocate are a diagnostic at their token, with the memory they would need
// (issue 15: CONV3-1e308 showed "params: ∞"; FC-2000000 on 28x28 failed after 26 s and 6.3 GB).
import { strict as assert } from "node:assert";
import { checkNetwork } from "../../src/shapes/check.js";
import { MAX_TENSOR_VALUES } from "../../src/shapes/infer.js";

function tooLarge(text: string): { message: string; at: string } {
  const result = checkNetwork(text);
  assert.equal(result.network, undefined, `${text} checked`);
  const d = result.diagnostics[0]!;
  assert.equal(d.code, "too-large", JSON.stringify(d));
  return { message: d.message, at: text.slice(d.span.offset, d.span.offset + d.span.length) };
}

describe("checker: sizes that cannot be allocated", () => {
  it("FC-2000000 on 28x28: at the FC, with its parameters and their memory", () => {
    const { message, at } = tooLarge("INPUT 28x28 FC-2000000 FC-10");
    assert.equal(at, "FC-2000000");
    assert.match(message, /^FC-2000000 needs 1,570,000,000 parameters \(6\.3 GB at float32; training with Adam needs about 4 times that\): more than one tensor can hold \(1,073,741,824 values, 4\.3 GB\)$/);
  });

  it("a filter count of 1e308 and an input of 99999x99999x3 are refused, not shown as ∞", () => {
    const conv = tooLarge("INPUT 28x28 CONV3-1e308 GAP FC-10");
    assert.equal(conv.at, "CONV3-1e308");
    assert.match(conv.message, /needs more parameters than a number can hold/);
    const input = tooLarge("INPUT 99999x99999x3 CONV3-8");
    assert.equal(input.at, "INPUT 99999x99999x3");
    assert.match(input.message, /output 99999x99999x3 is 29,999,400,003 values per example \(120\.0 GB at float32\)/);
  });

  it("the largest networks of the lectures and unknown (?) sizes still check", () => {
    assert.ok(checkNetwork("INPUT 224x224x3 [CONV3-64]x2 POOL2 [CONV3-128]x2 POOL2 [CONV3-256]x3 POOL2 [CONV3-512]x3 POOL2 [CONV3-512]x3 POOL2 FC-4096 FC-4096 FC-1000 SOFTMAX").network);
    assert.ok(checkNetwork("INPUT ?x?x3 CONV3-16 GAP FC-10").network);
    // Just under the limit: 2^30 - 1 parameters in one layer.
    const units = Math.floor((MAX_TENSOR_VALUES - 1) / 1025);
    assert.ok(checkNetwork(`INPUT 1024 FC-${units}`).network);
  });
});
