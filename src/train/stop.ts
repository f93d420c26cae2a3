// Stopping a fit on request: the kernel's interrupt calls interruptTraining(), which every running
// fit sees at its next batch; the fit then returns normally with the weights it has.
const running = new Set<AbortController>();

export function interruptTraining(): number {
  for (const controller of running) controller.abort();
  return running.size;
}

/** A stop signal for one fit, also aborted by interruptTraining(); call `done` when the fit ends. */
export function trainingStopSignal(external?: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  running.add(controller);
  const forward = () => controller.abort();
  external?.addEventListener("abort", forward);
  if (external?.aborted) controller.abort();
  return {
    signal: controller.signal,
    done() {
      running.delete(controller);
      external?.removeEventListener("abort", forward);
    },
  };
}
