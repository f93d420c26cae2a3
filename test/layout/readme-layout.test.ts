// The README's layout table is the map of the code: every folder of src/ has its own line.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers.js";

describe("README layout table", () => {
  it("lists every src folder, one line each", () => {
    const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Layout"));
    const listed = [...table.matchAll(/^\| `src\/([\w-]+)` \|/gm)].map((m) => m[1]!);
    const folders = readdirSync(join(projectRoot, "src"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual([...listed].sort(), [...new Set(listed)].sort(), "a folder listed twice");
    assert.deepEqual(folders.filter((f) => !listed.includes(f)), [], "src folders missing from the README's layout table");
    assert.deepEqual(listed.filter((f) => !folders.includes(f)), [], "the table lists folders that do not exist");
  });
});
