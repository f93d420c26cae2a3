// AST to the elaborated network: block calls expanded, repetitions unrolled, every layer's
// arguments resolved into typed settings. Shapes are not known yet; see infer.ts.
import type { Argument, DefinitionNode, Element, LayerNode, NetworkAst, Repeat, Value } from "../dsl/ast.js";
import { closestNames, diagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import type { Span } from "../dsl/span.js";
import type { ActivationSettings } from "../layers/activation.js";
import { modifierMeaning, modifiersFor, type ResolvedArguments } from "../layers/arguments.js";
import type { InputSettings } from "../layers/input.js";
import { isKindError } from "../layers/kind.js";
import { allKeywords, matchKeyword, type KeywordMatch, type LayerSettings } from "../layers/registry.js";
import { parseDefaultsStatement, settingsStatements, standardDefaults, type NetworkDefaults } from "./defaults.js";
import { parseTrainStatement, type TrainingSettings } from "../train/settings.js";
import { convertValue, isDiagnostic, substitute, type Environment } from "./values.js";

export interface ElabLayer {
  type: "layer";
  settings: LayerSettings;
  span: Span;
  /** Filled by conventions.ts: the activation applied to this layer's output. */
  activation?: ActivationSettings;
}

export interface ElabBranches {
  type: "branches";
  branches: ElabNode[][];
  span: Span;
}

export interface ElabSkip {
  type: "skip";
  merge: "add" | "concat";
  body: ElabNode[];
  span: Span;
  activation?: ActivationSettings;
}

/** `AUX(weight=w)[ ... ]`: a side head trained with loss weight `w`, dropped at inference. */
export interface ElabAux {
  type: "aux";
  weight: number;
  body: ElabNode[];
  span: Span;
  keywordSpan: Span;
}

export type ElabNode = ElabLayer | ElabBranches | ElabSkip | ElabAux;

/** The loss weight of an auxiliary head when AUX is written without one (GoogLeNet's 0.3). */
export const defaultAuxWeight = 0.3;

export interface Elaboration {
  input?: { settings: InputSettings; span: Span };
  nodes: ElabNode[];
  defaults: NetworkDefaults;
  training?: TrainingSettings;
  diagnostics: Diagnostic[];
}

export interface ElaborateOptions {
  /** Refuse networks that unroll to more layers than this (a typo such as [..]x100000). */
  maxLayers?: number;
}

/** Deeper nesting of brackets and block calls is refused: each level costs stack frames here and in shape inference. */
const maxNesting = 100;

const isSettingsStatement = (word: string) => (settingsStatements as readonly string[]).includes(word.toUpperCase());

class Elaborator {
  readonly diagnostics: Diagnostic[] = [];
  private readonly definitions = new Map<string, DefinitionNode>();
  private readonly callStack: string[] = [];
  private layerCount = 0;
  private depth = 0;
  private tooLarge = false;

  constructor(
    ast: NetworkAst,
    private readonly maxLayers: number,
  ) {
    for (const statement of ast.statements) {
      if (statement.type !== "definition") continue;
      const key = statement.name.toLowerCase();
      if (this.definitions.has(key)) {
        this.diagnostics.push(diagnostic("bad-call", statement.nameSpan, `block '${statement.name}' is defined twice`, "rename one of them"));
      } else if (matchKeyword(statement.name) || isSettingsStatement(statement.name)) {
        this.diagnostics.push(diagnostic("bad-call", statement.nameSpan, `'${statement.name}' is a layer name and cannot name a block`, `call it, e.g., my_${statement.name.toLowerCase()}`));
      } else {
        this.definitions.set(key, statement);
      }
    }
  }

  get definedBlocks(): string[] {
    return [...this.definitions.values()].map((d) => d.name);
  }

  sequence(elements: Element[], env: Environment): ElabNode[] {
    return elements.flatMap((e) => this.element(e, env));
  }

  element(element: Element, env: Environment): ElabNode[] {
    if (this.tooLarge) return [];
    if (element.type === "layer") return this.layerOrCall(element, env);
    if (!this.enter(element.span)) return [];
    try {
      return this.block(element, env);
    } finally {
      this.depth--;
    }
  }

  // Every repetition of a body gives the same layers and the same errors, so a repetition stops at
  // the first error (one diagnostic, not one per repetition) and at an empty body (`[]x1e20`).
  private block(element: Exclude<Element, LayerNode>, env: Environment): ElabNode[] {
    switch (element.type) {
      case "group": {
        const count = this.repeatCount(element.repeat, env);
        const out: ElabNode[] = [];
        for (let i = 0; i < count && !this.tooLarge; i++) {
          const before = this.diagnostics.length;
          const body = this.sequence(element.body, env);
          if (this.diagnostics.length > before || body.length === 0) break;
          for (const node of body) out.push(node);
        }
        return out;
      }
      case "skip": {
        const count = this.repeatCount(element.repeat, env);
        const out: ElabNode[] = [];
        for (let i = 0; i < count && !this.tooLarge; i++) {
          const before = this.diagnostics.length;
          const body = this.sequence(element.body, env);
          if (this.diagnostics.length > before || !this.countNode(element.span)) break;
          out.push({ type: "skip", merge: element.merge, body, span: element.span });
        }
        return out;
      }
      case "branches": {
        const branches = element.branches.map((b) => this.sequence(b, env));
        return this.countNode(element.span) ? [{ type: "branches", branches, span: element.span }] : [];
      }
      case "aux": {
        const weight = this.auxWeight(element.args, env);
        const body = this.sequence(element.body, env);
        if (weight === undefined || !this.countNode(element.span)) return [];
        return [{ type: "aux", weight, body, span: element.span, keywordSpan: element.keywordSpan }];
      }
    }
  }

  /** AUX(weight=0.3) or AUX(0.3): the head's loss weight; undefined (with a diagnostic) when badly written. */
  private auxWeight(args: readonly Argument[], env: Environment): number | undefined {
    let weight = defaultAuxWeight;
    for (const arg of args) {
      if (arg.name !== undefined && arg.name.toLowerCase() !== "weight") {
        this.diagnostics.push(diagnostic("unknown-argument", arg.span, `AUX has no argument '${arg.name}'`, "its one argument is weight, the head's loss weight: AUX(weight=0.3)[ ... ]"));
        return undefined;
      }
      const value = convertValue(arg.value, { name: "weight", type: "number", doc: "the loss weight of the head, e.g. 0.3" }, env, "AUX");
      if (isDiagnostic(value)) {
        this.diagnostics.push(value);
        return undefined;
      }
      weight = value as number;
    }
    return weight;
  }

  /** One more level of brackets or block calls; false (with a diagnostic) past maxNesting. */
  private enter(span: Span): boolean {
    if (this.depth >= maxNesting) {
      this.tooLarge = true;
      this.diagnostics.push(diagnostic("too-large", span, `brackets and block calls nest more than ${maxNesting} deep here`, "flatten the nesting, or repeat with [...]xN"));
      return false;
    }
    this.depth++;
    return true;
  }

  /** Counts one unrolled layer or merge; false (with a diagnostic) past maxLayers. */
  private countNode(span: Span): boolean {
    if (++this.layerCount <= this.maxLayers) return true;
    this.tooLarge = true;
    this.diagnostics.push(diagnostic("too-large", span, `the network unrolls to more than ${this.maxLayers.toLocaleString("en-US")} layers`, "check the repetition counts"));
    return false;
  }

  private repeatCount(repeat: Repeat | undefined, env: Environment): number {
    if (!repeat) return 1;
    const value = convertValue(repeat.count, { name: "count", type: "int", doc: "how many times to repeat" }, env, "the repetition");
    if (isDiagnostic(value)) {
      this.diagnostics.push(value);
      return 0;
    }
    return value as number;
  }

  private layerOrCall(node: LayerNode, env: Environment): ElabNode[] {
    const definition = this.definitions.get(node.word.toLowerCase());
    if (definition) return this.call(definition, node, env);
    if (isSettingsStatement(node.word)) {
      this.diagnostics.push(diagnostic("bad-call", node.wordSpan, `${node.word.toUpperCase()}(...) is a setting and stands on its own at the top level`, "move it out of the brackets or block"));
      return [];
    }
    const match = matchKeyword(node.word);
    if (!match) {
      this.diagnostics.push(this.unknownLayer(node));
      return [];
    }
    if (match.definition.kind === "input") {
      this.diagnostics.push(diagnostic("misplaced-input", node.span, "INPUT can only be the first layer", "remove it, or move it to the start of the network"));
      return [];
    }
    const settings = this.resolveLayer(node, match, env);
    if (!settings) return [];
    if (!this.countNode(node.span)) return [];
    return [{ type: "layer", settings, span: node.span }];
  }

  private unknownLayer(node: LayerNode): Diagnostic {
    const stem = node.word.replace(/[\d.x]+$/i, "");
    const candidates = [...allKeywords, ...this.definedBlocks];
    const close = closestNames(stem, candidates);
    const suffix = node.word.slice(stem.length);
    const hint = close.length > 0 ? `did you mean ${close.map((c) => c + suffix).join(" or ")}?` : "layers are CONV, POOL, AVGPOOL, FC, GAP, BN, DROPOUT, NORM, RELU, SOFTMAX ...; blocks are defined with def name(...) = ...";
    return diagnostic("unknown-layer", node.wordSpan, `unknown layer '${node.word}'`, hint);
  }

  private call(definition: DefinitionNode, node: LayerNode, env: Environment): ElabNode[] {
    const key = definition.name.toLowerCase();
    if (this.callStack.includes(key)) {
      this.diagnostics.push(diagnostic("recursion", node.wordSpan, `block '${definition.name}' uses itself`, "a block cannot contain a call of itself"));
      return [];
    }
    if (node.dashValue || node.operand || node.modifiers.length > 0) {
      this.diagnostics.push(diagnostic("bad-call", node.span, `block '${definition.name}' is called with parentheses only`, `write ${definition.name}(${definition.parameters.map((p) => p.name).join(", ")})`));
      return [];
    }
    const bound = new Map<string, Value>();
    const params = definition.parameters.map((p) => p.name.toLowerCase());
    let position = 0;
    for (const arg of node.args) {
      const name = arg.name?.toLowerCase() ?? params[position++];
      if (name === undefined || !params.includes(name)) {
        this.diagnostics.push(diagnostic("bad-call", arg.span, `block '${definition.name}' takes ${params.length} argument${params.length === 1 ? "" : "s"} (${params.join(", ")})`, arg.name ? `it has no parameter '${arg.name}'` : "remove the extra argument"));
        return [];
      }
      bound.set(name, substitute(arg.value, env));
    }
    const missing = params.filter((p) => !bound.has(p));
    if (missing.length > 0) {
      this.diagnostics.push(diagnostic("bad-call", node.span, `block '${definition.name}' needs ${missing.join(", ")}`, `write ${definition.name}(${params.join(", ")})`));
      return [];
    }
    if (!this.enter(node.span)) return [];
    this.callStack.push(key);
    try {
      return this.element(definition.body, bound);
    } finally {
      this.callStack.pop();
      this.depth--;
    }
  }

  /** Keyword preset, glued number, dash value, operand, (named=args) and /modifiers: one map. */
  resolveLayer(node: LayerNode, match: KeywordMatch, env: Environment): LayerSettings | undefined {
    const { definition } = match;
    const keyword = match.keyword.word;
    const args: ResolvedArguments = new Map(Object.entries(match.keyword.preset ?? {}));
    const specs = definition.arguments;
    const fail = (d: Diagnostic) => {
      this.diagnostics.push(d);
      return undefined;
    };
    const set = (argumentName: string, value: Value, span: Span): boolean => {
      const spec = specs.find((s) => s.name === argumentName);
      if (!spec) {
        fail(diagnostic("unknown-argument", span, `${keyword} has no ${argumentName}`, this.argumentHint(match)));
        return false;
      }
      const converted = convertValue(value, spec, env, keyword);
      if (isDiagnostic(converted)) {
        fail(converted);
        return false;
      }
      args.set(argumentName, converted);
      return true;
    };
    if (match.suffix !== undefined) {
      const span = { ...node.wordSpan, offset: node.wordSpan.offset + keyword.length, column: node.wordSpan.column + keyword.length, length: node.wordSpan.length - keyword.length };
      const value: Value = typeof match.suffix === "number" ? { type: "number", value: match.suffix, span } : { type: "dims", values: match.suffix as number[], span };
      if (!set(definition.suffix!, value, span)) return undefined;
    }
    if (node.dashValue) {
      if (!definition.dash) return fail(diagnostic("bad-argument", node.dashValue.span, `${keyword} takes no '-' value`, `write ${definition.syntax[0]}`));
      if (!set(definition.dash, node.dashValue, node.dashValue.span)) return undefined;
    }
    if (node.operand) {
      if (!definition.operand) return fail(diagnostic("bad-argument", node.operand.span, `${keyword} takes no size after a space`, `write ${definition.syntax.slice(0, 2).join(" or ")}`));
      if (!set(definition.operand, node.operand, node.operand.span)) return undefined;
    }
    for (const arg of node.args) {
      if (!this.setNamed(arg, keyword, set, match)) return undefined;
    }
    for (const modifier of node.modifiers) {
      if (modifier.value) {
        if (!set(modifier.name.toLowerCase(), modifier.value, modifier.span)) return undefined;
        continue;
      }
      const meaning = modifierMeaning(modifier.name);
      if (!meaning || !specs.some((s) => s.name === meaning.argument)) {
        return fail(diagnostic("unknown-argument", modifier.span, `${keyword} has no modifier /${modifier.name}`, this.argumentHint(match)));
      }
      const value: Value =
        typeof meaning.value === "number"
          ? { type: "number", value: meaning.value, span: modifier.span }
          : Array.isArray(meaning.value)
            ? { type: "dims", values: meaning.value, span: modifier.span }
            : { type: "name", name: String(meaning.value), span: modifier.span };
      if (!set(meaning.argument, value, modifier.span)) return undefined;
    }
    const settings = definition.settings(args);
    if (isKindError(settings)) return fail(diagnostic(settings.code, node.span, settings.message, settings.hint));
    return settings;
  }

  private setNamed(arg: Argument, keyword: string, set: (name: string, value: Value, span: Span) => boolean, match: KeywordMatch): boolean {
    // A yes/no argument may be written by its name alone: AUGMENT(flip, crop=28).
    const flag = arg.name === undefined && arg.value.type === "name" ? arg.value.name.toLowerCase() : undefined;
    if (flag !== undefined && match.definition.arguments.some((s) => s.name === flag && s.type === "boolean")) {
      return set(flag, { type: "name", name: "true", span: arg.span }, arg.span);
    }
    if (arg.name === undefined) {
      this.diagnostics.push(diagnostic("bad-argument", arg.span, `${keyword}'s arguments are named`, `write name=value, e.g. ${match.definition.syntax[match.definition.syntax.length - 1]}`));
      return false;
    }
    const name = arg.name.toLowerCase();
    if (!match.definition.arguments.some((s) => s.name === name)) {
      const close = closestNames(name, match.definition.arguments.map((s) => s.name));
      this.diagnostics.push(diagnostic("unknown-argument", arg.span, `${keyword} has no argument '${arg.name}'`, close.length > 0 ? `did you mean ${close.join(" or ")}?` : this.argumentHint(match)));
      return false;
    }
    return set(name, arg.value, arg.span);
  }

  private argumentHint(match: KeywordMatch): string {
    const specs = match.definition.arguments.filter((s) => !(match.keyword.preset && s.name in match.keyword.preset));
    const modifiers = modifiersFor(specs);
    const names = specs.map((s) => s.name).join(", ");
    return modifiers.length > 0 ? `its modifiers are ${modifiers.map((m) => m.written).join(" ")}; its arguments ${names}` : names ? `its arguments are ${names}` : `${match.keyword.word} takes no arguments`;
  }
}

export function elaborate(ast: NetworkAst, options: ElaborateOptions = {}): Elaboration {
  const elaborator = new Elaborator(ast, options.maxLayers ?? 50_000);
  let defaults = standardDefaults;
  let training: TrainingSettings | undefined;
  let input: Elaboration["input"];
  const nodes: ElabNode[] = [];
  let seenLayer = false;

  for (const statement of ast.statements) {
    if (statement.type === "definition") continue;
    if (statement.type === "layer" && isSettingsStatement(statement.word)) {
      const word = statement.word.toUpperCase();
      if (word === "TRAIN") training = parseTrainStatement(statement.args, elaborator.diagnostics);
      else defaults = parseDefaultsStatement(statement.args, elaborator.diagnostics, defaults);
      continue;
    }
    if (statement.type === "layer" && !seenLayer) {
      const match = matchKeyword(statement.word);
      if (match?.definition.kind === "input") {
        seenLayer = true;
        const settings = elaborator.resolveLayer(statement, match, new Map());
        if (settings?.kind === "input") input = { settings, span: statement.span };
        continue;
      }
    }
    if (!seenLayer) {
      seenLayer = true;
      elaborator.diagnostics.push(
        diagnostic("missing-input", statement.span, "the network must start with INPUT", "write the input size first, e.g. INPUT 224x224x3 (height x width x channels) or INPUT 28x28"),
      );
    }
    for (const node of elaborator.element(statement, new Map())) nodes.push(node);
  }
  if (!seenLayer) {
    elaborator.diagnostics.push(diagnostic("missing-input", { offset: 0, length: 1, line: 1, column: 1 }, "the network has no layers", "start with INPUT, e.g. INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX"));
  }
  const result: Elaboration = { nodes, defaults, diagnostics: elaborator.diagnostics };
  if (input) result.input = input;
  if (training) result.training = training;
  return result;
}
