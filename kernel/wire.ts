// The Jupyter wire protocol: framing, HMAC signing and verification of messages.
// https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** JSON values as they travel in message parts. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface JupyterMessage {
  /** ZeroMQ routing prefix (ROUTER identities); replies go back with the same prefix. */
  identities: Buffer[];
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parentHeader: MessageHeader | Record<string, never>;
  metadata: JsonObject;
  content: JsonObject;
  buffers: Buffer[];
}

/** Signs message parts with the connection file's key; an empty key means "no signing" (spec). */
export class MessageSigner {
  private readonly algorithm: string;
  private readonly key: Buffer;

  constructor(key: string, signatureScheme: string) {
    const match = /^hmac-([a-z0-9-]+)$/i.exec(signatureScheme);
    if (!match) {
      throw new Error(
        `connection file: signature_scheme '${signatureScheme}' is not supported; use 'hmac-sha256'`,
      );
    }
    this.algorithm = match[1]!.toLowerCase();
    this.key = Buffer.from(key, "utf8");
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  sign(parts: readonly (Buffer | string)[]): string {
    if (!this.enabled) return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest("hex");
  }

  /** Constant-time comparison, so the signature cannot be guessed byte by byte. */
  verify(signature: string, parts: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(parts), "utf8");
    const given = Buffer.from(signature, "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

export class InvalidMessageError extends Error {
  override name = "InvalidMessageError";
}

/**
 * Remembers recent signatures so that a captured message cannot be replayed
 * (jupyter_client's Session keeps the same kind of digest history, 2^16 deep).
 *
 * One history serves every channel: the shell socket on the main thread and the
 * control socket in the control thread share it through a SharedArrayBuffer, so a
 * message seen on one channel is refused on the other too. Each signature is kept
 * as its first 128 bits (an HMAC's bits are uniform, so a clash is out of reach)
 * in a ring; a spin lock (held for one scan, never across an await) makes the
 * check-and-record atomic between the two threads.
 */
export class ReplayGuard {
  /** Slots before the ring: the lock, the next write position, the number of entries. */
  private static readonly HEADER = 3;
  private static readonly WORDS = 4;
  private readonly words: Int32Array;
  private readonly capacity: number;

  /** A history shared by every guard made from `buffer` (ReplayGuard.buffer(capacity)). */
  constructor(buffer: SharedArrayBuffer = ReplayGuard.buffer()) {
    this.words = new Int32Array(buffer);
    this.capacity = (this.words.length - ReplayGuard.HEADER) / ReplayGuard.WORDS;
  }

  static buffer(capacity = 65536): SharedArrayBuffer {
    return new SharedArrayBuffer((ReplayGuard.HEADER + capacity * ReplayGuard.WORDS) * Int32Array.BYTES_PER_ELEMENT);
  }

  get sharedBuffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  /** True when the signature is new (and records it). */
  accept(signature: string): boolean {
    if (signature === "") return true; // unsigned sessions have nothing to compare
    const key = digestWords(signature);
    const w = this.words;
    const H = ReplayGuard.HEADER;
    while (Atomics.compareExchange(w, 0, 0, 1) !== 0) {
      /* the other thread holds it for one scan */
    }
    try {
      const count = w[2]!;
      for (let i = 0; i < count; i++) {
        const at = H + i * ReplayGuard.WORDS;
        if (w[at] === key[0] && w[at + 1] === key[1] && w[at + 2] === key[2] && w[at + 3] === key[3]) return false;
      }
      const next = w[1]!;
      w.set(key, H + next * ReplayGuard.WORDS);
      w[1] = (next + 1) % this.capacity;
      w[2] = Math.min(count + 1, this.capacity);
      return true;
    } finally {
      Atomics.store(w, 0, 0);
    }
  }
}

/** The first 128 bits of a hex signature (any other text is hashed to 128 bits first). */
function digestWords(signature: string): Int32Array {
  const hex = /^[0-9a-f]{32}/i.test(signature) ? signature.slice(0, 32) : createHash("sha256").update(signature).digest("hex").slice(0, 32);
  const out = new Int32Array(4);
  for (let i = 0; i < 4; i++) out[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0;
  return out;
}

function parseJsonPart(part: Buffer | undefined, what: string): JsonObject {
  if (part === undefined) throw new InvalidMessageError(`message has no ${what} part`);
  const value: unknown = JSON.parse(part.toString("utf8"));
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidMessageError(`message ${what} is not a JSON object`);
  }
  return value as JsonObject;
}

function isHeader(value: JsonObject): value is JsonObject & MessageHeader {
  return typeof value["msg_id"] === "string" && typeof value["msg_type"] === "string";
}

/**
 * Decodes and verifies raw frames. Throws InvalidMessageError for a missing
 * delimiter, a bad signature or malformed JSON; callers drop such messages.
 */
export function decodeMessage(frames: readonly Buffer[], signer: MessageSigner, replay?: ReplayGuard): JupyterMessage {
  const delimiterAt = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
  if (delimiterAt < 0) throw new InvalidMessageError("message has no <IDS|MSG> delimiter");
  const signature = frames[delimiterAt + 1]?.toString("utf8") ?? "";
  const signed = frames.slice(delimiterAt + 2, delimiterAt + 6);
  if (signed.length < 4) throw new InvalidMessageError("message has fewer than 4 parts after the signature");
  if (signer.enabled && signature === "") throw new InvalidMessageError("message is not signed");
  if (!signer.verify(signature, signed)) throw new InvalidMessageError("message signature does not match the connection key");
  if (replay && !replay.accept(signature)) throw new InvalidMessageError("message signature was already used (replayed message)");
  const header = parseJsonPart(signed[0], "header");
  if (!isHeader(header)) throw new InvalidMessageError("message header lacks msg_id or msg_type");
  const parent = parseJsonPart(signed[1], "parent header");
  return {
    identities: frames.slice(0, delimiterAt),
    header: header as MessageHeader,
    parentHeader: isHeader(parent) ? (parent as MessageHeader) : {},
    metadata: parseJsonPart(signed[2], "metadata"),
    content: parseJsonPart(signed[3], "content"),
    buffers: frames.slice(delimiterAt + 6),
  };
}

export interface OutgoingMessage {
  msgType: string;
  /** Any JSON-serialisable object (messages.ts types each message's content). */
  content: object;
  parent?: MessageHeader | Record<string, never>;
  identities?: Buffer[];
  metadata?: JsonObject;
}

/** Builds the frames of a message signed with `signer`. */
export function encodeMessage(message: OutgoingMessage, session: string, signer: MessageSigner): Buffer[] {
  const header: MessageHeader = {
    msg_id: randomUUID(),
    session,
    username: "convnote",
    date: new Date().toISOString(),
    msg_type: message.msgType,
    version: PROTOCOL_VERSION,
  };
  const parts = [
    JSON.stringify(header),
    JSON.stringify(message.parent ?? {}),
    JSON.stringify(message.metadata ?? {}),
    JSON.stringify(message.content),
  ].map((p) => Buffer.from(p, "utf8"));
  return [...(message.identities ?? []), Buffer.from(DELIMITER, "latin1"), Buffer.from(signer.sign(parts), "utf8"), ...parts];
}

/** Where a socket of the connection file binds, for tcp and ipc transports. */
export function endpoint(transport: string, ip: string, port: number): string {
  return transport === "ipc" ? `ipc://${ip}-${port}` : `${transport}://${ip}:${port}`;
}
