// The ConvNote kernel: puts the parts together, starts them and shuts them down.
//
//   transport.ts       shell, iopub and stdin sockets (signing, replay guard, send queues)
//   control.ts         the control thread (control and heartbeat answer while a cell blocks)
//   request-queue.ts   shell requests one at a time, in arrival order; aborting after an error
//   shell-handlers.ts  the msg_type -> handler table; messages.ts types every content
//   execution.ts       execute_request; cell-router.ts picks each cell's handler
//                      (typescript-handler.ts, or magic-cells.ts for `%%net` and other plug-ins)
//   introspection.ts   is_complete, complete, inspect through the same router
//   cell-output.ts     streams and display hooks (ConvNote's and tslab's, tslab-display.ts)
//   warm-up.ts         building the compiler and loading the backend after the first reply
import { randomUUID } from "node:crypto";
import { CellPhaseFlag } from "./cell-phase.js";
import { CellOutput } from "./cell-output.js";
import { type CellHandler, CellRouter } from "./cell-router.js";
import type { ConnectionInfo } from "./connection.js";
import { ControlChannel } from "./control.js";
import { installConvnoteResolution } from "./convnote-module.js";
import { exceptionError } from "./errors.js";
import { Execution } from "./execution.js";
import { kernelInfoContent } from "./kernel-info.js";
import type { LanguageCellHandlers } from "./language-cells.js";
import { MagicCellHandler } from "./magic-cells.js";
import type { KernelInfoReply } from "./messages.js";
import { RequestQueue } from "./request-queue.js";
import { ShellDispatcher, shellHandlers } from "./shell-handlers.js";
import { Transport } from "./transport.js";
import { TypeScriptCells } from "./typescript-cells.js";
import { TypeScriptCellHandler } from "./typescript-handler.js";
import { WarmUp } from "./warm-up.js";

export interface KernelOptions {
  connection: ConnectionInfo;
  /** Handlers for `%%NAME` cells, by NAME (e.g. `{ net: handler }`). */
  languageCells?: LanguageCellHandlers;
  /** ConvNote's package root (for `import "convnote"` and the backend banner). */
  packageRoot: string;
  /** Directory TypeScript cells compile in (Jupyter starts kernels in the notebook's folder). */
  rootDir?: string;
  /** Look for the TensorFlow.js backend module and announce it (default true). */
  announceBackend?: boolean;
}

export class ConvNoteKernel {
  private readonly transport: Transport;
  private readonly control = new ControlChannel();
  private readonly queue = new RequestQueue();
  private readonly phase = new CellPhaseFlag();
  private readonly output: CellOutput;
  private readonly cells: TypeScriptCells;
  private readonly execution: Execution;
  private readonly dispatcher: ShellDispatcher;
  private readonly warmUp: WarmUp;
  private backend: string | null = null;
  private resolveClosed!: () => void;
  /** Resolves when the kernel has shut down and released its sockets. */
  readonly closed: Promise<void> = new Promise((resolve) => (this.resolveClosed = resolve));

  private constructor(private readonly options: KernelOptions) {
    this.transport = new Transport(options.connection, randomUUID());
    this.output = new CellOutput((msgType, content, parent) => this.transport.publish(msgType, content, parent));
    this.cells = new TypeScriptCells(options.rootDir ?? process.cwd(), (inScript) => this.phase.scriptRunning(inScript));
    this.warmUp = new WarmUp({
      packageRoot: options.packageRoot,
      announceBackend: options.announceBackend !== false,
      buildCompiler: () => {
        this.cells.warm();
        this.output.installTslabDisplay();
      },
      backendKnown: (description) => {
        this.backend = description;
        this.control.updateKernelInfo(this.kernelInfo());
      },
    });
    const warm = (): void => this.warmUp.now();
    const typescript = new TypeScriptCellHandler(this.cells, warm, (warning) => this.output.write("stderr", `${warning}\n`));
    const magics: Record<string, CellHandler> = {};
    for (const [magic, plugin] of Object.entries(options.languageCells ?? {})) {
      magics[magic] = new MagicCellHandler(magic, plugin, (bindings) => (warm(), this.cells.declare(bindings)));
    }
    const router = new CellRouter(typescript, magics);
    this.execution = new Execution({
      transport: this.transport,
      router,
      output: this.output,
      phase: this.phase,
      typescript: this.cells,
      abortQueuedCells: () => this.queue.abortQueuedCells(() => this.transport.shellHasMore),
      bannerOnce: () => this.warmUp.bannerOnce(),
    });
    const handlers = shellHandlers({
      transport: this.transport,
      execution: this.execution,
      router,
      kernelInfo: () => this.kernelInfo(),
      clientConnected: () => this.warmUp.soon(),
      shutdown: (restart) => this.shutdown(restart),
    });
    this.dispatcher = new ShellDispatcher(this.transport, handlers);
  }

  /** Binds every socket where the connection file says and starts serving. */
  static async start(options: KernelOptions): Promise<ConvNoteKernel> {
    const kernel = new ConvNoteKernel(options);
    installConvnoteResolution(options.packageRoot);
    await Promise.all([
      kernel.transport.bind(),
      kernel.control.start(options.connection, kernel.transport.session, kernel.kernelInfo(), kernel.phase.buffer, {
        interrupt: () => kernel.interrupt(),
        shutdown: (restart) => void kernel.shutdown(restart),
      }),
    ]);
    kernel.serve();
    return kernel;
  }

  private serve(): void {
    this.output.install(() => this.execution.interruptSignal);
    process.on("SIGINT", () => this.interrupt());
    process.on("uncaughtException", (error) => this.reportBackgroundError("an uncaught exception", error));
    process.on("unhandledRejection", (reason) => this.reportBackgroundError("an unhandled promise rejection", reason));
    this.transport.publish("status", { execution_state: "starting" }, {});
    void this.transport.readShell((message) => this.queue.push(message));
    void this.queue.serve((request) => this.dispatcher.dispatch(request));
    this.warmUp.start();
  }

  kernelInfo(): KernelInfoReply {
    return kernelInfoContent(this.options.packageRoot, this.backend);
  }

  interrupt(): void {
    this.execution.interrupt();
  }

  private reportBackgroundError(what: string, error: unknown): void {
    const { traceback } = exceptionError(error);
    this.output.write("stderr", `Background work failed with ${what}:\n${traceback.join("\n")}\n`);
  }

  /** Answers nothing more, flushes what is queued, releases every socket. */
  async shutdown(restart: boolean): Promise<void> {
    if (this.transport.closing) return this.closed;
    this.output.flush();
    this.transport.publish("shutdown_reply", { status: "ok", restart }, this.output.parentHeader ?? {});
    this.transport.startClosing();
    this.warmUp.cancel();
    this.queue.stop();
    this.cells.interrupt();
    await this.transport.drained();
    await this.control.close();
    this.transport.close();
    this.output.uninstall();
    this.cells.close();
    this.resolveClosed();
  }
}
