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
import { cellMagic } from "../../kernel/language-cells.js";
import { decodeMessage, encodeMessage, InvalidMessageError, MessageSigner, ReplayGuard } from "../../kernel/wire.js";
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

describe("kernel history", () => {
  const history = new History();
  ["6 * 7", "let a = 1", "6 * 7", "a + 1"].forEach((code, i) => history.record(i + 1, code));
  history.setOutput(4, "2");

  it("answers tail, range and search like IPython", () => {
    assert.deepEqual(history.query({ hist_access_type: "tail", n: 2, output: false, raw: true }), [
      [1, 3, "6 * 7"],
      [1, 4, "a + 1"],
    ]);
    assert.deepEqual(history.query({ hist_access_type: "tail", n: 1, output: true, raw: true }), [[1, 4, ["a + 1", "2"]]]);
    assert.deepEqual(history.query({ hist_access_type: "range", session: 0, start: 2, stop: 3, output: false, raw: true }), [[1, 2, "let a = 1"]]);
    assert.deepEqual(history.query({ hist_access_type: "range", session: -1, start: 1, output: false, raw: true }), []);
    assert.equal(history.query({ hist_access_type: "search", pattern: "6*7", output: false, raw: true }).length, 2);
    assert.deepEqual(history.query({ hist_access_type: "search", pattern: "6*7", unique: true, output: false, raw: true }), [[1, 3, "6 * 7"]]);
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
    assert.ok(path.isAbsolute(json.argv[1]!) && json.argv[1]!.endsWith(path.join("dist", "kernel", "main.js")));
    assert.equal(json.argv[2], "{connection_file}");
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
    assert.throws(() => parseStartArgs(["--timeout", "-1"], "/r", {}, true), /positive/);
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
