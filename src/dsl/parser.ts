// The grammar of the ConvNote language, as a chevrotain CST parser: one rule per grammar rule,
// written once here. The EBNF (grammar/ConvNote.ebnf), the syntax diagrams and the CST types of
// build-ast.ts (src/dsl/cst.ts) are generated from it by `npx convnote grammar-docs`.
import { CstParser, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import {
  allTokens,
  Arrow,
  Aux,
  Cat,
  Comma,
  Def,
  Dims,
  Equals,
  LBrace,
  LBracket,
  LParen,
  Minus,
  NumberLiteral,
  Pipe,
  RBrace,
  RBracket,
  RepeatX,
  Res,
  RParen,
  Slash,
  Star,
  Word,
} from "./lexer.js";

function describeToken(token: IToken): string {
  return token.tokenType.name === "EOF" ? "the end of the text" : `'${token.image}'`;
}

function labelOf(tokenType: TokenType): string {
  return tokenType.LABEL ?? tokenType.name;
}

/** Error text for students: what was expected, in words, and what was found. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${labelOf(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    if (firstRedundant.tokenType === RBracket) return "this ']' closes no '['";
    if (firstRedundant.tokenType === RBrace) return "this '}' closes no '{'";
    if (firstRedundant.tokenType === RParen) return "this ')' closes no '('";
    if (firstRedundant.tokenType === Pipe) return "'|' separates branches and belongs inside { ... }";
    if (firstRedundant.tokenType === RepeatX) return `'${firstRedundant.image}' repeats a bracketed group only: write [ ... ]${firstRedundant.image}`;
    return `${describeToken(firstRedundant)} cannot start a layer`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const found = actual[0] ? describeToken(actual[0]) : "nothing";
    if (actual[0]?.tokenType === RepeatX) return `${found} repeats a bracketed group only: write [ ... ]${actual[0].image}`;
    if (ruleName === "value") return `expected a number, a size or a name but found ${found}`;
    if (ruleName === "repeat") return `expected a repetition count such as x3 or *3 but found ${found}`;
    return `${found} cannot start a layer here`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const found = actual[0] ? describeToken(actual[0]) : "nothing";
    return `${ruleName} is incomplete: found ${found}`;
  },
};

export class ConvNoteParser extends CstParser {
  constructor() {
    super(allTokens, { errorMessageProvider: messages, maxLookahead: 3, nodeLocationTracking: "full" });
    this.performSelfAnalysis();
  }

  public network = this.RULE("network", () => {
    this.MANY(() => this.SUBRULE(this.separator));
    this.MANY2(() => {
      this.SUBRULE(this.statement);
      this.MANY3(() => this.SUBRULE2(this.separator));
    });
  });

  private statement = this.RULE("statement", () => {
    this.OR([{ ALT: () => this.SUBRULE(this.definition) }, { ALT: () => this.SUBRULE(this.element) }]);
  });

  private definition = this.RULE("definition", () => {
    this.CONSUME(Def);
    this.CONSUME(Word, { LABEL: "name" });
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.CONSUME2(Word, { LABEL: "parameter" });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.CONSUME3(Word, { LABEL: "parameter" });
      });
    });
    this.CONSUME(RParen);
    this.CONSUME(Equals);
    this.SUBRULE(this.element, { LABEL: "body" });
  });

  private element = this.RULE("element", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.layer) },
      { ALT: () => this.SUBRULE(this.group) },
      { ALT: () => this.SUBRULE(this.skip) },
      { ALT: () => this.SUBRULE(this.aux) },
      { ALT: () => this.SUBRULE(this.branches) },
    ]);
  });

  private layer = this.RULE("layer", () => {
    this.CONSUME(Word, { LABEL: "word" });
    this.OPTION(() => {
      this.CONSUME(Minus);
      this.OR([
        { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "dashValue" }) },
        { ALT: () => this.CONSUME2(Word, { LABEL: "dashValue" }) },
      ]);
    });
    this.OPTION2(() => {
      this.OR2([
        { ALT: () => this.CONSUME(Dims, { LABEL: "operand" }) },
        { ALT: () => this.CONSUME2(NumberLiteral, { LABEL: "operand" }) },
      ]);
    });
    this.OPTION3(() => {
      this.CONSUME(LParen);
      this.OPTION4(() => this.SUBRULE(this.arguments));
      this.CONSUME(RParen);
    });
    this.MANY(() => this.SUBRULE(this.modifier));
  });

  private group = this.RULE("group", () => {
    this.CONSUME(LBracket);
    this.SUBRULE(this.sequence);
    this.CONSUME(RBracket);
    this.OPTION(() => this.SUBRULE(this.repeat));
  });

  private skip = this.RULE("skip", () => {
    this.OR([{ ALT: () => this.CONSUME(Res, { LABEL: "keyword" }) }, { ALT: () => this.CONSUME(Cat, { LABEL: "keyword" }) }]);
    this.CONSUME(LBracket);
    this.SUBRULE(this.sequence);
    this.CONSUME(RBracket);
    this.OPTION(() => this.SUBRULE(this.repeat));
  });

  private aux = this.RULE("aux", () => {
    this.CONSUME(Aux, { LABEL: "keyword" });
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => this.SUBRULE(this.arguments));
      this.CONSUME(RParen);
    });
    this.CONSUME(LBracket);
    this.SUBRULE(this.sequence);
    this.CONSUME(RBracket);
  });

  private branches = this.RULE("branches", () => {
    this.CONSUME(LBrace);
    this.SUBRULE(this.sequence);
    this.MANY(() => {
      this.CONSUME(Pipe);
      this.SUBRULE2(this.sequence);
    });
    this.CONSUME(RBrace);
  });

  private sequence = this.RULE("sequence", () => {
    this.MANY(() => this.SUBRULE(this.separator));
    this.MANY2(() => {
      this.SUBRULE(this.element);
      this.MANY3(() => this.SUBRULE2(this.separator));
    });
  });

  private repeat = this.RULE("repeat", () => {
    this.OR([
      { ALT: () => this.CONSUME(RepeatX, { LABEL: "count" }) },
      {
        ALT: () => {
          this.CONSUME(Star);
          this.OR2([
            { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "count" }) },
            { ALT: () => this.CONSUME(Word, { LABEL: "count" }) },
          ]);
        },
      },
    ]);
  });

  private modifier = this.RULE("modifier", () => {
    this.CONSUME(Slash);
    this.OR([
      { ALT: () => this.CONSUME(Word, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "name" }) },
    ]);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.value);
    });
  });

  private arguments = this.RULE("arguments", () => {
    this.SUBRULE(this.argument);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.argument);
    });
  });

  private argument = this.RULE("argument", () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === Equals,
      DEF: () => {
        this.CONSUME(Word, { LABEL: "name" });
        this.CONSUME(Equals);
      },
    });
    this.SUBRULE(this.value);
  });

  private value = this.RULE("value", () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Minus));
          this.CONSUME(NumberLiteral);
        },
      },
      { ALT: () => this.CONSUME(Dims) },
      {
        ALT: () => {
          this.CONSUME(Word);
          this.OPTION2(() => {
            this.CONSUME(LParen);
            this.OPTION3(() => this.SUBRULE(this.arguments));
            this.CONSUME(RParen);
          });
        },
      },
    ]);
  });

  private separator = this.RULE("separator", () => {
    this.OR([{ ALT: () => this.CONSUME(Comma) }, { ALT: () => this.CONSUME(Arrow) }]);
  });
}

/** One parser instance serves every parse (chevrotain parsers are reusable via `.input`). */
export const convNoteParser = new ConvNoteParser();
