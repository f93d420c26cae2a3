// What can be written where, read from the layer registry and the settings' argument lists, so
// that completion offers exactly what the checker accepts.
import type { IToken } from "chevrotain";
import { Comma, Def, LParen, RParen, Word } from "../dsl/lexer.js";
import { modifiersFor, type ArgumentSpec } from "../layers/arguments.js";
import type { KeywordSpec, LayerKindDefinition } from "../layers/kind.js";
import { layerKinds, matchKeyword, type LayerSettings } from "../layers/registry.js";
import { defaultsArguments, settingsStatements } from "../shapes/defaults.js";
import { trainArguments } from "../train/settings.js";

type Definition = LayerKindDefinition<LayerSettings>;

/** A number written with a keyword's default: `CONV3-`, `POOL2`, `FC-`, `DROPOUT0.5`. */
function defaultNumber(definition: Definition, argument: string | undefined): string | undefined {
  const text = definition.arguments.find((a) => a.name === argument)?.defaultText;
  return text !== undefined && /^[\d.x]+$/.test(text) ? text : undefined;
}

/**
 * The keyword as it is usually written, with the number pattern: `CONV3-` (size glued, filters
 * after the dash), `FC-`, `POOL2`, `DROPOUT0.5`; plain words such as `BN` or `RELU` stay plain.
 */
export function keywordPattern(definition: Definition, keyword: KeywordSpec): string {
  if (definition.dash !== undefined) {
    const glued = definition.suffix !== definition.dash ? (defaultNumber(definition, definition.suffix) ?? "") : "";
    return `${keyword.word}${glued}-`;
  }
  if (definition.suffix !== undefined && definition.operand === undefined) return keyword.word + (defaultNumber(definition, definition.suffix) ?? "");
  return keyword.word;
}

export interface LayerKeyword {
  definition: Definition;
  keyword: KeywordSpec;
  /** What completion inserts. */
  pattern: string;
}

/** Every layer keyword in registry order (INPUT first), with its pattern. */
export const layerKeywords: readonly LayerKeyword[] = layerKinds.flatMap((definition) =>
  definition.keywords.map((keyword) => ({ definition, keyword, pattern: keywordPattern(definition, keyword) })),
);

/** The arguments a keyword leaves open (AVGPOOL fixes mode, INPUT1D fixes rank). */
export function openArguments(definition: Definition, keyword: KeywordSpec): ArgumentSpec[] {
  return definition.arguments.filter((a) => !(keyword.preset && a.name in keyword.preset));
}

/** Modifiers as written after the '/': `s2`, `p1`, `same`, `nobias` ... */
export function modifierCompletions(specs: readonly ArgumentSpec[]): string[] {
  return modifiersFor(specs).flatMap((m) => m.samples);
}

/** The arguments a name followed by '(' takes: a layer keyword, TRAIN or DEFAULTS. */
export function argumentsOf(word: string): readonly ArgumentSpec[] | undefined {
  const upper = word.toUpperCase();
  if (upper === "TRAIN") return trainArguments;
  if (upper === "DEFAULTS") return defaultsArguments;
  const match = matchKeyword(word);
  return match ? openArguments(match.definition, match.keyword) : undefined;
}

export const settingsWords: readonly string[] = settingsStatements;

export interface BlockDefinition {
  name: string;
  parameters: string[];
  /** The `def` token. */
  start: IToken;
}

/** `def name(a, b) = ...` headers in `tokens`, in order (the bodies need not be complete). */
export function blockDefinitions(tokens: readonly IToken[]): BlockDefinition[] {
  const out: BlockDefinition[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.tokenType !== Def || tokens[i + 1]?.tokenType !== Word || tokens[i + 2]?.tokenType !== LParen) continue;
    const parameters: string[] = [];
    let j = i + 3;
    for (; j < tokens.length && tokens[j]!.tokenType !== RParen; j++) {
      const token = tokens[j]!;
      if (token.tokenType === Word) parameters.push(token.image);
      else if (token.tokenType !== Comma) break;
    }
    out.push({ name: tokens[i + 1]!.image, parameters, start: tokens[i]! });
  }
  return out;
}
