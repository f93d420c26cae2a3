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
//   process-guards.ts  process.exit refused, background errors reported, SIGTERM shuts down
//   stuck-main-thread.ts  (control thread) stopping code that never yields, after an interrupt
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
import { log } from "./log.js";
import { MagicCellHandler } from "./magic-cells.js";
import type { KernelInfoReply } from "./messages.js";
import { exitCleanlyOnSigterm, guardFaultListeners, refuseProcessExit, removeIpcSocketFiles } from "./process-guards.js";
import { RequestQueue } from "./request-queue.js";
import { ShellDispatcher, shellHandlers } from "./shell-handlers.js";
import { ASYNC_HOOKS_FLAG } from "./stuck-main-thread.js";
import { recoverTfEngine } from "./tf-recovery.js";
import { Transport } from "./transport.js";
import { watchTrainingCount } from "../src/train/stop.js";
import { TypeScriptCells } from "./typescript-cells.js";
import { TypeScriptCellHandler } from "./typescript-handler.js";
import { WarmUp } from "./warm-up.js";
import { ReplayGuard } from "./wire.js";

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
  private readonly replayHistory = ReplayGuard.buffer();
  private readonly faultListeners = new Set<(...args: unknown[]) => void>();
  private undoExitGuard: (() => void) | null = null;
  private resolveClosed!: () => void;
  /** Resolves when the kernel has shut down and released its sockets. */
  readonly closed: Promise<void> = new Promise((resolve) => (this.resolveClosed = resolve));

  private constructor(private readonly options: KernelOptions) {
    this.transport = new Transport(options.connection, randomUUID(), this.replayHistory);
    this.output = new CellOutput((msgType, content, parent) => this.transport.publish(msgType, content, parent));
    this.cells = new TypeScriptCells(options.rootDir ?? process.cwd(), (inScript) => this.phase.scriptRunning(inScript));
    this.warmUp = new WarmUp({
      packageRoot: options.packageRoot,
      kernelWork: (busy) => this.phase.kernelWork(busy),
      // The backend may install process listeners of its own (the WASM backend does).
      backendLoaded: () => this.guardFaultListeners(),
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
      cellEnded: (interrupted) => this.afterCell(interrupted),
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
      kernel.control.start(
        options.connection,
        kernel.transport.session,
        kernel.kernelInfo(),
        { phaseFlag: kernel.phase.buffer, replayHistory: kernel.replayHistory, canTerminate: process.execArgv.includes(ASYNC_HOOKS_FLAG) },
        {
          interrupt: () => kernel.interrupt(),
          shutdown: (restart) => void kernel.shutdown(restart),
          ping: (id) => kernel.phase.answerPing(id),
          stuck: (stopped, why) => kernel.reportStuck(stopped, why),
        },
      ),
    ]);
    kernel.serve();
    return kernel;
  }

  private serve(): void {
    this.output.install(() => this.execution.interruptSignal);
    process.on("SIGINT", () => this.interrupt());
    const onException = (error: unknown): void => this.reportBackgroundError("an uncaught exception", error);
    const onRejection = (reason: unknown): void => this.reportBackgroundError("an unhandled promise rejection", reason);
    this.faultListeners.add(onException as (...args: unknown[]) => void).add(onRejection as (...args: unknown[]) => void);
    process.on("uncaughtException", onException);
    process.on("unhandledRejection", onRejection);
    this.guardFaultListeners();
    this.undoExitGuard = refuseProcessExit();
    exitCleanlyOnSigterm(() => this.shutdown(false), this.options.connection);
    watchTrainingCount((count) => this.phase.trainingRuns(count));
    this.transport.publish("status", { execution_state: "starting" }, {});
    void this.transport.readShell((message) => this.queue.push(message));
    void this.transport.drainStdin();
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

  private guardFaultListeners(): void {
    guardFaultListeners(this.faultListeners, (what, error) => this.reportBackgroundError(what, error));
  }

  /** After every cell: listeners a cell added cannot kill the process; an interrupted tfjs operation is closed. */
  private afterCell(interrupted: boolean): void {
    this.guardFaultListeners();
    if (interrupted) this.recoverTf();
  }

  private recoverTf(): void {
    const closed = recoverTfEngine();
    if (closed > 0) log(`closed ${closed} TensorFlow.js scope(s) an interrupted operation left open`);
  }

  /** The control thread found the main thread stuck after an interrupt (stuck-main-thread.ts). */
  private reportStuck(stopped: boolean, why: string | undefined): void {
    if (stopped) {
      this.recoverTf();
      if (!this.execution.stoppedStuckCode()) {
        this.output.write(
          "stderr",
          "Interrupted: stopped background code that kept the kernel busy without a break (a loop in a timer " +
            "or promise callback, or a loop of awaits); what it was doing is lost, the notebook's variables are kept\n",
        );
      }
    } else if (why) {
      this.output.write("stderr", `The interrupt could not stop what keeps the kernel busy (${why}); if it does not end, use Kernel > Restart\n`);
    }
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
    removeIpcSocketFiles(this.options.connection);
    this.output.uninstall();
    this.undoExitGuard?.();
    watchTrainingCount(null);
    this.cells.close();
    this.resolveClosed();
  }
}
