// Text to AST, with diagnostics for characters the lexer does not know and for syntax errors.
import type { IToken } from "chevrotain";
import type { NetworkAst } from "./ast.js";
import { buildAst } from "./build-ast.js";
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import { convNoteLexer, LBrace, LBracket, LParen, RBrace, RBracket, RParen } from "./lexer.js";
import { convNoteParser } from "./parser.js";
import { spanAt } from "./span.js";

export interface ParseResult {
  /** Present when the text has no syntax error. */
  ast?: NetworkAst;
  diagnostics: Diagnostic[];
}

/** The parser recurses once per bracket level; far deeper text would overflow the call stack. */
const maxNesting = 100;

/** The first opening bracket, brace or parenthesis past `maxNesting` levels, if any. */
function tooDeeplyNested(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LBracket || t.tokenType === LBrace || t.tokenType === LParen) {
      if (++depth > maxNesting) return t;
    } else if (t.tokenType === RBracket || t.tokenType === RBrace || t.tokenType === RParen) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

export function parseNetwork(source: string): ParseResult {
  const lexed = convNoteLexer.tokenize(source);
  const diagnostics: Diagnostic[] = lexed.errors.map((e) => {
    const char = source.slice(e.offset, e.offset + e.length);
    return diagnostic(
      "syntax",
      spanAt(source, e.offset, e.length),
      `unexpected character '${char}'`,
      "layers are words such as CONV3-64 or POOL2; '#' starts a comment",
    );
  });
  if (diagnostics.length > 0) return { diagnostics };
  const tooDeep = tooDeeplyNested(lexed.tokens);
  if (tooDeep) {
    const span = spanAt(source, tooDeep.startOffset, tooDeep.image.length);
    return { diagnostics: [diagnostic("too-large", span, `brackets nest more than ${maxNesting} deep here`, "flatten the nesting, or repeat with [...]xN")] };
  }

  convNoteParser.input = lexed.tokens;
  const cst = convNoteParser.network();
  const errors = convNoteParser.errors;
  // One parser serves the process: left alone it would hold the last text's tokens until the
  // next parse (56 MB for a 1 MB %%net cell in a kernel).
  convNoteParser.input = [];
  for (const error of errors) {
    const t = error.token;
    const atEnd = t.tokenType.name === "EOF" || Number.isNaN(t.startOffset);
    const offset = atEnd ? source.length : t.startOffset;
    const length = atEnd ? 1 : t.image.length;
    diagnostics.push(diagnostic("syntax", spanAt(source, Math.max(0, Math.min(offset, source.length)), length), error.message));
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { ast: buildAst(cst), diagnostics };
}
