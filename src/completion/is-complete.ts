// Jupyter's is_complete for network text: a console waits for more lines while a bracket is open,
// the text ends in a separator or the parser wants more, and reports a syntax error as invalid.
// Only syntax counts: a network with an unknown layer is complete (running it reports the error).
import { convNoteLexer, Arrow, Comma, Equals, Minus, Pipe, Slash, Star } from "../dsl/lexer.js";
import { parseNetwork } from "../dsl/parse.js";
import { closerOf, isCloser, isType } from "./tokens.js";

export type Completeness = "complete" | "incomplete" | "invalid";

export function isNetworkComplete(text: string): Completeness {
  const lexed = convNoteLexer.tokenize(text);
  if (lexed.errors.length > 0) return "invalid";
  const open: string[] = [];
  for (const token of lexed.tokens) {
    const closer = closerOf(token.tokenType);
    if (closer) open.push(closer.name);
    else if (isCloser(token) && open.pop() !== token.tokenType.name) return "invalid";
  }
  const last = lexed.tokens[lexed.tokens.length - 1];
  if (open.length > 0 || isType(last, Arrow, Comma, Minus, Slash, Equals, Star, Pipe)) return "incomplete";
  const parsed = parseNetwork(text);
  if (parsed.ast) return "complete";
  // The parser stopped at the end of the text, wanting more (`def f`, `RES`): not wrong yet.
  return parsed.diagnostics.every((d) => d.code === "syntax" && d.span.offset === text.length) ? "incomplete" : "invalid";
}
