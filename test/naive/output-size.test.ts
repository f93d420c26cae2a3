import { strict as assert } from "node:assert";
import { outputSize, requireOutputSize } from "../../src/naive/index.js";
import { loadFixture, type SmallExamples } from "./fixtures.js";

const small = loadFixture<SmallExamples>("small-examples.json");

describe("naive output size (N - F + 2P)/S + 1", () => {
  for (const c of small.output_size) {
    it(`N=${c.N} F=${c.F} stride=${c.stride} pad=${c.pad} -> ${c.expected}`, () => {
      const result = outputSize(c.N, c.F, c.stride, c.pad);
      if (typeof c.expected === "number") {
        assert.deepEqual(result.ok && result.size, c.expected);
      } else {
        assert.equal(result.ok, false);
        assert.equal(`error: ${!result.ok && result.message}`, c.expected);
      }
    });
  }

  it("prints the padding in the formula and rejects filters larger than the padded input", () => {
    const r = outputSize(8, 3, 2, 1);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.message, "(8 - 3 + 2*1)/2 + 1 = 4.5 is not a whole number");
    assert.deepEqual(outputSize(7, 3, 3, 1), { ok: true, size: 3, formula: "(7 - 3 + 2*1)/3 + 1" });
    const big = outputSize(3, 5, 1, 0);
    assert.equal(big.ok, false);
    assert.match(!big.ok ? big.message : "", /5-wide filter is larger than the 3-wide padded input/);
    assert.equal(requireOutputSize(32, 5, 1, 2, "test"), 32);
    assert.throws(() => requireOutputSize(7, 3, 3, 0, "CONV3 s3"), /^Error: CONV3 s3: \(7 - 3\)\/3 \+ 1 = 2\.33 is not a whole number/);
    assert.throws(() => outputSize(7, 0, 1, 0), /F must be an integer >= 1/);
  });
});
