// What a %%net cell leaves on the kernel's heap: the bound Network and the history's text, not the
// parser's tokens (a 1 MB cell once kept 96 MB here, 56 MB of it tokens). Measured after a full
// GC; the bound is loose (about twice what it keeps now), a memory bound, not a timing.
import { strict as assert } from "node:assert";
import { bigCheckingCell, retainedMb } from "../../bench/net-cell-memory.js";

describe("%%net cell memory", function () {
  this.timeout(60_000);

  it("a 128 KB cell that checks keeps under 10 MB of heap (its network and text), not its tokens", () => {
    const cell = bigCheckingCell(128 << 10);
    const { mb, kept } = retainedMb(cell);
    assert.ok(kept.bindings?.["big"], "the cell bound its network");
    assert.ok(mb < 10, `${mb.toFixed(1)} MB kept for ${(cell.length / 1024).toFixed(0)} KB of text`);
  });
});
