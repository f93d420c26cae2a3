/**
 * Files a user names (an image, an IDX file, a saved model's files, a network file) are read
 * through here, so that every failure names the file and says what was expected instead of a
 * bare EISDIR or ENOENT: a missing file, a folder, a device or pipe (never read: /dev/zero has
 * no end), or a file larger than the reader accepts.
 */
import { readFileSync, statSync } from "node:fs";

/** Raised for a path that cannot be what the reader wanted; the message names it. */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputFileError";
  }
}

/** The size of `path` in bytes, after checking it is a regular file; `what` says what it should be ("a PNG or JPEG image"). */
export function regularFileSize(path: string, what: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new InputFileError(`${path}: no such file (expected ${what})`);
    throw new InputFileError(`${path}: cannot be read (${(error as Error).message})`);
  }
  if (stats.isDirectory()) throw new InputFileError(`${path} is a folder, not ${what}`);
  if (!stats.isFile()) throw new InputFileError(`${path} is not a regular file (a device, pipe or socket), not ${what}`);
  return stats.size;
}

/** The bytes of a regular file of at most `maxBytes` bytes. */
export function readInputFile(path: string, what: string, maxBytes = Infinity): Buffer {
  const size = regularFileSize(path, what);
  if (size > maxBytes) throw new InputFileError(`${path}: ${size.toLocaleString("en-US")} bytes is more than ${what} may be (${maxBytes.toLocaleString("en-US")})`);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputFileError(`${path}: cannot be read (${(error as Error).message})`);
  }
}
