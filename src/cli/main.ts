#!/usr/bin/env node
// The `convnote` command: a thin dispatcher over subcommands, each in its own module.
import { runCommand } from "./commands.js";

runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`convnote: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
