// `convnote grammar-docs [--check] [--dir grammar]`: writes the language reference, the EBNF and the
// syntax diagrams into grammar/, or with --check fails when the committed files are out of date.
import { join, resolve } from "node:path";
import { grammarFiles, staleGrammarFiles, writeGrammarFiles } from "../docs/generate.js";
import type { Command } from "./commands.js";

const usage = `usage: convnote grammar-docs [--check] [--dir <folder>]

  writes README.md, ConvNote.ebnf and diagrams.html into the grammar folder
  --check         write nothing; exit 1 if a file is missing or out of date
  --dir <folder>  the folder (default: grammar/ of the ConvNote checkout)`;

/** grammar/ beside src/ in the checkout this module was built from (dist/src/cli -> root). */
const defaultFolder = join(__dirname, "..", "..", "..", "grammar");

export const grammarCommand: Command = {
  name: "grammar-docs",
  summary: "write (or --check) grammar/: the language reference, EBNF and syntax diagrams",
  async run(args: string[]): Promise<number> {
    let check = false;
    let folder = defaultFolder;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === "--check") check = true;
      else if (arg === "--dir" && args[i + 1] !== undefined) folder = resolve(args[++i]!);
      else if (arg === "--help" || arg === "-h") {
        process.stdout.write(usage + "\n");
        return 0;
      } else {
        process.stderr.write(`convnote grammar-docs: unexpected ${arg}\n${usage}\n`);
        return 2;
      }
    }
    const files = grammarFiles();
    if (check) {
      const stale = staleGrammarFiles(folder, files);
      if (stale.length === 0) {
        process.stdout.write(`${folder}: up to date\n`);
        return 0;
      }
      process.stderr.write(`${folder}: out of date: ${stale.join(", ")}\nrun: npm run build && npx convnote grammar-docs\n`);
      return 1;
    }
    for (const path of writeGrammarFiles(folder, files)) process.stdout.write(`wrote ${path}\n`);
    return 0;
  },
};
