// The tokens of the ConvNote language. Layer words such as `CONV3`, `FC4096`, `POOL3` or
// `DROPOUT0.5` are single `Word` tokens: the layer registry, not the lexer, splits a word into its
// keyword and its number, so that adding a layer kind never touches the grammar.
import { createToken, Lexer, type TokenType } from "chevrotain";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: Lexer.SKIPPED });

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'" });
/** `224x224x3`, `28x28`, `2x1`: sizes written with x between numbers; `?x?x3`, `?`: sizes known only when the network runs. */
export const Dims = createToken({ name: "Dims", pattern: /\?(?:[xX](?:\d+|\?))*|\d+(?:[xX](?:\d+|\?))+/, label: "a size such as 224x224x3" });
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const Word = createToken({
  name: "Word",
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:\.\d+)?/,
  label: "a layer or name",
});
/** `x3` right after `]`: repetition. Longer words (`x3a`) stay words. */
export const RepeatX = createToken({ name: "RepeatX", pattern: /[xX]\d+/, longer_alt: Word, label: "'x' and a count" });
export const Def = createToken({ name: "Def", pattern: /def/i, longer_alt: Word, label: "'def'" });
export const Res = createToken({ name: "Res", pattern: /res/i, longer_alt: Word, label: "'RES'" });
export const Cat = createToken({ name: "Cat", pattern: /cat/i, longer_alt: Word, label: "'CAT'" });
export const Aux = createToken({ name: "Aux", pattern: /aux/i, longer_alt: Word, label: "'AUX'" });

export const Minus = createToken({ name: "Minus", pattern: /-/, label: "'-'" });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: "'/'" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "'*'" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "'|'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /]/, label: "']'" });
export const LBrace = createToken({ name: "LBrace", pattern: /{/, label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: /}/, label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });

/** Order matters: chevrotain takes the first pattern that matches (with `longer_alt` for keywords). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Arrow,
  Dims,
  NumberLiteral,
  RepeatX,
  Def,
  Res,
  Cat,
  Aux,
  Word,
  Minus,
  Slash,
  Star,
  Equals,
  Comma,
  Pipe,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  LParen,
  RParen,
];

// Lines end at "\n" only (chevrotain also counts a lone "\r"), as in spanAt and formatDiagnostic, so
// that every span's line and column agree with its offset; "\r\n" text works either way.
export const convNoteLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false, lineTerminatorsPattern: /\n/g, lineTerminatorCharacters: ["\n"] });
