// `convnote summary "<network text>" | <zoo name> | file.net [--json] [--count weights|all]`
import { existsSync, readFileSync } from "node:fs";
import { formatDiagnostic } from "../dsl/diagnostics.js";
import { summaryText } from "../render/summary-text.js";
import type { CountingConvention } from "../render/summary-format.js";
import { checkNetwork } from "../shapes/check.js";
import { summaryJson } from "../shapes/summary-json.js";
import { resolveNetworkArgument } from "./network-argument.js";
import type { Command } from "./commands.js";

const usage = `usage: convnote summary <network text | zoo name | file.net> [--json] [--count weights|all]

  --json           print {"layers":[...],"totals":{...}} (see grammar/README.md)
  --count weights  count weights only, as the cs231n VGG table does
  --count all      count weights and biases, as Keras and PyTorch do (default)`;

export const summaryCommand: Command = {
  name: "summary",
  summary: "shape table of a network: output shapes, parameters, memory, multiply-adds",
  async run(args: string[]): Promise<number> {
    let json = false;
    let convention: CountingConvention = "all";
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === "--json") json = true;
      else if (arg === "--count") {
        const value = args[++i];
        if (value !== "weights" && value !== "all") {
          process.stderr.write(`convnote summary: --count takes weights or all\n${usage}\n`);
          return 2;
        }
        convention = value;
      } else if (arg === "--help" || arg === "-h") {
        process.stdout.write(usage + "\n");
        return 0;
      } else if (arg.startsWith("--")) {
        process.stderr.write(`convnote summary: unknown option ${arg}\n${usage}\n`);
        return 2;
      } else positional.push(arg);
    }
    if (positional.length !== 1) {
      process.stderr.write(`${usage}\n`);
      return 2;
    }
    const resolved = resolveNetworkArgument(positional[0]!, { exists: existsSync, read: (p) => readFileSync(p, "utf8") });
    if (!resolved.ok) {
      process.stderr.write(`convnote summary: ${resolved.message}\n`);
      return 2;
    }
    const result = checkNetwork(resolved.source);
    if (!result.network) {
      for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d, resolved.source, resolved.fileName) + "\n");
      return 1;
    }
    process.stdout.write((json ? JSON.stringify(summaryJson(result.network)) : summaryText(result.network, { convention })) + "\n");
    return 0;
  },
};
