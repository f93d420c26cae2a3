// The shape table of a checked network as a MIME bundle: per layer the output volume, the
// parameters with their formula as the slides write it, memory, multiply-adds and receptive field;
// branches and skip blocks nested under their merge row; totals at the foot.
import type { CheckedNetwork, TableRow } from "../shapes/network.js";
import { escapeHtml } from "./html.js";
import { mimeBundle, type MimeBundle } from "./mime.js";
import { activationText, bytes, compact, memoryFormula, paramsFormula, receptiveFieldText, shapeText, withCommas, type CountingConvention } from "./summary-format.js";
import { summaryText } from "./summary-text.js";
import { htmlTable, type CellInput } from "./table.js";

export interface ShapeTableOptions {
  convention?: CountingConvention;
  title?: string;
}

const SHAPE_TABLE_DEFAULTS: Required<Pick<ShapeTableOptions, "convention">> = { convention: "all" };

const blockStyle = "background:#f3f6fa;font-style:italic";

function layerCell(row: TableRow): CellInput {
  const indent = row.depth > 0 ? `<span style="color:#99a">${"│&nbsp;".repeat(row.depth)}</span>` : "";
  const act = activationText(row.activation);
  const label = row.kind === "concat" ? "concatenate" : row.kind === "add" ? "add (skip connection)" : row.label;
  const activation = act && row.kind !== "activation" ? ` <span style="color:#777">+ ${escapeHtml(act)}</span>` : "";
  return { html: `${indent}<code>${escapeHtml(label)}</code>${activation}`, style: "text-align:left;padding:2px 6px" };
}

function rowCells(row: TableRow, convention: CountingConvention): CellInput[] {
  const style = row.kind === "concat" || row.kind === "add" ? blockStyle : undefined;
  const cell = (text: string, align = "right"): CellInput => ({ text, style: `padding:2px 6px;text-align:${align}${style ? `;${style}` : ""}` });
  return [
    cell(row.name, "left"),
    layerCell(row),
    cell(shapeText(row.outputShape)),
    cell(paramsFormula(row, convention)),
    cell(memoryFormula(row)),
    cell(row.macs > 0 ? compact(row.macs) : "0"),
    cell(receptiveFieldText(row)),
  ];
}

export function shapeTableHtml(network: CheckedNetwork, options: ShapeTableOptions = {}): string {
  const { convention } = { ...SHAPE_TABLE_DEFAULTS, ...options };
  const t = network.totals;
  const header = ["layer", "", "output", convention === "weights" ? "weights" : "parameters", "memory (values)", "multiply-adds", "receptive field"];
  const table = htmlTable(
    network.rows.map((row) => rowCells(row, convention)),
    { header: header.map((h) => ({ text: h, header: true, style: "padding:2px 6px;text-align:left;border-bottom:1px solid #999" })), style: "border-collapse:collapse;font-size:12px;font-family:sans-serif" },
  );
  const counted = convention === "weights" ? `${withCommas(t.weights)} weights (biases not counted, as the cs231n table)` : `${withCommas(t.params)} parameters (${withCommas(t.trainableParams)} trainable, ${withCommas(t.nonTrainableParams)} non-trainable)`;
  const totals = [
    `<b>Total:</b> ${counted}`,
    `memory per image: ${withCommas(t.memory)} values = ${bytes(t.memoryBytes)} forward, about ${bytes(2 * t.memoryBytes)} forward + backward`,
    `${withCommas(t.macs)} multiply-adds (${compact(t.macs)}) per image; parameters take ${bytes(t.params * 4)} at float32`,
  ];
  const title = options.title ? `<div style="font-weight:bold;margin-bottom:4px">${escapeHtml(options.title)}</div>` : "";
  return `<div class="convnote-shape-table">${title}${table}<div style="font-size:12px;font-family:sans-serif;margin-top:4px">${totals.join("<br>")}</div></div>`;
}

export function renderShapeTable(network: CheckedNetwork, options: ShapeTableOptions = {}): MimeBundle {
  const { convention } = { ...SHAPE_TABLE_DEFAULTS, ...options };
  return mimeBundle(summaryText(network, { convention }), { "text/html": shapeTableHtml(network, options) });
}
