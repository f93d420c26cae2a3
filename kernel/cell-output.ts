// Where a cell's output goes: its streams (console.log, process.stdout), ConvNote's
// display API (src/notebook-api/display.ts talks to the hook installed here) and
// tslab's display API (tslab-display.ts). Outputs go to the request that ran last,
// as in ipykernel, so output from background work after a cell ends lands under it.
import { KERNEL_HOOK_KEY, type KernelDisplayHook } from "../src/notebook-api/display.js";
import { log } from "./log.js";
import type { IopubMessages } from "./messages.js";
import { OutputStreams, type StreamName } from "./output-streams.js";
import type { Parent } from "./transport.js";
import { routeTslabDisplay } from "./tslab-display.js";
import type { MessageHeader } from "./wire.js";

/** The iopub messages a cell produces besides its streams. */
export type CellOutputType = "execute_result" | "display_data" | "update_display_data" | "clear_output" | "error";

export type Publish = <K extends keyof IopubMessages>(msgType: K, content: IopubMessages[K], parent: Parent) => void;

export class CellOutput {
  private parent: MessageHeader | null = null;
  private readonly streams: OutputStreams;
  private undoTslab: (() => void) | null = null;

  constructor(private readonly publish: Publish) {
    this.streams = new OutputStreams((name, text) => this.emitStream(name, text));
  }

  /** The request outputs go to now (null before the first execute_request). */
  get parentHeader(): MessageHeader | null {
    return this.parent;
  }

  /** Outputs from now on belong to `header`; background output so far goes to the previous cell. */
  startCell(header: MessageHeader): void {
    this.streams.flush();
    this.parent = header;
  }

  write(name: StreamName, text: string): void {
    this.streams.write(name, text);
  }

  /** Sends what the streams hold now. */
  flush(): void {
    this.streams.flush();
  }

  /** Output of a cell that is not a stream: streams written before it go first. */
  emit<K extends CellOutputType>(msgType: K, content: IopubMessages[K]): void {
    this.streams.flush();
    if (!this.parent) {
      log(`${msgType} before any request was dropped`);
      return;
    }
    this.publish(msgType, content, this.parent);
  }

  private emitStream(name: StreamName, text: string): void {
    if (!this.parent) {
      log(`output before any request (${name}): ${text.trimEnd()}`);
      return;
    }
    this.publish("stream", { name, text }, this.parent);
  }

  /**
   * Captures stdout/stderr and installs ConvNote's display hook on globalThis.
   * @param interruptSignal aborted when the user interrupts the running cell.
   */
  install(interruptSignal: () => AbortSignal): void {
    this.streams.capture();
    const hook: KernelDisplayHook = {
      version: 1,
      display: (data, metadata, displayId) => this.emit("display_data", { data, metadata, transient: displayId ? { display_id: displayId } : {} }),
      update: (data, metadata, displayId) => this.emit("update_display_data", { data, metadata, transient: { display_id: displayId } }),
      clearOutput: (wait) => this.emit("clear_output", { wait }),
      interruptSignal,
    };
    (globalThis as Record<symbol, unknown>)[KERNEL_HOOK_KEY] = hook;
  }

  /** tslab's display API too: done once the compiler is warm (it loads tslab's modules). */
  installTslabDisplay(): void {
    this.undoTslab ??= routeTslabDisplay((kind, content) => this.emit(kind, content));
  }

  uninstall(): void {
    this.streams.flush();
    this.streams.restore();
    this.undoTslab?.();
    this.undoTslab = null;
    delete (globalThis as Record<symbol, unknown>)[KERNEL_HOOK_KEY];
  }
}
