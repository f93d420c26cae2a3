// CST (chevrotain's concrete tree) to the typed AST of ast.ts.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type {
  Argument,
  BranchesNode,
  DefinitionNode,
  Element,
  GroupNode,
  LayerNode,
  Modifier,
  NetworkAst,
  Repeat,
  SkipNode,
  Statement,
  Value,
} from "./ast.js";
import type { Span } from "./span.js";

function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function token(node: CstNode, key: string): IToken | undefined {
  return tokens(node, key)[0];
}

function child(node: CstNode, key: string): CstNode | undefined {
  return nodes(node, key)[0];
}

export function tokenSpan(t: IToken): Span {
  return { offset: t.startOffset, length: t.image.length, line: t.startLine ?? 1, column: t.startColumn ?? 1 };
}

function nodeSpan(node: CstNode): Span {
  const l = node.location!;
  return {
    offset: l.startOffset,
    length: (l.endOffset ?? l.startOffset) - l.startOffset + 1,
    line: l.startLine ?? 1,
    column: l.startColumn ?? 1,
  };
}

/** Elements of a CST node in source order (they are stored by kind, not by position). */
function elementsInOrder(node: CstNode): CstNode[] {
  return nodes(node, "element").sort((a, b) => a.location!.startOffset - b.location!.startOffset);
}

function parseNumber(image: string): number {
  return Number(image);
}

function buildValue(node: CstNode): Value {
  const span = nodeSpan(node);
  const number = token(node, "NumberLiteral");
  if (number) return { type: "number", value: (token(node, "Minus") ? -1 : 1) * parseNumber(number.image), span };
  const dims = token(node, "Dims");
  if (dims) return { type: "dims", values: dims.image.split(/[xX]/).map(Number), span };
  const word = token(node, "Word")!;
  if (token(node, "LParen")) {
    const args = child(node, "arguments");
    return { type: "call", name: word.image, args: args ? buildArguments(args) : [], span };
  }
  return { type: "name", name: word.image, span };
}

function buildArguments(node: CstNode): Argument[] {
  return nodes(node, "argument").map((argument) => {
    const name = token(argument, "name");
    const value = buildValue(child(argument, "value")!);
    return name ? { name: name.image, value, span: nodeSpan(argument) } : { value, span: nodeSpan(argument) };
  });
}

function tokenValue(t: IToken): Value {
  const span = tokenSpan(t);
  if (t.tokenType.name === "NumberLiteral") return { type: "number", value: parseNumber(t.image), span };
  if (t.tokenType.name === "Dims") return { type: "dims", values: t.image.split(/[xX]/).map(Number), span };
  return { type: "name", name: t.image, span };
}

function buildModifier(node: CstNode): Modifier {
  const name = token(node, "name")!;
  const valueNode = child(node, "value");
  const modifier: Modifier = { name: name.image, span: nodeSpan(node) };
  if (valueNode) modifier.value = buildValue(valueNode);
  return modifier;
}

function buildLayer(node: CstNode): LayerNode {
  const word = token(node, "word")!;
  const layer: LayerNode = {
    type: "layer",
    word: word.image,
    wordSpan: tokenSpan(word),
    args: [],
    hasParens: token(node, "LParen") !== undefined,
    modifiers: nodes(node, "modifier").map(buildModifier),
    span: nodeSpan(node),
  };
  const dash = token(node, "dashValue");
  if (dash) layer.dashValue = tokenValue(dash);
  const operand = token(node, "operand");
  if (operand) layer.operand = tokenValue(operand);
  const args = child(node, "arguments");
  if (args) layer.args = buildArguments(args);
  return layer;
}

function buildRepeat(node: CstNode): Repeat {
  const count = token(node, "count")!;
  const span = nodeSpan(node);
  if (count.tokenType.name === "RepeatX") {
    return { count: { type: "number", value: Number(count.image.slice(1)), span: tokenSpan(count) }, span };
  }
  return { count: tokenValue(count), span };
}

function buildSequence(node: CstNode): Element[] {
  return elementsInOrder(node).map(buildElement);
}

function buildGroup(node: CstNode): GroupNode {
  const group: GroupNode = { type: "group", body: buildSequence(child(node, "sequence")!), span: nodeSpan(node) };
  const repeat = child(node, "repeat");
  if (repeat) group.repeat = buildRepeat(repeat);
  return group;
}

function buildSkip(node: CstNode): SkipNode {
  const keyword = token(node, "keyword")!;
  const skip: SkipNode = {
    type: "skip",
    merge: keyword.image.toUpperCase() === "RES" ? "add" : "concat",
    keywordSpan: tokenSpan(keyword),
    body: buildSequence(child(node, "sequence")!),
    span: nodeSpan(node),
  };
  const repeat = child(node, "repeat");
  if (repeat) skip.repeat = buildRepeat(repeat);
  return skip;
}

function buildBranches(node: CstNode): BranchesNode {
  const sequences = nodes(node, "sequence").sort((a, b) => a.location!.startOffset - b.location!.startOffset);
  return { type: "branches", branches: sequences.map(buildSequence), span: nodeSpan(node) };
}

function buildElement(node: CstNode): Element {
  const layer = child(node, "layer");
  if (layer) return buildLayer(layer);
  const group = child(node, "group");
  if (group) return buildGroup(group);
  const skip = child(node, "skip");
  if (skip) return buildSkip(skip);
  return buildBranches(child(node, "branches")!);
}

function buildDefinition(node: CstNode): DefinitionNode {
  const name = token(node, "name")!;
  return {
    type: "definition",
    name: name.image,
    nameSpan: tokenSpan(name),
    parameters: tokens(node, "parameter").map((p) => ({ name: p.image, span: tokenSpan(p) })),
    body: buildElement(child(node, "body")!),
    span: nodeSpan(node),
  };
}

function buildStatement(node: CstNode): Statement {
  const definition = child(node, "definition");
  return definition ? buildDefinition(definition) : buildElement(child(node, "element")!);
}

export function buildAst(network: CstNode): NetworkAst {
  const statements = nodes(network, "statement").sort((a, b) => a.location!.startOffset - b.location!.startOffset);
  return { statements: statements.map(buildStatement) };
}
