// Token-level views of partial text, shared by completion, inspection and the completeness test:
// what the kernel sees while a student is still typing, so the text rarely parses.
import type { IToken, TokenType } from "chevrotain";
import { convNoteLexer, Equals, LBrace, LBracket, LParen, Minus, RBrace, RBracket, RParen, Slash, Word } from "../dsl/lexer.js";

/** The tokens of `text` (characters the lexer does not know are skipped). */
export function tokensOf(text: string): IToken[] {
  return convNoteLexer.tokenize(text).tokens;
}

export function isType(token: IToken | undefined, ...types: TokenType[]): boolean {
  return token !== undefined && types.includes(token.tokenType);
}

const openers: ReadonlyMap<TokenType, TokenType> = new Map([
  [LBracket, RBracket],
  [LBrace, RBrace],
  [LParen, RParen],
]);

export function closerOf(opener: TokenType): TokenType | undefined {
  return openers.get(opener);
}

export function isCloser(token: IToken): boolean {
  return token.tokenType === RBracket || token.tokenType === RBrace || token.tokenType === RParen;
}

/** The brackets, braces and parentheses still open at the end of `tokens`, outermost first. */
export function openBrackets(tokens: readonly IToken[]): IToken[] {
  const stack: IToken[] = [];
  for (const token of tokens) {
    if (openers.has(token.tokenType)) stack.push(token);
    else if (isCloser(token) && stack.length > 0 && closerOf(stack[stack.length - 1]!.tokenType) === token.tokenType) stack.pop();
  }
  return stack;
}

/**
 * The word that starts the layer ending at `tokens[end]`: `CONV3` for the tokens of
 * `CONV3-64(pad=1)/s2`. Walks back over the dash value, operand, arguments and modifiers.
 */
export function layerWordBefore(tokens: readonly IToken[], end: number): IToken | undefined {
  let depth = 0;
  for (let i = end; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.tokenType === RParen) depth++;
    else if (token.tokenType === LParen) depth--;
    if (depth > 0) continue;
    if (depth < 0) return undefined;
    if (token.tokenType !== Word) continue;
    // A word after '/', '-' or '=' is a modifier, a dash value or an argument's value.
    if (!isType(tokens[i - 1], Slash, Minus, Equals)) return token;
  }
  return undefined;
}

/** Offset one past the token's last character. */
export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}
