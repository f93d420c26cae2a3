// `convnote summary "<network text>" | <zoo name> | file.net [--json] [--count weights|all]`
import { formatDiagnostic } from "../dsl/diagnostics.js";
import { summaryText } from "../render/summary-text.js";
import type { CountingConvention } from "../render/summary-columns.js";
import { checkNetwork } from "../shapes/check.js";
import { summaryJson } from "../render/summary-json.js";
import { defineCommand, parseOptions, UsageError } from "./command.js";
import { resolveNetworkArgument } from "./network-argument.js";

const OPTIONS = {
  json: { type: "boolean", help: `print {"layers":[...],"totals":{...}} (see grammar/README.md)` },
  count: {
    type: "string",
    value: "weights|all",
    help: "weights: count weights only, as the cs231n VGG table does\nall: count weights and biases, as Keras and PyTorch do (default)",
  },
} as const;

export const summaryCommand = defineCommand({
  name: "summary",
  summary: "shape table of a network: output shapes, parameters, memory, multiply-adds",
  synopsis: ["<network text | zoo name | file.net> [--json] [--count weights|all]"],
  options: OPTIONS,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseOptions(OPTIONS, args);
    const count = values.count ?? "all";
    if (count !== "weights" && count !== "all") throw new UsageError(`--count takes weights or all, got '${count}'`);
    const convention: CountingConvention = count;
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "give the network" : `one network, not ${positionals.length} arguments (quote the network text)`);
    const resolved = resolveNetworkArgument(positionals[0]!);
    if (!resolved.ok) throw new UsageError(resolved.message);
    const result = checkNetwork(resolved.source);
    if (!result.network) {
      for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d, resolved.source, resolved.fileName) + "\n");
      return 1;
    }
    process.stdout.write((values.json ? JSON.stringify(summaryJson(result.network)) : summaryText(result.network, { convention })) + "\n");
    return 0;
  },
});
