// tslab's public display API (`tslab.display.html(...)`, `tslab.newDisplay()`)
// writes through one module-level function, `lastWriteDisplayData` in
// tslab/dist/jupyter.js, which tslab's own kernel sets when it starts. ConvNote
// runs cells with tslab's executor but speaks the protocol itself, so this
// adapter sets that function and turns what tslab writes into display_data /
// update_display_data contents. It is the only place that touches tslab's
// internals for display; test/kernel/parts.test.ts checks it against tslab's API.
import type { DisplayContent } from "./messages.js";

/** What tslab passes to lastWriteDisplayData (tslab/dist/jupyter.d.ts, DisplayData). */
interface TslabDisplayData {
  data: Record<string, string | Uint8Array>;
  metadata: Record<string, string>;
  transient: { display_id?: string };
}

type TslabWriter = ((data: TslabDisplayData, update: boolean) => void) | null;

interface TslabJupyterModule {
  lastWriteDisplayData: TslabWriter;
}

export type TslabDisplaySink = (kind: "display_data" | "update_display_data", content: DisplayContent) => void;

/** Routes tslab's display calls to `sink`; returns a function that puts tslab's previous writer back. */
export function routeTslabDisplay(sink: TslabDisplaySink): () => void {
  const jupyter = require("tslab/dist/jupyter.js") as TslabJupyterModule;
  const previous = jupyter.lastWriteDisplayData;
  jupyter.lastWriteDisplayData = (written, update) => {
    const data: Record<string, string> = {};
    for (const [mime, value] of Object.entries(written.data)) {
      data[mime] = typeof value === "string" ? value : Buffer.from(value).toString("base64");
    }
    const displayId = written.transient.display_id;
    if (update && displayId) sink("update_display_data", { data, metadata: written.metadata, transient: { display_id: displayId } });
    else sink("display_data", { data, metadata: written.metadata, transient: displayId ? { display_id: displayId } : {} });
  };
  return () => {
    jupyter.lastWriteDisplayData = previous;
  };
}
