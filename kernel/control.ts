// The main thread's side of the control thread (control-thread.ts): starts the
// worker that answers control and heartbeat, keeps its kernel_info up to date,
// and passes its interrupt and shutdown requests on.
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ConnectionInfo } from "./connection.js";
import type { ControlThreadData, FromControlThread, ToControlThread } from "./control-thread.js";
import type { KernelInfoReply } from "./messages.js";

export interface ControlRequests {
  interrupt(): void;
  shutdown(restart: boolean): void;
  /** Answer ping `id` (CellPhaseFlag.answerPing): the main thread is not stuck. */
  ping(id: number): void;
  /** An interrupt found the main thread stuck; `stopped` when its JavaScript was terminated. */
  stuck(stopped: boolean, why: string | undefined): void;
}

export interface ControlThreadShared {
  /** The cell-phase flag (cell-phase.ts). */
  phaseFlag: SharedArrayBuffer;
  /** The replay history shared with the shell channel. */
  replayHistory: SharedArrayBuffer;
  /** Whether stuck JavaScript may be terminated (stuck-main-thread.ts). */
  canTerminate: boolean;
}

export class ControlChannel {
  private worker: Worker | null = null;

  /** Resolves once the worker has bound the control and heartbeat sockets. */
  start(connection: ConnectionInfo, session: string, kernelInfo: KernelInfoReply, shared: ControlThreadShared, requests: ControlRequests): Promise<void> {
    const data: ControlThreadData = { connection, session, kernelInfo, ...shared };
    const worker = new Worker(path.join(__dirname, "control-thread.js"), { workerData: data, stdout: false, stderr: false });
    this.worker = worker;
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
            requests.shutdown(message.restart);
            break;
          case "interrupt":
            requests.interrupt();
            break;
          case "ping":
            requests.ping(message.id);
            break;
          case "stuck":
            requests.stuck(message.stopped, message.why);
            break;
        }
      });
    });
  }

  /** kernel_info on control answers with this from now on (e.g. once the backend is known). */
  updateKernelInfo(content: KernelInfoReply): void {
    this.worker?.postMessage({ kind: "kernel-info", content } satisfies ToControlThread);
  }

  /** Asks the worker to close its sockets; ends it after 2 s if it does not. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage({ kind: "close" } satisfies ToControlThread);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([exited, timeout]);
    await worker.terminate();
  }
}
