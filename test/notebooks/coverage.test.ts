// notebooks/COVERAGE.md: one row per example, number, table or claim of the lecture seeds, each
// naming the notebook cell that reproduces it (and a number or phrase its saved output shows) or
// saying why it cannot be reproduced offline. The saved outputs are those a fresh run gives:
// notebooks.test.ts checks that for every cell not tagged "varies".
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cellById, readable, type IdentifiedCell } from "./cells.js";
import { notebooksDir, readNotebook } from "./run-notebook.js";

interface CoverageRow {
  line: number;
  number: string;
  seed: string;
  where: string;
  claim: string;
  quoted: string;
  notebook: string;
  cell: string;
  note: string;
}

const SEEDS = ["000", "001", "002", "003", "004"];
const COLUMNS = ["#", "seed", "where", "the lecture", "quoted", "notebook", "cell", "note"];

/** Splits a Markdown table row on the pipes that are not escaped (\|), unescaping the rest. */
function tableCellsOf(line: string): string[] {
  return line.trim().replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}
const unquote = (text: string) => text.replace(/^`(.*)`$/, "$1");
const squeeze = (text: string) => text.replace(/\s+/g, " ");

function coverageRows(): CoverageRow[] {
  const lines = readFileSync(path.join(notebooksDir, "COVERAGE.md"), "utf8").split("\n");
  const header = lines.findIndex((l) => l.startsWith("| #"));
  assert.ok(header >= 0, "COVERAGE.md has a table starting '| # |'");
  assert.deepEqual(tableCellsOf(lines[header]!), COLUMNS);
  const rows: CoverageRow[] = [];
  for (let i = header + 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
    const cells = tableCellsOf(lines[i]!);
    assert.equal(cells.length, COLUMNS.length, `COVERAGE.md line ${i + 1} has ${cells.length} columns: ${lines[i]}`);
    const [number, seed, where, claim, quoted, notebook, cell, note] = cells.map(unquote) as [string, string, string, string, string, string, string, string];
    rows.push({ line: i + 1, number, seed, where, claim, quoted, notebook, cell, note });
  }
  return rows;
}

describe("notebooks/COVERAGE.md", () => {
  const rows = coverageRows();
  const notebooks = new Map<string, IdentifiedCell[]>();
  const cellsOf = (name: string): IdentifiedCell[] => {
    if (!notebooks.has(name)) notebooks.set(name, readNotebook(path.join(notebooksDir, `${name}.ipynb`)));
    return notebooks.get(name)!;
  };

  it("has well over a hundred rows, numbered in order, from all five seeds", () => {
    assert.ok(rows.length >= 150, `${rows.length} rows`);
    rows.forEach((row, i) => assert.equal(row.number, String(i + 1), `line ${row.line}: row number`));
    for (const seed of SEEDS) assert.ok(rows.some((r) => r.seed === seed), `no row for seed ${seed}`);
  });

  it("every row names its seed, where in it, and what it says", () => {
    for (const row of rows) {
      assert.ok(SEEDS.includes(row.seed), `line ${row.line}: seed ${row.seed}`);
      assert.ok(row.where !== "" && row.claim !== "", `line ${row.line}: where and what`);
    }
  });

  it("every row is reproduced by a named cell, or says why not", () => {
    for (const row of rows) {
      if (row.notebook === "") {
        assert.equal(row.cell, "", `line ${row.line}: a cell without a notebook`);
        assert.ok(row.note.length >= 10, `line ${row.line}: no notebook, so the note must say why`);
      } else {
        assert.ok(row.cell !== "" && row.quoted !== "", `line ${row.line}: a notebook needs a cell and a quoted number`);
      }
    }
    const reproduced = rows.filter((r) => r.notebook !== "").length;
    assert.ok(reproduced >= 120, `${reproduced} rows reproduced`);
  });

  it("every named cell exists in its notebook, and its saved output holds the quoted number", () => {
    for (const row of rows.filter((r) => r.notebook !== "")) {
      assert.ok(existsSync(path.join(notebooksDir, `${row.notebook}.ipynb`)), `line ${row.line}: no notebook ${row.notebook}`);
      const cell = cellById(cellsOf(row.notebook), row.cell);
      assert.equal(cell.cell_type, "code", `line ${row.line}: ${row.notebook} ${row.cell} is not a code cell`);
      assert.ok(squeeze(readable(cell)).includes(squeeze(row.quoted)), `line ${row.line}: ${row.notebook} ${row.cell} does not show ${JSON.stringify(row.quoted)}`);
    }
  });
});
