// The kernel through the real Jupyter protocol: jupyter_client (kernel_driver.py)
// talks to a kernel started from an installed kernelspec, as Notebook would.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../kernel/convnote-module.js";
import { INTERRUPT_ENAME } from "../../kernel/errors.js";
import { type Exchange, KernelDriver, outputsOf, resultText, stdoutOf } from "./driver.js";
import { PYTHON, TEST_KERNEL, TEST_KERNEL_SIGNAL, tempDir, testJupyterEnv } from "./jupyter-env.js";

const DISPLAY_MODULE = "convnote/dist/src/notebook-api/display.js";

function errorOf(exchange: Exchange): { ename: string; evalue: string; traceback: string[] } {
  const errors = outputsOf(exchange, "error");
  assert.equal(errors.length, 1, `expected one error output, got ${JSON.stringify(exchange.outputs)}`);
  return errors[0] as { ename: string; evalue: string; traceback: string[] };
}

function assertOk(exchange: Exchange): void {
  assert.equal(exchange.reply["status"], "ok", `cell failed: ${JSON.stringify(exchange.outputs)}`);
}

describe("kernel over the Jupyter protocol (jupyter_client)", function () {
  this.timeout(120_000);
  let kernel: KernelDriver;
  let firstPid: number;

  before(async () => {
    // A directory outside the project: `import "convnote"` must still resolve there.
    const outside = tempDir("convnote-notebook-");
    const started = await KernelDriver.start(TEST_KERNEL, outside);
    kernel = started.driver;
    firstPid = started.pid;
    console.log(`      kernel ready (kernel_info answered) ${started.startupSeconds.toFixed(2)} s after launch`);
  });

  after(async () => {
    await kernel?.close();
  });

  it("runs cells in order, counts them and keeps top-level names", async () => {
    const first = await kernel.execute("let kept: number = 41");
    assertOk(first);
    const second = await kernel.execute("kept + 1");
    assertOk(second);
    assert.equal(resultText(second), "42");
    assert.equal(second.reply["execution_count"], (first.reply["execution_count"] as number) + 1);
    const result = outputsOf(second, "execute_result")[0]!;
    assert.equal(result["execution_count"], second.reply["execution_count"]);
    const silent = await kernel.execute("kept", { silent: true });
    assert.equal(silent.reply["execution_count"], second.reply["execution_count"], "silent cells do not count");
    assert.equal(outputsOf(silent, "execute_result").length, 0, "silent cells show no result");
  });

  it("shows a TypeScript error with the source line and a caret, then runs the next cell", async () => {
    const failed = await kernel.execute("const n: number = 1;\nn.nope()");
    assert.equal(failed.reply["status"], "error");
    const error = errorOf(failed);
    assert.equal(error.ename, "TypeScriptError");
    assert.match(error.evalue, /Property 'nope' does not exist on type 'number'/);
    assert.deepEqual(error.traceback.slice(1, 3), ["    n.nope()", "      ^"]);
    assert.equal(failed.reply["ename"], "TypeScriptError");
    const next = await kernel.execute("kept * 2");
    assertOk(next);
    assert.equal(resultText(next), "82");
  });

  it("reports a thrown exception with its name and message, keeping earlier variables", async () => {
    const thrown = await kernel.execute('function failing(): never { throw new RangeError("out of range") }\nfailing()');
    const error = errorOf(thrown);
    assert.equal(error.ename, "RangeError");
    assert.equal(error.evalue, "out of range");
    assert.equal(error.traceback[0], "RangeError: out of range");
    assert.ok(!error.traceback.some((l) => /tslab|dist[\\/]kernel/.test(l)), `kernel frames leak: ${error.traceback.join("\n")}`);
    const rejected = await kernel.execute('await Promise.reject(new TypeError("async failure"))');
    assert.equal(errorOf(rejected).ename, "TypeError");
    const after = await kernel.execute("kept");
    assert.equal(resultText(after), "41");
  });

  it("captures console.log and console.error as stdout and stderr streams, in order with displays", async () => {
    const cell = await kernel.execute(
      `import { display } from "${DISPLAY_MODULE}";\nconsole.log("before");\ndisplay({ "text/plain": "shown" });\nconsole.error("after")`,
    );
    assertOk(cell);
    const kinds = cell.outputs
      .filter((o) => o.msg_type === "stream" || o.msg_type === "display_data")
      .map((o) => (o.msg_type === "stream" ? `${String(o.content["name"])}:${String(o.content["text"])}` : "display"));
    assert.deepEqual(kinds, ["stdout:before\n", "display", "stderr:after\n"]);
  });

  it("aborts queued cells after an error when stop_on_error is set, and not otherwise", async () => {
    const failing = await kernel.submit('await new Promise((r) => setTimeout(r, 200));\nthrow new Error("stop here")');
    const queued = await kernel.submit("(globalThis as any).queuedRan = true");
    assert.equal((await kernel.collect(failing.msg_id)).reply["status"], "error");
    const aborted = await kernel.collect(queued.msg_id);
    assert.equal(aborted.reply["status"], "aborted");
    const check = await kernel.execute("(globalThis as any).queuedRan === true");
    assert.equal(resultText(check), "false", "an aborted cell must not run");

    const tolerant = await kernel.submit('throw new Error("keep going")', { stop_on_error: false });
    const runs = await kernel.submit("(globalThis as any).queuedRan = 'yes'");
    assert.equal((await kernel.collect(tolerant.msg_id)).reply["status"], "error");
    assertOk(await kernel.collect(runs.msg_id));
    assert.equal(resultText(await kernel.execute("(globalThis as any).queuedRan")), "'yes'");
  });

  for (const mode of ["wrong", "missing"] as const) {
    it(`drops a message with a ${mode} signature without running it`, async () => {
      const forged = await kernel.command<{ replied: boolean; iopub: unknown[] }>("forged", {
        code: `(globalThis as any).forged_${mode} = true`,
        mode,
      });
      assert.equal(forged.replied, false, "a forged request must get no reply");
      assert.deepEqual(forged.iopub, [], "a forged request must cause no output");
      const check = await kernel.execute(`typeof (globalThis as any).forged_${mode}`);
      assert.equal(resultText(check), "'undefined'", "the forged cell must not have run");
    });
  }

  it("interrupt_request stops a synchronous infinite loop; the kernel stays usable", async () => {
    const loop = await kernel.submit("let spins = 0;\nwhile (true) { spins++; }");
    const stopped = await kernel.interruptUntilDone(loop.msg_id);
    console.log(`      sync loop stopped ${(stopped.latency_s * 1000).toFixed(0)} ms after the interrupt (${stopped.interrupts_sent} sent)`);
    assert.equal(stopped.reply["status"], "error");
    assert.equal(errorOf(stopped).ename, INTERRUPT_ENAME);
    assert.equal(resultText(await kernel.execute("kept + 1")), "42");
  });

  it("interrupt_request stops a long await; the kernel stays usable", async () => {
    const wait = await kernel.submit("await new Promise((resolve) => setTimeout(resolve, 1e9))");
    const stopped = await kernel.interruptUntilDone(wait.msg_id);
    console.log(`      long await stopped ${(stopped.latency_s * 1000).toFixed(0)} ms after the interrupt`);
    assert.equal(errorOf(stopped).ename, INTERRUPT_ENAME);
    assert.equal(resultText(await kernel.execute("1 + 1")), "2");
  });

  it("tells running code about an interrupt through interruptSignal()", async () => {
    const cell = await kernel.submit(
      `import { interruptSignal } from "${DISPLAY_MODULE}";\n` +
        "const signal = interruptSignal();\n(globalThis as any).observed = signal;\n" +
        "await new Promise((resolve) => setTimeout(resolve, 1e9))",
    );
    await kernel.interruptUntilDone(cell.msg_id);
    assert.equal(resultText(await kernel.execute("(globalThis as any).observed.aborted")), "true");
  });

  it("shows a value's own MIME bundle as the execute_result", async () => {
    const cell = await kernel.execute(
      'class Badge { [Symbol.for("jupyter.mimebundle")]() { return { "text/plain": "badge", "text/html": "<b>badge</b>" }; } }\nnew Badge()',
    );
    assertOk(cell);
    const data = outputsOf(cell, "execute_result")[0]!["data"] as Record<string, string>;
    assert.deepEqual(data, { "text/plain": "badge", "text/html": "<b>badge</b>" });
  });

  it("reports a MIME bundle without text/plain as an error that says how to fix it", async () => {
    const cell = await kernel.execute('class Bad { [Symbol.for("jupyter.mimebundle")]() { return { "text/html": "<i>x</i>" }; } }\nnew Bad()');
    assert.equal(cell.reply["status"], "error");
    assert.match(errorOf(cell).evalue, /of Bad returned no 'text\/plain' string/);
  });

  it("display() returns a handle whose update() replaces the output in place; clearOutput() clears", async () => {
    const cell = await kernel.execute(
      `import { display, clearOutput } from "${DISPLAY_MODULE}";\n` +
        'const plot = display({ "text/plain": "epoch 0" });\n' +
        'for (let epoch = 1; epoch <= 3; epoch++) plot.update({ "text/plain": "epoch " + epoch, "image/png": new Uint8Array([137, 80, 78, 71]) });\n' +
        "clearOutput({ wait: true });\nplot.displayId",
    );
    assertOk(cell);
    const shown = outputsOf(cell, "display_data");
    const updates = outputsOf(cell, "update_display_data");
    assert.equal(shown.length, 1);
    assert.equal(updates.length, 3);
    const id = (shown[0]!["transient"] as Record<string, string>)["display_id"];
    assert.ok(id);
    assert.equal(resultText(cell), `'${id}'`);
    for (const update of updates) assert.equal((update["transient"] as Record<string, string>)["display_id"], id);
    const last = updates[2]!["data"] as Record<string, string>;
    assert.equal(last["text/plain"], "epoch 3");
    assert.equal(last["image/png"], Buffer.from([137, 80, 78, 71]).toString("base64"));
    assert.deepEqual(outputsOf(cell, "clear_output"), [{ wait: true }]);
  });

  it("serves tslab's own display API (tslab.display, tslab.newDisplay)", async () => {
    const cell = await kernel.execute('import * as tslab from "tslab";\ntslab.display.html("<b>tslab</b>");\nconst d = tslab.newDisplay();\nd.text("one");\nd.text("two")');
    assertOk(cell);
    assert.equal((outputsOf(cell, "display_data")[0]!["data"] as Record<string, string>)["text/html"], "<b>tslab</b>");
    assert.equal(outputsOf(cell, "update_display_data").length, 1);
  });

  it("routes %%net cells to the language handler and binds typed names for TypeScript", async () => {
    const net = await kernel.execute("%%net tiny\nconv pool\nfc");
    assertOk(net);
    assert.deepEqual(outputsOf(net, "execute_result")[0]!["data"], { "text/plain": "CONV POOL\nFC", "text/html": "<pre>CONV POOL\nFC</pre>" });
    assert.equal(resultText(await kernel.execute("tiny.toLowerCase()")), "'conv pool\\nfc'");
    assert.equal(resultText(await kernel.execute("tiny_lines * 10")), "20");
    // The binding has a TypeScript type: assigning it to a number does not compile.
    const typed = await kernel.execute("const wrong: number = tiny");
    assert.equal(errorOf(typed).ename, "TypeScriptError");
    assert.match(errorOf(typed).evalue, /Type 'string' is not assignable to type 'number'/);
    const inferred = await kernel.execute("const alsoWrong: string = tiny_lines");
    assert.match(errorOf(inferred).evalue, /Type 'number' is not assignable to type 'string'/);
  });

  it("shows a %%net error with the handler's traceback, then runs the next cell", async () => {
    const bad = await kernel.execute("%%net broken\nconv ! pool");
    assert.equal(bad.reply["status"], "error");
    const error = errorOf(bad);
    assert.equal(error.ename, "NetSyntaxError");
    assert.deepEqual(error.traceback, ["line 2: unexpected '!'", "    conv ! pool", "         ^", "hint: remove the '!'"]);
    // Nothing was bound: TypeScript does not know the name.
    assert.match(errorOf(await kernel.execute("broken")).evalue, /Cannot find name 'broken'/);
    assert.equal(resultText(await kernel.execute("tiny.length")), "12");
    const unknown = await kernel.execute("%%nope\nx");
    assert.equal(errorOf(unknown).ename, "UnknownCellMagic");
    assert.match(errorOf(unknown).evalue, /%%net/);
  });

  it("routes completion, inspection and is_complete of %%net cells to the handler", async () => {
    const code = "%%net x\nconv po";
    const completion = await kernel.request("complete", { code, cursor_pos: code.length });
    assert.deepEqual(completion.reply["matches"], ["POOL"]);
    assert.equal(completion.reply["cursor_start"], code.length - 2);
    assert.equal(completion.reply["cursor_end"], code.length);
    const inspection = await kernel.request("inspect", { code: "%%net x\nsoftmax", cursor_pos: 15 });
    assert.equal(inspection.reply["found"], true);
    assert.deepEqual(inspection.reply["data"], { "text/plain": "SOFTMAX: a test-language keyword" });
    const statuses = [];
    for (const text of ["%%net x\nconv", "%%net x\nconv \\", "%%net x\nconv !"]) {
      statuses.push((await kernel.request("is_complete", { code: text })).reply["status"]);
    }
    assert.deepEqual(statuses, ["complete", "incomplete", "invalid"]);
  });

  it("imports convnote with its types from a notebook outside the project", async () => {
    const cell = await kernel.execute(`import { MIMEBUNDLE, toMimeBundle } from "${DISPLAY_MODULE}";\ntoMimeBundle(42)["text/plain"]`);
    assertOk(cell);
    assert.equal(resultText(cell), "'42'");
    const typed = await kernel.execute("const notASymbol: number = MIMEBUNDLE");
    assert.match(errorOf(typed).evalue, /not assignable to type 'number'/, "types come from the package's .d.ts");
    if (existsSync(path.join(packageRoot(), "dist", "src", "index.d.ts"))) {
      const bare = await kernel.execute('import * as convnote from "convnote";\ntypeof convnote');
      assertOk(bare);
      assert.equal(resultText(bare), "'object'");
    }
  });

  it("answers a request that breaks the spec with an error naming the field, and keeps running", async () => {
    const badCode = await kernel.command<Exchange>("raw_shell", { msg_type: "execute_request", content: { code: 42, silent: false } });
    assert.equal(badCode.reply_type, "execute_reply");
    assert.equal(badCode.reply["status"], "error");
    assert.match(String(badCode.reply["evalue"]), /execute_request: 'code' must be a string, got a number/);
    const badCursor = await kernel.command<Exchange>("raw_shell", { msg_type: "complete_request", content: { code: "kep", cursor_pos: "end" } });
    assert.equal(badCursor.reply_type, "complete_reply");
    assert.match(String(badCursor.reply["evalue"]), /'cursor_pos' must be an integer, got a string/);
    assert.equal(resultText(await kernel.execute("kept")), "41");
  });

  it("answers history requests from the session's cells", async () => {
    await kernel.execute("const historyMarker = 'h1'");
    const tail = await kernel.request("history", { hist_access_type: "tail", n: 1, output: false, raw: true });
    const entries = tail.reply["history"] as [number, number, string][];
    assert.equal(entries.length, 1);
    assert.equal(entries[0]![0], 1, "session number");
    assert.equal(entries[0]![2], "const historyMarker = 'h1'");
    const search = await kernel.request("history", { hist_access_type: "search", pattern: "const historyMarker*", output: false, raw: true });
    assert.equal((search.reply["history"] as unknown[]).length, 1);
  });

  it("keeps answering on the heartbeat and control channels while a cell blocks", async () => {
    const loop = await kernel.submit("while (true) {}");
    const info = await kernel.command<{ reply: Record<string, unknown>; timeout?: boolean }>("raw_control", { msg_type: "kernel_info_request" });
    assert.equal(info.timeout, undefined, "control must answer during a blocking cell");
    assert.equal(info.reply["implementation"], "convnote");
    const beat = await kernel.command<{ beating: boolean }>("heartbeat");
    assert.equal(beat.beating, true);
    await kernel.interruptUntilDone(loop.msg_id);
  });

  it("restarts into a fresh kernel", async () => {
    const restarted = await kernel.command<{ old_pid: number; pid: number }>("restart");
    assert.equal(restarted.old_pid, firstPid);
    assert.notEqual(restarted.pid, firstPid);
    assert.match(errorOf(await kernel.execute("kept")).evalue, /Cannot find name 'kept'/);
    assert.equal(resultText(await kernel.execute("6 * 7")), "42");
  });

  it("shuts down on request and releases every port", async () => {
    const down = await kernel.command<{ alive: boolean; ports_free: boolean[]; ports: number[] }>("shutdown");
    assert.equal(down.alive, false);
    assert.deepEqual(down.ports_free, [true, true, true, true, true], `ports still bound: ${JSON.stringify(down)}`);
  });
});

describe("kernel with interrupt_mode signal", function () {
  this.timeout(60_000);
  let kernel: KernelDriver;

  before(async () => {
    kernel = (await KernelDriver.start(TEST_KERNEL_SIGNAL)).driver;
  });

  after(async () => {
    await kernel?.close();
  });

  it("SIGINT stops a synchronous loop and a long await", async () => {
    const loop = await kernel.submit("for (;;) {}");
    // A raw SIGINT that lands just as Node arms vm's breakOnSigint can kill the process
    // (see kernel/cell-phase.ts); a person presses interrupt well into the loop, so does this test.
    const stopped = await kernel.interruptUntilDone(loop.msg_id, "sigint", { first_delay: 1, every: 3 });
    console.log(`      SIGINT stopped a sync loop ${(stopped.latency_s * 1000).toFixed(0)} ms after the signal`);
    assert.equal(errorOf(stopped).ename, INTERRUPT_ENAME);
    const wait = await kernel.submit("await new Promise((resolve) => setTimeout(resolve, 1e9))");
    // jupyter_client's interrupt_kernel sends the signal itself in this mode.
    assert.equal(errorOf(await kernel.interruptUntilDone(wait.msg_id, "interrupt", { first_delay: 1, every: 3 })).ename, INTERRUPT_ENAME);
    assert.equal(stdoutOf(await kernel.execute('console.log("alive")')), "alive\n");
  });
});

describe("kernel whose Jupyter parent dies", function () {
  this.timeout(60_000);

  it("shuts itself down instead of living on as an orphan", async () => {
    const { env } = await testJupyterEnv();
    // The parent starts a kernel, prints its pid and dies without shutting it down.
    const script = [
      "import os",
      "from jupyter_client.manager import KernelManager",
      `km = KernelManager(kernel_name="${TEST_KERNEL}"); km.start_kernel()`,
      "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)",
      "print(km.provisioner.process.pid, flush=True)",
      "os._exit(0)",
    ].join("\n");
    const run = spawnSync(PYTHON, ["-c", script], { env, encoding: "utf8" });
    const pid = Number(run.stdout.trim());
    assert.ok(Number.isInteger(pid) && pid > 0, `no kernel pid: ${run.stdout}${run.stderr}`);
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
    }
    if (alive) process.kill(pid, "SIGKILL");
    assert.equal(alive, false, "the orphaned kernel must exit");
  });
});
