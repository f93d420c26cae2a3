// `convnote kernel install [--user | --prefix DIR | --sys-prefix]`: registers the
// ConvNote kernel with Jupyter by writing its kernelspec.
import { type InstallTarget, installKernelspec, type InterruptMode, KERNEL_NAME } from "../../kernel/kernelspec.js";
import type { Command } from "./commands.js";

const USAGE = `usage: convnote kernel install [--user | --prefix DIR | --sys-prefix] [--name NAME]
                               [--display-name TEXT] [--interrupt-mode message|signal]

Writes the kernelspec '${KERNEL_NAME}' (kernel.json + logos) that starts this ConvNote
install's kernel with this Node.js.
  --user           the per-user Jupyter data dir (default; $JUPYTER_DATA_DIR if set)
  --prefix DIR     DIR/share/jupyter/kernels (e.g. a virtualenv or a local Jupyter dir)
  --sys-prefix     sys.prefix of the Python that has Jupyter
`;

export interface KernelInstallArgs {
  target: InstallTarget;
  name?: string;
  displayName?: string;
  interruptMode?: InterruptMode;
}

/** Parses the arguments after `kernel install`; throws with a usage message on mistakes. */
export function parseKernelInstallArgs(args: string[]): KernelInstallArgs {
  const parsed: KernelInstallArgs = { target: { kind: "user" } };
  let targets = 0;
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    switch (arg) {
      case "--user":
        parsed.target = { kind: "user" };
        targets++;
        break;
      case "--sys-prefix":
        parsed.target = { kind: "sys-prefix" };
        targets++;
        break;
      case "--prefix":
        parsed.target = { kind: "prefix", prefix: value(i++, arg) };
        targets++;
        break;
      case "--name":
        parsed.name = value(i++, arg);
        if (!/^[a-z0-9._-]+$/i.test(parsed.name)) throw new Error(`--name '${parsed.name}': use letters, digits, '.', '_' or '-'`);
        break;
      case "--display-name":
        parsed.displayName = value(i++, arg);
        break;
      case "--interrupt-mode": {
        const mode = value(i++, arg);
        if (mode !== "message" && mode !== "signal") throw new Error(`--interrupt-mode must be 'message' or 'signal', got '${mode}'`);
        parsed.interruptMode = mode;
        break;
      }
      default:
        if (arg.startsWith("--prefix=")) {
          parsed.target = { kind: "prefix", prefix: arg.slice("--prefix=".length) };
          targets++;
          break;
        }
        throw new Error(`unknown option '${arg}'`);
    }
  }
  if (targets > 1) throw new Error("choose one of --user, --prefix DIR, --sys-prefix");
  return parsed;
}

async function runKernelCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "install") {
    process.stderr.write(`convnote kernel: unknown subcommand '${sub}'\n\n${USAGE}`);
    return 2;
  }
  let parsed: KernelInstallArgs;
  try {
    parsed = parseKernelInstallArgs(rest);
  } catch (error) {
    process.stderr.write(`convnote kernel install: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
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

export const kernelCommand: Command = {
  name: "kernel",
  summary: "install the ConvNote Jupyter kernelspec (kernel install --user | --prefix DIR | --sys-prefix)",
  run: runKernelCommand,
};
