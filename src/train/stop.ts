// Stopping a fit on request: the kernel's interrupt calls interruptTraining(), which every running
// fit sees at its next batch; the fit then returns normally with the weights it has.
const running = new Set<AbortController>();
let watcher: ((count: number) => void) | null = null;

export function interruptTraining(): number {
  for (const controller of running) controller.abort();
  return running.size;
}

/**
 * Tells `listener` how many fits run, now and whenever that changes (the kernel: a main thread
 * busy in a training step is not stuck, it stops at the next batch). One listener; null removes it.
 */
export function watchTrainingCount(listener: ((count: number) => void) | null): void {
  watcher = listener;
  listener?.(running.size);
}

/** A stop signal for one fit, also aborted by interruptTraining(); call `done` when the fit ends. */
export function trainingStopSignal(external?: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  running.add(controller);
  watcher?.(running.size);
  const forward = () => controller.abort();
  external?.addEventListener("abort", forward);
  if (external?.aborted) controller.abort();
  return {
    signal: controller.signal,
    done() {
      running.delete(controller);
      watcher?.(running.size);
      external?.removeEventListener("abort", forward);
    },
  };
}
