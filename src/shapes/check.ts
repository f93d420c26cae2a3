// The public entry point of the language: text in, checked network (or diagnostics) out.
import type { NetworkAst } from "../dsl/ast.js";
import { ConvNoteError, diagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import { parseNetwork } from "../dsl/parse.js";
import { input as inputKind, type InputSettings } from "../layers/input.js";
import { kindDefinition } from "../layers/registry.js";
import { channelsOf, formatShape, spatialOf } from "../layers/shape.js";
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
    } else if (node.type === "aux") {
      for (const row of rowsOf(node.body, depth + 1)) rows.push(row);
    }
    const { type: _type, span: _span, ...stats } = node;
    const label = node.type === "layer" ? node.label : node.type === "aux" ? `AUX(weight=${node.weight})` : node.kind === "add" ? "add" : "concat";
    const row: TableRow = { ...stats, label, depth, node } as TableRow;
    rows.push(row);
  }
  return rows;
}

/** Parameters inside AUX heads, which training uses and inference drops. */
function auxiliaryParams(nodes: readonly CheckedNode[], inHead = false): number {
  let sum = 0;
  for (const node of nodes) {
    if (node.type === "layer") sum += inHead ? node.params : 0;
    else if (node.type === "branches") for (const b of node.branches) sum += auxiliaryParams(b, inHead);
    else if (node.type === "skip") sum += auxiliaryParams([...node.body, ...node.projection], inHead);
    else sum += auxiliaryParams(node.body, true);
  }
  return sum;
}

function totalsOf(rows: readonly TableRow[], nodes: readonly CheckedNode[]): Totals {
  const sum = (pick: (r: TableRow) => number) => rows.reduce((acc, r) => acc + pick(r), 0);
  const memory = sum((r) => r.memory);
  return {
    params: sum((r) => r.params),
    auxiliaryParams: auxiliaryParams(nodes),
    trainableParams: sum((r) => r.trainable),
    nonTrainableParams: sum((r) => r.nonTrainable),
    weights: sum((r) => r.weights),
    biases: sum((r) => r.biases),
    memory,
    memoryBytes: memory * 4,
    macs: sum((r) => r.macs),
  };
}

/**
 * Layers that read the input itself (EMBED, AUGMENT) anywhere but right after an input of their
 * form; AUX heads anywhere but on the main chain, or with no main chain after them.
 */
function misplaced(nodes: readonly ElabNode[], input: InputSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lastOfChain = nodes.reduce((last, node, i) => (node.type === "aux" ? last : i), -1);
  const form = input.shape.length === 3 ? "image" : input.shape.length === 2 ? "sequence" : "vector";
  const visit = (list: readonly ElabNode[], top: boolean) =>
    list.forEach((node, i) => {
      if (node.type === "branches") node.branches.forEach((b) => visit(b, false));
      else if (node.type === "aux") {
        if (!top) out.push(diagnostic("misplaced-layer", node.keywordSpan, "AUX branches a side head off the main chain, not off a branch, a RES/CAT body or another head", "move AUX[...] out to the main chain"));
        else if (i > lastOfChain) out.push(diagnostic("misplaced-layer", node.keywordSpan, "AUX at the end of the network: a side head branches off the main chain, which must go on after it", "move AUX[...] before the layers that follow it, or drop AUX[ ] if this is the network's output"));
        visit(node.body, false);
      } else if (node.type !== "layer") visit(node.body, false);
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
  // A head predicts the same labels as the network: it must end at the network's output shape.
  const headMismatch = nodes.flatMap((node, i) => {
    const head = body.nodes[i]!;
    if (node.type !== "aux" || head.type !== "aux" || formatShape(head.outputShape) === formatShape(body.flow.shape)) return [];
    const message = `${head.name} ends in [${formatShape(head.outputShape)}], but the network's output is [${formatShape(body.flow.shape)}]: an auxiliary head predicts the same classes`;
    return [diagnostic("shape-mismatch", node.keywordSpan, message, `end the head as the network ends, e.g. FC-${channelsOf(body.flow.shape)} SOFTMAX`)];
  });
  if (headMismatch.length > 0) return { ast, diagnostics: headMismatch };
  inputStep.layer.label = inputKind.label(inputSettings);
  const rows = [...rowsOf([inputStep.layer], 0), ...rowsOf(body.nodes, 0)];
  const network: CheckedNetwork = {
    source,
    input: inputStep.layer,
    nodes: body.nodes,
    rows,
    totals: totalsOf(rows, body.nodes),
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
