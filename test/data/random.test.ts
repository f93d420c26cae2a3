import { strict as assert } from "node:assert";
import { createRng, hashString, mulberry32, normaliseSeed } from "../../src/data/index.js";

describe("data: seeded random numbers (mulberry32)", () => {
  it("repeats exactly for the same seed and differs for another", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    assert.deepEqual(Array.from({ length: 20 }, () => b.next()), seqA);
    assert.notDeepEqual(Array.from({ length: 20 }, () => c.next()), seqA);
    assert.deepEqual(createRng("seven").next(), createRng(hashString("seven")).next());
  });

  it("follows the published mulberry32 recurrence", () => {
    // Reimplemented here step by step with BigInt arithmetic, independent of
    // the Math.imul form used in the module.
    const mask = (1n << 32n) - 1n;
    let state = 12345n;
    const step = (): number => {
      state = (state + 0x6d2b79f5n) & mask;
      let t = state;
      t = ((t ^ (t >> 15n)) * (t | 1n)) & mask;
      t = (t ^ (t + (((t ^ (t >> 7n)) * (t | 61n)) & mask))) & mask;
      return Number((t ^ (t >> 14n)) & mask) / 4294967296;
    };
    const ours = mulberry32(12345);
    for (let i = 0; i < 50; i++) assert.equal(ours(), step());
  });

  it("draws in range with the expected averages", () => {
    const rng = createRng(1);
    let sum = 0;
    let sumNormal = 0;
    let sumNormalSq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      assert.ok(u >= 0 && u < 1);
      sum += u;
      const z = rng.normal();
      sumNormal += z;
      sumNormalSq += z * z;
      const k = rng.int(-2, 3);
      assert.ok(Number.isInteger(k) && k >= -2 && k <= 3);
    }
    assert.ok(Math.abs(sum / n - 0.5) < 0.01);
    assert.ok(Math.abs(sumNormal / n) < 0.03);
    assert.ok(Math.abs(sumNormalSq / n - 1) < 0.05);
  });

  it("shuffles into a permutation and reaches every int in the range", () => {
    const rng = createRng(3);
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual([...shuffled].sort((a, b) => a - b), items);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(rng.int(0, 4));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
    assert.throws(() => rng.pick([]), /empty array/);
    assert.throws(() => normaliseSeed(Number.NaN), /finite number/);
  });
});
