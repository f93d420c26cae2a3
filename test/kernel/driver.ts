// A real Jupyter client for the tests: kernel_driver.py runs jupyter_client's
// KernelManager/KernelClient and takes JSON commands over a pipe.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { packageRoot } from "../../kernel/convnote-module.js";
import { PYTHON, testJupyterEnv } from "./jupyter-env.js";

export interface KernelOutput {
  msg_type: string;
  parent_id: string;
  content: Record<string, unknown>;
}

export interface Exchange {
  timeout: boolean;
  msg_id: string;
  reply: Record<string, unknown>;
  reply_type: string;
  outputs: KernelOutput[];
  elapsed_s: number;
}

export interface ExecuteOptions {
  stop_on_error?: boolean;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  timeout?: number;
}

export class KernelDriver {
  private readonly pending: ((line: string) => void)[] = [];
  private stderr = "";
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => this.pending.shift()?.(line));
    child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    child.on("exit", () => {
      this.exited = true;
      for (const waiter of this.pending.splice(0)) waiter(JSON.stringify({ driver_error: `driver exited\n${this.stderr}` }));
    });
  }

  /** Starts `kernelName` (from the test Jupyter dir, or the one `env` names) in `cwd` and waits for kernel_info. */
  static async start(kernelName: string, cwd = process.cwd(), jupyterEnv?: NodeJS.ProcessEnv): Promise<{ driver: KernelDriver; startupSeconds: number; pid: number }> {
    const env = jupyterEnv ?? (await testJupyterEnv()).env;
    const script = path.join(packageRoot(), "test", "kernel", "kernel_driver.py");
    const child = spawn(PYTHON, [script, kernelName, cwd], { env, stdio: ["pipe", "pipe", "pipe"] });
    const driver = new KernelDriver(child);
    const ready = await driver.next<{ ready?: boolean; startup_s: number; pid: number }>();
    if (!ready.ready) throw new Error(`kernel ${kernelName} did not start: ${JSON.stringify(ready)}\n${driver.stderr}`);
    return { driver, startupSeconds: ready.startup_s, pid: ready.pid };
  }

  get log(): string {
    return this.stderr;
  }

  private next<T>(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.exited) {
        reject(new Error(`kernel driver has exited:\n${this.stderr}`));
        return;
      }
      this.pending.push((line) => {
        const value = JSON.parse(line) as T & { driver_error?: string };
        if (value.driver_error) reject(new Error(`kernel driver: ${value.driver_error}\n${this.stderr}`));
        else resolve(value);
      });
    });
  }

  command<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const answer = this.next<T>();
    this.child.stdin.write(`${JSON.stringify({ cmd, ...args })}\n`);
    return answer;
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<Exchange> {
    const result = await this.command<Exchange>("execute", { code, ...options });
    if (result.timeout) throw new Error(`no reply to ${JSON.stringify(code)} in time; got ${JSON.stringify(result.outputs)}`);
    return result;
  }

  submit(code: string, options: ExecuteOptions = {}): Promise<{ msg_id: string }> {
    return this.command("submit", { code, ...options });
  }

  async collect(msgId: string, timeout = 60): Promise<Exchange> {
    const result = await this.command<Exchange>("collect", { msg_id: msgId, timeout });
    if (result.timeout) throw new Error(`no reply to ${msgId} in time; got ${JSON.stringify(result.outputs)}`);
    return result;
  }

  /** Waits until the request's output (a stream, or a display's text/plain) matches `pattern`. */
  async waitForOutput(msgId: string, pattern: RegExp, timeout = 60): Promise<void> {
    const result = await this.command<{ found: boolean; outputs?: unknown[] }>("wait_for_output", { msg_id: msgId, pattern: pattern.source, timeout });
    if (!result.found) throw new Error(`no output matching ${pattern} in ${timeout} s; got ${JSON.stringify(result.outputs).slice(0, 2000)}`);
  }

  /** Sends one interrupt_request now. */
  interrupt(): Promise<unknown> {
    return this.command("interrupt");
  }

  /** Interrupts (interrupt_request, or SIGINT with via "sigint") until the request is answered. */
  async interruptUntilDone(
    msgId: string,
    via: "interrupt" | "sigint" = "interrupt",
    pacing: { first_delay?: number; every?: number } = {},
  ): Promise<Exchange & { interrupts_sent: number; latency_s: number }> {
    const result = await this.command<Exchange & { interrupts_sent: number; latency_s: number }>("interrupt_until_done", { msg_id: msgId, via, ...pacing });
    if (result.timeout) throw new Error(`interrupting ${msgId} did not stop it; got ${JSON.stringify(result.outputs)}`);
    return result;
  }

  request(method: string, args: Record<string, unknown> = {}): Promise<Exchange> {
    return this.command("request", { method, ...args });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end();
    await new Promise<void>((resolve) => {
      if (this.exited) resolve();
      else this.child.on("exit", () => resolve());
    });
  }
}

/** Outputs of one type, e.g. outputsOf(x, "stream"). */
export function outputsOf(exchange: Exchange, msgType: string): Record<string, unknown>[] {
  return exchange.outputs.filter((o) => o.msg_type === msgType).map((o) => o.content);
}

/** All stdout text of an exchange. */
export function stdoutOf(exchange: Exchange): string {
  return outputsOf(exchange, "stream")
    .filter((c) => c["name"] === "stdout")
    .map((c) => String(c["text"]))
    .join("");
}

/** The text/plain of the execute_result, or undefined. */
export function resultText(exchange: Exchange): string | undefined {
  const result = outputsOf(exchange, "execute_result")[0];
  return result ? String((result["data"] as Record<string, unknown>)["text/plain"]) : undefined;
}
