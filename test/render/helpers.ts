/** Shared test helpers: fixtures, PNG decoding, and checks every bundle must pass. */

import * as assert from "node:assert/strict";
import { PNG } from "pngjs";
import type { MimeBundle } from "../../src/render/mime.js";

export { fixture } from "../helpers.js";

export interface DecodedPng {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number, number];
}

export function decodePng(base64: string): DecodedPng {
  const png = PNG.sync.read(Buffer.from(base64, "base64"));
  return {
    width: png.width,
    height: png.height,
    pixel: (x, y) => {
      const i = (y * png.width + x) * 4;
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
    },
  };
}

export function rgb(p: readonly number[]): [number, number, number] {
  return [p[0]!, p[1]!, p[2]!];
}

/** Every bundle: text/plain present; HTML (if any) fetches nothing from a network. */
export function assertOfflineBundle(bundle: MimeBundle): void {
  assert.equal(typeof bundle["text/plain"], "string");
  assert.ok(bundle["text/plain"].length > 0, "text/plain must not be empty");
  const html = bundle["text/html"];
  if (html !== undefined) {
    assert.equal(typeof html, "string");
    assert.doesNotMatch(html as string, /https?:\/\//i, "HTML must not reference http(s) URLs");
    assert.doesNotMatch(html as string, /<(script|img|link|iframe)[^>]*\s(src|href)="(?!data:)/i, "HTML must not load external resources");
  }
}
