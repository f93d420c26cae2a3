// The typed syntax tree of a ConvNote network, as written: repetitions, calls and blocks are kept
// here and expanded later by the checker (src/shapes/elaborate.ts).
import type { Span } from "./span.js";

export type Value =
  | { type: "number"; value: number; span: Span }
  /** `224x224x3`; a `?` (a size known only when the network runs) is NaN. */
  | { type: "dims"; values: number[]; span: Span }
  | { type: "name"; name: string; span: Span }
  | { type: "call"; name: string; args: Argument[]; span: Span };

export interface Argument {
  /** Absent for positional arguments (block calls). */
  name?: string;
  value: Value;
  span: Span;
}

/** `/s2`, `/same`, `/stride=2`, `/2`. */
export interface Modifier {
  name: string;
  value?: Value;
  span: Span;
}

/**
 * One layer word with everything written with it: `CONV3-64/s2`, `FC-4096`, `INPUT 28x28`,
 * `CONV(filters=96, size=11)`, or a call of a named block: `inception(64, 96, 128, 16, 32, 32)`.
 */
export interface LayerNode {
  type: "layer";
  word: string;
  wordSpan: Span;
  /** The value after `-`: the 64 of `CONV3-64`. */
  dashValue?: Value;
  /** A size or number after the word: the 224x224x3 of `INPUT 224x224x3`. */
  operand?: Value;
  /** Arguments in parentheses; `hasParens` tells `CONV()` from `CONV`. */
  args: Argument[];
  hasParens: boolean;
  modifiers: Modifier[];
  span: Span;
}

export interface Repeat {
  count: Value;
  span: Span;
}

/** `[ ... ]` or `[ ... ]x3`. */
export interface GroupNode {
  type: "group";
  body: Element[];
  repeat?: Repeat;
  span: Span;
}

/** `RES[ ... ]` (output = input + F(input)) or `CAT[ ... ]` (output = input ++ F(input)). */
export interface SkipNode {
  type: "skip";
  merge: "add" | "concat";
  keywordSpan: Span;
  body: Element[];
  repeat?: Repeat;
  span: Span;
}

/** `AUX[ ... ]` or `AUX(weight=0.3)[ ... ]`: a side head (auxiliary classifier) off the main chain. */
export interface AuxNode {
  type: "aux";
  keywordSpan: Span;
  args: Argument[];
  body: Element[];
  span: Span;
}

/** `{ a | b | c }`: branches on the same input, joined by channel concatenation. */
export interface BranchesNode {
  type: "branches";
  branches: Element[][];
  span: Span;
}

export type Element = LayerNode | GroupNode | SkipNode | AuxNode | BranchesNode;

/** `def name(a, b) = element`. */
export interface DefinitionNode {
  type: "definition";
  name: string;
  nameSpan: Span;
  parameters: { name: string; span: Span }[];
  body: Element;
  span: Span;
}

export type Statement = Element | DefinitionNode;

export interface NetworkAst {
  statements: Statement[];
}
