// A careless or hostile cell, or client, must not kill or wedge the kernel (issue 15). Spoken to
// over the real protocol by jupyter_client (kernel_driver.py), as the other kernel tests do.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { addonPath } from "../../src/backend/native/addon.js";
import { type Exchange, KernelDriver, type KernelOutput, outputsOf, resultText, stdoutOf } from "./driver.js";
import { PYTHON, REAL_KERNEL, TEST_KERNEL, testJupyterEnv } from "./jupyter-env.js";

function errorOf(exchange: Exchange): { ename: string; evalue: string; traceback: string[] } {
  const errors = outputsOf(exchange, "error");
  assert.equal(errors.length, 1, `expected one error output, got ${JSON.stringify(exchange.outputs)}`);
  return errors[0] as { ename: string; evalue: string; traceback: string[] };
}

function stderrOf(outputs: KernelOutput[]): string {
  return outputs
    .filter((o) => o.msg_type === "stream" && o.content["name"] === "stderr")
    .map((o) => String(o.content["text"]))
    .join("");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The faults of the probe, in one cell whose timer and promise fail after it has finished. */
const BACKGROUND_FAULTS = 'setTimeout(() => { throw new Error("thrown in a timer") }, 50);\nPromise.reject(new Error("rejected, never awaited"));\n"scheduled"';

describe("kernel: errors in background work, on every backend", function () {
  this.timeout(120_000);
  for (const backend of ["native", "wasm", "cpu"] as const) {
    it(`survives a throwing timer and an unhandled rejection with the ${backend} backend loaded`, async function () {
      if (backend === "native" && !existsSync(addonPath())) this.skip(); // the addon is not built here (npm ci says why)
      const { env } = await testJupyterEnv();
      const { driver } = await KernelDriver.start(REAL_KERNEL, process.cwd(), { ...env, CONVNOTE_BACKEND: backend });
      try {
        // The first cell waits for the backend and shows its banner: the backend is loaded.
        const banner = stdoutOf(await driver.execute('console.log("ready")'));
        assert.match(banner, new RegExp(`^ConvNote backend ${backend} `, "m"), `no ${backend} banner: ${banner}\n${driver.log}`);
        const cell = await driver.execute(BACKGROUND_FAULTS);
        assert.equal(resultText(cell), "'scheduled'");
        const late = await driver.command<{ outputs: KernelOutput[] }>("outputs", { msg_id: cell.msg_id, wait: 1 });
        // The rejection is reported as soon as the cell's code returns: before its reply on a
        // fast machine (then it is among the cell's own outputs), after it on a slow one.
        const report = stderrOf([...cell.outputs, ...late.outputs]);
        assert.match(report, /Background work failed with an uncaught exception:\nError: thrown in a timer/);
        assert.match(report, /Background work failed with an unhandled promise rejection:\nError: rejected, never awaited/);
        assert.equal(resultText(await driver.execute("6 * 7")), "42", `the kernel died:\n${driver.log}`);
      } finally {
        await driver.close();
      }
    });
  }
});

describe("kernel: a cell cannot end or wedge the kernel", function () {
  this.timeout(120_000);
  let kernel: KernelDriver;

  before(async () => {
    kernel = (await KernelDriver.start(TEST_KERNEL)).driver;
    await kernel.execute("let kept = 41");
  });

  after(async () => {
    await kernel?.close();
  });

  it("refuses process.exit() and process.abort() with an error that says how to restart", async () => {
    for (const call of ["process.exit(0)", "process.exit(1)", "process.abort()"]) {
      const cell = await kernel.execute(call);
      assert.equal(cell.reply["status"], "error", call);
      const error = errorOf(cell);
      assert.equal(error.ename, "ExitRefused");
      assert.match(error.evalue, /would end the kernel .* use Kernel > Restart/);
    }
    const timer = await kernel.execute("setTimeout(() => process.exit(3), 10); 1");
    const late = await kernel.command<{ outputs: KernelOutput[] }>("outputs", { msg_id: timer.msg_id, wait: 0.5 });
    assert.match(stderrOf(late.outputs), /Background work failed with an uncaught exception:\nExitRefused: process\.exit\(3\)/);
    assert.equal(resultText(await kernel.execute("kept + 1")), "42");
  });

  it("an interrupt stops `while (true) { await null }` and keeps the notebook's variables", async () => {
    const loop = await kernel.submit("let turns = 0;\nwhile (true) { await null; turns++ }");
    const stopped = await kernel.interruptUntilDone(loop.msg_id, "interrupt", { first_delay: 0.3, every: 3 });
    console.log(`      await loop stopped ${(stopped.latency_s * 1000).toFixed(0)} ms after the interrupt`);
    assert.equal(errorOf(stopped).ename, "Interrupted");
    assert.match(errorOf(stopped).traceback.join("\n"), /kept the kernel busy without a break .* stopped its JavaScript from outside/);
    assert.equal(resultText(await kernel.execute("kept + 1")), "42");
  });

  it("an interrupt stops a busy loop in a timer that started after its cell had finished", async () => {
    const cell = await kernel.execute("setTimeout(() => { while (true) {} }, 200);\n'later'");
    assert.equal(resultText(cell), "'later'");
    await sleep(500);
    const next = await kernel.submit("kept + 1");
    const blocked = await kernel.command<Exchange>("collect", { msg_id: next.msg_id, timeout: 1 });
    assert.equal(blocked.timeout, true, "the timer's loop holds the kernel");
    await kernel.command("interrupt");
    const answered = await kernel.collect(next.msg_id, 20);
    assert.equal(resultText(answered), "42");
    const late = async (msgId: string) => (await kernel.command<{ outputs: KernelOutput[] }>("outputs", { msg_id: msgId, wait: 0.3 })).outputs;
    const notes = stderrOf([...answered.outputs, ...(await late(cell.msg_id)), ...(await late(next.msg_id))]);
    assert.match(notes, /Interrupted: stopped background code that kept the kernel busy/);
    assert.equal(resultText(await kernel.execute("'still here'")), "'still here'");
  });

  it("answers an execute_request whose code is not a string with an error", async () => {
    for (const code of [42, null, ["1"], { text: "1" }]) {
      const bad = await kernel.command<Exchange>("raw_shell", { msg_type: "execute_request", content: { code, silent: false } });
      assert.equal(bad.reply_type, "execute_reply");
      assert.equal(bad.reply["status"], "error", `code ${JSON.stringify(code)} ran: ${JSON.stringify(bad.reply)}`);
      assert.match(String(bad.reply["evalue"]), /'code' must be a string/);
    }
    const missing = await kernel.command<Exchange>("raw_shell", { msg_type: "execute_request", content: { silent: false } });
    assert.equal(missing.reply["status"], "error");
  });

  it("accepts a signed message once across channels: control then shell, shell then control", async () => {
    for (const [first, second] of [["control", "shell"], ["shell", "control"]] as const) {
      const answers = await kernel.command<{ first: number; second: number }>("replay", { first, second });
      assert.deepEqual(answers, { first: 1, second: 0 }, `${first} then ${second}`);
    }
  });

  it("logs a flood of forged messages in a few lines", async () => {
    const before = kernel.log.split("\n").filter((l) => /dropped a shell message/.test(l)).length;
    await kernel.command("flood_forged", { count: 1000 });
    assert.equal(resultText(await kernel.execute("kept")), "41");
    await sleep(300);
    const lines = kernel.log.split("\n").filter((l) => /dropped a shell message/.test(l)).length - before;
    assert.ok(lines >= 1 && lines <= 6, `${lines} log lines for 1000 dropped messages`);
  });

  it("reads and drops what comes on the stdin channel, and refuses a message over 1 MiB", async () => {
    const { rss_kb: before } = await kernel.command<{ rss_kb: number }>("rss_kb");
    await kernel.command("flood_stdin", { big_bytes: 64 << 20, count: 200, each_bytes: 1000 << 10 });
    await sleep(1500);
    assert.equal(resultText(await kernel.execute("kept")), "41");
    const { rss_kb: after } = await kernel.command<{ rss_kb: number }>("rss_kb");
    console.log(`      259 MiB sent on stdin: kernel memory ${before >> 10} -> ${after >> 10} MiB`);
    assert.match(kernel.log, /dropped a stdin message \(1024\d+ bytes\): this kernel does not ask for input/);
    assert.doesNotMatch(kernel.log, /dropped a stdin message \(671\d+ bytes\)/, "a 64 MiB message must not get through");
    assert.ok(after - before < 100 * 1024, `memory grew by ${(after - before) >> 10} MiB for 195 MiB of small messages`);
  });
});

describe("kernel: SIGTERM", function () {
  this.timeout(60_000);

  it("removes its ipc socket files when terminated", async () => {
    const { env } = await testJupyterEnv();
    const script = [
      "import glob, json, os, signal, time",
      "from jupyter_client.manager import KernelManager",
      `km = KernelManager(kernel_name="${TEST_KERNEL}", transport="ipc")`,
      "km.start_kernel()",
      "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)",
      "ip = km.get_connection_info()['ip']",
      "files = sorted(glob.glob(ip + '-*'))",
      "kc.stop_channels()",
      "pid = km.provisioner.process.pid",
      "os.kill(pid, signal.SIGTERM)",
      "deadline = time.monotonic() + 10",
      "while km.is_alive() and time.monotonic() < deadline: time.sleep(0.05)",
      "left = sorted(glob.glob(ip + '-*'))",
      "alive = km.is_alive()",
      "km.cleanup_resources()",
      "print(json.dumps({'before': files, 'left': left, 'alive': alive}))",
    ].join("\n");
    const run = spawnSync(PYTHON, ["-c", script], { env, encoding: "utf8", cwd: (await testJupyterEnv()).root });
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { before: string[]; left: string[]; alive: boolean };
    assert.equal(result.before?.length, 5, `${run.stdout}${run.stderr}`);
    assert.equal(result.alive, false);
    assert.deepEqual(result.left, [], "ipc socket files left behind");
  });
});
