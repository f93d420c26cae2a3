// What the main thread is doing with a cell, shared with the control thread
// through an Int32 in a SharedArrayBuffer (the main thread may be blocked, so
// the control thread reads it directly).
//
// An interrupt arriving while a cell compiles would be lost: vm's breakOnSigint
// only watches while the script runs, and the SIGINT listener only runs when the
// event loop is free. So the control thread holds an interrupt_request back
// until the cell has left PREPARING. And a SIGINT that lands while Node starts or
// stops the breakOnSigint watchdog can kill or hang the process (measured with
// Node 20: short scripts plus a stream of SIGINTs), so the control thread signals
// only a script that has been running for a while, once per run, and interrupts
// an awaiting cell by message instead of by signal.
//
// Slot 0 holds the phase, slot 1 counts phase changes (tells one run from the next).
export const CellPhase = {
  IDLE: 0,
  /** Compiling, or a language cell: not interruptible yet. */
  PREPARING: 1,
  /** Running the cell's synchronous code under breakOnSigint. */
  RUNNING_SYNC: 2,
  /** The synchronous part is done; awaiting the cell's promise (SIGINT listener interrupts). */
  AWAITING: 3,
} as const;

export type CellPhase = (typeof CellPhase)[keyof typeof CellPhase];

export function readPhase(flag: Int32Array): CellPhase {
  return Atomics.load(flag, 0) as CellPhase;
}

export function readEpoch(flag: Int32Array): number {
  return Atomics.load(flag, 1);
}

export function writePhase(flag: Int32Array, phase: CellPhase): void {
  Atomics.add(flag, 1, 1);
  Atomics.store(flag, 0, phase);
}

/** Bytes for the shared flag: phase and epoch. */
export const PHASE_BYTES = 8;

/** The main thread's side of the flag: set around each cell, and by the script watcher inside one. */
export class CellPhaseFlag {
  readonly buffer = new SharedArrayBuffer(PHASE_BYTES);
  private readonly flag = new Int32Array(this.buffer);
  private inCell = false;

  /** A cell starts: compiling, not interruptible yet. */
  beginCell(): void {
    this.inCell = true;
    writePhase(this.flag, CellPhase.PREPARING);
  }

  endCell(): void {
    this.inCell = false;
    writePhase(this.flag, CellPhase.IDLE);
  }

  get cellRunning(): boolean {
    return this.inCell;
  }

  /** Cell code starts (true) or stops (false) running synchronously; a script run outside a cell (warm-up) does not count. */
  scriptRunning(inScript: boolean): void {
    if (this.inCell) writePhase(this.flag, inScript ? CellPhase.RUNNING_SYNC : CellPhase.AWAITING);
  }
}
