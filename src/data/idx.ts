/**
 * Reader for the IDX file format used by MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/, section "file formats").
 *
 * Layout: a 4-byte magic number [0, 0, dtype, rank], then `rank` dimension
 * sizes as big-endian uint32, then the values in row-major order, multi-byte
 * values big-endian. Files may be gzip-compressed (the usual *.gz downloads);
 * gzip is recognised by its own magic bytes 1f 8b, not by the file name.
 */

import { constants, gunzipSync } from "node:zlib";
import { readInputFile } from "./input-file.js";

/** The most an IDX file may hold once decompressed (MNIST's largest file is 47 MB). */
export const MAX_IDX_BYTES = 2 ** 30;

export type IdxDtype = "ubyte" | "byte" | "short" | "int" | "float" | "double";

export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  /** Sizes of each dimension, outermost first (e.g. [60000, 28, 28]). */
  dims: number[];
  /** The values, row-major. For ubyte files this is a view of the input buffer. */
  data: IdxValues;
}

/** Raised for files that are not valid IDX; the message names the source. */
export class IdxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IdxFormatError";
  }
}

const DTYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  0x08: { dtype: "ubyte", bytes: 1 },
  0x09: { dtype: "byte", bytes: 1 },
  0x0b: { dtype: "short", bytes: 2 },
  0x0c: { dtype: "int", bytes: 4 },
  0x0d: { dtype: "float", bytes: 4 },
  0x0e: { dtype: "double", bytes: 8 },
};

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (plain or gzip). `source` names the file in error messages.
 */
export function parseIdx(input: Uint8Array, source = "IDX data"): IdxArray {
  const bytes = isGzip(input) ? gunzipIdx(input, source) : input;
  if (bytes.length < 4) {
    throw new IdxFormatError(`${source}: only ${bytes.length} bytes, too short for an IDX header (4-byte magic number)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new IdxFormatError(
      `${source}: not an IDX file (magic number ${magic}; IDX files start with 00 00 <type> <rank>)`,
    );
  }
  const typeCode = bytes[2] as number;
  const type = DTYPES[typeCode];
  if (!type) {
    throw new IdxFormatError(
      `${source}: unknown IDX data type 0x${typeCode.toString(16).padStart(2, "0")} ` +
        `(known: 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float, 0x0e double)`,
    );
  }
  const rank = bytes[3] as number;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      `${source}: truncated header: rank ${rank} needs ${headerBytes} header bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const dataBytes = count * type.bytes;
  const available = bytes.length - headerBytes;
  if (available < dataBytes) {
    throw new IdxFormatError(
      `${source}: truncated: dims [${dims.join(", ")}] of ${type.dtype} need ${dataBytes} data bytes after the ` +
        `header, the file has ${available}; download the file again`,
    );
  }
  if (available > dataBytes) {
    throw new IdxFormatError(
      `${source}: ${available - dataBytes} unexpected bytes after the ${dataBytes} data bytes for ` +
        `dims [${dims.join(", ")}]; the header does not match the contents`,
    );
  }
  return { dtype: type.dtype, dims, data: readValues(view, headerBytes, count, type.dtype) };
}

/** Header bytes and the size its dims promise (header + values); null when the bytes are too few or not IDX. */
function promisedSize(bytes: Uint8Array): number | null {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) return null;
  const type = DTYPES[bytes[2] as number];
  const rank = bytes[3] as number;
  if (!type || bytes.length < 4 + 4 * rank) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 1;
  for (let i = 0; i < rank; i++) count *= view.getUint32(4 + 4 * i, false);
  return 4 + 4 * rank + count * type.bytes;
}

/**
 * Decompresses a gzipped IDX file, never to more than its header promises: the header is
 * inflated first, and the whole file is then inflated with that size as the cap, so a small
 * file that expands to gigabytes is refused before it takes the memory.
 */
function gunzipIdx(input: Uint8Array, source: string): Uint8Array {
  const failed = (err: unknown) =>
    new IdxFormatError(
      `${source}: starts like a gzip file but does not decompress (${(err as Error).message}); ` +
        `the file is probably truncated or corrupt, download it again`,
    );
  let head: Uint8Array;
  try {
    // A partial stream inflates to what it holds: 4 KiB of it hold the header (at most 1,024
    // bytes) and inflate to at most 4 MiB (deflate's ratio is at most 1032:1).
    head = gunzipSync(input.subarray(0, Math.min(input.length, 4096)), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 8 << 20 });
  } catch (err) {
    throw failed(err);
  }
  const promised = promisedSize(head);
  const cap = promised ?? 1024; // not IDX or a header cut short: parseIdx says which, from the first bytes
  if (cap > MAX_IDX_BYTES) {
    throw new IdxFormatError(
      `${source}: its header promises ${cap.toLocaleString("en-US")} bytes of data, more than ConvNote reads from an IDX file (${MAX_IDX_BYTES.toLocaleString("en-US")})`,
    );
  }
  try {
    return gunzipSync(input, { maxOutputLength: cap });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new IdxFormatError(
        `${source}: decompresses to more than the ${cap.toLocaleString("en-US")} bytes its header promises; the header does not match the contents`,
      );
    }
    throw failed(err);
  }
}

function readValues(view: DataView, offset: number, count: number, dtype: IdxDtype): IdxValues {
  const base = view.byteOffset + offset;
  switch (dtype) {
    case "ubyte":
      return new Uint8Array(view.buffer, base, count);
    case "byte":
      return new Int8Array(view.buffer, base, count);
    case "short": {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "double": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Reads and parses an IDX file (plain or gzip) from disk. */
export function readIdxFile(path: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, "an IDX file", MAX_IDX_BYTES);
  } catch (err) {
    throw new IdxFormatError((err as Error).message);
  }
  return parseIdx(bytes, path);
}

/**
 * Encodes an array as IDX bytes (big-endian). Used by tests and by anyone who
 * wants to save a small data set in the MNIST format.
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(DTYPES).find(([, t]) => t.dtype === array.dtype);
  if (!entry) throw new Error(`encodeIdx: unknown dtype ${array.dtype}`);
  const [code, type] = entry;
  const count = array.dims.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new Error(`encodeIdx: dims [${array.dims.join(", ")}] need ${count} values, got ${array.data.length}`);
  }
  const header = 4 + 4 * array.dims.length;
  const out = new Uint8Array(header + count * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = array.dims.length;
  array.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = array.data[i] as number;
    const at = header + i * type.bytes;
    switch (array.dtype) {
      case "ubyte": view.setUint8(at, v); break;
      case "byte": view.setInt8(at, v); break;
      case "short": view.setInt16(at, v, false); break;
      case "int": view.setInt32(at, v, false); break;
      case "float": view.setFloat32(at, v, false); break;
      case "double": view.setFloat64(at, v, false); break;
    }
  }
  return out;
}
