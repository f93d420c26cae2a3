// The committed language reference (grammar/): up to date with the registry and the generators,
// every example in it checks, and the EBNF agrees with the parser.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDiagnostic } from "../../src/dsl/diagnostics.js";
import { convNoteParser } from "../../src/dsl/parser.js";
import { urlsIn } from "../../src/docs/diagrams.js";
import { grammarEbnf } from "../../src/docs/ebnf.js";
import { grammarFiles, sourceFiles, staleGrammarFiles, writeGrammarFiles } from "../../src/docs/generate.js";
import { networkFields, rowFields } from "../../src/docs/sections.js";
import { layerKinds } from "../../src/layers/registry.js";
import { checkNetwork } from "../../src/shapes/check.js";
import { defaultsArguments } from "../../src/shapes/defaults.js";
import { trainArguments } from "../../src/train/settings.js";
import { mustCheck, projectRoot } from "../helpers.js";

const grammarDir = join(projectRoot, "grammar");
const readme = () => readFileSync(join(grammarDir, "README.md"), "utf8");

/** The ```convnote blocks of a Markdown text. */
export function convnoteBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```convnote\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
}

describe("grammar/: the language reference", () => {
  it("is up to date: `convnote grammar-docs --check` passes on the committed files", () => {
    assert.deepEqual(staleGrammarFiles(grammarDir), [], "run: npm run build && npx convnote grammar-docs");
    const cli = spawnSync(process.execPath, [join(projectRoot, "dist", "src", "cli", "main.js"), "grammar-docs", "--check"], { encoding: "utf8" });
    assert.equal(cli.status, 0, cli.stderr);
  });

  it("--check fails, naming the file, when a generated file differs or is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "convnote-grammar-"));
    try {
      writeGrammarFiles(dir);
      assert.deepEqual(staleGrammarFiles(dir), []);
      writeFileSync(join(dir, "README.md"), readFileSync(join(dir, "README.md"), "utf8").replace("CONV3-64", "CONV3-65"));
      rmSync(join(dir, "diagrams.html"));
      assert.deepEqual(staleGrammarFiles(dir), ["README.md", "diagrams.html"]);
      const cli = spawnSync(process.execPath, [join(projectRoot, "dist", "src", "cli", "main.js"), "grammar-docs", "--check", "--dir", dir], { encoding: "utf8" });
      assert.equal(cli.status, 1);
      assert.match(cli.stderr, /out of date: README\.md, diagrams\.html/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every ```convnote example in README.md checks without diagnostics", () => {
    const blocks = convnoteBlocks(readme());
    assert.ok(blocks.length >= 40, `only ${blocks.length} examples found`);
    for (const source of blocks) {
      const result = checkNetwork(source);
      assert.ok(result.network, `example does not check:\n${source}\n${result.diagnostics.map((d) => formatDiagnostic(d, source)).join("\n")}`);
    }
  });

  it("has every layer kind of the registry: keywords, forms, arguments and examples", () => {
    const text = readme();
    const blocks = new Set(convnoteBlocks(text));
    for (const kind of layerKinds) {
      assert.ok(text.includes(`### ${kind.title}: `), `no section for ${kind.title}`);
      for (const keyword of kind.keywords) assert.ok(text.includes(`| \`${keyword.word}\` | ${keyword.summary} |`), `keyword ${keyword.word} missing`);
      for (const form of kind.syntax) assert.ok(text.includes(`\`${form}\``), `form ${form} missing`);
      for (const argument of kind.arguments) assert.ok(text.includes(`| \`${argument.name}\` |`), `argument ${kind.title}.${argument.name} missing`);
      for (const example of kind.examples) assert.ok(blocks.has(example), `example missing: ${example}`);
    }
    for (const argument of [...trainArguments, ...defaultsArguments]) assert.ok(text.includes(`| \`${argument.name}\` | ${argument.doc}`), `setting ${argument.name} missing`);
  });

  it("shows the constructs and settings the lecture uses", () => {
    const blocks = convnoteBlocks(readme());
    const has = (needle: string) => assert.ok(blocks.some((b) => b.includes(needle)), `no example with ${needle}`);
    has("INPUT -> [[CONV -> RELU]*2 -> POOL]*3 -> [FC -> RELU]*2 -> FC");
    has("INPUT -> CONV -> POOL -> FC");
    for (const construct of ["RES[", "CAT[", "{ ", " | ", "def ", "INPUT1D", "DEFAULTS(activation=tanh)", "# "]) has(construct);
    const alexnet = blocks.find((b) => b.includes("TRAIN("))!;
    const training = mustCheck(alexnet).training!;
    assert.deepEqual(
      { optimizer: training.optimizer.kind, momentum: (training.optimizer as { momentum: number }).momentum, lr: training.optimizer.learningRate, schedule: training.schedule, batch: training.batchSize },
      { optimizer: "sgd", momentum: 0.9, lr: 1e-2, schedule: { kind: "plateau", factor: 0.1, patience: 2, monitor: "val_accuracy", minDelta: 1e-4, minLearningRate: 0 }, batch: 128 },
    );
    assert.ok(training.l2 > 0);
    assert.ok(alexnet.includes("DROPOUT0.5"));
  });

  it("documents exactly the fields of a checked network and of its rows", () => {
    const network = mustCheck(
      "TRAIN(lr=0.1)\nINPUT 8x8x3 CONV3-4 BN RES[CONV3-4] {CONV1-2 | POOL3/s1/same} FC-10 SOFTMAX",
    );
    assert.deepEqual(Object.keys(network).sort(), Object.keys(networkFields).sort());
    // Rows also carry the node's own fields (settings, body ...): those are the node's, not the row's.
    for (const row of network.rows) {
      for (const key of Object.keys(row)) assert.ok(key in rowFields || key in row.node, `row ${row.name} has undocumented ${key}`);
    }
    const rowKeys = new Set(network.rows.flatMap((r) => Object.keys(r)));
    for (const key of Object.keys(rowFields)) assert.ok(rowKeys.has(key), `documented row field ${key} is in no row`);
  });

  it("the EBNF is written from the parser: one line per rule, in the grammar's notation", () => {
    const lines = grammarEbnf().split("\n");
    assert.deepEqual(lines.map((line) => line.split(/\s+/)[0]), Object.keys(convNoteParser.getGAstProductions()));
    // Rules read off parser.ts by hand: an option, alternatives, repetitions, a gated option.
    for (const expected of [
      "definition := 'def' Word '(' (Word (',' Word)*)? ')' '=' element",
      "element    := layer | group | skip | aux | branches",
      "aux        := 'AUX' ('(' arguments? ')')? '[' sequence ']'",
      "layer      := Word ('-' (Number | Word))? (Dims | Number)? ('(' arguments? ')')? modifier*",
      "branches   := '{' sequence ('|' sequence)* '}'",
      "repeat     := 'x'N | '*' (Number | Word)",
      "argument   := (Word '=')? value",
      "value      := '-'? Number | Dims | Word ('(' arguments? ')')?",
    ]) {
      assert.ok(lines.includes(expected), `missing: ${expected}\n${lines.join("\n")}`);
    }
    assert.ok(readFileSync(join(grammarDir, "ConvNote.ebnf"), "utf8").includes(grammarEbnf()));
    assert.doesNotMatch(readFileSync(join(projectRoot, "src", "dsl", "parser.ts"), "utf8"), /:=/, "the grammar is not written a second time in parser.ts");
  });

  it("src/dsl/cst.ts, the CST types build-ast.ts reads, is generated from the parser and up to date", () => {
    assert.deepEqual(staleGrammarFiles(projectRoot, sourceFiles()), [], "run: npm run build && npx convnote grammar-docs");
    const types = sourceFiles()[0]!.content;
    for (const rule of Object.keys(convNoteParser.getGAstProductions())) {
      assert.ok(types.includes(`name: "${rule}";`), rule);
      assert.match(types, new RegExp(`\\b${rule}\\(children: \\w+CstChildren, param\\?: IN\\): OUT;`), rule);
    }
  });

  it("diagrams.html carries its scripts inline and loads nothing from the network", () => {
    const html = grammarFiles().find((f) => f.name === "diagrams.html")!.content;
    assert.deepEqual(urlsIn(html), []);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(/i);
    for (const rule of Object.keys(convNoteParser.getGAstProductions())) assert.ok(html.includes(`"name": "${rule}"`), rule);
    assert.match(html, /drawDiagramsFromSerializedGrammar/);
  });
});
