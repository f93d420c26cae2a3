/**
 * Rich display for notebooks and library code.
 *
 * - A value whose class has a `[Symbol.for("jupyter.mimebundle")]()` method returning
 *   a MIME bundle (mime type -> data, always with `text/plain`) is shown rich when it is
 *   a cell's last expression.
 * - `display(x)` shows something now, mid-cell, and returns a handle; `handle.update(y)`
 *   replaces that output in place (live training plots: a few updates per second at most).
 * - `clearOutput()` clears the cell's output.
 *
 * This module does not import the kernel: the ConvNote kernel installs a small hook on
 * `globalThis` at start-up and these functions talk to it. Outside a kernel (plain node,
 * the CLI, tests), `display` prints the `text/plain` part to stdout and updates,
 * `clearOutput` and the interrupt signal do nothing.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";

import type { MimeBundle } from "../render/mime.js";
import { formatterFor } from "./formatters.js";

/** A Jupyter MIME bundle (src/render/mime.ts). Binary values (image/png, ...) may be given as bytes; they travel as base64. */
export type { MimeBundle };

/** The key of the rich-display method: `[MIMEBUNDLE](): MimeBundle`. */
export const MIMEBUNDLE: unique symbol = Symbol.for("jupyter.mimebundle");

export interface RichDisplayable {
  [MIMEBUNDLE](): MimeBundle;
}

/** What the kernel installs on globalThis; versioned so an old library meeting a new kernel can tell. */
export interface KernelDisplayHook {
  version: 1;
  display(bundle: MimeBundle, metadata: Record<string, unknown>, displayId: string | undefined): void;
  update(bundle: MimeBundle, metadata: Record<string, unknown>, displayId: string): void;
  clearOutput(wait: boolean): void;
  /** Aborted when the user interrupts the cell that is running now. */
  interruptSignal(): AbortSignal;
}

export const KERNEL_HOOK_KEY: unique symbol = Symbol.for("convnote.kernel.display");

export interface DisplayOptions {
  /** Display metadata (e.g. `{ "image/png": { width: 200 } }`). */
  metadata?: Record<string, unknown>;
  /** Reuse an id to show the same output again; by default a fresh one. */
  displayId?: string;
}

export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the displayed output with `value` (same rules as `display`). */
  update(value: unknown, options?: { metadata?: Record<string, unknown> }): void;
}

export function kernelHook(): KernelDisplayHook | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[KERNEL_HOOK_KEY] as KernelDisplayHook | undefined;
  return hook && hook.version === 1 ? hook : undefined;
}

/** True inside a ConvNote kernel (rich output reaches a notebook). */
export function inKernel(): boolean {
  return kernelHook() !== undefined;
}

const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

function className(value: object): string {
  return value.constructor?.name ?? "object";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A plain object whose keys are all MIME types and which has a text/plain string. */
export function isMimeBundle(value: unknown): value is MimeBundle {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => MIME_TYPE.test(k)) && typeof value["text/plain"] === "string";
}

export function hasMimeBundle(value: unknown): value is RichDisplayable {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as Partial<RichDisplayable>)[MIMEBUNDLE] === "function"
  );
}

/** Checks a bundle and makes it JSON-ready: bytes become base64, undefined entries go. */
export function normalizeBundle(bundle: unknown, origin: string): MimeBundle {
  if (!isPlainObject(bundle)) {
    throw new TypeError(`${origin} must return a plain object mapping MIME types to data, got ${inspect(bundle, { depth: 0 })}`);
  }
  const out: MimeBundle = { "text/plain": "" };
  for (const [mime, data] of Object.entries(bundle)) {
    if (data === undefined) continue;
    if (!MIME_TYPE.test(mime)) {
      throw new TypeError(`${origin} returned the key '${mime}', which is not a MIME type like 'image/png'`);
    }
    out[mime] = data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64") : data;
  }
  if (typeof bundle["text/plain"] !== "string") {
    throw new TypeError(`${origin} returned no 'text/plain' string; every bundle needs one, e.g. { "text/plain": String(value), ... }`);
  }
  return out;
}

/** True when `value` shows as more than inspect() text: its own bundle method or a registered formatter. */
export { prepareForDisplay } from "./formatters.js";

export function isRichDisplayable(value: unknown): boolean {
  return hasMimeBundle(value) || formatterFor(value) !== undefined;
}

/**
 * The bundle that shows `value`: its own `[MIMEBUNDLE]()` if it has one, a registered
 * formatter's (formatters.ts), the value itself if it already is a bundle, else Node's
 * inspect() text.
 */
export function toMimeBundle(value: unknown): MimeBundle {
  if (hasMimeBundle(value)) {
    const origin = `[Symbol.for("jupyter.mimebundle")]() of ${className(value)}`;
    return normalizeBundle(value[MIMEBUNDLE](), origin);
  }
  const formatter = formatterFor(value);
  if (formatter) return normalizeBundle(formatter.format(value), `the ${formatter.name} display formatter`);
  if (isMimeBundle(value)) return normalizeBundle(value, "the MIME bundle given to display()");
  return { "text/plain": typeof value === "string" ? value : inspect(value) };
}

/** Shows `value` now (rich in a notebook, text/plain elsewhere) and returns a handle to update it. */
export function display(value: unknown, options: DisplayOptions = {}): DisplayHandle {
  const displayId = options.displayId ?? randomUUID();
  const bundle = toMimeBundle(value);
  const hook = kernelHook();
  if (hook) {
    hook.display(bundle, options.metadata ?? {}, displayId);
  } else {
    process.stdout.write(bundle["text/plain"].endsWith("\n") ? bundle["text/plain"] : `${bundle["text/plain"]}\n`);
  }
  return {
    displayId,
    update(next: unknown, updateOptions: { metadata?: Record<string, unknown> } = {}): void {
      const nextBundle = toMimeBundle(next);
      kernelHook()?.update(nextBundle, updateOptions.metadata ?? {}, displayId);
    },
  };
}

/** Replaces the output shown under `displayId` (from a handle or an earlier `display`). */
export function updateDisplay(displayId: string, value: unknown, options: { metadata?: Record<string, unknown> } = {}): void {
  kernelHook()?.update(toMimeBundle(value), options.metadata ?? {}, displayId);
}

/** Clears the running cell's output; with `wait`, only when the next output arrives (no flicker). */
export function clearOutput(options: { wait?: boolean } = {}): void {
  kernelHook()?.clearOutput(options.wait ?? false);
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * An AbortSignal that fires when the user interrupts the running cell. Long
 * asynchronous work (a training loop) checks it between steps and stops: an
 * interrupt ends the cell at once, but only the work itself can stop its own
 * pending callbacks. Outside a kernel it never fires.
 */
export function interruptSignal(): AbortSignal {
  return kernelHook()?.interruptSignal() ?? NEVER_ABORTED;
}
