// The kernel_info_reply content: who this kernel is and which language it speaks.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { KernelInfoReply } from "./messages.js";
import { PROTOCOL_VERSION } from "./wire.js";

export const IMPLEMENTATION = "convnote";
export const DISPLAY_NAME = "ConvNote (TypeScript)";

function versionOf(manifest: string): string {
  try {
    const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

/** The TypeScript version tslab compiles cells with, read without loading the compiler. */
export function cellTypeScriptVersion(): string {
  const manifest = require.resolve("@tslab/typescript-for-tslab/package.json");
  return versionOf(manifest);
}

export function kernelInfoContent(packageRoot: string, backend: string | null): KernelInfoReply {
  const version = versionOf(path.join(packageRoot, "package.json"));
  const tsVersion = cellTypeScriptVersion();
  const banner = [
    `ConvNote ${version}: a Jupyter kernel for TypeScript and the ConvNote network language`,
    `TypeScript ${tsVersion} (tslab), Node.js ${process.version}`,
    backend ?? "TensorFlow.js backend: chosen when the first cell runs",
  ].join("\n");
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: IMPLEMENTATION,
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      // This object turns on TypeScript highlighting in both Notebook (name +
      // typescript flag for CodeMirror's javascript mode) and JupyterLab (mode).
      codemirror_mode: { name: "javascript", typescript: true, mode: "typescript" },
      nbconvert_exporter: "script",
    },
    banner,
    debugger: false,
    help_links: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
    ],
  };
}
