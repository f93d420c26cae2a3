// The shell channel's msg_type -> handler table, and the dispatcher that reads each
// request's content (messages.ts), brackets it with busy/idle status and calls its
// handler. A new message is a reader in messages.ts and a row here.
import type { CellRouter } from "./cell-router.js";
import type { Execution } from "./execution.js";
import { complete, inspect, isComplete } from "./introspection.js";
import { log } from "./log.js";
import { BadRequestError, badRequestReply, isShellRequestType, type KernelInfoReply, readContent, REPLY_TYPE, type ShellRequest, type ShellRequestType } from "./messages.js";
import type { QueuedRequest } from "./request-queue.js";
import type { Transport } from "./transport.js";

export type ShellHandler<K extends ShellRequestType> = (request: ShellRequest<K>) => void | Promise<void>;

export type ShellHandlers = { readonly [K in ShellRequestType]: ShellHandler<K> };

export interface ShellParts {
  transport: Transport;
  execution: Execution;
  router: CellRouter;
  kernelInfo(): KernelInfoReply;
  /** Called after each kernel_info_request: a client is connected. */
  clientConnected(): void;
  shutdown(restart: boolean): Promise<void>;
}

export function shellHandlers({ transport, execution, router, kernelInfo, clientConnected, shutdown }: ShellParts): ShellHandlers {
  return {
    execute_request: (request) => (request.aborted ? execution.replyAborted(request) : execution.execute(request)),
    kernel_info_request: (request) => {
      transport.reply(request, "kernel_info_reply", kernelInfo());
      clientConnected();
    },
    is_complete_request: (request) => transport.reply(request, "is_complete_reply", isComplete(router, request.content)),
    complete_request: (request) => transport.reply(request, "complete_reply", complete(router, request.content)),
    inspect_request: (request) => transport.reply(request, "inspect_reply", inspect(router, request.content)),
    history_request: (request) => transport.reply(request, "history_reply", { status: "ok", history: execution.history.query(request.content) }),
    comm_info_request: (request) => transport.reply(request, "comm_info_reply", { status: "ok", comms: {} }),
    // No comm targets exist: close it so the frontend does not wait on it.
    comm_open: (request) => transport.publish("comm_close", { comm_id: request.content.comm_id, data: {} }, request.header),
    comm_msg: () => {},
    comm_close: () => {},
    shutdown_request: async (request) => {
      const { restart } = request.content;
      transport.reply(request, "shutdown_reply", { status: "ok", restart });
      transport.publish("status", { execution_state: "idle" }, request.header);
      await shutdown(restart);
    },
  };
}

export class ShellDispatcher {
  constructor(
    private readonly transport: Transport,
    private readonly handlers: ShellHandlers,
  ) {}

  async dispatch({ message, aborted }: QueuedRequest): Promise<void> {
    const type = message.header.msg_type;
    this.transport.publish("status", { execution_state: "busy" }, message.header);
    try {
      if (isShellRequestType(type)) await this.handle(type, message, aborted);
      else log(`ignored shell message '${type}'`);
    } finally {
      if (!this.transport.closing) this.transport.publish("status", { execution_state: "idle" }, message.header);
    }
  }

  private async handle<K extends ShellRequestType>(type: K, message: QueuedRequest["message"], aborted: boolean): Promise<void> {
    let content;
    try {
      content = readContent(type, message.content);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      const replyType = REPLY_TYPE[type];
      if (replyType) this.transport.reply(message, replyType, badRequestReply(error));
      log(`bad ${type}: ${error.message}`);
      return;
    }
    const handler = this.handlers[type] as ShellHandler<K>;
    await handler({ type, header: message.header, identities: message.identities, content, aborted });
  }
}
