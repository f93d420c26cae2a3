// The bar for the new kinds: a network with a separable convolution, a grouped convolution
// and maxout learns the X-and-O pictures past 90% on held-out images, trained from the command
// line as a student would (the built CLI in a child process).
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../helpers.js";

const network = "INPUT 28x28x1 CONV5-8 POOL2 SEPCONV3-16 CONV3-16/g2 MAXOUT2 POOL2 FC-2 SOFTMAX";

describe("SEPCONV, grouped CONV and MAXOUT on X-and-O, from the command line", function () {
  this.timeout(180_000);

  it("convnote train reaches at least 90% on held-out X-and-O images", () => {
    const cli = join(projectRoot, "dist", "src", "cli", "main.js");
    const args = ["train", network, "--data", "xo", "--epochs", "3", "--train-size", "400", "--test-size", "200", "--seed", "1", "--backend", "wasm", "--json"];
    const run = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const final = (JSON.parse(run.stdout.trim().split("\n").pop()!) as { final: { testAccuracy: number; backend: string } }).final;
    assert.equal(final.backend, "wasm");
    assert.ok(final.testAccuracy >= 0.9, `test accuracy ${final.testAccuracy}`);
  });
});
