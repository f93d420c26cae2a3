// The control thread's last resort against cell code that never gives the main thread's
// event loop back: `while (true) { await null }` (a loop of microtasks), or a busy loop in a
// timer or promise callback after the cell finished. Neither a message nor a SIGINT listener
// ever runs then, and vm's breakOnSigint only covers a cell's synchronous first run.
//
// So after an interrupt_request the control thread pings the main thread; if no answer comes
// within STUCK_MS while the main thread is outside a cell's synchronous run (SIGINT's case),
// outside the kernel's own work and outside a training step, it stops the running JavaScript
// with V8's TerminateExecution, reached through the inspector (Runtime.terminateExecution is
// delivered as an interrupt, so it lands inside the loop). The main thread then frees up,
// answers the interrupt and says what was stopped.
//
// TerminateExecution inside a Node callback leaves Node's async-hook stack unbalanced, which
// Node treats as fatal unless it runs with --no-force-async-hooks-checks; the kernelspec passes
// that flag, and without it this never terminates anything (the notebook then says to restart).
import { Session } from "node:inspector";
import { CellPhase, readPhase, Slot } from "./cell-phase.js";

/** How long the main thread may leave a ping unanswered before it counts as stuck. */
export const STUCK_MS = 1000;

export const ASYNC_HOOKS_FLAG = "--no-force-async-hooks-checks";

export type StuckOutcome = "answered" | "stopped" | "left-running";

export interface StuckReport {
  outcome: StuckOutcome;
  /** Why it was left running, for the notebook (none when it is not the user's to know). */
  why?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class StuckMainThread {
  private session: Session | null = null;
  private pings = 0;

  /**
   * @param flag the shared cell-phase flag (cell-phase.ts).
   * @param ping asks the main thread to answer ping `id` (CellPhaseFlag.answerPing).
   * @param canTerminate whether the process runs with --no-force-async-hooks-checks.
   */
  constructor(
    private readonly flag: Int32Array,
    private readonly ping: (id: number) => void,
    private readonly canTerminate: boolean,
  ) {}

  /** Pings the main thread; stops its JavaScript if it stays stuck in code that may be stopped. */
  async check(): Promise<StuckReport> {
    const id = ++this.pings;
    this.ping(id);
    const started = Date.now();
    while (Date.now() - started < STUCK_MS) {
      await sleep(20);
      if (this.answered(id)) return { outcome: "answered" };
    }
    const phase = readPhase(this.flag);
    // A cell's synchronous run gets SIGINT; compiling and the kernel's own work end by themselves.
    if (phase === CellPhase.RUNNING_SYNC || phase === CellPhase.PREPARING || Atomics.load(this.flag, Slot.KERNEL_WORK) !== 0) return { outcome: "left-running" };
    if (Atomics.load(this.flag, Slot.TRAINING) > 0) return { outcome: "left-running", why: "training stops by itself after the current batch" };
    if (!this.canTerminate) return { outcome: "left-running", why: `the kernel runs without ${ASYNC_HOOKS_FLAG} (reinstall the kernelspec: convnote kernel install)` };
    if (this.answered(id)) return { outcome: "answered" };
    try {
      this.session ??= connect();
      // No reply comes until the main thread is free again; none is needed.
      this.session.post("Runtime.terminateExecution");
    } catch (error) {
      return { outcome: "left-running", why: `the inspector is not available (${(error as Error).message})` };
    }
    return { outcome: "stopped" };
  }

  private answered(id: number): boolean {
    return Atomics.load(this.flag, Slot.PING_ANSWERED) >= id;
  }

  close(): void {
    this.session?.disconnect();
    this.session = null;
  }
}

function connect(): Session {
  const session = new Session();
  session.connectToMainThread();
  return session;
}
