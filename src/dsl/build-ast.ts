// CST (chevrotain's concrete tree) to the typed AST of ast.ts, by a visitor typed with the CST types
// generated from the parser (cst.ts): renaming a rule or a label in parser.ts without changing this
// file is a compile error. Each method gets a node's children and where the node is in the text.
import type { CstNode, CstNodeLocation, IToken } from "chevrotain";
import type { Argument, AuxNode, BranchesNode, DefinitionNode, Element, GroupNode, LayerNode, Modifier, NetworkAst, Repeat, SkipNode, Statement, Value } from "./ast.js";
import type {
  ArgumentCstChildren,
  ArgumentsCstChildren,
  AuxCstChildren,
  BranchesCstChildren,
  ConvNoteCstVisitor,
  DefinitionCstChildren,
  ElementCstChildren,
  GroupCstChildren,
  LayerCstChildren,
  ModifierCstChildren,
  NetworkCstChildren,
  NetworkCstNode,
  RepeatCstChildren,
  SequenceCstChildren,
  SkipCstChildren,
  StatementCstChildren,
  ValueCstChildren,
} from "./cst.js";
import { convNoteParser } from "./parser.js";
import type { Span } from "./span.js";

export function tokenSpan(t: IToken): Span {
  return { offset: t.startOffset, length: t.image.length, line: t.startLine ?? 1, column: t.startColumn ?? 1 };
}

function spanOf(at: CstNodeLocation): Span {
  return { offset: at.startOffset, length: (at.endOffset ?? at.startOffset) - at.startOffset + 1, line: at.startLine ?? 1, column: at.startColumn ?? 1 };
}

/** The one element the grammar puts there (the parser only builds a tree for text that parses). */
function one<T>(items: readonly T[] | undefined): T {
  const item = items?.[0];
  if (item === undefined) throw new Error("build-ast: the parser left out a required part");
  return item;
}

/** Where a node is: the parser tracks every node's location (nodeLocationTracking: "full"). */
function at(node: CstNode): CstNodeLocation {
  if (!node.location) throw new Error("build-ast: a CST node without its location");
  return node.location;
}

/** `224x224x3` or `?x?x3` (NaN for ?). */
const dimsOf = (image: string) => image.split(/[xX]/).map((v) => (v === "?" ? Number.NaN : Number(v)));

function tokenValue(t: IToken): Value {
  const span = tokenSpan(t);
  if (t.tokenType.name === "NumberLiteral") return { type: "number", value: Number(t.image), span };
  if (t.tokenType.name === "Dims") return { type: "dims", values: dimsOf(t.image), span };
  return { type: "name", name: t.image, span };
}

const BaseVisitor = convNoteParser.getBaseCstVisitorConstructor<CstNodeLocation, unknown>();

class AstBuilder extends BaseVisitor implements ConvNoteCstVisitor<CstNodeLocation, unknown> {
  constructor() {
    super();
    this.validateVisitor();
  }

  network(c: NetworkCstChildren): NetworkAst {
    return { statements: (c.statement ?? []).map((s) => this.statement(s.children)) };
  }

  statement(c: StatementCstChildren): Statement {
    const definition = c.definition?.[0];
    if (definition) return this.definition(definition.children, at(definition));
    const element = one(c.element);
    return this.element(element.children);
  }

  definition(c: DefinitionCstChildren, where: CstNodeLocation): DefinitionNode {
    const name = one(c.name);
    const body = one(c.body);
    return {
      type: "definition",
      name: name.image,
      nameSpan: tokenSpan(name),
      parameters: (c.parameter ?? []).map((p) => ({ name: p.image, span: tokenSpan(p) })),
      body: this.element(body.children),
      span: spanOf(where),
    };
  }

  element(c: ElementCstChildren): Element {
    const layer = c.layer?.[0];
    if (layer) return this.layer(layer.children, at(layer));
    const group = c.group?.[0];
    if (group) return this.group(group.children, at(group));
    const skip = c.skip?.[0];
    if (skip) return this.skip(skip.children, at(skip));
    const aux = c.aux?.[0];
    if (aux) return this.aux(aux.children, at(aux));
    const branches = one(c.branches);
    return this.branches(branches.children, at(branches));
  }

  layer(c: LayerCstChildren, where: CstNodeLocation): LayerNode {
    const word = one(c.word);
    const layer: LayerNode = { type: "layer", word: word.image, wordSpan: tokenSpan(word), args: [], hasParens: c.LParen !== undefined, modifiers: [], span: spanOf(where) };
    const dash = c.dashValue?.[0];
    if (dash) layer.dashValue = tokenValue(dash);
    const operand = c.operand?.[0];
    if (operand) layer.operand = tokenValue(operand);
    const args = c.arguments?.[0];
    if (args) layer.args = this.arguments(args.children);
    layer.modifiers = (c.modifier ?? []).map((m) => this.modifier(m.children, at(m)));
    return layer;
  }

  group(c: GroupCstChildren, where: CstNodeLocation): GroupNode {
    const group: GroupNode = { type: "group", body: this.sequence(one(c.sequence).children), span: spanOf(where) };
    const repeat = c.repeat?.[0];
    if (repeat) group.repeat = this.repeat(repeat.children, at(repeat));
    return group;
  }

  skip(c: SkipCstChildren, where: CstNodeLocation): SkipNode {
    const keyword = one(c.keyword);
    const skip: SkipNode = {
      type: "skip",
      merge: keyword.image.toUpperCase() === "RES" ? "add" : "concat",
      keywordSpan: tokenSpan(keyword),
      body: this.sequence(one(c.sequence).children),
      span: spanOf(where),
    };
    const repeat = c.repeat?.[0];
    if (repeat) skip.repeat = this.repeat(repeat.children, at(repeat));
    return skip;
  }

  aux(c: AuxCstChildren, where: CstNodeLocation): AuxNode {
    const args = c.arguments?.[0];
    return { type: "aux", keywordSpan: tokenSpan(one(c.keyword)), args: args ? this.arguments(args.children) : [], body: this.sequence(one(c.sequence).children), span: spanOf(where) };
  }

  branches(c: BranchesCstChildren, where: CstNodeLocation): BranchesNode {
    return { type: "branches", branches: c.sequence.map((s) => this.sequence(s.children)), span: spanOf(where) };
  }

  sequence(c: SequenceCstChildren): Element[] {
    return (c.element ?? []).map((e) => this.element(e.children));
  }

  repeat(c: RepeatCstChildren, where: CstNodeLocation): Repeat {
    const count = one(c.count);
    const span = spanOf(where);
    if (count.tokenType.name === "RepeatX") return { count: { type: "number", value: Number(count.image.slice(1)), span: tokenSpan(count) }, span };
    return { count: tokenValue(count), span };
  }

  modifier(c: ModifierCstChildren, where: CstNodeLocation): Modifier {
    const modifier: Modifier = { name: one(c.name).image, span: spanOf(where) };
    const value = c.value?.[0];
    if (value) modifier.value = this.value(value.children, at(value));
    return modifier;
  }

  arguments(c: ArgumentsCstChildren): Argument[] {
    return c.argument.map((a) => this.argument(a.children, at(a)));
  }

  argument(c: ArgumentCstChildren, where: CstNodeLocation): Argument {
    const value = one(c.value);
    const built = this.value(value.children, at(value));
    const name = c.name?.[0];
    return name ? { name: name.image, value: built, span: spanOf(where) } : { value: built, span: spanOf(where) };
  }

  value(c: ValueCstChildren, where: CstNodeLocation): Value {
    const span = spanOf(where);
    const number = c.NumberLiteral?.[0];
    if (number) return { type: "number", value: (c.Minus ? -1 : 1) * Number(number.image), span };
    const dims = c.Dims?.[0];
    if (dims) return { type: "dims", values: dimsOf(dims.image), span };
    const word = one(c.Word);
    if (c.LParen) {
      const args = c.arguments?.[0];
      return { type: "call", name: word.image, args: args ? this.arguments(args.children) : [], span };
    }
    return { type: "name", name: word.image, span };
  }

  separator(): void {}
}

const builder = new AstBuilder();

export function buildAst(network: CstNode): NetworkAst {
  return builder.network((network as NetworkCstNode).children);
}
