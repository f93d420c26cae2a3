/** Human-readable descriptions of the hardware a backend runs on. */
import { execFileSync } from "node:child_process";
import * as os from "node:os";

/** e.g. "AMD EPYC, 2 cores". */
export function describeCpu(): string {
  const cpus = os.cpus();
  const model = cpus.length > 0 ? cpus[0].model.trim().replace(/\s+/g, " ") : "unknown CPU";
  return `${model}, ${cpus.length} core${cpus.length === 1 ? "" : "s"}`;
}

/**
 * Name of the first NVIDIA GPU as the driver reports it, or null when it cannot be asked
 * (no nvidia-smi, no driver). Only used to label a CUDA backend that already loaded.
 */
export function nvidiaGpuName(): string | null {
  try {
    const out = execFileSync("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"], {
      encoding: "utf8",
      timeout: 5000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const first = out.split("\n")[0].trim();
    return first.length > 0 ? first : null;
  } catch {
    return null;
  }
}
