/**
 * Reader for the IDX file format used by MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/, section "file formats").
 *
 * Layout: a 4-byte magic number [0, 0, dtype, rank], then `rank` dimension
 * sizes as big-endian uint32, then the values in row-major order, multi-byte
 * values big-endian. Files may be gzip-compressed (the usual *.gz downloads);
 * gzip is recognised by its own magic bytes 1f 8b, not by the file name.
 */

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

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
  let bytes = input;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new IdxFormatError(
        `${source}: starts like a gzip file but does not decompress (${(err as Error).message}); ` +
          `the file is probably truncated or corrupt, download it again`,
      );
    }
  }
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
    bytes = readFileSync(path);
  } catch (err) {
    throw new IdxFormatError(`cannot read IDX file ${path}: ${(err as Error).message}`);
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
