// A class server: the ConvNote kernel installed once for every user of a JupyterHub (Debian's
// `jupyterhub`), and a student's notebook run through the hub: hub on loopback, a test
// authenticator, the student's server started by the hub, the notebook uploaded and every
// cell executed over the kernel's websocket through the hub's proxy (hub_run_notebook.py).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../helpers.js";
import { tempDir } from "../kernel/jupyter-env.js";

interface HubRun {
  ok: boolean;
  kernelspecs?: string[];
  cells?: number;
  errors: string[];
  outputs?: Record<string, number>;
  seconds: number;
  hub_log?: string;
}

describe("the kernel on a JupyterHub class server", function () {
  this.timeout(600_000);

  it("a kernel installed under the hub's prefix runs a student's notebook through the hub", () => {
    assert.ok(existsSync("/usr/bin/jupyterhub"), "JupyterHub is missing: apt-get install jupyterhub");
    const work = tempDir("convnote-hub-");
    const prefix = path.join(work, "prefix");
    // What a teacher runs once on the server (there with --prefix /usr/local).
    const install = spawnSync(process.execPath, [path.join(projectRoot, "dist", "src", "cli", "main.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
    assert.equal(install.status, 0, install.stderr);
    const run = spawnSync("/usr/bin/python3", [path.join(projectRoot, "test", "hub", "hub_run_notebook.py"), work, path.join(projectRoot, "notebooks", "02-x-and-o.ipynb"), "convnote"], {
      encoding: "utf8",
      cwd: work,
      env: { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") },
      timeout: 540_000,
    });
    assert.equal(run.status, 0, run.stderr.slice(-3000));
    const result = JSON.parse(run.stdout.trim().split("\n").pop()!) as HubRun;
    assert.ok(result.ok, `${result.errors.join("\n")}\n${result.hub_log ?? ""}`);
    assert.ok(result.kernelspecs?.includes("convnote"), `the student's server sees ${result.kernelspecs?.join(", ")}`);
    assert.ok((result.cells ?? 0) >= 5);
    assert.ok((result.outputs?.["text/html"] ?? 0) >= 5 && (result.outputs?.["image/png"] ?? 0) >= 3, JSON.stringify(result.outputs));
    console.log(`      hub up, server spawned, ${result.cells} cells run through the proxy: ${result.seconds} s`);
  });
});
