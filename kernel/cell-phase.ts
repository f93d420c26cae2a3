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
// Code that never gives the event loop back (`while (true) { await null }`, a busy loop in
// a timer) cannot see a message or a SIGINT listener at all: for those the control thread
// stops the main thread's JavaScript from outside (stuck-main-thread.ts), but only when the
// main thread has not answered a ping for a while and is not doing the kernel's own work
// or a training step (which stops by itself at the next batch).
//
// Slot 0 holds the phase, slot 1 counts phase changes (tells one run from the next), slot 2
// the last ping the main thread answered, slot 3 is 1 while the kernel warms up, slot 4 the
// number of fits running.
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

export const Slot = { PHASE: 0, EPOCH: 1, PING_ANSWERED: 2, KERNEL_WORK: 3, TRAINING: 4 } as const;

export function writePhase(flag: Int32Array, phase: CellPhase): void {
  Atomics.add(flag, 1, 1);
  Atomics.store(flag, 0, phase);
}

/** Bytes for the shared flag: the slots above. */
export const PHASE_BYTES = 5 * Int32Array.BYTES_PER_ELEMENT;

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

  /** The control thread's ping `id` reached the main thread: it is not stuck. */
  answerPing(id: number): void {
    Atomics.store(this.flag, Slot.PING_ANSWERED, id);
  }

  /** The kernel's own slow work (warming up) runs: never stopped from outside. */
  kernelWork(busy: boolean): void {
    Atomics.store(this.flag, Slot.KERNEL_WORK, busy ? 1 : 0);
  }

  /** How many fits run now (they stop by themselves at their next batch). */
  trainingRuns(count: number): void {
    Atomics.store(this.flag, Slot.TRAINING, count);
  }

  /** Cell code starts (true) or stops (false) running synchronously; a script run outside a cell (warm-up) does not count. */
  scriptRunning(inScript: boolean): void {
    if (this.inCell) writePhase(this.flag, inScript ? CellPhase.RUNNING_SYNC : CellPhase.AWAITING);
  }
}
