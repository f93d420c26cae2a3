// Tab completion for network text: layer keywords with their number pattern (`CONV3-`), modifiers
// after '/', argument names inside `CONV(`, values after `name=`, the blocks defined so far, and
// zoo names as a whole cell. Works on partial text: only the tokens before the cursor are read.
import type { IToken } from "chevrotain";
import { Aux, Cat, Comma, Def, Equals, LParen, Minus, Res, Slash, Star, Word } from "../dsl/lexer.js";
import { parseNetwork } from "../dsl/parse.js";
import { matchKeyword } from "../layers/registry.js";
import { zooNames } from "../zoo/index.js";
import { isType, layerWordBefore, openBrackets, tokensOf } from "./tokens.js";
import { argumentsOf, blockDefinitions, layerKeywords, modifierCompletions, openArguments, settingsWords } from "./vocabulary.js";

/** Jupyter's complete_reply: replace text[cursorStart, cursorEnd) by one of `matches`. */
export interface CompletionResult {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
}

export interface CompletionOptions {
  /** Names a whole cell may be (the zoo's names and aliases by default). */
  zooNames?: readonly string[];
}

const isWordCharacter = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.]/.test(c);

/** Candidates that start with `prefix` (any case), in the case the student is typing in. */
function filterByPrefix(candidates: readonly string[], prefix: string): string[] {
  const upper = prefix.toUpperCase();
  const lowerCase = /[a-z]/.test(prefix) && prefix === prefix.toLowerCase();
  const out: string[] = [];
  for (const candidate of candidates) {
    if (!candidate.toUpperCase().startsWith(upper)) continue;
    const shown = lowerCase ? candidate.toLowerCase() : candidate;
    if (!out.includes(shown)) out.push(shown);
  }
  return out;
}

/** Whether a layer (not only blocks and settings) is written in `text`; INPUT is offered only before. */
function hasLayer(text: string, tokens: readonly IToken[]): boolean {
  const parsed = parseNetwork(text);
  if (parsed.ast) {
    return parsed.ast.statements.some((s) => s.type !== "definition" && !(s.type === "layer" && settingsWords.includes(s.word.toUpperCase())));
  }
  return tokens.some((t) => t.tokenType === Word && matchKeyword(t.image)?.definition.kind === "input");
}

/** The input's form when the INPUT is the only layer so far (then EMBED or AUGMENT may follow), else undefined. */
function onlyInput(tokens: readonly IToken[]): "image" | "sequence" | undefined {
  const layers = tokens.filter((t) => t.tokenType === Word && matchKeyword(t.image) !== undefined && !isType(tokens[tokens.indexOf(t) - 1], Slash, Minus, Equals));
  const first = layers[0] && matchKeyword(layers[0].image);
  if (layers.length !== 1 || first?.definition.kind !== "input") return undefined;
  return first.keyword.preset?.["rank"] === 1 ? "sequence" : "image";
}

function layerCandidates(text: string, before: readonly IToken[], prefix: string): string[] {
  const nested = openBrackets(before).length > 0;
  const inputAllowed = !nested && !hasLayer(text, before);
  const input = nested ? undefined : onlyInput(before);
  const keywordPlusNumber = matchKeyword(prefix);
  if (keywordPlusNumber?.suffix !== undefined) {
    // `CONV3` -> `CONV3-`: the number is written, the dash value is next.
    const { definition } = keywordPlusNumber;
    return definition.dash !== undefined && definition.dash !== definition.suffix ? [`${prefix}-`] : [];
  }
  const inputs = layerKeywords.filter((k) => k.definition.kind === "input").map((k) => k.pattern);
  // EMBED and AUGMENT read the input itself: offered right after an INPUT of their form only.
  const layers = layerKeywords.filter((k) => k.definition.kind !== "input" && (!k.definition.readsInput || k.definition.readsInput.input === input)).map((k) => k.pattern);
  const blocks = blockDefinitions(before).map((b) => `${b.name}(`);
  return [
    ...(inputAllowed ? inputs : []),
    ...layers,
    "RES[",
    "CAT[",
    // A head branches off the main chain only.
    ...(nested ? [] : ["AUX["]),
    ...blocks,
    ...(nested ? [] : ["def ", ...settingsWords.map((w) => `${w}(`)]),
  ];
}

/** Inside `word(`: argument names (`filters=`) after '(' or ',', values after '='. */
function argumentCandidates(before: readonly IToken[], paren: IToken): string[] {
  const parenIndex = before.indexOf(paren);
  const owner = before[parenIndex - 1];
  if (!isType(owner, Word) || isType(before[parenIndex - 2], Def)) return [];
  const previous = before[before.length - 1];
  const block = blockDefinitions(before).find((b) => b.name.toLowerCase() === owner!.image.toLowerCase());
  const specs = argumentsOf(owner!.image);
  if (isType(previous, Equals)) {
    const name = before[before.length - 2]!.image.toLowerCase();
    const spec = specs?.find((s) => s.name === name);
    if (!spec) return [];
    if (spec.choices) return [...spec.choices];
    return spec.type === "boolean" ? ["true", "false"] : [];
  }
  if (!isType(previous, LParen, Comma)) return [];
  const written = new Set<string>();
  for (let i = parenIndex + 1; i < before.length - 1; i++) {
    if (before[i]!.tokenType === Word && before[i + 1]!.tokenType === Equals) written.add(before[i]!.image.toLowerCase());
  }
  const names = block ? block.parameters : (specs ?? []).map((s) => s.name);
  return names.filter((n) => !written.has(n.toLowerCase())).map((n) => `${n}=`);
}

function modifierCandidates(before: readonly IToken[]): string[] {
  const word = layerWordBefore(before, before.length - 2);
  const match = word && matchKeyword(word.image);
  return match ? modifierCompletions(openArguments(match.definition, match.keyword)) : [];
}

/** Zoo names when the cell so far is one name (they contain dashes: `resnet-50`). */
function zooCandidates(text: string, cursor: number, names: readonly string[]): CompletionResult | undefined {
  const match = /^(\s*)([A-Za-z][\w.-]*)?$/.exec(text.slice(0, cursor));
  if (!match) return undefined;
  const start = match[1]!.length;
  let end = cursor;
  while (end < text.length && /[\w.-]/.test(text[end]!)) end++;
  return { matches: filterByPrefix(names, match[2] ?? ""), cursorStart: start, cursorEnd: end };
}

export function completeNetwork(text: string, cursor: number, options: CompletionOptions = {}): CompletionResult {
  const at = Math.max(0, Math.min(cursor, text.length));
  const none: CompletionResult = { matches: [], cursorStart: at, cursorEnd: at };
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  if (text.slice(lineStart, at).includes("#")) return none;

  let start = at;
  while (isWordCharacter(text[start - 1])) start--;
  let end = at;
  while (isWordCharacter(text[end])) end++;
  const prefix = text.slice(start, at);
  const before = tokensOf(text.slice(0, start));
  const previous = before[before.length - 1];
  const result = (candidates: readonly string[]): CompletionResult => ({ matches: filterByPrefix(candidates, prefix), cursorStart: start, cursorEnd: end });
  const zoo = zooCandidates(text, at, options.zooNames ?? zooNames());
  // A name with a dash or dot (`resnet-5`) can only be a zoo name.
  if (zoo && zoo.cursorStart !== start) return zoo;

  if (isType(previous, Slash)) return result(modifierCandidates(before));
  const innermost = openBrackets(before).pop();
  if (innermost?.tokenType === LParen) return result(argumentCandidates(before, innermost));
  if (isType(previous, Minus, Equals, Star, Def, Res, Cat, Aux)) return none;
  if (/^\d/.test(prefix)) return none;

  const layers = result(layerCandidates(text.slice(0, start), before, prefix));
  if (!zoo || zoo.cursorEnd !== end) return layers;
  return { ...layers, matches: [...layers.matches, ...zoo.matches.filter((m) => !layers.matches.includes(m))] };
}
