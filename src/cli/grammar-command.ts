// `convnote grammar-docs [--check] [--dir grammar]`: writes the language reference, the EBNF and the
// syntax diagrams into grammar/, or with --check fails when the committed files are out of date.
import { join, resolve } from "node:path";
import { grammarFiles, sourceFiles, staleGrammarFiles, writeGrammarFiles } from "../docs/generate.js";
import { defineCommand, parseOptions, UsageError } from "./command.js";

const OPTIONS = {
  check: { type: "boolean", help: "write nothing; exit 1 if a file is missing or out of date" },
  dir: { type: "string", value: "FOLDER", help: "the folder (default: grammar/ of the ConvNote checkout)" },
} as const;

/** The checkout this module was built from (dist/src/cli -> root), and its grammar/. */
const checkout = join(__dirname, "..", "..", "..");
const defaultFolder = join(checkout, "grammar");

export const grammarCommand = defineCommand({
  name: "grammar-docs",
  summary: "write (or --check) grammar/: the language reference, EBNF and syntax diagrams",
  synopsis: ["[--check] [--dir FOLDER]"],
  description: "Writes README.md, ConvNote.ebnf and diagrams.html into the grammar folder, and without --dir the parser's CST types into src/dsl/cst.ts.",
  options: OPTIONS,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseOptions(OPTIONS, args);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const folder = values.dir === undefined ? defaultFolder : resolve(values.dir);
    const files = grammarFiles();
    const sources = folder === defaultFolder ? sourceFiles() : [];
    if (values.check) {
      const stale = [...staleGrammarFiles(folder, files), ...staleGrammarFiles(checkout, sources)];
      if (stale.length === 0) {
        process.stdout.write(`${folder}: up to date\n`);
        return 0;
      }
      process.stderr.write(`${folder}: out of date: ${stale.join(", ")}\nrun: npm run build && npx convnote grammar-docs\n`);
      return 1;
    }
    for (const path of [...writeGrammarFiles(folder, files), ...writeGrammarFiles(checkout, sources)]) process.stdout.write(`wrote ${path}\n`);
    return 0;
  },
});
