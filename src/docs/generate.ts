// The generated files of grammar/: write them, or tell which ones differ from what would be written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diagramsHtml } from "./diagrams.js";
import { ebnfFile } from "./ebnf.js";
import { referenceMarkdown } from "./reference.js";

export interface GeneratedFile {
  /** Relative to the grammar folder. */
  name: string;
  content: string;
}

export function grammarFiles(): GeneratedFile[] {
  return [
    { name: "README.md", content: referenceMarkdown() },
    { name: "ConvNote.ebnf", content: ebnfFile() },
    { name: "diagrams.html", content: diagramsHtml() },
  ];
}

export function writeGrammarFiles(folder: string, files: readonly GeneratedFile[] = grammarFiles()): string[] {
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(join(folder, file.name), file.content);
  return files.map((f) => join(folder, f.name));
}

/** The files in `folder` that are missing or differ from the generated ones. */
export function staleGrammarFiles(folder: string, files: readonly GeneratedFile[] = grammarFiles()): string[] {
  return files.filter((f) => !existsSync(join(folder, f.name)) || readFileSync(join(folder, f.name), "utf8") !== f.content).map((f) => f.name);
}
