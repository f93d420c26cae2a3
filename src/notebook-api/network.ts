// What a notebook holds after `%%net NAME` or net`...`: a checked network that shows itself as a
// shape table and diagram, compiles to a tf model, and trains with live plots.
import { ConvNoteError } from "../dsl/diagnostics.js";
import type { CompiledNetwork, CompileOptions } from "../compile/index.js";
import { compileNetwork } from "../compile/index.js";
import { renderDiagram } from "../render/diagram.js";
import { renderShapeTable, shapeTableHtml, type ShapeTableOptions } from "../render/shape-table.js";
import { summaryText } from "../render/summary-text.js";
import type { CountingConvention } from "../render/summary-columns.js";
import { checkNetwork } from "../shapes/check.js";
import type { CheckedNetwork, TableRow } from "../shapes/network.js";
import { summaryJson, type SummaryJson } from "../render/summary-json.js";
import { MIMEBUNDLE, type MimeBundle } from "./display.js";

export class Network {
  private compiled?: CompiledNetwork;

  constructor(
    readonly checked: CheckedNetwork,
    /** The name it was bound to (`%%net NAME`), for titles. */
    readonly name?: string,
  ) {}

  get rows(): readonly TableRow[] {
    return this.checked.rows;
  }

  get totals() {
    return this.checked.totals;
  }

  /** One row by slide name: `vgg.layer("CONV1").outputShape`. */
  layer(name: string): TableRow {
    const row = this.checked.rows.find((r) => r.name.toUpperCase() === name.toUpperCase());
    if (!row) throw new Error(`no layer ${name}; the layers are ${this.checked.rows.map((r) => r.name).join(", ")}`);
    return row;
  }

  summary(convention: CountingConvention = "all"): string {
    return summaryText(this.checked, { convention });
  }

  json(): SummaryJson {
    return summaryJson(this.checked);
  }

  table(options: ShapeTableOptions = {}): MimeBundle {
    return renderShapeTable(this.checked, options.title === undefined && this.name ? { ...options, title: this.name } : options);
  }

  diagram(): MimeBundle {
    return renderDiagram(this.checked);
  }

  /** The tf.LayersModel, built once (pass options to build a fresh one). */
  model(options?: CompileOptions): CompiledNetwork["model"] {
    if (options || !this.compiled) this.compiled = compileNetwork(this.checked, options ?? {});
    return this.compiled.model;
  }

  compile(options: CompileOptions = {}): CompiledNetwork {
    this.compiled = compileNetwork(this.checked, options);
    return this.compiled;
  }

  [MIMEBUNDLE](): MimeBundle {
    const title = this.name ? { title: this.name } : {};
    return {
      "text/plain": summaryText(this.checked),
      "text/html": `${shapeTableHtml(this.checked, title)}${renderDiagram(this.checked)["text/html"]}`,
    };
  }
}

/** Checks network text; throws a ConvNoteError (source line, caret, hint) when it does not check. */
export function network(source: string, name?: string): Network {
  const result = checkNetwork(source);
  if (!result.network) throw new ConvNoteError(result.diagnostics, source, name ?? "net");
  return new Network(result.network, name);
}

/** net`INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX` in TypeScript cells. */
export function net(strings: TemplateStringsArray, ...values: unknown[]): Network {
  const source = strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ""), "");
  return network(source);
}
