// Entry point of the ConvNote kernel, started by Jupyter from the kernelspec as
//   node <root>/dist/kernel/main.js {connection_file}
import { readConnectionFile } from "./connection.js";
import { packageRoot } from "./convnote-module.js";
import { ConvNoteKernel, type KernelOptions } from "./kernel.js";
import { realExit } from "./process-guards.js";
import type { LanguageCellHandlers } from "./language-cells.js";
import { createNetCellHandler } from "./net-cells.js";

/** The language cells this kernel serves: `%%net NAME` cells hold ConvNote networks. */
export function createLanguageCellHandlers(): LanguageCellHandlers {
  return { net: createNetCellHandler() };
}

/** Runs a kernel until a shutdown_request; resolves once its sockets are released. */
export async function runKernel(connectionFile: string, overrides: Partial<KernelOptions> = {}): Promise<ConvNoteKernel> {
  const kernel = await ConvNoteKernel.start({
    connection: readConnectionFile(connectionFile),
    packageRoot: packageRoot(),
    languageCells: createLanguageCellHandlers(),
    ...overrides,
  });
  await kernel.closed;
  return kernel;
}

export function kernelMain(argv: string[], overrides: Partial<KernelOptions> = {}): void {
  const connectionFile = argv[0];
  if (!connectionFile || argv.length > 1) {
    process.stderr.write("usage: node dist/kernel/main.js CONNECTION_FILE\n(Jupyter starts the kernel this way from its kernelspec; see `convnote kernel install`.)\n");
    process.exit(2);
  }
  runKernel(connectionFile, overrides).then(
    // Exit even if cells left timers or sockets behind: the kernel is done.
    () => realExit(0),
    (error: unknown) => {
      process.stderr.write(`convnote kernel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      realExit(1);
    },
  );
}

if (require.main === module) kernelMain(process.argv.slice(2));
