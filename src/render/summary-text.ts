// The aligned text table of `convnote summary`, in the VGG slide's style:
//   CONV3-64  [224x224x64]  memory: 224*224*64=3.2M  params: (3*3*3)*64 = 1,728
import type { CheckedNetwork } from "../shapes/network.js";
import { activationText, bytes, compact, memoryFormula, paramsFormula, receptiveFieldText, shapeText, withCommas, type CountingConvention } from "./summary-format.js";

export interface SummaryTextOptions {
  convention?: CountingConvention;
}

export function summaryText(network: CheckedNetwork, options: SummaryTextOptions = {}): string {
  const convention = options.convention ?? "all";
  const table = network.rows.map((row) => {
    const indent = "  ".repeat(row.depth);
    const act = activationText(row.activation);
    return [
      indent + row.name,
      row.label + (act && row.kind !== "activation" ? ` ${act}` : ""),
      shapeText(row.outputShape),
      `memory: ${memoryFormula(row)}`,
      `params: ${paramsFormula(row, convention)}`,
      `MACs: ${compact(row.macs)}`,
      `RF: ${receptiveFieldText(row)}`,
    ];
  });
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const lines = table.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  "));
  const t = network.totals;
  const counted = convention === "weights" ? t.weights : t.params;
  lines.push(
    "",
    `TOTAL params: ${withCommas(counted)} (${convention === "weights" ? "weights only, as the cs231n table counts" : `weights and biases; trainable ${withCommas(t.trainableParams)}, non-trainable ${withCommas(t.nonTrainableParams)}`})`,
    `TOTAL memory: ${withCommas(t.memory)} values * 4 bytes = ${bytes(t.memoryBytes)} per image (forward); about ${bytes(2 * t.memoryBytes)} with the backward pass`,
    `TOTAL multiply-adds: ${withCommas(t.macs)} (${compact(t.macs)}) per image`,
  );
  return lines.join("\n");
}
