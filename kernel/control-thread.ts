// The control and heartbeat channels run in a worker thread, so that they keep
// answering while a cell blocks the main thread with synchronous code. An
// interrupt_request stops synchronous cell code with a SIGINT to this process
// (cells run under vm's breakOnSigint) and an awaiting cell with a message to the
// main thread (see cell-phase.ts for why not a signal there).
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { CellPhase, readEpoch, readPhase } from "./cell-phase.js";
import type { ConnectionInfo } from "./connection.js";
import { describeError, log as kernelLog, RateLimitedLog } from "./log.js";
import { BadRequestError, badRequestReply, type ErrorReply, type KernelInfoReply, readContent, type ShellReplies, type ShellReplyType } from "./messages.js";
import { SendQueue } from "./send-queue.js";
import { StuckMainThread } from "./stuck-main-thread.js";
import { decodeMessage, encodeMessage, endpoint, InvalidMessageError, type JupyterMessage, MessageSigner, ReplayGuard } from "./wire.js";

export interface ControlThreadData {
  connection: ConnectionInfo;
  session: string;
  kernelInfo: KernelInfoReply;
  /** Int32 CellPhase the main thread keeps up to date (cell-phase.ts). */
  phaseFlag: SharedArrayBuffer;
  /** The signatures already seen, shared with the shell channel (wire.ts ReplayGuard). */
  replayHistory: SharedArrayBuffer;
  /** The process runs with --no-force-async-hooks-checks, so stuck JavaScript may be terminated. */
  canTerminate: boolean;
}

export type ToControlThread = { kind: "kernel-info"; content: KernelInfoReply } | { kind: "close" };

export type FromControlThread =
  | { kind: "ready" }
  | { kind: "failed"; message: string }
  | { kind: "shutdown"; restart: boolean }
  /** Interrupt the cell that awaits (the main thread's event loop is free). */
  | { kind: "interrupt" }
  /** Answer with CellPhaseFlag.answerPing(id) (the control thread checks the main thread is not stuck). */
  | { kind: "ping"; id: number }
  /** What an interrupt found the main thread stuck in, and what came of it. */
  | { kind: "stuck"; stopped: boolean; why?: string };

function log(text: string): void {
  kernelLog(text, "kernel control");
}

const PREPARING_WAIT_MS = 60_000;
/** How long a script must have been running before it gets a SIGINT (see cell-phase.ts). */
const SETTLE_MS = 30;
let signalledEpoch = -1;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Interrupts the running cell: synchronous code by SIGINT (vm's breakOnSigint), an awaiting
 * cell by asking the main thread. Before asking, and when no cell runs, `unstick` makes sure
 * the main thread can hear it (stuck-main-thread.ts): it stops code that never yields.
 */
async function interruptMainThread(phase: Int32Array, askMainThread: () => void, unstick: () => Promise<void>): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < PREPARING_WAIT_MS) {
    const now = readPhase(phase);
    if (now === CellPhase.IDLE) {
      await unstick();
      return;
    }
    if (now === CellPhase.AWAITING) {
      await unstick();
      askMainThread();
      return;
    }
    if (now === CellPhase.RUNNING_SYNC) {
      const epoch = readEpoch(phase);
      if (epoch === signalledEpoch) return; // one signal per run
      await sleep(SETTLE_MS);
      if (readPhase(phase) === CellPhase.RUNNING_SYNC && readEpoch(phase) === epoch) {
        signalledEpoch = epoch;
        process.kill(process.pid, "SIGINT");
        return;
      }
      continue;
    }
    await sleep(5);
  }
}

/**
 * Jupyter names the process that started the kernel in JPY_PARENT_PID (ipykernel's
 * parent poller reads it too). If that process dies without shutting the kernel
 * down, the kernel would live on as an orphan: shut down instead, and if the main
 * thread is stuck in a cell, end the process.
 */
function watchParent(post: (message: FromControlThread) => void): void {
  const parent = Number(process.env["JPY_PARENT_PID"]);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") return;
      clearInterval(timer);
      log(`parent process ${parent} is gone; shutting down`);
      post({ kind: "shutdown", restart: false });
      setTimeout(() => process.kill(process.pid, "SIGTERM"), 5000).unref();
    }
  }, 1000);
  timer.unref();
}

async function runControlThread(data: ControlThreadData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("control-thread.js must run as a worker thread");
  const post = (message: FromControlThread): void => port.postMessage(message);
  const conn = data.connection;
  const signer = new MessageSigner(conn.key, conn.signature_scheme);
  const replay = new ReplayGuard(data.replayHistory);
  const phase = new Int32Array(data.phaseFlag);
  const drops = new RateLimitedLog(log);
  const stuck = new StuckMainThread(phase, (id) => post({ kind: "ping", id }), data.canTerminate);
  let checking = false;
  /** After an interrupt: if the main thread does not answer, stop what keeps it busy. */
  const unstick = async (): Promise<void> => {
    if (checking) return;
    checking = true;
    try {
      const report = await stuck.check();
      if (report.outcome === "answered") return;
      log(report.outcome === "stopped" ? "the main thread was stuck; stopped its JavaScript" : `the main thread is busy; left running${report.why ? `: ${report.why}` : ""}`);
      if (report.outcome === "left-running" && report.why === undefined) return;
      post({ kind: "stuck", stopped: report.outcome === "stopped", ...(report.why !== undefined && { why: report.why }) });
    } finally {
      checking = false;
    }
  };
  let kernelInfo = data.kernelInfo;

  const control = new zmq.Router({ linger: 1000 });
  const heartbeat = new zmq.Reply({ linger: 0 });
  const controlOut = new SendQueue(control, (e) => log(`send failed: ${String(e)}`));
  try {
    await control.bind(endpoint(conn.transport, conn.ip, conn.control_port));
    await heartbeat.bind(endpoint(conn.transport, conn.ip, conn.hb_port));
  } catch (error) {
    post({ kind: "failed", message: `cannot bind control/heartbeat: ${(error as Error).message}` });
    return;
  }

  let closing = false;
  port.on("message", (message: ToControlThread) => {
    if (message.kind === "kernel-info") kernelInfo = message.content;
    if (message.kind === "close") {
      closing = true;
      drops.flushSuppressed();
      stuck.close();
      void controlOut.drained().then(() => {
        control.close();
        heartbeat.close();
        port.close();
      });
    }
  });

  void (async () => {
    // Heartbeat: echo every ping unchanged.
    try {
      for await (const frames of heartbeat) await heartbeat.send(frames);
    } catch (error) {
      if (!closing) log(`heartbeat stopped: ${(error as Error).message}`);
    }
  })();

  post({ kind: "ready" });
  watchParent(post);

  try {
    for await (const frames of control) {
      let request: JupyterMessage;
      try {
        request = decodeMessage(frames, signer, replay);
      } catch (error) {
        if (error instanceof InvalidMessageError || error instanceof SyntaxError) {
          drops.log(`dropped a control message: ${error.message}`);
          continue;
        }
        throw error;
      }
      const reply = <K extends ShellReplyType>(msgType: K, content: ShellReplies[K] | ErrorReply): void =>
        controlOut.push(encodeMessage({ msgType, content, parent: request.header, identities: request.identities }, data.session, signer));
      switch (request.header.msg_type) {
        case "interrupt_request":
          reply("interrupt_reply", { status: "ok" });
          void interruptMainThread(phase, () => post({ kind: "interrupt" }), unstick);
          break;
        case "shutdown_request": {
          let restart: boolean;
          try {
            restart = readContent("shutdown_request", request.content).restart;
          } catch (error) {
            if (!(error instanceof BadRequestError)) throw error;
            reply("shutdown_reply", badRequestReply(error));
            continue;
          }
          reply("shutdown_reply", { status: "ok", restart });
          // A cell stuck in synchronous code would never let the main thread shut
          // down; interrupting it first lets the shutdown go through.
          void interruptMainThread(phase, () => post({ kind: "interrupt" }), unstick);
          post({ kind: "shutdown", restart });
          break;
        }
        case "kernel_info_request":
          reply("kernel_info_reply", kernelInfo);
          break;
        default:
          // debug_request needs a debugger (kernel_info says debugger: false);
          // other control messages have no reply in this kernel.
          log(`ignored control message '${request.header.msg_type}'`);
      }
    }
  } catch (error) {
    if (!closing) log(`control channel stopped: ${(error as Error).message}`);
  }
}

if (parentPort) {
  runControlThread(workerData as ControlThreadData).catch((error: unknown) => {
    log(`crashed: ${describeError(error)}`);
  });
}
