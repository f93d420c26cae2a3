// The ConvNote kernel: Jupyter messaging over ZeroMQ around tslab's TypeScript
// executor and the language-cell handlers.
//
// Threads: shell, iopub and stdin live here with the cells; control and the
// heartbeat live in a worker (control-thread.ts) so they answer while a cell
// blocks this thread. Shell requests are handled one at a time, in arrival order.
import { randomUUID } from "node:crypto";
import { writeSync } from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import {
  isRichDisplayable,
  KERNEL_HOOK_KEY,
  type KernelDisplayHook,
  type MimeBundle,
  normalizeBundle,
  toMimeBundle,
} from "../src/notebook-api/display.js";
import { registerTfDisplayFormatters } from "../src/notebook-api/tf-formatters.js";
import { describeBackendOnce } from "./backend-banner.js";
import { CellPhase, PHASE_BYTES, writePhase } from "./cell-phase.js";
import { codePointsToUtf16, utf16ToCodePoints } from "./code-points.js";
import type { ConnectionInfo } from "./connection.js";
import type { ControlThreadData, FromControlThread, ToControlThread } from "./control-thread.js";
import { installConvnoteResolution } from "./convnote-module.js";
import { type CellError, exceptionError, INTERRUPT_ENAME } from "./errors.js";
import { History } from "./history.js";
import { kernelInfoContent } from "./kernel-info.js";
import { cellMagic, type LanguageCellHandlers, unknownMagicError } from "./language-cells.js";
import { OutputStreams, type StreamName } from "./output-streams.js";
import { SendQueue } from "./send-queue.js";
import { interruptTraining } from "../src/train/stop.js";
import { inferredType, type TypedBinding, TypeScriptCells } from "./typescript-cells.js";
import {
  decodeMessage,
  encodeMessage,
  endpoint,
  InvalidMessageError,
  type Json,
  type JsonObject,
  type JupyterMessage,
  type MessageHeader,
  MessageSigner,
  ReplayGuard,
} from "./wire.js";

export interface KernelOptions {
  connection: ConnectionInfo;
  /** Handlers for `%%NAME` cells, by NAME (e.g. `{ net: handler }`). */
  languageCells?: LanguageCellHandlers;
  /** ConvNote's package root (for `import "convnote"` and the backend banner). */
  packageRoot: string;
  /** Directory TypeScript cells compile in (Jupyter starts kernels in the notebook's folder). */
  rootDir?: string;
  /** Look for the TensorFlow.js backend module and announce it (default true). */
  announceBackend?: boolean;
}

type ExecuteOutcome = { ok: true; bundle: MimeBundle | null } | { ok: false; error: CellError };

interface QueuedRequest {
  message: JupyterMessage;
  /** Set when an earlier cell failed with stop_on_error: answer "aborted" without running. */
  aborted: boolean;
}

function log(text: string): void {
  // Straight to fd 2: process.stderr is captured into the notebook while the kernel runs.
  writeSync(2, `[convnote kernel] ${text}\n`);
}

function str(value: Json | undefined, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function num(value: Json | undefined, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** Build the compiler this long after start if no client has asked for kernel_info by then. */
const WARMUP_FALLBACK_MS = 2000;

export class ConvNoteKernel {
  readonly session = randomUUID();
  private readonly signer: MessageSigner;
  private readonly replay = new ReplayGuard();
  private readonly shell = new zmq.Router({ linger: 1000 });
  private readonly iopub = new zmq.Publisher({ linger: 1000, sendHighWaterMark: 0 });
  private readonly stdin = new zmq.Router({ linger: 0 });
  private readonly shellOut: SendQueue;
  private readonly iopubOut: SendQueue;
  private readonly cells: TypeScriptCells;
  private readonly history = new History();
  private readonly streams: OutputStreams;
  private readonly languageCells: LanguageCellHandlers;
  private readonly phaseBuffer = new SharedArrayBuffer(PHASE_BYTES);
  private readonly phase = new Int32Array(this.phaseBuffer);
  private controlThread: Worker | null = null;
  private queue: QueuedRequest[] = [];
  private wakeProcessor: (() => void) | null = null;
  private executionCount = 0;
  /** Outputs (streams, displays) go to the request that ran last, as in ipykernel. */
  private outputParent: MessageHeader | null = null;
  private running = false;
  private cellAbort = new AbortController();
  private backend: string | null = null;
  private backendPending: Promise<void> | null = null;
  private backendAnnounced = false;
  private warmupTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private resolveClosed!: () => void;
  /** Resolves when the kernel has shut down and released its sockets. */
  readonly closed: Promise<void> = new Promise((resolve) => (this.resolveClosed = resolve));
  /** Set by a shutdown_request: true when the client will start a new kernel. */
  restartRequested = false;

  private constructor(private readonly options: KernelOptions) {
    const conn = options.connection;
    this.signer = new MessageSigner(conn.key, conn.signature_scheme);
    this.shellOut = new SendQueue(this.shell, (e) => log(`shell send failed: ${String(e)}`));
    this.iopubOut = new SendQueue(this.iopub, (e) => log(`iopub send failed: ${String(e)}`));
    this.cells = new TypeScriptCells(options.rootDir ?? process.cwd(), (inScript) => {
      // Only cells in progress move between these; a script run outside a cell (warm-up) does not.
      if (this.running) writePhase(this.phase, inScript ? CellPhase.RUNNING_SYNC : CellPhase.AWAITING);
    });
    this.languageCells = options.languageCells ?? {};
    this.streams = new OutputStreams((name, text) => this.publishStream(name, text));
  }

  /** Binds every socket where the connection file says and starts serving. */
  static async start(options: KernelOptions): Promise<ConvNoteKernel> {
    const kernel = new ConvNoteKernel(options);
    await kernel.bind();
    kernel.serve();
    return kernel;
  }

  private async bind(): Promise<void> {
    const conn = this.options.connection;
    installConvnoteResolution(this.options.packageRoot);
    await Promise.all([
      this.shell.bind(endpoint(conn.transport, conn.ip, conn.shell_port)),
      this.iopub.bind(endpoint(conn.transport, conn.ip, conn.iopub_port)),
      this.stdin.bind(endpoint(conn.transport, conn.ip, conn.stdin_port)),
      this.startControlThread(),
    ]);
  }

  private startControlThread(): Promise<void> {
    const data: ControlThreadData = {
      connection: this.options.connection,
      session: this.session,
      kernelInfo: this.kernelInfo(),
      phaseFlag: this.phaseBuffer,
    };
    const worker = new Worker(path.join(__dirname, "control-thread.js"), { workerData: data, stdout: false, stderr: false });
    this.controlThread = worker;
    return new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (message: FromControlThread) => {
        switch (message.kind) {
          case "ready":
            resolve();
            break;
          case "failed":
            reject(new Error(message.message));
            break;
          case "shutdown":
            void this.shutdown(message.restart);
            break;
          case "interrupt":
            this.interrupt();
            break;
        }
      });
    });
  }

  private serve(): void {
    this.streams.capture();
    this.installDisplayHook();
    process.on("SIGINT", () => this.interrupt());
    process.on("uncaughtException", (error) => this.reportBackgroundError("an uncaught exception", error));
    process.on("unhandledRejection", (reason) => this.reportBackgroundError("an unhandled promise rejection", reason));
    this.publish("status", { execution_state: "starting" }, {});
    void this.readShell();
    void this.processQueue();
    // Building the TypeScript compiler blocks this thread for a second or more, so it
    // waits until the first kernel_info (sent by every client on connect) is answered.
    this.warmupTimer = setTimeout(() => this.warmUp(), WARMUP_FALLBACK_MS);
  }

  /** Loads the compiler, then (in the background) the backend module for the banner. */
  private warmUp(): void {
    if (this.warmupTimer) clearTimeout(this.warmupTimer);
    this.warmupTimer = null;
    if (this.closing) return;
    this.cells.warm();
    this.hookTslabDisplay();
    registerTfDisplayFormatters();
    if (this.options.announceBackend !== false && !this.backendPending) {
      this.backendPending = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => describeBackendOnce(this.options.packageRoot))
        .then(
          (description) => {
            this.backend = description;
            this.controlThread?.postMessage({ kind: "kernel-info", content: this.kernelInfo() } satisfies ToControlThread);
          },
          (error: unknown) => log(`backend module failed to load: ${error instanceof Error ? error.message : String(error)}`),
        );
    }
  }

  kernelInfo(): JsonObject {
    return kernelInfoContent(this.options.packageRoot, this.backend);
  }

  // ---- sending -------------------------------------------------------------

  private publish(msgType: string, content: JsonObject, parent: MessageHeader | Record<string, never>): void {
    if (this.closing && msgType !== "shutdown_reply" && msgType !== "status") return;
    const topic = Buffer.from(`kernel.${this.session}.${msgType}`);
    this.iopubOut.push(encodeMessage({ msgType, content, parent, identities: [topic] }, this.session, this.signer));
  }

  private reply(request: JupyterMessage, msgType: string, content: JsonObject): void {
    this.shellOut.push(
      encodeMessage({ msgType, content, parent: request.header, identities: request.identities }, this.session, this.signer),
    );
  }

  private publishStream(name: StreamName, text: string): void {
    if (!this.outputParent) {
      log(`output before any request (${name}): ${text.trimEnd()}`);
      return;
    }
    this.publish("stream", { name, text }, this.outputParent);
  }

  /** Output of a cell that is not a stream: streams written before it go first. */
  private publishOutput(msgType: string, content: JsonObject): void {
    this.streams.flush();
    if (!this.outputParent) {
      log(`${msgType} before any request was dropped`);
      return;
    }
    this.publish(msgType, content, this.outputParent);
  }

  // ---- receiving -----------------------------------------------------------

  private async readShell(): Promise<void> {
    try {
      for await (const frames of this.shell) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.signer, this.replay);
        } catch (error) {
          if (error instanceof InvalidMessageError || error instanceof SyntaxError) {
            log(`dropped a shell message: ${error.message}`);
            continue;
          }
          throw error;
        }
        this.queue.push({ message, aborted: false });
        this.wakeProcessor?.();
      }
    } catch (error) {
      if (!this.closing) log(`shell channel stopped: ${(error as Error).message}`);
    }
  }

  private async processQueue(): Promise<void> {
    while (!this.closing) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.wakeProcessor = resolve));
        this.wakeProcessor = null;
        continue;
      }
      try {
        await this.dispatch(next);
      } catch (error) {
        log(`internal error on ${next.message.header.msg_type}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }

  private async dispatch({ message, aborted }: QueuedRequest): Promise<void> {
    const type = message.header.msg_type;
    this.publish("status", { execution_state: "busy" }, message.header);
    try {
      switch (type) {
        case "execute_request":
          if (aborted) this.replyAborted(message);
          else await this.execute(message);
          break;
        case "kernel_info_request":
          this.reply(message, "kernel_info_reply", this.kernelInfo());
          if (this.warmupTimer) {
            // The client is connected: build the compiler now rather than on the timer.
            clearTimeout(this.warmupTimer);
            this.warmupTimer = setTimeout(() => this.warmUp(), 0);
          }
          break;
        case "is_complete_request":
          this.reply(message, "is_complete_reply", this.isComplete(str(message.content["code"])));
          break;
        case "complete_request":
          this.reply(message, "complete_reply", this.complete(message.content));
          break;
        case "inspect_request":
          this.reply(message, "inspect_reply", this.inspect(message.content));
          break;
        case "history_request":
          this.reply(message, "history_reply", { status: "ok", history: this.history.query(message.content) });
          break;
        case "comm_info_request":
          this.reply(message, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "comm_open":
          // No comm targets exist: close it so the frontend does not wait on it.
          this.publish("comm_close", { comm_id: str(message.content["comm_id"]), data: {} }, message.header);
          break;
        case "comm_msg":
        case "comm_close":
          break;
        case "shutdown_request": {
          const restart = message.content["restart"] === true;
          this.reply(message, "shutdown_reply", { status: "ok", restart });
          this.publish("status", { execution_state: "idle" }, message.header);
          await this.shutdown(restart);
          return;
        }
        default:
          log(`ignored shell message '${type}'`);
      }
    } finally {
      if (!this.closing) this.publish("status", { execution_state: "idle" }, message.header);
    }
  }

  // ---- execution -----------------------------------------------------------

  private replyAborted(message: JupyterMessage): void {
    this.reply(message, "execute_reply", { status: "aborted", execution_count: this.executionCount });
  }

  private async execute(message: JupyterMessage): Promise<void> {
    const content = message.content;
    const code = str(content["code"]);
    const silent = content["silent"] === true;
    const storeHistory = !silent && content["store_history"] !== false;
    const stopOnError = content["stop_on_error"] !== false;
    if (storeHistory) this.executionCount += 1;
    const count = this.executionCount;
    this.streams.flush(); // background output so far belongs to the previous cell
    this.outputParent = message.header;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, message.header);
    if (storeHistory) this.history.record(count, code);

    await this.announceBackendOnce();
    const outcome = await this.runCell(code);
    const userExpressions = outcome.ok ? await this.evaluateUserExpressions(content["user_expressions"]) : {};
    this.streams.flush();

    if (outcome.ok) {
      if (outcome.bundle && !silent) {
        this.publishOutput("execute_result", { execution_count: count, data: outcome.bundle as JsonObject, metadata: {} });
        if (storeHistory) this.history.setOutput(count, outcome.bundle["text/plain"]);
      }
      this.reply(message, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] });
      return;
    }
    const { ename, evalue, traceback } = outcome.error;
    if (!silent) this.publishOutput("error", { ename, evalue, traceback });
    this.reply(message, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback, user_expressions: {}, payload: [] });
    if (stopOnError && !silent) await this.abortQueuedCells();
  }

  /** Runs one cell (TypeScript or %%language) with interrupts armed. */
  private async runCell(code: string): Promise<ExecuteOutcome> {
    this.cellAbort = new AbortController();
    this.running = true;
    writePhase(this.phase, CellPhase.PREPARING);
    try {
      const magic = cellMagic(code);
      const outcome = magic === null ? await this.runTypeScript(code) : await this.runLanguageCell(magic, code);
      if (!outcome.ok && outcome.error.ename === INTERRUPT_ENAME) this.cellAbort.abort();
      return outcome;
    } finally {
      this.running = false;
      writePhase(this.phase, CellPhase.IDLE);
    }
  }

  private async runTypeScript(code: string): Promise<ExecuteOutcome> {
    if (!this.cells.warmed) this.warmUp();
    const result = await this.cells.run(code);
    if (!result.ok) return result;
    for (const warning of result.warnings) this.streams.write("stderr", `${warning}\n`);
    if (!result.hasValue) return { ok: true, bundle: null };
    return this.resultBundle(result.value);
  }

  /** The execute_result of a value: its own MIME bundle if its class has one, else inspect() text. */
  private resultBundle(value: unknown): ExecuteOutcome {
    if (!isRichDisplayable(value)) return { ok: true, bundle: { "text/plain": inspect(value) } };
    try {
      return { ok: true, bundle: toMimeBundle(value) };
    } catch (error) {
      return { ok: false, error: exceptionError(error) };
    }
  }

  private async runLanguageCell(magic: string, code: string): Promise<ExecuteOutcome> {
    const handler = this.languageCells[magic];
    if (!handler) return { ok: false, error: unknownMagicError(magic, this.languageCells) };
    let result;
    try {
      result = handler.execute(code);
    } catch (error) {
      // The contract says execute never throws; if it does, show it like any cell error.
      return { ok: false, error: exceptionError(error) };
    }
    if (result.error) return { ok: false, error: result.error };
    if (result.bindings && Object.keys(result.bindings).length > 0) {
      const typed: Record<string, TypedBinding> = {};
      for (const [name, binding] of Object.entries(result.bindings)) {
        typed[name] = { value: binding.value, type: binding.type ?? inferredType(binding.value) };
      }
      if (!this.cells.warmed) this.warmUp();
      const declared = await this.cells.declare(typed);
      if (!declared.ok) return declared;
    }
    if (!result.bundle) return { ok: true, bundle: null };
    try {
      return { ok: true, bundle: normalizeBundle(result.bundle, `the %%${magic} handler's bundle`) };
    } catch (error) {
      return { ok: false, error: exceptionError(error) };
    }
  }

  /** user_expressions: each expression's value as a MIME bundle, evaluated after the cell. */
  private async evaluateUserExpressions(expressions: Json | undefined): Promise<JsonObject> {
    const out: JsonObject = {};
    if (!expressions || typeof expressions !== "object" || Array.isArray(expressions)) return out;
    for (const [name, expression] of Object.entries(expressions)) {
      if (typeof expression !== "string") continue;
      const result = await this.cells.run(expression);
      if (result.ok) {
        const bundle = result.hasValue ? this.resultBundle(result.value) : { ok: true as const, bundle: { "text/plain": "undefined" } };
        out[name] = bundle.ok
          ? { status: "ok", data: (bundle.bundle ?? { "text/plain": "undefined" }) as JsonObject, metadata: {} }
          : { status: "error", ...bundle.error };
      } else {
        out[name] = { status: "error", ...result.error };
      }
    }
    return out;
  }

  /**
   * After a failed cell with stop_on_error, every execute_request already sent is
   * answered "aborted" (as ipykernel does). First pull in what the socket holds,
   * so the cut is "everything that arrived before the error", with no time window.
   */
  private async abortQueuedCells(): Promise<void> {
    for (let turns = 0; turns < 1000 && this.shell.readable; turns++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const queued of this.queue) {
      if (queued.message.header.msg_type === "execute_request") queued.aborted = true;
    }
  }

  private async announceBackendOnce(): Promise<void> {
    if (this.backendAnnounced || this.options.announceBackend === false) return;
    if (!this.backendPending) this.warmUp();
    await this.backendPending;
    this.backendAnnounced = true;
    if (this.backend) this.streams.write("stdout", `${this.backend}\n`);
  }

  interrupt(): void {
    if (!this.running) return;
    this.cellAbort.abort();
    // A fit started by the cell goes on after the cell ends; stop it at its next batch, weights kept.
    interruptTraining();
    this.cells.interrupt();
  }

  private reportBackgroundError(what: string, error: unknown): void {
    const { traceback } = exceptionError(error);
    this.streams.write("stderr", `Background work failed with ${what}:\n${traceback.join("\n")}\n`);
  }

  // ---- rich display --------------------------------------------------------

  private installDisplayHook(): void {
    const hook: KernelDisplayHook = {
      version: 1,
      display: (bundle, metadata, displayId) =>
        this.publishOutput("display_data", {
          data: bundle as JsonObject,
          metadata: metadata as JsonObject,
          transient: displayId ? { display_id: displayId } : {},
        }),
      update: (bundle, metadata, displayId) =>
        this.publishOutput("update_display_data", {
          data: bundle as JsonObject,
          metadata: metadata as JsonObject,
          transient: { display_id: displayId },
        }),
      clearOutput: (wait) => this.publishOutput("clear_output", { wait }),
      interruptSignal: () => this.cellAbort.signal,
    };
    (globalThis as Record<symbol, unknown>)[KERNEL_HOOK_KEY] = hook;
  }

  /** tslab's own `display` / `newDisplay()` write through this module-level hook. */
  private hookTslabDisplay(): void {
    type TslabDisplayData = { data: Record<string, string | Uint8Array>; metadata: Record<string, string>; transient: { display_id?: string } };
    const jupyter = require("tslab/dist/jupyter.js") as { lastWriteDisplayData: ((data: TslabDisplayData, update: boolean) => void) | null };
    jupyter.lastWriteDisplayData = (data, update) => {
      const bundle: JsonObject = {};
      for (const [mime, value] of Object.entries(data.data)) {
        bundle[mime] = typeof value === "string" ? value : Buffer.from(value).toString("base64");
      }
      const transient: JsonObject = data.transient.display_id ? { display_id: data.transient.display_id } : {};
      this.publishOutput(update ? "update_display_data" : "display_data", { data: bundle, metadata: data.metadata, transient });
    };
  }

  // ---- introspection -------------------------------------------------------

  private isComplete(code: string): JsonObject {
    const magic = cellMagic(code);
    if (magic !== null) {
      const handler = this.languageCells[magic];
      if (!handler) return { status: "invalid" };
      try {
        return { status: handler.isComplete(code) };
      } catch (error) {
        log(`%%${magic} isComplete threw: ${String(error)}`);
        return { status: "unknown" };
      }
    }
    return { ...this.cells.isComplete(code) };
  }

  private complete(content: JsonObject): JsonObject {
    const code = str(content["code"]);
    const cursorPos = num(content["cursor_pos"], code.length);
    const empty = { status: "ok", matches: [], cursor_start: cursorPos, cursor_end: cursorPos, metadata: {} };
    const magic = cellMagic(code);
    try {
      if (magic !== null) {
        const handler = this.languageCells[magic];
        if (!handler) return empty;
        const result = handler.complete(code, codePointsToUtf16(code, cursorPos));
        return {
          status: "ok",
          matches: result.matches,
          cursor_start: utf16ToCodePoints(code, result.cursorStart),
          cursor_end: utf16ToCodePoints(code, result.cursorEnd),
          metadata: {},
        };
      }
      const result = this.cells.complete(code, cursorPos);
      return { status: "ok", matches: result.matches, cursor_start: result.cursorStart, cursor_end: result.cursorEnd, metadata: {} };
    } catch (error) {
      log(`completion failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty;
    }
  }

  private inspect(content: JsonObject): JsonObject {
    const code = str(content["code"]);
    const cursorPos = num(content["cursor_pos"], code.length);
    const detailLevel = num(content["detail_level"], 0);
    const notFound = { status: "ok", found: false, data: {}, metadata: {} };
    const magic = cellMagic(code);
    try {
      if (magic !== null) {
        const handler = this.languageCells[magic];
        const bundle = handler?.inspect(code, codePointsToUtf16(code, cursorPos), detailLevel) ?? null;
        return bundle ? { status: "ok", found: true, data: normalizeBundle(bundle, `the %%${magic} inspect bundle`) as JsonObject, metadata: {} } : notFound;
      }
      const text = this.cells.inspect(code, cursorPos);
      return text === null ? notFound : { status: "ok", found: true, data: { "text/plain": text }, metadata: {} };
    } catch (error) {
      log(`inspection failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return notFound;
    }
  }

  // ---- shutdown ------------------------------------------------------------

  /** Answers nothing more, flushes what is queued, releases every socket. */
  async shutdown(restart: boolean): Promise<void> {
    if (this.closing) return this.closed;
    this.restartRequested = restart;
    this.streams.flush();
    this.publish("shutdown_reply", { status: "ok", restart }, this.outputParent ?? {});
    this.closing = true;
    if (this.warmupTimer) clearTimeout(this.warmupTimer);
    this.wakeProcessor?.();
    this.cells.interrupt();
    await Promise.all([this.shellOut.drained(), this.iopubOut.drained()]);
    const worker = this.controlThread;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ kind: "close" } satisfies ToControlThread);
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
      await Promise.race([exited, timeout]);
      await worker.terminate();
    }
    this.shell.close();
    this.iopub.close();
    this.stdin.close();
    this.streams.restore();
    this.cells.close();
    delete (globalThis as Record<symbol, unknown>)[KERNEL_HOOK_KEY];
    this.resolveClosed();
  }
}
