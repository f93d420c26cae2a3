// What a viewer that does not trust a notebook shows of one output, by the viewers' own rules:
// - Notebook 6 (Debian's jupyter-notebook 6.4, notebook/static/notebook/js/outputarea.js) takes
//   the first type of its display order that the output has, skipping those it cannot make safe
//   (JavaScript, Markdown, image/svg+xml, PDF), and passes HTML through its sanitizer with every
//   style removed;
// - JupyterLab takes the first *safe* renderer by rank (HTML, Markdown, LaTeX, then PNG/JPEG/GIF,
//   never SVG) and sanitizes HTML keeping the styles its sanitizer allows.
// The sanitizer is the one Debian's Notebook 6 ships (JupyterLab's apputils Sanitizer on
// sanitize-html), loaded from its file and run as is.
import { existsSync, readFileSync } from "node:fs";

const SANITIZER_FILE = "/usr/lib/python3/dist-packages/notebook/static/components/sanitizer/index.js";

interface Sanitizer {
  sanitize(html: string, options?: Record<string, unknown>): string;
}

let sanitizer: Sanitizer | undefined;

function loadSanitizer(): Sanitizer {
  if (sanitizer) return sanitizer;
  if (!existsSync(SANITIZER_FILE)) throw new Error(`${SANITIZER_FILE} is missing: apt-get install jupyter-notebook (Debian's Notebook 6, whose sanitizer these checks run)`);
  // The file is an AMD module: define(() => exports).
  let exported: { defaultSanitizer?: Sanitizer } = {};
  const define = (factory: () => typeof exported): void => {
    exported = factory();
  };
  new Function("define", readFileSync(SANITIZER_FILE, "utf8"))(define);
  if (!exported.defaultSanitizer) throw new Error(`${SANITIZER_FILE} did not define defaultSanitizer`);
  return (sanitizer = exported.defaultSanitizer);
}

export type Viewer = "notebook6" | "jupyterlab";

/** What the viewer shows: the MIME type it chose and the HTML it puts in the page. */
export interface View {
  mime: string;
  html: string;
}

type Data = Record<string, string | string[] | unknown>;

const joined = (v: unknown): string => (Array.isArray(v) ? v.join("") : typeof v === "string" ? v : JSON.stringify(v));

const NOTEBOOK6_ORDER = ["application/javascript", "text/html", "text/markdown", "text/latex", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain"];
const NOTEBOOK6_SAFE = new Set(["text/plain", "text/latex", "image/png", "image/jpeg", "image/gif"]);
const LAB_SAFE_BY_RANK = ["text/html", "text/markdown", "text/latex", "image/png", "image/jpeg", "image/gif", "text/plain"];

function asHtml(mime: string, value: string): string {
  if (mime.startsWith("image/") && mime !== "image/svg+xml") return `<img src="data:${mime};base64,${value}">`;
  if (mime === "image/svg+xml") return value;
  if (mime === "text/html") return value;
  return `<pre>${value.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre>`;
}

/** What a viewer that trusts the notebook shows (Notebook 6's display order, nothing removed). */
export function trustedView(data: Data): View | null {
  const mime = NOTEBOOK6_ORDER.find((m) => m in data && m !== "application/javascript" && m !== "application/pdf");
  return mime ? { mime, html: asHtml(mime, joined(data[mime])) } : null;
}

/** What `viewer` shows of an output when it does not trust the notebook. */
export function untrustedView(data: Data, viewer: Viewer): View | null {
  const sanitize = loadSanitizer();
  if (viewer === "notebook6") {
    for (const mime of NOTEBOOK6_ORDER) {
      if (!(mime in data)) continue;
      if (mime === "text/html") return { mime, html: sanitize.sanitize(joined(data[mime]), { allowedStyles: {} }) };
      if (NOTEBOOK6_SAFE.has(mime)) return { mime, html: asHtml(mime, joined(data[mime])) };
    }
    return null;
  }
  const mime = LAB_SAFE_BY_RANK.find((m) => m in data);
  if (!mime) return null;
  return { mime, html: mime === "text/html" ? sanitize.sanitize(joined(data[mime])) : asHtml(mime, joined(data[mime])) };
}

/** Pictures in shown HTML: inline <svg> and <img> with an embedded source (not text in scripts). */
export function pictureCount(html: string): number {
  const markup = html.replace(/<script\b[\s\S]*?<\/script>/g, "");
  return (markup.match(/<svg\b/g) ?? []).length + (markup.match(/<img\b[^>]*\ssrc="data:image\//g) ?? []).length;
}

/** Table cells and rows with a fill colour (a bgcolor attribute or a CSS background) in shown HTML. */
export function filledCells(html: string): number {
  return (html.match(/<(td|th|tr)\b[^>]*(\sbgcolor="#|style="[^"]*background(-color)?:\s*#)/g) ?? []).length;
}
