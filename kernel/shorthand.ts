/**
 * tslab rewrites a reference to an earlier cell's variable `x` into `exports.x`, but not
 * inside a shorthand property: `{ x }` then fails with "x is not defined". Writing every
 * shorthand property out (`{ x: x }`) means the same thing and gives tslab a plain reference.
 */
type TypeScriptModule = typeof import("@tslab/typescript-for-tslab");

export function expandShorthandProperties(code: string, ts: TypeScriptModule): string {
  if (!code.includes("{")) return code;
  const source = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const insertions: { at: number; text: string }[] = [];
  const visit = (node: import("@tslab/typescript-for-tslab").Node): void => {
    // `{ x = 1 } = obj` (a default in a destructuring assignment) is left as written.
    if (ts.isShorthandPropertyAssignment(node) && node.objectAssignmentInitializer === undefined) {
      insertions.push({ at: node.name.end, text: `: ${node.name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const { at, text } of insertions.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
