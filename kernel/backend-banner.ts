// Which TensorFlow.js backend runs cells, told once per kernel start. The
// backend module (src/backend/, written separately) exports initBackend() and
// describeBackend(); when it is not built yet the kernel says nothing.
import { existsSync } from "node:fs";
import path from "node:path";
import { inspect } from "node:util";

/** Where the backend module may live, relative to the package root; the first exporting describeBackend() is used. */
export const BACKEND_MODULE_CANDIDATES = ["dist/src/backend/index.js", "dist/src/backend/select.js"];

interface BackendModule {
  initBackend?: () => unknown;
  describeBackend?: () => unknown;
}

/**
 * Loads the backend module, initialises it and returns its one-line description,
 * or null when there is no backend module. Loading tfjs takes about a second, so
 * the kernel calls this after it has answered kernel_info, never before.
 */
export async function describeBackendOnce(packageRoot: string): Promise<string | null> {
  let backend: BackendModule | null = null;
  for (const candidate of BACKEND_MODULE_CANDIDATES) {
    const file = path.join(packageRoot, candidate);
    if (!existsSync(file)) continue;
    const loaded = require(file) as BackendModule;
    if (typeof loaded.describeBackend === "function") {
      backend = loaded;
      break;
    }
  }
  if (!backend || typeof backend.describeBackend !== "function") return null;
  if (typeof backend.initBackend === "function") await backend.initBackend();
  const description = await backend.describeBackend();
  if (typeof description === "string") return description;
  // A report object carries its one-line summary in `text`.
  const text = (description as { text?: unknown } | null)?.text;
  if (typeof text === "string") return text;
  return inspect(description, { breakLength: Infinity, depth: 3 });
}
