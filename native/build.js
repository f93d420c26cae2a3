#!/usr/bin/env node
// Builds ConvNote's oneDNN addon (run by `npm install` / `npm ci` as the package's install
// script). The addon is optional: where a compiler or Debian's libdnnl-dev is missing, this
// prints one line saying why, records it for `convnote backend`, and exits 0, so that the
// install still succeeds and ConvNote runs on WASM instead.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const here = __dirname;
const skippedFile = path.join(here, "build-skipped.txt");
const enable = "apt-get install g++ make libdnnl-dev, then: node native/build.js";

function skip(why) {
  // An addon left from an earlier build would no longer match this source.
  fs.rmSync(path.join(here, "build"), { recursive: true, force: true });
  fs.writeFileSync(skippedFile, `${why}\n`);
  console.log(`convnote: native oneDNN backend not built: ${why} (to enable it: ${enable})`);
  process.exit(0);
}

function has(command, args) {
  const r = spawnSync(command, args, { stdio: "ignore" });
  return r.status === 0;
}

if (process.env.CONVNOTE_SKIP_NATIVE === "1") skip("CONVNOTE_SKIP_NATIVE=1");
if (process.platform !== "linux") skip(`oneDNN is taken from Debian's libdnnl-dev; ${process.platform} is not supported yet`);
const header = ["/usr/include/oneapi/dnnl/dnnl.hpp", "/usr/local/include/oneapi/dnnl/dnnl.hpp"].find((f) => fs.existsSync(f));
if (header === undefined) skip("oneDNN's headers are missing (Debian: apt-get install libdnnl-dev)");
if (!has("c++", ["--version"])) skip("no C++ compiler (Debian: apt-get install g++)");
if (!has("make", ["--version"])) skip("no make (Debian: apt-get install make)");

// npm puts its bundled node-gyp in npm_config_node_gyp; outside npm, find the one beside npm.
const candidates = [
  process.env.npm_config_node_gyp,
  path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  "/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
  "/usr/share/nodejs/node-gyp/bin/node-gyp.js",
].filter((f) => f && fs.existsSync(f));
if (candidates.length === 0) skip("node-gyp was not found (it comes with npm)");

// Node's own headers, so nothing is downloaded (Debian's nodejs puts them in /usr/include/node).
const nodedir = [path.join(path.dirname(process.execPath), ".."), "/usr"].find((d) => fs.existsSync(path.join(d, "include", "node", "node_api.h")));
const args = [candidates[0], "rebuild", "--directory", here, ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const started = Date.now();
const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (r.status !== 0) {
  const log = path.join(here, "build.log");
  fs.writeFileSync(log, `${r.stdout}\n${r.stderr}`);
  const firstError = `${r.stdout}\n${r.stderr}`.split("\n").find((l) => /error/i.test(l)) ?? `node-gyp exited with ${r.status}`;
  skip(`the build failed (${firstError.trim().slice(0, 200)}; full log: ${log})`);
}
for (const stale of [skippedFile, path.join(here, "build.log")]) if (fs.existsSync(stale)) fs.unlinkSync(stale);
console.log(`convnote: built the native oneDNN backend in ${((Date.now() - started) / 1000).toFixed(0)} s`);
