// The main thread's sockets: shell (requests in, replies out), iopub (outputs and
// status) and stdin, with signing, replay protection and one-at-a-time sends.
// Control and heartbeat live in the control thread (control.ts).
import * as zmq from "zeromq";
import type { ConnectionInfo } from "./connection.js";
import { log, RateLimitedLog } from "./log.js";
import type { ErrorReply, IopubMessages, IopubType, ShellReplies, ShellReplyType } from "./messages.js";
import { SendQueue } from "./send-queue.js";
import { decodeMessage, encodeMessage, endpoint, InvalidMessageError, type JupyterMessage, type MessageHeader, MessageSigner, ReplayGuard } from "./wire.js";

/** What a reply needs of the request it answers. */
export interface RequestAddress {
  header: MessageHeader;
  identities: Buffer[];
}

/** The parent of an iopub message: a request's header, or none (`{}`) for kernel-wide status. */
export type Parent = MessageHeader | Record<string, never>;

/**
 * The stdin channel carries input_reply, answers to input_request, which this kernel never
 * sends: what arrives is read and dropped, a message over this size disconnects its sender
 * (ZeroMQ's ZMQ_MAXMSGSIZE) instead of being buffered, and at most 16 wait to be read.
 */
export const STDIN_MAX_MESSAGE_BYTES = 1 << 20;

export class Transport {
  private readonly signer: MessageSigner;
  private readonly replay: ReplayGuard;
  private readonly shell = new zmq.Router({ linger: 1000 });
  private readonly iopub = new zmq.Publisher({ linger: 1000, sendHighWaterMark: 0 });
  private readonly stdin = new zmq.Router({ linger: 0, maxMessageSize: STDIN_MAX_MESSAGE_BYTES, receiveHighWaterMark: 16 });
  /** A client can send any number of bad messages: log a few per channel, count the rest. */
  private readonly shellDrops = new RateLimitedLog((text) => log(text));
  private readonly stdinDrops = new RateLimitedLog((text) => log(text));
  private readonly shellOut: SendQueue;
  private readonly iopubOut: SendQueue;
  /** Once closing, iopub carries only the final shutdown_reply and status. */
  private isClosing = false;

  /** @param replayHistory shared with the control thread, so a message is accepted once on any channel. */
  constructor(
    private readonly connection: ConnectionInfo,
    readonly session: string,
    replayHistory: SharedArrayBuffer,
  ) {
    this.signer = new MessageSigner(connection.key, connection.signature_scheme);
    this.replay = new ReplayGuard(replayHistory);
    this.shellOut = new SendQueue(this.shell, (e) => log(`shell send failed: ${String(e)}`));
    this.iopubOut = new SendQueue(this.iopub, (e) => log(`iopub send failed: ${String(e)}`));
  }

  async bind(): Promise<void> {
    const { transport, ip } = this.connection;
    await Promise.all([
      this.shell.bind(endpoint(transport, ip, this.connection.shell_port)),
      this.iopub.bind(endpoint(transport, ip, this.connection.iopub_port)),
      this.stdin.bind(endpoint(transport, ip, this.connection.stdin_port)),
    ]);
  }

  /** Hands every verified shell message to `receive`, dropping (and logging) forged or malformed ones. */
  async readShell(receive: (message: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of this.shell) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.signer, this.replay);
        } catch (error) {
          if (error instanceof InvalidMessageError || error instanceof SyntaxError) {
            this.shellDrops.log(`dropped a shell message: ${error.message}`);
            continue;
          }
          throw error;
        }
        receive(message);
      }
    } catch (error) {
      if (!this.isClosing) log(`shell channel stopped: ${(error as Error).message}`);
    }
  }

  /** Reads the stdin channel and drops what comes (no input_request is ever pending). */
  async drainStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const bytes = frames.reduce((sum, f) => sum + f.length, 0);
        this.stdinDrops.log(`dropped a stdin message (${bytes} bytes): this kernel does not ask for input`);
      }
    } catch (error) {
      if (!this.isClosing) log(`stdin channel stopped: ${(error as Error).message}`);
    }
  }

  /** True while the shell socket holds messages not yet read. */
  get shellHasMore(): boolean {
    return this.shell.readable;
  }

  reply<K extends ShellReplyType>(request: RequestAddress, msgType: K, content: ShellReplies[K] | ErrorReply): void {
    this.shellOut.push(encodeMessage({ msgType, content, parent: request.header, identities: request.identities }, this.session, this.signer));
  }

  publish<K extends IopubType>(msgType: K, content: IopubMessages[K], parent: Parent): void {
    if (this.isClosing && msgType !== "shutdown_reply" && msgType !== "status") return;
    const topic = Buffer.from(`kernel.${this.session}.${msgType}`);
    this.iopubOut.push(encodeMessage({ msgType, content, parent, identities: [topic] }, this.session, this.signer));
  }

  /** From now on only the shutdown messages go out. */
  startClosing(): void {
    this.isClosing = true;
  }

  get closing(): boolean {
    return this.isClosing;
  }

  /** Resolves once every queued message has been handed to ZeroMQ. */
  async drained(): Promise<void> {
    await Promise.all([this.shellOut.drained(), this.iopubOut.drained()]);
  }

  close(): void {
    this.shellDrops.flushSuppressed();
    this.stdinDrops.flushSuppressed();
    this.shell.close();
    this.iopub.close();
    this.stdin.close();
  }
}
