// After an interrupt stopped JavaScript in the middle of a TensorFlow.js operation (vm's
// breakOnSigint or the control thread's TerminateExecution), tfjs's engine can be left inside
// a tidy scope or a gradient tape, so every later tensor would be recorded there and never
// freed. Between cells no scope or tape is open, so the kernel closes what it finds.
// The engine is read from the global tfjs keeps it in; nothing is loaded when tfjs is not.

interface EngineState {
  scopeStack: unknown[];
  gradientDepth: number;
  kernelDepth: number;
  activeTape: unknown;
  numDataMovesStack: unknown[];
}

interface Engine {
  state?: EngineState;
  endScope(result?: unknown): void;
}

/** Closes the scopes and the tape an interrupted operation left open; returns how many scopes. */
export function recoverTfEngine(): number {
  const engine = (globalThis as { _tfengine?: Engine })._tfengine;
  const state = engine?.state;
  if (!engine || !state || !Array.isArray(state.scopeStack)) return 0;
  let closed = 0;
  try {
    while (state.scopeStack.length > 0 && closed < 10_000) {
      engine.endScope();
      closed++;
    }
  } finally {
    state.gradientDepth = 0;
    state.kernelDepth = 0;
    state.activeTape = null;
    state.numDataMovesStack = [];
  }
  return closed;
}
