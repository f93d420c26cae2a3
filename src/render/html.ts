/** Small helpers for writing HTML by hand safely: escaping, attributes, unique ids. */

import { randomBytes } from "node:crypto";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

export type AttributeValue = string | number | boolean | undefined;

/** ` name="value"` pairs; `false`/`undefined` drop the attribute, `true` writes it bare. */
export function attributes(attrs: Record<string, AttributeValue>): string {
  let out = "";
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`;
  }
  return out;
}

/** One element with escaped attributes; `innerHtml` must already be safe HTML. */
export function element(tag: string, attrs: Record<string, AttributeValue>, innerHtml = ""): string {
  return `<${tag}${attributes(attrs)}>${innerHtml}</${tag}>`;
}

/**
 * An id unique across every output in a notebook page: outputs of different cells, kernels
 * and sessions share one document, so a per-process counter alone could collide.
 */
export function uniqueElementId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}

/** A CSS declaration list from an object, skipping undefined values. */
export function style(decls: Record<string, string | number | undefined>): string {
  return Object.entries(decls)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}:${v}`)
    .join(";");
}

/**
 * Makes JavaScript safe inside an inline `<script>`: the HTML parser ends the script at the
 * first `</script`, even inside a string. `<\/` means the same in strings, regexes and comments.
 */
export function escapeScriptContent(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}

/** JSON for embedding in a script: `<`, U+2028 and U+2029 become escapes, the value is unchanged. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
