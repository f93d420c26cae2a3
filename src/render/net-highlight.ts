/**
 * Syntax highlighting of network text (a `%%net` cell), read from the language's own lexer and
 * layer registry so that a new token or layer kind is highlighted without touching this file:
 * - `netHighlightRules()`: the lexer's tokens as plain regular expressions with a style each, for
 *   the CodeMirror mode that the kernelspec's kernel.js defines in Notebook 6;
 * - `highlightNetHtml()`: the text as HTML spans with Pygments' class names, for pages exported by
 *   nbconvert (whose CSS styles those classes), tokenized by the lexer itself.
 */

import type { TokenType } from "chevrotain";
import { allTokens, convNoteLexer, Word } from "../dsl/lexer.js";
import { layerKinds } from "../layers/registry.js";
import { settingsStatements } from "../shapes/defaults.js";
import { escapeHtml } from "./html.js";

/** What a piece of network text is, named as CodeMirror names token styles (`cm-<style>`). */
export type NetStyle = "comment" | "keyword" | "number" | "operator" | "bracket" | "variable" | "meta";

const STYLE_OF_TOKEN: Record<string, NetStyle | null> = {
  WhiteSpace: null,
  Comment: "comment",
  Arrow: "operator",
  Dims: "number",
  NumberLiteral: "number",
  RepeatX: "operator",
  Def: "keyword",
  Res: "keyword",
  Cat: "keyword",
  Aux: "keyword",
  Word: "variable",
  Minus: "operator",
  Slash: "operator",
  Star: "operator",
  Equals: "operator",
  Comma: "operator",
  Pipe: "operator",
  LBracket: "bracket",
  RBracket: "bracket",
  LBrace: "bracket",
  RBrace: "bracket",
  LParen: "bracket",
  RParen: "bracket",
};

function styleOf(token: TokenType): NetStyle | null {
  const style = STYLE_OF_TOKEN[token.name];
  if (style === undefined) throw new Error(`render/net-highlight: the lexer's token ${token.name} has no highlighting style; add it to STYLE_OF_TOKEN`);
  return style;
}

/**
 * Words that are the language's own (layer keywords with their glued numbers such as CONV3 or
 * DROPOUT0.5, TRAIN, DEFAULTS) as one case-insensitive pattern; other words are names and values.
 */
export function languageWordPattern(): string {
  const glued: string[] = [];
  const plain: string[] = [...settingsStatements];
  for (const definition of layerKinds) {
    for (const keyword of definition.keywords) (definition.suffix === undefined ? plain : glued).push(keyword.word);
  }
  const alternation = (words: string[]) => [...new Set(words)].sort((a, b) => b.length - a.length).join("|");
  return `^(?:(?:${alternation(glued)})(?:\\d+(?:x\\d+)+|\\d+(?:\\.\\d*)?|\\.\\d+)?|(?:${alternation(plain)}))$`;
}

/** One lexer token as the CodeMirror mode reads it: chevrotain's order and longer_alt rule. */
export interface NetHighlightRule {
  name: string;
  /** The token's pattern, to be anchored at the stream's position. */
  source: string;
  flags: string;
  style: NetStyle | null;
  /** The token that wins when it matches a longer text (chevrotain's longer_alt), by name. */
  longerAlt?: string;
}

export function netHighlightRules(): NetHighlightRule[] {
  return allTokens.map((token) => {
    const pattern = token.PATTERN;
    if (!(pattern instanceof RegExp)) throw new Error(`render/net-highlight: token ${token.name} has no regular expression`);
    const rule: NetHighlightRule = { name: token.name, source: pattern.source, flags: pattern.flags.replace(/[gy]/g, ""), style: styleOf(token) };
    const longer = token.LONGER_ALT;
    const alt = Array.isArray(longer) ? longer[0] : longer;
    if (alt) rule.longerAlt = alt.name;
    return rule;
  });
}

/** Pygments' short class names, which nbconvert's pages style. */
const PYGMENTS_CLASS: Record<NetStyle, string> = {
  comment: "c1",
  keyword: "k",
  number: "m",
  operator: "o",
  bracket: "p",
  variable: "n",
  meta: "nd",
};

function span(style: NetStyle, text: string): string {
  return `<span class="${PYGMENTS_CLASS[style]}">${escapeHtml(text)}</span>`;
}

/** Text the lexer skips or rejects: comments highlighted, the rest (spaces, stray characters) plain. */
function gapHtml(text: string): string {
  return text.replace(/#[^\n\r]*|[^#]+/g, (piece) => (piece.startsWith("#") ? span("comment", piece) : escapeHtml(piece)));
}

const languageWord = () => new RegExp(languageWordPattern(), "i");

/**
 * A `%%net` cell (its first line the magic) as highlighted HTML, by the lexer itself: comments,
 * layer words, sizes and numbers, operators and brackets each get their Pygments class.
 */
export function highlightNetHtml(cellText: string): string {
  const magic = /^(\s*%%net\b[^\n]*)/.exec(cellText);
  const head = magic ? span("meta", magic[1]!) : "";
  const body = magic ? cellText.slice(magic[1]!.length) : cellText;
  const ownWord = languageWord();
  const { tokens } = convNoteLexer.tokenize(body);
  const parts: string[] = [head];
  let at = 0;
  for (const token of tokens) {
    parts.push(gapHtml(body.slice(at, token.startOffset)));
    const style = token.tokenType === Word && ownWord.test(token.image) ? "keyword" : styleOf(token.tokenType);
    parts.push(style ? span(style, token.image) : escapeHtml(token.image));
    at = token.startOffset + token.image.length;
  }
  parts.push(gapHtml(body.slice(at)));
  return parts.join("");
}
