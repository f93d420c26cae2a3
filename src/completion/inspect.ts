// Shift-Tab inspection: the reference of the layer (or construct) under the cursor, and what it
// computes at that place in the network: output shape, parameters, receptive field. The network is
// checked as written; if it does not check (yet), up to the end of that layer, with open brackets
// closed, so an error further down does not hide what is known here.
import type { IToken } from "chevrotain";
import { Aux, Cat, Def, Dims, Equals, LBrace, LBracket, LParen, Minus, NumberLiteral, Pipe, RBrace, RBracket, RepeatX, Res, RParen, Slash, Star, Word } from "../dsl/lexer.js";
import type { ArgumentSpec } from "../layers/arguments.js";
import type { KeywordSpec, LayerKindDefinition } from "../layers/kind.js";
import { matchKeyword, type LayerSettings } from "../layers/registry.js";
import { formatShape } from "../layers/shape.js";
import { checkNetwork } from "../shapes/check.js";
import type { CheckedNetwork, TableRow } from "../shapes/network.js";
import { defaultsArguments } from "../shapes/defaults.js";
import { trainArguments } from "../train/settings.js";
import { constructDocs, type ConstructDoc } from "../docs/constructs.js";
import { columnsFor, SUMMARY_DEFAULTS } from "../render/summary-columns.js";
import { endOf, isType, layerWordBefore, openBrackets, tokensOf } from "./tokens.js";
import { blockDefinitions, modifierCompletions, openArguments } from "./vocabulary.js";

/** Jupyter's inspect_reply data: the same content as Markdown and as plain text. */
export interface Inspection {
  markdown: string;
  plain: string;
}

/** A document built once and written out in both forms. */
type Part = { type: "heading"; text: string } | { type: "text"; text: string } | { type: "code"; text: string } | { type: "table"; header: string[]; rows: string[][] };

function toMarkdown(parts: readonly Part[]): string {
  return parts
    .map((p) => {
      switch (p.type) {
        case "heading":
          return `**${p.text}**`;
        case "text":
          return p.text;
        case "code":
          return "```\n" + p.text + "\n```";
        case "table": {
          const escape = (cell: string) => cell.replace(/\|/g, "\\|");
          return [`| ${p.header.join(" | ")} |`, `| ${p.header.map(() => "---").join(" | ")} |`, ...p.rows.map((r) => `| ${r.map(escape).join(" | ")} |`)].join("\n");
        }
      }
    })
    .join("\n\n");
}

/**
 * A paragraph's lines joined into one (list items and indented lines keep theirs): the front end
 * wraps it to its own width. Hard-wrapped at 90 columns, it broke again in Notebook 6's narrower
 * tooltip, mid-line.
 */
export function flowed(text: string): string {
  return text.replace(/([^\n])\n(?![\n\s]|(?:[-*]|\d+\.)\s)/g, "$1 ");
}

/** Plain text: Markdown's backticks dropped, paragraphs flowed, tables as aligned columns. */
function toPlain(parts: readonly Part[]): string {
  return parts
    .map((p) => {
      switch (p.type) {
        case "heading":
          return p.text;
        case "text":
          return flowed(p.text.replace(/`/g, ""));
        case "code":
          return p.text.split("\n").map((l) => `    ${l}`).join("\n");
        case "table": {
          const all = [p.header, ...p.rows];
          const widths = p.header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
          return all.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
        }
      }
    })
    .join("\n\n");
}

function argumentTable(specs: readonly ArgumentSpec[]): Part {
  return { type: "table", header: ["argument", "meaning", "default"], rows: specs.map((s) => [s.name, s.choices ? `${s.doc} (${s.choices.join(", ")})` : s.doc, s.defaultText ?? "-"]) };
}

/** The columns Shift-Tab shows for the layer under the cursor. */
const inspectedColumns = columnsFor(["name", "written", "then", "output", "params", "receptiveField"]);

/** The computed rows of one place in the network (several when it is repeated or in a block). */
function statsTable(rows: readonly TableRow[]): Part[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, 12);
  const table: Part = {
    type: "table",
    header: inspectedColumns.map((c) => c.header(SUMMARY_DEFAULTS)),
    rows: shown.map((r) => inspectedColumns.map((c) => c.text(r, SUMMARY_DEFAULTS))),
  };
  const more: Part[] = rows.length > shown.length ? [{ type: "text", text: `... and ${rows.length - shown.length} more repetitions` }] : [];
  return [{ type: "text", text: rows.length === 1 ? "Here:" : `Here (${rows.length} times):` }, table, ...more];
}

/** Where the layer that starts with `tokens[i]` ends: after its dash value, size, (arguments) and /modifiers. */
function layerEnd(tokens: readonly IToken[], i: number): number {
  let j = i + 1;
  const skipParens = () => {
    if (!isType(tokens[j], LParen)) return;
    let depth = 0;
    for (; j < tokens.length; j++) {
      if (tokens[j]!.tokenType === LParen) depth++;
      else if (tokens[j]!.tokenType === RParen && --depth === 0) break;
    }
    j++;
  };
  if (isType(tokens[j], Minus)) j += 2;
  if (isType(tokens[j], Dims, NumberLiteral)) j++;
  skipParens();
  while (isType(tokens[j], Slash)) {
    j += 2;
    if (isType(tokens[j], Equals)) {
      j++;
      if (isType(tokens[j], Minus)) j++;
      j++;
      skipParens();
    }
  }
  const last = tokens[Math.min(j, tokens.length) - 1]!;
  return endOf(last);
}

/** The network up to `end`, with the brackets still open there closed. */
function networkBefore(text: string, tokens: readonly IToken[], end: number): CheckedNetwork | undefined {
  const open = openBrackets(tokens.filter((t) => endOf(t) <= end));
  if (open.some((t) => t.tokenType === LParen)) return undefined;
  const closers = open.reverse().map((t) => (t.tokenType === LBrace ? "}" : "]")).join("");
  return checkNetwork(text.slice(0, end) + closers).network;
}

/** The network as written, or else up to `end`. */
function networkUpTo(text: string, tokens: readonly IToken[], end: number): CheckedNetwork | undefined {
  return checkNetwork(text).network ?? networkBefore(text, tokens, end);
}

function rowsStartingAt(network: CheckedNetwork | undefined, offset: number, type: TableRow["node"]["type"]): TableRow[] {
  return network ? network.rows.filter((r) => r.node.type === type && r.node.span.offset === offset) : [];
}

function layerParts(definition: LayerKindDefinition<LayerSettings>, keyword: KeywordSpec, written: string): Part[] {
  const specs = openArguments(definition, keyword);
  const modifiers = modifierCompletions(specs);
  return [
    { type: "heading", text: `${written}: ${definition.title} (${keyword.word}, ${keyword.summary})` },
    { type: "text", text: definition.doc },
    { type: "text", text: `Forms: ${definition.syntax.map((s) => `\`${s}\``).join(", ")}${modifiers.length > 0 ? `; modifiers ${modifiers.map((m) => `\`/${m}\``).join(" ")}` : ""}` },
    ...(specs.length > 0 ? [argumentTable(specs)] : []),
  ];
}

function constructParts(doc: ConstructDoc): Part[] {
  return [{ type: "heading", text: doc.title }, { type: "text", text: doc.doc }, { type: "text", text: `Forms: ${doc.syntax.map((s) => `\`${s}\``).join(", ")}` }];
}

function inspection(parts: readonly Part[]): Inspection {
  return { markdown: toMarkdown(parts), plain: toPlain(parts) };
}

/** The token under the cursor, a word first: a cursor right after `CONV3` (before '-') inspects it. */
function tokenAt(tokens: readonly IToken[], at: number): number {
  const touching = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.startOffset <= at && at <= endOf(t));
  const word = touching.find(({ t }) => isType(t, Word, Res, Cat, Aux, Def));
  return (word ?? touching.find(({ t }) => at < endOf(t)) ?? touching[0])?.i ?? -1;
}

/** The word that owns the parentheses around `i`, innermost first, that names a layer or a setting. */
function parenthesisOwner(tokens: readonly IToken[], i: number): IToken | undefined {
  const parens = openBrackets(tokens.slice(0, i)).filter((t) => t.tokenType === LParen).reverse();
  for (const paren of parens) {
    const owner = tokens[tokens.indexOf(paren) - 1];
    if (owner && owner.tokenType === Word && (matchKeyword(owner.image) || /^(TRAIN|DEFAULTS)$/i.test(owner.image) || !isType(tokens[tokens.indexOf(paren) - 2], Equals))) return owner;
  }
  return undefined;
}

/** The argument the cursor is on inside `word(name=value)` or `/name=value`, if any. */
function argumentUnderCursor(tokens: readonly IToken[], i: number): string | undefined {
  const token = tokens[i]!;
  if (token.tokenType === Word && isType(tokens[i + 1], Equals)) return token.image.toLowerCase();
  if (isType(tokens[i - 1], Equals) && isType(tokens[i - 2], Word)) return tokens[i - 2]!.image.toLowerCase();
  return undefined;
}

export function inspectNetwork(text: string, cursor: number): Inspection | undefined {
  const at = Math.max(0, Math.min(cursor, text.length));
  const tokens = tokensOf(text);
  const i = tokenAt(tokens, at);
  if (i < 0) return undefined;
  const token = tokens[i]!;
  const type = token.tokenType;

  if (type === Res || type === Cat) {
    const parts = constructParts(constructDocs[type === Res ? "res" : "cat"]);
    const closing = matchingClose(tokens, i + 1);
    const network = closing === undefined ? undefined : networkUpTo(text, tokens, endOf(tokens[closing]!));
    return inspection([...parts, ...statsTable(rowsStartingAt(network, token.startOffset, "skip"))]);
  }
  if (type === Aux) {
    const closing = tokens.findIndex((t, j) => j > i && t.tokenType === LBracket);
    const close = closing < 0 ? undefined : matchingClose(tokens, closing);
    const network = close === undefined ? undefined : networkUpTo(text, tokens, endOf(tokens[close]!));
    return inspection([...constructParts(constructDocs.aux), ...statsTable(rowsStartingAt(network, token.startOffset, "aux"))]);
  }
  if (type === LBrace || type === RBrace || type === Pipe) {
    const open = type === LBrace ? token : openBrackets(tokens.slice(0, i + (type === RBrace ? 0 : 1))).filter((t) => t.tokenType === LBrace).pop();
    const rows = open ? rowsStartingAt(checkNetwork(text).network, open.startOffset, "branches") : [];
    return inspection([...constructParts(constructDocs.branches), ...statsTable(rows)]);
  }
  if (type === LBracket || type === RBracket || type === RepeatX) {
    if (type === LBracket && isType(tokens[i - 1], Res, Cat, Aux)) return inspectNetwork(text, tokens[i - 1]!.startOffset);
    return inspection(constructParts(constructDocs.group));
  }
  if (type === Def || (isType(tokens[i - 1], Def) && type === Word)) return inspection(constructParts(constructDocs.def));

  // The layer word this token belongs to: itself, or the word before its (arguments) or /modifiers.
  const word = parenthesisOwner(tokens, i) ?? layerWordBefore(tokens, i);
  if (!word || word.tokenType !== Word) return undefined;
  const wordIndex = tokens.indexOf(word);
  const upper = word.image.toUpperCase();
  const argument = argumentUnderCursor(tokens, i);

  if (upper === "TRAIN" || upper === "DEFAULTS") {
    const specs = upper === "TRAIN" ? trainArguments : defaultsArguments;
    return inspection([...argumentNote(specs, argument), ...constructParts(constructDocs[upper === "TRAIN" ? "train" : "defaults"]), argumentTable(specs)]);
  }
  const block = blockDefinitions(tokens).find((b) => b.name.toLowerCase() === word.image.toLowerCase());
  if (block && !isType(tokens[wordIndex - 1], Def)) {
    const end = layerEnd(tokens, wordIndex);
    const insideBranches = openBrackets(tokens.slice(0, wordIndex)).some((t) => t.tokenType === LBrace);
    const network = insideBranches ? undefined : networkBefore(text, tokens, end);
    const header = `${block.name}(${block.parameters.join(", ")})`;
    const after: Part[] = network ? [{ type: "text", text: `Output after this call: ${formatShape(network.outputShape)}` }] : [];
    return inspection([{ type: "heading", text: `block ${header}` }, { type: "text", text: constructDocs.def.doc }, ...after]);
  }
  const match = matchKeyword(word.image);
  if (!match) return undefined;
  const network = networkUpTo(text, tokens, layerEnd(tokens, wordIndex));
  const rows = rowsStartingAt(network, word.startOffset, "layer");
  return inspection([...argumentNote(match.definition.arguments, argument), ...layerParts(match.definition, match.keyword, word.image), ...statsTable(rows)]);
}

function argumentNote(specs: readonly ArgumentSpec[], name: string | undefined): Part[] {
  const spec = name === undefined ? undefined : specs.find((s) => s.name === name);
  if (!spec) return [];
  return [{ type: "text", text: `\`${spec.name}\`: ${spec.doc}${spec.defaultText ? ` (default ${spec.defaultText})` : ""}` }];
}

/** The index of the `]` that closes the `[` at `open`, if it is there. */
function matchingClose(tokens: readonly IToken[], open: number): number | undefined {
  if (!isType(tokens[open], LBracket)) return undefined;
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.tokenType === LBracket) depth++;
    else if (tokens[j]!.tokenType === RBracket && --depth === 0) {
      if (isType(tokens[j + 1], RepeatX)) return j + 1;
      return isType(tokens[j + 1], Star) && isType(tokens[j + 2], NumberLiteral, Word) ? j + 2 : j;
    }
  }
  return undefined;
}
