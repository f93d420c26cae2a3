// Reads the connection file Jupyter writes for a kernel: where to bind and how to sign.
import { readFileSync } from "node:fs";

export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

const PORT_FIELDS = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const;

export function parseConnectionInfo(text: string, source: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (raw === null || typeof raw !== "object") throw new Error(`${source}: expected a JSON object`);
  const obj = raw as Record<string, unknown>;
  const info: ConnectionInfo = {
    transport: typeof obj["transport"] === "string" ? obj["transport"] : "tcp",
    ip: typeof obj["ip"] === "string" ? obj["ip"] : "127.0.0.1",
    key: typeof obj["key"] === "string" ? obj["key"] : "",
    signature_scheme: typeof obj["signature_scheme"] === "string" ? obj["signature_scheme"] : "hmac-sha256",
    shell_port: 0,
    iopub_port: 0,
    stdin_port: 0,
    control_port: 0,
    hb_port: 0,
  };
  for (const field of PORT_FIELDS) {
    const port = obj[field];
    if (typeof port !== "number" || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new Error(`${source}: '${field}' must be a port number 1-65535, got ${JSON.stringify(port)}`);
    }
    info[field] = port;
  }
  if (info.transport !== "tcp" && info.transport !== "ipc") {
    throw new Error(`${source}: transport '${info.transport}' is not supported; use 'tcp' or 'ipc'`);
  }
  return info;
}

export function readConnectionFile(path: string): ConnectionInfo {
  return parseConnectionInfo(readFileSync(path, "utf8"), path);
}
