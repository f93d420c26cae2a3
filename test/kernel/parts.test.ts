// The kernel's parts on their own: signing, history, positions, kernelspec
// files, the CLI's argument parsing and the display API outside a kernel.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { codePointsToUtf16, utf16ToCodePoints } from "../../kernel/code-points.js";
import { parseConnectionInfo } from "../../kernel/connection.js";
import { mapPackagePath } from "../../kernel/convnote-module.js";
import { compileError, exceptionError } from "../../kernel/errors.js";
import { globToRegExp, History } from "../../kernel/history.js";
import { kernelJson, writeKernelspec } from "../../kernel/kernelspec.js";
import { type CellHandler, cellMagic, CellRouter } from "../../kernel/cell-router.js";
import { BadRequestError, readContent } from "../../kernel/messages.js";
import { routeTslabDisplay, type TslabDisplaySink } from "../../kernel/tslab-display.js";
import { RateLimitedLog } from "../../kernel/log.js";
import { decodeMessage, encodeMessage, InvalidMessageError, type JsonObject, MessageSigner, ReplayGuard } from "../../kernel/wire.js";
import { parseKernelInstallArgs } from "../../src/cli/kernel-command.js";
import { listNotebooks, parseStartArgs } from "../../src/cli/start-command.js";
import { clearOutput, display, inKernel, interruptSignal, MIMEBUNDLE, toMimeBundle } from "../../src/notebook-api/display.js";
import { tempDir } from "./jupyter-env.js";

describe("kernel wire protocol", () => {
  const signer = new MessageSigner("secret-key", "hmac-sha256");
  const request = (): Buffer[] =>
    encodeMessage({ msgType: "execute_request", content: { code: "1" }, identities: [Buffer.from("client")] }, "session", signer);

  it("signs with HMAC-SHA256 and decodes what it encodes", () => {
    const frames = request();
    const decoded = decodeMessage(frames, signer);
    assert.equal(decoded.header.msg_type, "execute_request");
    assert.deepEqual(decoded.content, { code: "1" });
    assert.deepEqual(decoded.identities, [Buffer.from("client")]);
    assert.equal(frames[2]!.toString().length, 64, "hex SHA-256");
  });

  it("rejects a tampered body, a wrong key and a missing signature", () => {
    const tampered = request();
    tampered[6] = Buffer.from(JSON.stringify({ code: "process.exit()" }));
    assert.throws(() => decodeMessage(tampered, signer), InvalidMessageError);
    assert.throws(() => decodeMessage(request(), new MessageSigner("other-key", "hmac-sha256")), /signature does not match/);
    const unsigned = request();
    unsigned[2] = Buffer.from("");
    assert.throws(() => decodeMessage(unsigned, signer), /not signed/);
  });

  it("rejects a replayed message", () => {
    const replay = new ReplayGuard();
    const frames = request();
    decodeMessage(frames, signer, replay);
    assert.throws(() => decodeMessage(frames, signer, replay), /replayed/);
  });

  it("shares one replay history between guards on the same buffer, forgetting the oldest when full", () => {
    const history = ReplayGuard.buffer(4);
    const shell = new ReplayGuard(history);
    const control = new ReplayGuard(history);
    const frames = request();
    decodeMessage(frames, signer, control);
    assert.throws(() => decodeMessage(frames, signer, shell), /replayed/, "seen on control, refused on shell");
    const signatures = Array.from({ length: 5 }, (_, i) => signer.sign([Buffer.from(String(i))]));
    for (const s of signatures) assert.equal(shell.accept(s), true);
    assert.equal(control.accept(signatures[0]!), true, "the oldest of 5 fell out of a history of 4");
    assert.equal(control.accept(signatures[4]!), false);
  });

  it("accepts unsigned messages only when the key is empty", () => {
    const open = new MessageSigner("", "hmac-sha256");
    const frames = encodeMessage({ msgType: "kernel_info_request", content: {} }, "s", open);
    assert.equal(frames[1]!.toString(), "");
    assert.equal(decodeMessage(frames, open).header.msg_type, "kernel_info_request");
  });

  it("reads a connection file and names the field that is wrong", () => {
    const good = { transport: "tcp", ip: "127.0.0.1", key: "k", signature_scheme: "hmac-sha256", shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5 };
    assert.equal(parseConnectionInfo(JSON.stringify(good), "c.json").hb_port, 5);
    assert.throws(() => parseConnectionInfo(JSON.stringify({ ...good, hb_port: "x" }), "c.json"), /c\.json: 'hb_port' must be a port/);
    assert.throws(() => new MessageSigner("k", "rsa"), /signature_scheme 'rsa' is not supported/);
  });
});

describe("kernel request contents (messaging spec)", () => {
  it("fills the spec's defaults and lets silent turn off store_history", () => {
    assert.deepEqual(readContent("execute_request", { code: "1" }), {
      code: "1",
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: true,
      stop_on_error: true,
    });
    assert.equal(readContent("execute_request", { code: "1", silent: true, store_history: true }).store_history, false);
    assert.equal(readContent("complete_request", { code: "a😀b" }).cursor_pos, 3, "cursor defaults to the end, in code points");
    assert.equal(readContent("inspect_request", { code: "x", cursor_pos: 1, detail_level: 3 }).detail_level, 1);
  });

  it("rejects a wrong field with a message naming the request and the field", () => {
    assert.throws(() => readContent("execute_request", { code: 42 }), (e: unknown) => e instanceof BadRequestError && /execute_request: 'code' must be a string, got a number/.test(e.message));
    assert.throws(() => readContent("execute_request", {}), /'code' must be a string, got nothing/);
    assert.throws(() => readContent("execute_request", { code: "", user_expressions: { a: 1 } }), /'user_expressions\.a' must be a string/);
    assert.throws(() => readContent("complete_request", { code: "", cursor_pos: -1 }), /'cursor_pos' must be an integer >= 0/);
    assert.throws(() => readContent("history_request", { hist_access_type: "everything" }), /'hist_access_type' must be one of tail, range, search/);
    assert.throws(() => readContent("shutdown_request", { restart: "yes" }), /'restart' must be true or false, got a string/);
  });
});

describe("kernel history", () => {
  const history = new History();
  ["6 * 7", "let a = 1", "6 * 7", "a + 1"].forEach((code, i) => history.record(i + 1, code));
  history.setOutput(4, "2");

  it("answers tail, range and search like IPython", () => {
    const query = (content: JsonObject) => history.query(readContent("history_request", content));
    assert.deepEqual(query({ hist_access_type: "tail", n: 2, output: false, raw: true }), [
      [1, 3, "6 * 7"],
      [1, 4, "a + 1"],
    ]);
    assert.deepEqual(query({ hist_access_type: "tail", n: 1, output: true, raw: true }), [[1, 4, ["a + 1", "2"]]]);
    assert.deepEqual(query({ hist_access_type: "range", session: 0, start: 2, stop: 3, output: false, raw: true }), [[1, 2, "let a = 1"]]);
    assert.deepEqual(query({ hist_access_type: "range", session: -1, start: 1, output: false, raw: true }), []);
    assert.equal(query({ hist_access_type: "search", pattern: "6*7", output: false, raw: true }).length, 2);
    assert.deepEqual(query({ hist_access_type: "search", pattern: "6*7", unique: true, output: false, raw: true }), [[1, 3, "6 * 7"]]);
  });

  it("matches globs on the whole input", () => {
    assert.ok(globToRegExp("a?c").test("abc"));
    assert.ok(!globToRegExp("a").test("abc"));
    assert.ok(globToRegExp("[ab]x*").test("bx.y"));
    assert.ok(globToRegExp("f(x)*").test("f(x) + 1"));
  });
});

describe("kernel helpers", () => {
  it("converts cursor positions between code points and UTF-16", () => {
    const text = "a😀b";
    assert.equal(codePointsToUtf16(text, 2), 3);
    assert.equal(utf16ToCodePoints(text, 3), 2);
    assert.equal(codePointsToUtf16(text, 99), text.length);
  });

  it("routes each cell to one handler: TypeScript, a %%magic plug-in, or one that names the known magics", async () => {
    const stub = (label: string): CellHandler => ({
      label,
      execute: () => Promise.resolve({ ok: true, bundle: { "text/plain": label } }),
      isComplete: () => ({ status: "complete" }),
      complete: () => ({ matches: [label], cursorStart: 0, cursorEnd: 0 }),
      inspect: () => null,
    });
    const router = new CellRouter(stub("TypeScript"), { net: stub("%%net") });
    assert.equal(router.route("let x = 1").label, "TypeScript");
    assert.equal(router.route("\n%%net lenet\nINPUT 28x28").label, "%%net");
    const unknown = router.route("%%python\nprint(1)");
    assert.equal(unknown.label, "%%python");
    assert.deepEqual(unknown.isComplete("%%python"), { status: "invalid" });
    const outcome = await unknown.execute("%%python");
    assert.ok(!outcome.ok && outcome.error.ename === "UnknownCellMagic" && /this kernel understands %%net/.test(outcome.error.evalue));
  });

  it("recognises %%magic cells", () => {
    assert.equal(cellMagic("%%net vgg\nCONV3-64"), "net");
    assert.equal(cellMagic("\n  %%net"), "net");
    assert.equal(cellMagic("let x = 1 // %%net"), null);
    assert.equal(cellMagic("% net"), null);
  });

  it("maps node_modules/convnote paths to the package root, and nothing else", () => {
    assert.equal(mapPackagePath("/tmp/nb/node_modules/convnote/dist/src/index.d.ts", "/opt/cn"), path.join("/opt/cn", "dist/src/index.d.ts"));
    assert.equal(mapPackagePath("/tmp/nb/node_modules/convnote", "/opt/cn"), path.join("/opt/cn"));
    assert.equal(mapPackagePath("/tmp/nb/node_modules/convnote-extra/x.js", "/opt/cn"), null);
    assert.equal(mapPackagePath("/tmp/nb/node_modules/other/x.js", "/opt/cn"), null);
  });

  it("formats compile errors with the source line and a caret under the column", () => {
    const error = compileError("let a = 1;\n\ta.foo()", [{ fileName: "", line: 2, column: 4, message: "Property 'foo' does not exist." }]);
    assert.equal(error.ename, "TypeScriptError");
    assert.deepEqual(error.traceback, ["cell line 2, column 4: Property 'foo' does not exist.", "    \ta.foo()", "    \t  ^"]);
  });

  it("describes thrown non-errors and error causes", () => {
    assert.deepEqual(exceptionError("plain string").ename, "Uncaught");
    const withCause = exceptionError(new Error("outer", { cause: new TypeError("inner") }));
    assert.ok(withCause.traceback.includes("Caused by:"));
    assert.ok(withCause.traceback.some((l) => l.includes("TypeError: inner")));
  });
});

describe("kernelspec and CLI arguments", () => {
  it("writes kernel.json with absolute paths and two PNG logos", () => {
    const dir = writeKernelspec(tempDir("convnote-spec-"), { interruptMode: "signal" });
    const json = JSON.parse(readFileSync(path.join(dir, "kernel.json"), "utf8")) as ReturnType<typeof kernelJson>;
    assert.equal(path.basename(dir), "convnote");
    assert.equal(json.display_name, "ConvNote (TypeScript)");
    assert.equal(json.language, "typescript");
    assert.equal(json.interrupt_mode, "signal");
    assert.equal(json.argv[0], process.execPath);
    assert.equal(json.argv[1], "--no-force-async-hooks-checks");
    assert.ok(path.isAbsolute(json.argv[2]!) && json.argv[2]!.endsWith(path.join("dist", "kernel", "main.js")));
    assert.equal(json.argv[3], "{connection_file}");
    for (const size of [32, 64]) {
      const png = PNG.sync.read(readFileSync(path.join(dir, `logo-${size}x${size}.png`)));
      assert.deepEqual([png.width, png.height], [size, size]);
    }
  });

  it("parses kernel install targets and rejects mistakes", () => {
    assert.deepEqual(parseKernelInstallArgs([]).target, { kind: "user" });
    assert.deepEqual(parseKernelInstallArgs(["--prefix", "/x"]).target, { kind: "prefix", prefix: "/x" });
    assert.deepEqual(parseKernelInstallArgs(["--prefix=/y"]).target, { kind: "prefix", prefix: "/y" });
    assert.deepEqual(parseKernelInstallArgs(["--sys-prefix"]).target, { kind: "sys-prefix" });
    assert.throws(() => parseKernelInstallArgs(["--user", "--sys-prefix"]), /choose one/);
    assert.throws(() => parseKernelInstallArgs(["--prefix"]), /needs a value/);
    assert.throws(() => parseKernelInstallArgs(["--interrupt-mode", "never"]), /must be 'message' or 'signal'/);
  });

  it("starts in execute mode under CI or without a terminal", () => {
    assert.equal(parseStartArgs([], "/r", { CI: "true" }, true).execute, true);
    assert.equal(parseStartArgs([], "/r", {}, false).execute, true);
    assert.equal(parseStartArgs([], "/r", {}, true).execute, false);
    assert.equal(parseStartArgs(["--execute"], "/r", {}, true).execute, true);
    assert.throws(() => parseStartArgs(["--timeout=-1"], "/r", {}, true), /--timeout needs a positive number of seconds, got .-1./);
  });

  it("lists notebooks, skipping checkpoints and hidden folders", () => {
    const dir = tempDir("convnote-nbs-");
    for (const rel of ["b.ipynb", "a.ipynb", "notes.txt", ".ipynb_checkpoints/a-checkpoint.ipynb"]) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, "{}");
    }
    assert.deepEqual(listNotebooks(dir).map((f) => path.relative(dir, f)), ["a.ipynb", "b.ipynb"]);
    assert.deepEqual(listNotebooks(path.join(dir, "missing")), []);
  });
});

describe("tslab display adapter", () => {
  it("turns tslab.display and newDisplay() calls into display_data and update_display_data", () => {
    const sent: Parameters<TslabDisplaySink>[] = [];
    const restore = routeTslabDisplay((kind, content) => sent.push([kind, content]));
    const tslab = require("tslab") as typeof import("tslab");
    try {
      tslab.display.html("<b>tslab</b>");
      const shown = tslab.newDisplay();
      shown.png(new Uint8Array([137, 80, 78, 71]));
      shown.text("replaced");
    } finally {
      restore();
    }
    assert.deepEqual(sent[0], ["display_data", { data: { "text/html": "<b>tslab</b>" }, metadata: {}, transient: {} }]);
    const [kind, first] = sent[1]!;
    assert.equal(kind, "display_data");
    assert.deepEqual(first.data, { "image/png": Buffer.from([137, 80, 78, 71]).toString("base64") });
    const id = first.transient.display_id;
    assert.ok(id);
    assert.deepEqual(sent[2], ["update_display_data", { data: { "text/plain": "replaced" }, metadata: {}, transient: { display_id: id } }]);
    assert.throws(() => tslab.display.text("after"), /Not ready/, "restore() puts tslab's own (unset) writer back");
  });
});

describe("display API outside a kernel", () => {
  it("prints text/plain, and updates, clears and interrupts do nothing", () => {
    assert.equal(inKernel(), false);
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
    try {
      const handle = display({ "text/plain": "loss 0.5", "text/html": "<b>0.5</b>" });
      handle.update({ "text/plain": "loss 0.4" });
      clearOutput();
      display([1, 2]);
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(written, ["loss 0.5\n", "[ 1, 2 ]\n"]);
    assert.equal(interruptSignal().aborted, false);
  });

  it("builds bundles from the mimebundle method, base64-encoding bytes, and rejects bad ones", () => {
    class Picture {
      [MIMEBUNDLE]() {
        return { "text/plain": "picture", "image/png": new Uint8Array([1, 2, 3]), "text/html": undefined };
      }
    }
    assert.deepEqual(toMimeBundle(new Picture()), { "text/plain": "picture", "image/png": "AQID" });
    class NoText {
      [MIMEBUNDLE]() {
        return { "text/html": "<p/>" } as unknown as { "text/plain": string };
      }
    }
    assert.throws(() => toMimeBundle(new NoText()), /of NoText returned no 'text\/plain' string/);
    assert.deepEqual(toMimeBundle({ a: 1 }), { "text/plain": "{ a: 1 }" });
  });
});

describe("kernel rate-limited log", () => {
  it("writes a burst per window, then one line counting the rest", () => {
    const lines: string[] = [];
    let now = 0;
    const limited = new RateLimitedLog((text) => lines.push(text), 3, 1000, () => now);
    for (let i = 0; i < 100; i++) limited.log(`drop ${i}`);
    assert.deepEqual(lines, ["drop 0", "drop 1", "drop 2"]);
    now = 1500;
    limited.log("drop 100");
    assert.deepEqual(lines.slice(3), ["... and 97 more like it in 1 s (not shown one by one)", "drop 100"]);
    limited.flushSuppressed();
    assert.equal(lines.length, 5);
  });
});
