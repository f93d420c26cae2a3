/**
 * Makes a page exported by nbconvert safe to put on a course site and open with no network:
 * nbconvert's HTML template loads require.js and MathJax from a CDN or from the exporting
 * machine's files (Debian points at file:///usr/share/javascript), neither of which a
 * student's browser has. ConvNote's outputs need neither (plotly.js is added by export.ts, in the
 * page or beside it), so those tags go; anything else that would fetch from outside the page is
 * reported, so the caller can refuse to share it.
 */

/** Tags whose src/href make the browser fetch something (links <a href> do not). */
const FETCHING_TAG = /<(script|link|img|iframe|source|video|audio|embed)\b[^>]*?\s(src|href)\s*=\s*["']((?:https?:|file:|\/\/)[^"']*)["'][^>]*>/gi;

export interface SelfContainedPage {
  html: string;
  /** The URLs of the script and stylesheet tags that were dropped. */
  removed: string[];
  /** Fetches that are still in the page (an image from the web in a markdown cell, ...). */
  external: string[];
}

export function externalFetches(html: string): string[] {
  return [...html.matchAll(FETCHING_TAG)].map((m) => m[3]!);
}

export function makeSelfContained(html: string): SelfContainedPage {
  const removed: string[] = [];
  let out = html.replace(/<script\b[^>]*?\ssrc\s*=\s*["']((?:https?:|file:|\/\/)[^"']*)["'][^>]*>\s*<\/script>/gi, (_tag, url: string) => {
    removed.push(url);
    return "";
  });
  out = out.replace(/<link\b[^>]*?\shref\s*=\s*["']((?:https?:|file:|\/\/)[^"']*)["'][^>]*>/gi, (tag: string, url: string) => {
    if (!/rel\s*=\s*["']?stylesheet/i.test(tag)) return tag;
    removed.push(url);
    return "";
  });
  // MathJax's inline configuration is harmless without MathJax, but its script would wait for it.
  out = out.replace(/<script\b[^>]*type\s*=\s*["']text\/x-mathjax-config["'][^>]*>[\s\S]*?<\/script>/gi, "");
  return { html: out, removed, external: externalFetches(out) };
}
