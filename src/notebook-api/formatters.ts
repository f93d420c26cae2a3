/**
 * Rich display for classes ConvNote does not own (tf.Tensor, tf.LayersModel, a training
 * History): a formatter says which values it shows and how. `toMimeBundle` asks the
 * formatters after the value's own `[Symbol.for("jupyter.mimebundle")]()`.
 *
 * The list lives on globalThis so that the kernel and a notebook's `import "convnote"`
 * share it even if they load two copies of this module.
 */
import type { MimeBundle } from "../render/mime.js";

export interface DisplayFormatter<T = unknown> {
  /** Shown in errors: "the tf.Tensor formatter failed: ...". */
  name: string;
  matches(value: unknown): value is T;
  format(value: T): MimeBundle;
  /**
   * Reads, asynchronously, what format() will read synchronously (a tensor's values): on a GPU
   * backend in Node (webgpu) a synchronous read is impossible until the values were read once.
   */
  prepare?(value: T): Promise<unknown>;
}

const REGISTRY_KEY = Symbol.for("convnote.display.formatters");

function registry(): DisplayFormatter[] {
  const global = globalThis as Record<symbol, unknown>;
  return (global[REGISTRY_KEY] ??= []) as DisplayFormatter[];
}

/** Adds (or, by name, replaces) a formatter; later ones win over earlier ones. */
export function registerDisplayFormatter<T>(formatter: DisplayFormatter<T>): void {
  const list = registry();
  const at = list.findIndex((f) => f.name === formatter.name);
  if (at >= 0) list.splice(at, 1);
  list.push(formatter as DisplayFormatter);
}

/** The formatter that shows `value`, if any. */
export function formatterFor(value: unknown): DisplayFormatter | undefined {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  const list = registry();
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.matches(value)) return list[i];
  return undefined;
}

/** Lets the formatter of `value`, if any, read what it needs before a synchronous format(). */
export async function prepareForDisplay(value: unknown): Promise<void> {
  const formatter = formatterFor(value);
  if (formatter?.prepare) await formatter.prepare(value);
}
