// Measured numbers of the zoo's networks, and the Markdown table of src/zoo/README.md built from them.
import { formatShape } from "../layers/shape.js";
import { checkOrThrow } from "../shapes/check.js";
import type { ZooEntry } from "./entry.js";
import { zoo } from "./index.js";

export interface ZooSummary {
  name: string;
  aliases: string[];
  title: string;
  /** `224x224x3`. */
  input: string;
  /** Trainable parameters: weights, biases, BN's gamma and beta (what torchvision and the papers count). */
  trainableParams: number;
  /** BN's moving mean and variance. */
  nonTrainableParams: number;
  published?: number;
  convention: string;
}

export function summarizeZooEntry(entry: ZooEntry): ZooSummary {
  const network = checkOrThrow(entry.source, {}, entry.name);
  const { trainableParams, nonTrainableParams } = network.totals;
  const convention =
    entry.published?.convention ??
    (nonTrainableParams > 0 ? "trainable parameters (BN's moving statistics excluded); no exact published count" : "weights + biases; no exact published count");
  const summary: ZooSummary = { name: entry.name, aliases: entry.aliases, title: entry.title, input: formatShape(network.input.outputShape), trainableParams, nonTrainableParams, convention };
  if (entry.published) summary.published = entry.published.params;
  return summary;
}

const thousands = (n: number) => n.toLocaleString("en-US");

/** The README's table: name, aliases, title, input, measured parameters, published count, convention. */
export function zooMarkdownTable(entries: readonly ZooEntry[] = zoo): string {
  const lines = ["| name | aliases | title | input | parameters | published | convention |", "| --- | --- | --- | --- | ---: | ---: | --- |"];
  for (const s of entries.map(summarizeZooEntry)) {
    const cells = [`\`${s.name}\``, s.aliases.map((a) => `\`${a}\``).join(", "), s.title, s.input, thousands(s.trainableParams), s.published === undefined ? "-" : thousands(s.published), s.convention];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
