// is_complete, complete and inspect: asked of the cell's handler (cell-router.ts).
// A handler that fails is logged and answered with "nothing found", never an error
// the user must dismiss while typing.
import type { CellRouter } from "./cell-router.js";
import { describeError, log } from "./log.js";
import type { CompleteReply, CompleteRequest, InspectReply, InspectRequest, IsCompleteReply, IsCompleteRequest } from "./messages.js";

export function isComplete(router: CellRouter, { code }: IsCompleteRequest): IsCompleteReply {
  const handler = router.route(code);
  try {
    return handler.isComplete(code);
  } catch (error) {
    log(`${handler.label} isComplete failed: ${describeError(error)}`);
    return { status: "unknown" };
  }
}

export function complete(router: CellRouter, { code, cursor_pos: cursorPos }: CompleteRequest): CompleteReply {
  const handler = router.route(code);
  try {
    const result = handler.complete(code, cursorPos);
    return { status: "ok", matches: result.matches, cursor_start: result.cursorStart, cursor_end: result.cursorEnd, metadata: {} };
  } catch (error) {
    log(`${handler.label} completion failed: ${describeError(error)}`);
    return { status: "ok", matches: [], cursor_start: cursorPos, cursor_end: cursorPos, metadata: {} };
  }
}

export function inspect(router: CellRouter, { code, cursor_pos: cursorPos, detail_level: detailLevel }: InspectRequest): InspectReply {
  const handler = router.route(code);
  try {
    const data = handler.inspect(code, cursorPos, detailLevel);
    if (data) return { status: "ok", found: true, data, metadata: {} };
  } catch (error) {
    log(`${handler.label} inspection failed: ${describeError(error)}`);
  }
  return { status: "ok", found: false, data: {}, metadata: {} };
}
