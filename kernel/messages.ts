// The contents of the messages this kernel reads and writes, typed from the Jupyter
// messaging spec (https://jupyter-client.readthedocs.io/en/latest/messaging.html),
// as tslab types its own. Requests arrive as untrusted JSON: each reader checks the
// fields the spec defines, fills in the spec's defaults, and throws BadRequestError
// naming the field that is wrong, so no handler reads a raw JsonObject.
import type { Json, JsonObject, MessageHeader } from "./wire.js";

/** MIME type -> data, as display_data and execute_result carry it (binary data base64-encoded). */
export type MimeData = Readonly<Record<string, unknown>>;

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ErrorReply = { status: "error" } & ErrorContent;

// ---- shell requests --------------------------------------------------------

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  store_history: boolean;
  /** Name -> expression, each evaluated after the cell. */
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export interface IsCompleteRequest {
  code: string;
}

export interface CompleteRequest {
  code: string;
  /** In code points (the spec's "unicode characters"). */
  cursor_pos: number;
}

export interface InspectRequest {
  code: string;
  cursor_pos: number;
  detail_level: 0 | 1;
}

export type HistoryRequest = { output: boolean; raw: boolean } & (
  | { hist_access_type: "tail"; n: number | null }
  | { hist_access_type: "range"; session: number; start: number; stop: number | null }
  | { hist_access_type: "search"; pattern: string; unique: boolean; n: number | null }
);

export interface CommInfoRequest {
  target_name: string | null;
}

export interface CommOpen {
  comm_id: string;
  target_name: string;
}

export interface ShutdownRequest {
  restart: boolean;
}

/** Every shell message this kernel understands, by msg_type, with its content. */
export interface ShellRequests {
  execute_request: ExecuteRequest;
  kernel_info_request: Record<string, never>;
  is_complete_request: IsCompleteRequest;
  complete_request: CompleteRequest;
  inspect_request: InspectRequest;
  history_request: HistoryRequest;
  comm_info_request: CommInfoRequest;
  comm_open: CommOpen;
  comm_msg: Record<string, never>;
  comm_close: Record<string, never>;
  shutdown_request: ShutdownRequest;
}

export type ShellRequestType = keyof ShellRequests;

// ---- replies ---------------------------------------------------------------

export type ExpressionResult = { status: "ok"; data: MimeData; metadata: JsonObject } | ErrorReply;

export type ExecuteReply =
  | { status: "ok"; execution_count: number; user_expressions: Record<string, ExpressionResult>; payload: [] }
  | ({ status: "error"; execution_count: number; user_expressions: Record<string, never>; payload: [] } & ErrorContent)
  | { status: "aborted"; execution_count: number };

export type IsCompleteReply = { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };

export interface CompleteReply {
  status: "ok";
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: JsonObject;
}

export type InspectReply = { status: "ok"; found: true; data: MimeData; metadata: JsonObject } | { status: "ok"; found: false; data: Record<string, never>; metadata: Record<string, never> };

/** One history entry: [session, line, input] or, with output: true, [session, line, [input, output]]. */
export type HistoryEntry = [number, number, string | [string, string | null]];

export interface KernelInfoReply {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    pygments_lexer?: string;
    codemirror_mode?: string | JsonObject;
    nbconvert_exporter?: string;
  };
  banner: string;
  debugger: boolean;
  help_links: { text: string; url: string }[];
}

export interface ShellReplies {
  execute_reply: ExecuteReply;
  kernel_info_reply: KernelInfoReply;
  is_complete_reply: IsCompleteReply;
  complete_reply: CompleteReply;
  inspect_reply: InspectReply;
  history_reply: { status: "ok"; history: HistoryEntry[] };
  comm_info_reply: { status: "ok"; comms: Record<string, { target_name: string }> };
  shutdown_reply: { status: "ok"; restart: boolean };
  interrupt_reply: { status: "ok" };
}

export type ShellReplyType = keyof ShellReplies;

// ---- iopub -----------------------------------------------------------------

export interface DisplayContent {
  data: MimeData;
  metadata: Readonly<Record<string, unknown>>;
  transient: { display_id?: string };
}

export interface IopubMessages {
  status: { execution_state: "starting" | "busy" | "idle" };
  stream: { name: "stdout" | "stderr"; text: string };
  execute_input: { code: string; execution_count: number };
  execute_result: { execution_count: number; data: MimeData; metadata: JsonObject };
  display_data: DisplayContent;
  update_display_data: DisplayContent & { transient: { display_id: string } };
  clear_output: { wait: boolean };
  error: ErrorContent;
  comm_close: { comm_id: string; data: JsonObject };
  shutdown_reply: ShellReplies["shutdown_reply"];
}

export type IopubType = keyof IopubMessages;

/** A decoded request with its content read and typed. */
export interface ShellRequest<K extends ShellRequestType> {
  type: K;
  header: MessageHeader;
  identities: Buffer[];
  content: ShellRequests[K];
  /** Set on an execute_request queued behind a cell that failed with stop_on_error. */
  aborted: boolean;
}

// ---- reading requests ------------------------------------------------------

/** A request whose content does not follow the spec; answered with status "error". */
export class BadRequestError extends Error {
  override name = "BadRequestError";
}

function describe(value: Json | undefined): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Reads one request's fields: `where` names the message in errors. */
class Fields {
  constructor(
    private readonly content: JsonObject,
    private readonly where: string,
  ) {}

  private wrong(key: string, expected: string): BadRequestError {
    return new BadRequestError(`${this.where}: '${key}' must be ${expected}, got ${describe(this.content[key])}`);
  }

  /** A string field; without a fallback it is required. */
  string(key: string, fallback?: string): string {
    const value = this.content[key];
    if (typeof value === "string") return value;
    if (value === undefined && fallback !== undefined) return fallback;
    throw this.wrong(key, "a string");
  }

  optionalString(key: string): string | null {
    const value = this.content[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    throw this.wrong(key, "a string");
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.content[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === "boolean") return value;
    throw this.wrong(key, "true or false");
  }

  /** An integer field (null when absent or null and the fallback is null). */
  integer<F extends number | null>(key: string, fallback: F): number | F {
    const value = this.content[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    throw this.wrong(key, "an integer");
  }

  nonNegative(key: string, fallback: number): number {
    const value = this.integer(key, fallback);
    if (value < 0) throw this.wrong(key, "an integer >= 0");
    return value;
  }

  stringRecord(key: string): Record<string, string> {
    const value = this.content[key];
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw this.wrong(key, "an object");
    const out: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== "string") throw this.wrong(`${key}.${name}`, "a string");
      out[name] = item;
    }
    return out;
  }
}

const HISTORY_ACCESS = ["tail", "range", "search"] as const;

function readHistory(f: Fields): HistoryRequest {
  const common = { output: f.boolean("output", false), raw: f.boolean("raw", true) };
  const access = f.string("hist_access_type");
  switch (access) {
    case "tail":
      return { ...common, hist_access_type: "tail", n: f.integer("n", null) };
    case "range":
      return { ...common, hist_access_type: "range", session: f.integer("session", 0), start: f.integer("start", 1), stop: f.integer("stop", null) };
    case "search":
      return { ...common, hist_access_type: "search", pattern: f.string("pattern", "*"), unique: f.boolean("unique", false), n: f.integer("n", null) };
    default:
      throw new BadRequestError(`history_request: 'hist_access_type' must be one of ${HISTORY_ACCESS.join(", ")}, got '${access}'`);
  }
}

const readers: { [K in ShellRequestType]: (f: Fields) => ShellRequests[K] } = {
  execute_request: (f) => {
    const silent = f.boolean("silent", false);
    return {
      code: f.string("code"),
      silent,
      // The spec: silent forces store_history off.
      store_history: !silent && f.boolean("store_history", true),
      user_expressions: f.stringRecord("user_expressions"),
      allow_stdin: f.boolean("allow_stdin", true),
      stop_on_error: f.boolean("stop_on_error", true),
    };
  },
  kernel_info_request: () => ({}),
  is_complete_request: (f) => ({ code: f.string("code") }),
  complete_request: (f) => {
    const code = f.string("code");
    return { code, cursor_pos: f.nonNegative("cursor_pos", [...code].length) };
  },
  inspect_request: (f) => {
    const code = f.string("code");
    return { code, cursor_pos: f.nonNegative("cursor_pos", [...code].length), detail_level: f.nonNegative("detail_level", 0) > 0 ? 1 : 0 };
  },
  history_request: readHistory,
  comm_info_request: (f) => ({ target_name: f.optionalString("target_name") }),
  comm_open: (f) => ({ comm_id: f.string("comm_id"), target_name: f.string("target_name", "") }),
  comm_msg: () => ({}),
  comm_close: () => ({}),
  shutdown_request: (f) => ({ restart: f.boolean("restart", false) }),
};

export function isShellRequestType(type: string): type is ShellRequestType {
  return Object.prototype.hasOwnProperty.call(readers, type);
}

/** The content of a `type` message, checked and typed; throws BadRequestError. */
export function readContent<K extends ShellRequestType>(type: K, content: JsonObject): ShellRequests[K] {
  return readers[type](new Fields(content, type));
}

/** The error reply to a request that does not follow the spec. */
export function badRequestReply(error: BadRequestError): ErrorReply {
  return { status: "error", ename: error.name, evalue: error.message, traceback: [`${error.name}: ${error.message}`] };
}

/** The reply each shell message gets (comm messages get none). */
export const REPLY_TYPE: { readonly [K in ShellRequestType]: ShellReplyType | null } = {
  execute_request: "execute_reply",
  kernel_info_request: "kernel_info_reply",
  is_complete_request: "is_complete_reply",
  complete_request: "complete_reply",
  inspect_request: "inspect_reply",
  history_request: "history_reply",
  comm_info_request: "comm_info_reply",
  comm_open: null,
  comm_msg: null,
  comm_close: null,
  shutdown_request: "shutdown_reply",
};
