// A network named on the command line: a file (.net or any existing path), a zoo name, or text.
import { existsSync } from "node:fs";
import { readInputFile } from "../data/input-file.js";
import { findZooEntry } from "../zoo/index.js";

export type ResolvedNetwork =
  | { ok: true; source: string; /** Used in diagnostics: the path, the zoo name, or "<text>". */ fileName: string }
  | { ok: false; message: string };

export interface FileAccess {
  exists(path: string): boolean;
  read(path: string): string;
}

/** A network file is text of at most this size (the whole zoo together is a few kilobytes). */
const MAX_NETWORK_FILE_BYTES = 16 * 1024 * 1024;

/** The disk, with errors that name the path (a folder, a device, a file too large for a network). */
export const networkFiles: FileAccess = {
  exists: existsSync,
  read: (path) => readInputFile(path, "a network file (.net)", MAX_NETWORK_FILE_BYTES).toString("utf8"),
};

export function resolveNetworkArgument(argument: string, files: FileAccess = networkFiles): ResolvedNetwork {
  const looksLikePath = /\.net$/i.test(argument);
  if (looksLikePath || (!/\s/.test(argument) && files.exists(argument))) {
    if (!files.exists(argument)) return { ok: false, message: `no such file: ${argument}` };
    try {
      return { ok: true, source: files.read(argument), fileName: argument };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }
  const entry = findZooEntry(argument);
  if (entry) return { ok: true, source: entry.source, fileName: entry.name };
  return { ok: true, source: argument, fileName: "<text>" };
}
