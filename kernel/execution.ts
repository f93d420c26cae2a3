// execute_request: counts and records the cell, runs it through its handler with
// interrupts armed, evaluates user_expressions, and sends the result, the error
// or "aborted".
import { interruptTraining } from "../src/train/stop.js";
import type { CellPhaseFlag } from "./cell-phase.js";
import type { CellOutcome, CellRouter } from "./cell-router.js";
import type { CellOutput } from "./cell-output.js";
import { INTERRUPT_ENAME } from "./errors.js";
import { History } from "./history.js";
import type { ExecuteRequest, ExpressionResult, ShellRequest } from "./messages.js";
import type { Transport } from "./transport.js";
import { valueBundle } from "./typescript-handler.js";
import type { TypeScriptCells } from "./typescript-cells.js";

/** What the interrupt error of a cell stopped from outside says. */
export const STOPPED_FROM_OUTSIDE =
  "The cell kept the kernel busy without a break (a loop of awaits, or a loop in a timer or promise callback), " +
  "so the interrupt stopped its JavaScript from outside; what that code was doing is lost, the notebook's variables are kept.";

export interface ExecutionParts {
  transport: Transport;
  router: CellRouter;
  output: CellOutput;
  phase: CellPhaseFlag;
  /** Evaluates user_expressions. */
  typescript: TypeScriptCells;
  /** Marks the execute_requests queued now as aborted (after a failure with stop_on_error). */
  abortQueuedCells(): Promise<void>;
  /** Text to show on stdout before the first cell's output (the backend banner), once. */
  bannerOnce(): Promise<string | null>;
  /** Called after each cell has run; `interrupted` when an interrupt stopped it. */
  cellEnded(interrupted: boolean): void;
}

export class Execution {
  readonly history = new History();
  private count = 0;
  private cellAbort = new AbortController();
  /** Set when the interrupt had to stop the cell's JavaScript from outside (stuck-main-thread.ts). */
  private stoppedFromOutside = false;

  constructor(private readonly parts: ExecutionParts) {}

  get executionCount(): number {
    return this.count;
  }

  /** Aborted when the user interrupts the cell running now. */
  get interruptSignal(): AbortSignal {
    return this.cellAbort.signal;
  }

  async execute(request: ShellRequest<"execute_request">): Promise<void> {
    const { transport, output } = this.parts;
    const { code, silent, store_history: storeHistory, stop_on_error: stopOnError } = request.content;
    if (storeHistory) this.count += 1;
    const count = this.count;
    output.startCell(request.header);
    if (!silent) transport.publish("execute_input", { code, execution_count: count }, request.header);
    if (storeHistory) this.history.record(count, code);

    const banner = await this.parts.bannerOnce();
    if (banner) output.write("stdout", `${banner}\n`);
    const outcome = await this.runCell(code);
    this.parts.cellEnded(!outcome.ok && outcome.error.ename === INTERRUPT_ENAME);
    const userExpressions = outcome.ok ? await this.evaluateAsKernelWork(request.content.user_expressions) : {};
    output.flush();

    if (outcome.ok) {
      if (outcome.bundle && !silent) {
        output.emit("execute_result", { execution_count: count, data: outcome.bundle, metadata: {} });
        if (storeHistory) this.history.setOutput(count, outcome.bundle["text/plain"]);
      }
      transport.reply(request, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] });
      return;
    }
    const { ename, evalue, traceback } = outcome.error;
    if (!silent) output.emit("error", { ename, evalue, traceback });
    transport.reply(request, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback, user_expressions: {}, payload: [] });
    if (stopOnError && !silent) await this.parts.abortQueuedCells();
  }

  /** The reply to a cell queued behind one that failed with stop_on_error. */
  replyAborted(request: ShellRequest<"execute_request">): void {
    this.parts.transport.reply(request, "execute_reply", { status: "aborted", execution_count: this.count });
  }

  /** Runs one cell through the handler the router picks, with interrupts armed. */
  private async runCell(code: string): Promise<CellOutcome> {
    this.cellAbort = new AbortController();
    this.stoppedFromOutside = false;
    this.parts.phase.beginCell();
    try {
      const outcome = await this.parts.router.route(code).execute(code);
      if (!outcome.ok && outcome.error.ename === INTERRUPT_ENAME) {
        this.cellAbort.abort();
        if (this.stoppedFromOutside) outcome.error.traceback.push(STOPPED_FROM_OUTSIDE);
      }
      return outcome;
    } finally {
      this.parts.phase.endCell();
    }
  }

  /** user_expressions run outside the cell: the control thread leaves them alone (cell-phase.ts). */
  private async evaluateAsKernelWork(expressions: ExecuteRequest["user_expressions"]): Promise<Record<string, ExpressionResult>> {
    if (Object.keys(expressions).length === 0) return {};
    this.parts.phase.kernelWork(true);
    try {
      return await this.evaluate(expressions);
    } finally {
      this.parts.phase.kernelWork(false);
    }
  }

  /** user_expressions: each expression's value as a MIME bundle, evaluated after the cell. */
  private async evaluate(expressions: ExecuteRequest["user_expressions"]): Promise<Record<string, ExpressionResult>> {
    const out: Record<string, ExpressionResult> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const result = await this.parts.typescript.run(expression);
      const bundle: CellOutcome = !result.ok ? result : result.hasValue ? valueBundle(result.value) : { ok: true, bundle: null };
      out[name] = bundle.ok ? { status: "ok", data: bundle.bundle ?? { "text/plain": "undefined" }, metadata: {} } : { status: "error", ...bundle.error };
    }
    return out;
  }

  /**
   * The control thread stopped JavaScript that kept the main thread busy: told in the running
   * cell's interrupt error; false when no cell runs (the caller tells it then).
   */
  stoppedStuckCode(): boolean {
    if (!this.parts.phase.cellRunning) return false;
    this.stoppedFromOutside = true;
    return true;
  }

  /**
   * An interrupt ends training, not the cell: while a fit runs, it stops at its next batch and
   * returns its History, and the cell goes on (its variables are kept); the cell's later fits
   * return at once. With no training running, or at a second interrupt, the cell itself stops.
   * Nothing when no cell runs.
   */
  interrupt(): void {
    if (!this.parts.phase.cellRunning) return;
    const again = this.cellAbort.signal.aborted;
    this.cellAbort.abort();
    // Fits see the cell's signal and the global stop (a fit that a previous cell left running too).
    if (interruptTraining() > 0 && !again) return;
    this.parts.typescript.interrupt();
  }
}
