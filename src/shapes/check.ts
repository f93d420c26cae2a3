// The public entry point of the language: text in, checked network (or diagnostics) out.
import type { NetworkAst } from "../dsl/ast.js";
import { ConvNoteError, diagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import { parseNetwork } from "../dsl/parse.js";
import { input as inputKind, type InputSettings } from "../layers/input.js";
import { kindDefinition } from "../layers/registry.js";
import { spatialOf } from "../layers/shape.js";
import { applyConventions } from "./conventions.js";
import { elaborate, type ElabNode, type ElaborateOptions } from "./elaborate.js";
import { ShapeInference } from "./infer.js";
import type { CheckedNetwork, CheckedNode, TableRow, Totals } from "./network.js";

export interface CheckResult {
  network?: CheckedNetwork;
  ast?: NetworkAst;
  diagnostics: Diagnostic[];
}

export type CheckOptions = ElaborateOptions;

function rowsOf(nodes: readonly CheckedNode[], depth: number): TableRow[] {
  const rows: TableRow[] = [];
  for (const node of nodes) {
    if (node.type === "branches") {
      for (const branch of node.branches) for (const row of rowsOf(branch, depth + 1)) rows.push(row);
    } else if (node.type === "skip") {
      // A loop, not push(...rows): a body of many layers would overflow the call stack.
      for (const row of [...rowsOf(node.body, depth + 1), ...rowsOf(node.projection, depth + 1)]) rows.push(row);
    }
    const { type: _type, span: _span, ...stats } = node;
    const row: TableRow = { ...stats, label: node.type === "layer" ? node.label : node.kind === "add" ? "add" : "concat", depth, node } as TableRow;
    rows.push(row);
  }
  return rows;
}

function totalsOf(rows: readonly TableRow[]): Totals {
  const sum = (pick: (r: TableRow) => number) => rows.reduce((acc, r) => acc + pick(r), 0);
  const memory = sum((r) => r.memory);
  return {
    params: sum((r) => r.params),
    trainableParams: sum((r) => r.trainable),
    nonTrainableParams: sum((r) => r.nonTrainable),
    weights: sum((r) => r.weights),
    biases: sum((r) => r.biases),
    memory,
    memoryBytes: memory * 4,
    macs: sum((r) => r.macs),
  };
}

/** Layers that read the input itself (EMBED, AUGMENT) anywhere but right after an input of their form. */
function misplaced(nodes: readonly ElabNode[], input: InputSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  const form = input.shape.length === 3 ? "image" : input.shape.length === 2 ? "sequence" : "vector";
  const visit = (list: readonly ElabNode[], top: boolean) =>
    list.forEach((node, i) => {
      if (node.type === "branches") node.branches.forEach((b) => visit(b, false));
      else if (node.type !== "layer") visit(node.body, false);
      else {
        const reads = kindDefinition(node.settings.kind).readsInput;
        if (reads && !(top && i === 0 && form === reads.input)) out.push(diagnostic("misplaced-layer", node.span, reads.message, reads.hint));
      }
    });
  visit(nodes, true);
  return out;
}

export function checkNetwork(source: string, options: CheckOptions = {}): CheckResult {
  const parsed = parseNetwork(source);
  if (!parsed.ast) return { diagnostics: parsed.diagnostics };
  const ast = parsed.ast;
  const elaboration = elaborate(ast, options);
  if (elaboration.diagnostics.length > 0 || !elaboration.input) {
    return { ast, diagnostics: elaboration.diagnostics.length > 0 ? elaboration.diagnostics : [diagnostic("missing-input", { offset: 0, length: 1, line: 1, column: 1 }, "the network must start with INPUT")] };
  }
  const nodes = applyConventions(elaboration.nodes, elaboration.defaults);
  const inputSettings = elaboration.input.settings;
  const placement = misplaced(nodes, inputSettings);
  if (placement.length > 0) return { ast, diagnostics: placement };
  const inference = new ShapeInference(spatialOf(inputSettings.shape));
  const flow0 = { shape: inputSettings.shape, rf: { size: spatialOf(inputSettings.shape).map(() => 1), jump: spatialOf(inputSettings.shape).map(() => 1) } };
  const inputStep = inference.layer(inputSettings, elaboration.input.span, flow0, undefined, "INPUT");
  const body = inputStep && inference.sequence(nodes, inputStep.flow);
  if (!inputStep || !body) return { ast, diagnostics: inference.diagnostics };
  inputStep.layer.label = inputKind.label(inputSettings);
  const rows = [...rowsOf([inputStep.layer], 0), ...rowsOf(body.nodes, 0)];
  const network: CheckedNetwork = {
    source,
    input: inputStep.layer,
    nodes: body.nodes,
    rows,
    totals: totalsOf(rows),
    outputShape: body.flow.shape,
    defaults: elaboration.defaults,
  };
  if (elaboration.training) network.training = elaboration.training;
  return { network, ast, diagnostics: [] };
}

/** Checks `source` and returns the network, or throws a ConvNoteError with every diagnostic. */
export function checkOrThrow(source: string, options: CheckOptions = {}, fileName = "net"): CheckedNetwork {
  const result = checkNetwork(source, options);
  if (!result.network) throw new ConvNoteError(result.diagnostics, source, fileName);
  return result.network;
}
