// Runs the standard conformance suite (jupyter_kernel_test, test_conformance.py)
// against the real `convnote` kernelspec, installed by `convnote kernel install`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { packageRoot } from "../../kernel/convnote-module.js";
import { PYTHON, REAL_KERNEL, testJupyterEnv } from "./jupyter-env.js";

interface UnittestSummary {
  ran: number;
  failures: number;
  errors: number;
  skipped: number;
  ok: boolean;
}

/** Reads unittest's closing lines: "Ran N tests in Xs" then "OK (skipped=1)" or "FAILED (failures=1, errors=2)". */
export function parseUnittestSummary(output: string): UnittestSummary {
  const ran = Number(/Ran (\d+) tests? in/.exec(output)?.[1] ?? NaN);
  const count = (key: string): number => Number(new RegExp(`${key}=(\\d+)`).exec(output.slice(output.lastIndexOf("Ran ")))?.[1] ?? 0);
  return { ran, failures: count("failures"), errors: count("errors"), skipped: count("skipped"), ok: /\nOK\b/.test(output) };
}

describe("Jupyter kernel conformance (jupyter_kernel_test)", function () {
  this.timeout(300_000);

  it("passes every conformance test on the installed convnote kernel", async () => {
    const { env } = await testJupyterEnv();
    const dir = path.join(packageRoot(), "test", "kernel");
    const started = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(PYTHON, ["-m", "unittest", "-v", "test_conformance"], {
        cwd: dir,
        env: { ...env, CONVNOTE_KERNEL_NAME: REAL_KERNEL },
      });
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.stderr.on("data", (d: Buffer) => (text += d.toString()));
      child.on("close", (exit) => resolve({ code: exit, output: text }));
    });
    const summary = parseUnittestSummary(output);
    console.log(
      `      conformance: ${summary.ran} run, ${summary.failures} failures, ${summary.errors} errors, ${summary.skipped} skipped ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    assert.ok(summary.ran > 0, `the suite ran nothing:\n${output}`);
    assert.equal(summary.failures + summary.errors, 0, `conformance failures:\n${output}`);
    assert.equal(code, 0, `unittest exited with ${code}:\n${output}`);
    assert.ok(summary.ok, output);
  });
});
