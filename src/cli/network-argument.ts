// A network named on the command line: a file (.net or any existing path), a zoo name, or text.
import { findZooEntry } from "../zoo/index.js";

export type ResolvedNetwork =
  | { ok: true; source: string; /** Used in diagnostics: the path, the zoo name, or "<text>". */ fileName: string }
  | { ok: false; message: string };

export interface FileAccess {
  exists(path: string): boolean;
  read(path: string): string;
}

export function resolveNetworkArgument(argument: string, files: FileAccess): ResolvedNetwork {
  const looksLikePath = /\.net$/i.test(argument);
  if (looksLikePath || (!/\s/.test(argument) && files.exists(argument))) {
    if (!files.exists(argument)) return { ok: false, message: `no such file: ${argument}` };
    return { ok: true, source: files.read(argument), fileName: argument };
  }
  const entry = findZooEntry(argument);
  if (entry) return { ok: true, source: entry.source, fileName: entry.name };
  return { ok: true, source: argument, fileName: "<text>" };
}
