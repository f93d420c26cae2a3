// Start-up work that would slow the first answer: building the TypeScript compiler
// (a second or more, blocking this thread) waits until the first kernel_info is
// answered, or a fallback timer; loading the TensorFlow.js backend for the banner
// follows in the background, and the first cell shows the banner.
import { registerTfDisplayFormatters } from "../src/notebook-api/tf-formatters.js";
import { describeBackendOnce } from "./backend-banner.js";
import { log } from "./log.js";

/** Build the compiler this long after start if no client has asked for kernel_info by then. */
const WARMUP_FALLBACK_MS = 2000;

export interface WarmUpSteps {
  packageRoot: string;
  /** Look for the TensorFlow.js backend module and announce it. */
  announceBackend: boolean;
  /** Builds the compiler (synchronous, slow). */
  buildCompiler(): void;
  /** Told the backend's one-line description once it is known. */
  backendKnown(description: string): void;
  /** The kernel's own work starts (true) or ends (false): not to be stopped by an interrupt. */
  kernelWork(busy: boolean): void;
  /** The backend module has been loaded (or failed to). */
  backendLoaded(): void;
}

export class WarmUp {
  private timer: NodeJS.Timeout | null = null;
  private done = false;
  private backend: Promise<string | null> | null = null;
  private announced = false;

  constructor(private readonly steps: WarmUpSteps) {}

  /** Arms the fallback timer. */
  start(): void {
    this.timer = setTimeout(() => this.now(), WARMUP_FALLBACK_MS);
  }

  /** A client is connected (it asked for kernel_info): warm up as soon as this reply is out. */
  soon(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.now(), 0);
  }

  /** Warms up now if not done yet. */
  now(): void {
    this.cancel();
    if (this.done) return;
    this.done = true;
    this.steps.kernelWork(true);
    try {
      this.steps.buildCompiler();
      registerTfDisplayFormatters();
    } finally {
      this.steps.kernelWork(false);
    }
    if (this.steps.announceBackend) {
      this.backend = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => {
          this.steps.kernelWork(true);
          return describeBackendOnce(this.steps.packageRoot);
        })
        .then(
          (description) => {
            if (description) this.steps.backendKnown(description);
            return description;
          },
          (error: unknown) => {
            log(`backend module failed to load: ${error instanceof Error ? error.message : String(error)}`);
            return null;
          },
        )
        .finally(() => {
          this.steps.kernelWork(false);
          this.steps.backendLoaded();
        });
    }
  }

  /** The backend banner the first time this is called (after warming up), else null. */
  async bannerOnce(): Promise<string | null> {
    if (this.announced || !this.steps.announceBackend) return null;
    this.now();
    const description = await this.backend;
    this.announced = true;
    return description ?? null;
  }

  /** Stops a pending warm-up (at shutdown). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
