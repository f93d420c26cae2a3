// What a cell can do to the kernel's process, and how the kernel keeps it alive:
//   - process.exit() / process.abort() in a cell would end the kernel with no reply and lose
//     the notebook's state: they throw an error that says how to restart instead;
//   - an error thrown in a timer or a rejected promise nobody awaits is reported under the
//     last cell (the kernel's own uncaughtException/unhandledRejection listeners), and any other
//     listener for those events is made unable to kill the process: Emscripten's (the WASM
//     backend's) re-throws every error it sees, which Node treats as fatal;
//   - SIGTERM shuts the kernel down cleanly, so its ipc socket files are removed.
import { existsSync, unlinkSync } from "node:fs";
import type { ConnectionInfo } from "./connection.js";
import { log } from "./log.js";
import { endpoint } from "./wire.js";

export class ExitRefusedError extends Error {
  override name = "ExitRefused";
}

/** The process's real exit, kept for the kernel itself (main.ts, SIGTERM). */
export const realExit: (code?: number) => never = process.exit.bind(process);

/** Makes process.exit and process.abort throw ExitRefusedError; returns the undo. */
export function refuseProcessExit(): () => void {
  const exit = process.exit;
  const abort = process.abort;
  const refuse = (call: string): never => {
    throw new ExitRefusedError(
      `${call} would end the kernel with no reply and lose every variable of this notebook; ` +
        "to start over use Kernel > Restart, to end a cell early throw an Error",
    );
  };
  process.exit = ((code?: number) => refuse(`process.exit(${code ?? ""})`)) as typeof process.exit;
  process.abort = (() => refuse("process.abort()")) as typeof process.abort;
  return () => {
    process.exit = exit;
    process.abort = abort;
  };
}

type FaultEvent = "uncaughtException" | "unhandledRejection";
type Listener = (...args: unknown[]) => void;
const FAULT_EVENTS: readonly FaultEvent[] = ["uncaughtException", "unhandledRejection"];
const GUARDED = Symbol.for("convnote.kernel.guardedListener");

/**
 * Wraps every uncaughtException/unhandledRejection listener but `own` so that whatever it
 * throws is reported instead of ending the process (a listener that throws is fatal in Node).
 * Listeners added later are wrapped on the next call: the kernel calls it after every cell and
 * once the backend is loaded.
 */
export function guardFaultListeners(own: ReadonlySet<Listener>, report: (what: string, error: unknown) => void): void {
  for (const event of FAULT_EVENTS) {
    for (const listener of (process as NodeJS.EventEmitter).listeners(event) as Listener[]) {
      if (own.has(listener) || (listener as Listener & { [GUARDED]?: true })[GUARDED]) continue;
      const guarded = function (this: unknown, ...args: unknown[]): void {
        try {
          listener.apply(this, args);
        } catch (thrown) {
          // Emscripten re-throws the very error the kernel has reported already.
          if (thrown !== args[0]) report(`a '${event}' listener that threw`, thrown);
        }
      } as Listener & { [GUARDED]?: true };
      guarded[GUARDED] = true;
      replaceListener(event, listener, guarded);
    }
  }
}

/** Swaps a listener in place, keeping the order the listeners run in. */
function replaceListener(event: FaultEvent, old: Listener, replacement: Listener): void {
  const all = (process as NodeJS.EventEmitter).listeners(event) as Listener[];
  process.removeAllListeners(event);
  for (const l of all) process.on(event, l === old ? replacement : l);
}

/** The files of an ipc connection's sockets (none for tcp). */
export function ipcSocketFiles(connection: ConnectionInfo): string[] {
  if (connection.transport !== "ipc") return [];
  const ports = [connection.shell_port, connection.iopub_port, connection.stdin_port, connection.control_port, connection.hb_port];
  return ports.map((port) => endpoint("ipc", connection.ip, port).slice("ipc://".length));
}

/** Removes the ipc socket files that are left (ZeroMQ's own removal may not run before exit). */
export function removeIpcSocketFiles(connection: ConnectionInfo): void {
  for (const file of ipcSocketFiles(connection)) {
    try {
      if (existsSync(file)) unlinkSync(file);
    } catch (error) {
      log(`could not remove ${file}: ${(error as Error).message}`);
    }
  }
}

/**
 * On SIGTERM: shut down as a shutdown_request would (at most `graceMs`; shutting down removes
 * ipc socket files), then end the process. Only runs when the event loop is free; Jupyter
 * follows an unanswered SIGTERM with SIGKILL (and removes ipc files itself then).
 */
export function exitCleanlyOnSigterm(shutdown: () => Promise<void>, connection: ConnectionInfo, graceMs = 3000): void {
  let terminating = false;
  process.on("SIGTERM", () => {
    if (terminating) return;
    terminating = true;
    const done = (): never => {
      removeIpcSocketFiles(connection);
      return realExit(128 + 15);
    };
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    void Promise.race([shutdown().catch(() => undefined), timeout]).then(done, done);
  });
}
