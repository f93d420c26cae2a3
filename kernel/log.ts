// The kernel's own diagnostics. They go straight to fd 2: process.stderr is
// captured into the notebook while the kernel runs (output-streams.ts).
import { writeSync } from "node:fs";

export function log(text: string, source = "kernel"): void {
  writeSync(2, `[convnote ${source}] ${text}\n`);
}

/** An error's stack (or message) for a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * A log for events that a client (or an attacker) can repeat at will, such as dropped
 * messages: the first `burst` lines of each window are written, the rest counted and
 * summed up in one line when the next line is allowed or at the window's end.
 */
export class RateLimitedLog {
  private windowStart = -Infinity;
  private written = 0;
  private suppressed = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly burst = 5,
    private readonly windowMs = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  log(text: string): void {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.flushSuppressed();
      this.windowStart = t;
      this.written = 0;
    }
    if (this.written < this.burst) {
      this.written++;
      this.write(text);
      return;
    }
    this.suppressed++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flushSuppressed(), Math.max(0, this.windowStart + this.windowMs - t));
      this.timer.unref();
    }
  }

  /** Writes the "... more" line for what was held back, if anything. */
  flushSuppressed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed === 0) return;
    const count = this.suppressed;
    this.suppressed = 0;
    this.write(`... and ${count} more like it in ${Math.round(this.windowMs / 1000)} s (not shown one by one)`);
  }
}
