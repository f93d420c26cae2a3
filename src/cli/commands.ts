// The subcommand table (each command lives in its own module and imports only command.ts).
// Exit codes: 0 success, 1 a bad network or failed run, 2 bad usage.
import type { Command } from "./command.js";
import { summaryCommand } from "./summary-command.js";
import { kernelCommand } from "./kernel-command.js";
import { startCommand } from "./start-command.js";
import { grammarCommand } from "./grammar-command.js";
import { trainCommand } from "./train-command.js";
import { backendCommand } from "./backend-command.js";
import { predictCommand } from "./predict-command.js";
import { evaluateCommand } from "./evaluate-command.js";
import { shareCommand } from "./share-command.js";

// Each subcommand lives in its own module beside this one; add it to this list.
export const commands: readonly Command[] = [summaryCommand, kernelCommand, startCommand, shareCommand, trainCommand, backendCommand, predictCommand, evaluateCommand, grammarCommand];

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: convnote <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

export async function runCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage() + "\n");
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`convnote: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}
