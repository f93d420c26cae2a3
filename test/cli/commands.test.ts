// Every subcommand goes through the one usage path (src/cli/command.ts): --help prints its
// usage and exits 0; an unknown option, a missing value or a switch given a value prints
// "convnote NAME: what is wrong", then the usage, and exits 2. Run in-process.
import assert from "node:assert/strict";
import { commands } from "../../src/cli/commands.js";
import { captureOutput as capture } from "../helpers.js";

describe("convnote's commands share one usage and error path", () => {
  it("lists nine commands", () => {
    assert.deepEqual(commands.map((c) => c.name), ["summary", "kernel", "start", "share", "train", "backend", "predict", "evaluate", "grammar-docs"]);
  });

  for (const command of commands) {
    it(`${command.name}: --help, an unknown option, a missing value`, async () => {
      const help = await capture(() => command.run(["--help"]));
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^usage: convnote ${command.name}\\b`));
      assert.equal(help.stderr, "");

      const unknown = await capture(() => command.run(["--no-such-option"]));
      assert.equal(unknown.code, 2);
      assert.equal(unknown.stdout, "");
      assert.match(unknown.stderr, new RegExp(`^convnote ${command.name}: unknown option '--no-such-option'\\n\\nusage: convnote ${command.name}\\b`));
    });
  }

  it("names the flag whose value is missing, and a switch given a value", async () => {
    const train = commands.find((c) => c.name === "train")!;
    assert.match((await capture(() => train.run(["INPUT 8x8", "--data"]))).stderr, /^convnote train: --data needs a value\n/);
    assert.match((await capture(() => train.run(["INPUT 8x8", "--data", "xo", "--json=no"]))).stderr, /^convnote train: --json takes no value\n/);
    const summary = commands.find((c) => c.name === "summary")!;
    const count = await capture(() => summary.run(["--count", "some", "INPUT 8x8"]));
    assert.equal(count.code, 2);
    assert.match(count.stderr, /^convnote summary: --count takes weights or all, got 'some'\n/);
  });
});
