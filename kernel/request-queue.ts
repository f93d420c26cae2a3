// Shell requests are handled one at a time, in arrival order. After a cell fails
// with stop_on_error, the execute_requests already queued are answered "aborted"
// without running, as ipykernel does.
import { describeError, log } from "./log.js";
import type { JupyterMessage } from "./wire.js";

export interface QueuedRequest {
  message: JupyterMessage;
  /** Set when an earlier cell failed with stop_on_error: answer "aborted" without running. */
  aborted: boolean;
}

export class RequestQueue {
  private queue: QueuedRequest[] = [];
  private wake: (() => void) | null = null;
  private stopped = false;

  push(message: JupyterMessage): void {
    this.queue.push({ message, aborted: false });
    this.wake?.();
  }

  /** Hands each request to `handle` in turn until stop(); a handler that throws is logged, not fatal. */
  async serve(handle: (request: QueuedRequest) => Promise<void>): Promise<void> {
    while (!this.stopped) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      try {
        await handle(next);
      } catch (error) {
        log(`internal error on ${next.message.header.msg_type}: ${describeError(error)}`);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /**
   * Marks every execute_request already sent as aborted. First pulls in what the
   * socket holds (`socketHasMore`), so the cut is "everything that arrived before
   * the error", with no time window.
   */
  async abortQueuedCells(socketHasMore: () => boolean): Promise<void> {
    for (let turns = 0; turns < 1000 && socketHasMore(); turns++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const queued of this.queue) {
      if (queued.message.header.msg_type === "execute_request") queued.aborted = true;
    }
  }
}
