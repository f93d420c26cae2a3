// `convnote kernel install [--user | --prefix DIR | --sys-prefix]`: registers the
// ConvNote kernel with Jupyter by writing its kernelspec.
import { type InstallTarget, installKernelspec, type InterruptMode, KERNEL_NAME } from "../../kernel/kernelspec.js";
import { defineCommand, parseOptions, UsageError } from "./command.js";

const OPTIONS = {
  user: { type: "boolean", help: "the per-user Jupyter data dir (default; $JUPYTER_DATA_DIR if set)" },
  prefix: { type: "string", value: "DIR", help: "DIR/share/jupyter/kernels (e.g. a virtualenv or a local Jupyter dir)" },
  "sys-prefix": { type: "boolean", help: "sys.prefix of the Python that has Jupyter" },
  name: { type: "string", value: "NAME", help: `the kernelspec's name (default ${KERNEL_NAME})` },
  "display-name": { type: "string", value: "TEXT", help: "the name Jupyter shows" },
  "interrupt-mode": { type: "string", value: "MODE", help: "how Jupyter interrupts a cell: message (default) or signal (SIGINT)" },
} as const;

export interface KernelInstallArgs {
  target: InstallTarget;
  name?: string;
  displayName?: string;
  interruptMode?: InterruptMode;
}

/** Parses the arguments after `kernel install`; throws UsageError on mistakes. */
export function parseKernelInstallArgs(args: string[]): KernelInstallArgs {
  const { values: v, positionals } = parseOptions(OPTIONS, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if ([v.user, v.prefix !== undefined, v["sys-prefix"]].filter(Boolean).length > 1) throw new UsageError("choose one of --user, --prefix DIR, --sys-prefix");
  const parsed: KernelInstallArgs = {
    target: v.prefix !== undefined ? { kind: "prefix", prefix: v.prefix } : v["sys-prefix"] ? { kind: "sys-prefix" } : { kind: "user" },
  };
  if (v.name !== undefined) {
    if (!/^[a-z0-9._-]+$/i.test(v.name)) throw new UsageError(`--name '${v.name}': use letters, digits, '.', '_' or '-'`);
    parsed.name = v.name;
  }
  if (v["display-name"] !== undefined) parsed.displayName = v["display-name"];
  const mode = v["interrupt-mode"];
  if (mode !== undefined) {
    if (mode !== "message" && mode !== "signal") throw new UsageError(`--interrupt-mode must be 'message' or 'signal', got '${mode}'`);
    parsed.interruptMode = mode;
  }
  return parsed;
}

async function runKernelCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  // An option error says so first; then a missing or unknown subcommand.
  const parsed = parseKernelInstallArgs(sub === "install" ? rest : args.filter((a) => a.startsWith("-")));
  if (sub !== "install") throw new UsageError(sub === undefined ? "give a subcommand: install" : `unknown subcommand '${sub}'; the one there is: install`);
  let dir: string;
  try {
    dir = installKernelspec(parsed.target, {
      ...(parsed.name !== undefined && { name: parsed.name }),
      ...(parsed.displayName !== undefined && { displayName: parsed.displayName }),
      ...(parsed.interruptMode !== undefined && { interruptMode: parsed.interruptMode }),
    });
  } catch (error) {
    process.stderr.write(`convnote kernel install: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Installed kernelspec ${parsed.name ?? KERNEL_NAME} in ${dir}\n`);
  return 0;
}

export const kernelCommand = defineCommand({
  name: "kernel",
  summary: "install the ConvNote Jupyter kernelspec (kernel install --user | --prefix DIR | --sys-prefix)",
  synopsis: ["install [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name TEXT] [--interrupt-mode MODE]"],
  description: `Writes the kernelspec '${KERNEL_NAME}' (kernel.json + logos) that starts this ConvNote
install's kernel with this Node.js.`,
  options: OPTIONS,
  run: runKernelCommand,
});
