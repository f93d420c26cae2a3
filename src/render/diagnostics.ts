/**
 * The language's diagnostics as a MIME bundle, so a notebook can show an error the lecture wants
 * to show (`(7 - 3)/3 + 1 = 2.33 is not a whole number`) as a cell's result: a cell that really
 * fails stops `nbconvert --execute` and every cell after it. The text is formatDiagnostic's, the
 * same as a failing `%%net` cell prints; the HTML colours it like Jupyter's error output.
 */

import { formatDiagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import { escapeHtml } from "./html.js";
import { MIME_HTML, mimeBundle, type MimeBundle } from "./mime.js";
import { withDefaults } from "./options.js";

export interface DiagnosticsOptions {
  /** Named in each message's `file:line:col`; "cell" as a failing %%net cell says it. */
  fileName?: string;
  /** A line above the messages, e.g. what the example shows. */
  title?: string;
}

export const DIAGNOSTICS_DEFAULTS = { fileName: "cell" };

const BOX = "background:#fdeaea;border-left:3px solid #c62828;padding:6px 10px;margin:0;font:12px/1.45 monospace;white-space:pre;overflow-x:auto";
const MESSAGE = "color:#b71c1c;font-weight:bold";
const CARET = "color:#c62828";
const HINT = "color:#2e6b30";

/** One diagnostic's lines (message, source line, caret, hint) with a colour for each kind of line. */
function diagnosticHtml(d: Diagnostic, source: string, fileName: string): string {
  const [message = "", ...rest] = formatDiagnostic(d, source, fileName).split("\n");
  const lines = [`<span style="${MESSAGE}">${escapeHtml(message)}</span>`];
  rest.forEach((line, i) => {
    if (line.startsWith("  hint: ")) lines.push(`<span style="${HINT}">${escapeHtml(line)}</span>`);
    else if (i === 1) lines.push(`<span style="${CARET}">${escapeHtml(line)}</span>`);
    else lines.push(escapeHtml(line));
  });
  return lines.join("\n");
}

/**
 * Every diagnostic with its source line, a caret under the span and the hint. With no
 * diagnostics it says the network checks, so a cell keeps making sense once the error is fixed.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], source: string, options: DiagnosticsOptions = {}): MimeBundle {
  const o = withDefaults(DIAGNOSTICS_DEFAULTS, options);
  const title = o.title === undefined ? [] : [o.title];
  if (diagnostics.length === 0) {
    const ok = "no errors: the network checks";
    return mimeBundle([...title, ok].join("\n"), {
      [MIME_HTML]: `<div class="convnote-diagnostics" data-count="0" style="font:12px monospace">${title.map((t) => `<div>${escapeHtml(t)}</div>`).join("")}${ok}</div>`,
    });
  }
  const text = [...title, ...diagnostics.map((d) => `ConvNoteError: ${formatDiagnostic(d, source, o.fileName)}`)].join("\n");
  const boxes = diagnostics
    .map((d) => `<pre class="convnote-diagnostic" data-code="${escapeHtml(d.code)}" style="${BOX}">${diagnosticHtml(d, source, o.fileName)}</pre>`)
    .join("");
  const heading = o.title === undefined ? "" : `<div style="font:bold 12px sans-serif;margin-bottom:4px">${escapeHtml(o.title)}</div>`;
  return mimeBundle(text, { [MIME_HTML]: `<div class="convnote-diagnostics" data-count="${diagnostics.length}">${heading}${boxes}</div>` });
}
