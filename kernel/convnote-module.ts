// Makes `import ... from "convnote"` work in notebook cells, typed, from any
// directory: the kernel maps the package name to the ConvNote install it runs
// from, both for Node's require (run time) and for tslab's TypeScript compiler
// (types from dist/src/*.d.ts).
//
// Why not a node_modules/convnote symlink: tslab compiles with the notebook's
// directory as its root and Node10 resolution, so a link would have to exist in
// (or above) every notebook directory; a relative `../src/...` import fails with
// TS6059 (outside rootDir). Mapping `<any dir>/node_modules/convnote/<rest>` to
// `<package root>/<rest>` in tslab's file system layer needs nothing on disk.
import { existsSync, readFileSync } from "node:fs";
import Module from "node:module";
import path from "node:path";

export const PACKAGE_NAME = "convnote";

/** The ConvNote package root this kernel runs from (dist/kernel/.. /..). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name;
        if (name === PACKAGE_NAME) return dir;
      } catch {
        // not a readable manifest; keep looking upwards
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${__dirname}`);
    dir = parent;
  }
}

/** `.../node_modules/convnote/<rest>` -> `<root>/<rest>`; null for any other path. */
export function mapPackagePath(file: string, root: string): string | null {
  const normalized = file.replace(/\\/g, "/");
  const marker = `/node_modules/${PACKAGE_NAME}`;
  const at = normalized.lastIndexOf(marker);
  if (at < 0) return null;
  const rest = normalized.slice(at + marker.length);
  if (rest !== "" && !rest.startsWith("/")) return null; // e.g. node_modules/convnote-extra
  return path.join(root, rest);
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
let runtimeInstalled = false;

/** Node's require: `convnote` and `convnote/...` resolve inside `root`. */
export function installRuntimeResolution(root: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const moduleWithResolver = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = moduleWithResolver._resolveFilename;
  moduleWithResolver._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    if (request === PACKAGE_NAME || request.startsWith(`${PACKAGE_NAME}/`)) {
      const mapped = request === PACKAGE_NAME ? root : path.join(root, request.slice(PACKAGE_NAME.length + 1));
      return original.call(this, mapped, parent, isMain, options);
    }
    return original.call(this, request, parent, isMain, options);
  };
}

type PathFunction = (file: string, ...rest: never[]) => unknown;
let typesInstalled = false;

/**
 * tslab's compiler reads files through `ts.sys` of its bundled TypeScript;
 * wrapping the path-taking functions there redirects the package's files.
 * Must run before tslab creates its compiler (it binds some of them then).
 */
export function installTypeResolution(root: string): void {
  if (typesInstalled) return;
  typesInstalled = true;
  const ts = require("@tslab/typescript-for-tslab") as { sys: Record<string, unknown> };
  const sys = ts.sys;
  const functions = [
    "fileExists",
    "readFile",
    "directoryExists",
    "realpath",
    "getDirectories",
    "readDirectory",
    "getModifiedTime",
    "getFileSize",
    "watchFile",
    "watchDirectory",
  ];
  for (const name of functions) {
    const original = sys[name];
    if (typeof original !== "function") continue;
    const fn = original as PathFunction;
    sys[name] = function (this: unknown, file: string, ...rest: never[]) {
      const mapped = typeof file === "string" ? mapPackagePath(file, root) : null;
      return fn.call(this, mapped ?? file, ...rest);
    };
  }
  // The compiler only looks into <dir>/node_modules if that folder exists; tslab
  // fakes it for the notebook's own directory, which is where lookups start.
}

export function installConvnoteResolution(root: string = packageRoot()): void {
  installRuntimeResolution(root);
  installTypeResolution(root);
}
