// A production install: a copy of the built checkout installed with `npm ci --omit=dev`
// (no TypeScript, mocha or any other devDependency) must run every kind of command and
// the kernel. Whatever the code loads at run time from a devDependency fails here. The copy
// is installed without the native addon (CONVNOTE_SKIP_NATIVE=1), as on a machine without
// oneDNN: the install must still succeed, say why in one line, and ConvNote run on WASM.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { jupyterDirsUnder } from "../../src/cli/start-command.js";
import { projectRoot } from "../helpers.js";
import { KernelDriver, outputsOf, resultText } from "../kernel/driver.js";
import { tempDir } from "../kernel/jupyter-env.js";

describe("a production install (npm ci --omit=dev)", function () {
  this.timeout(300_000);
  let copy: string;
  let installOutput = "";
  let cli: (...args: string[]) => { status: number | null; stdout: string; stderr: string };

  before(() => {
    copy = tempDir("convnote-production-");
    // What a user's checkout holds after `npm run build`: the tracked files and dist/, no node_modules.
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: projectRoot, encoding: "utf8" }).split("\0").filter((f) => f !== "");
    for (const file of tracked) {
      if (!existsSync(path.join(projectRoot, file))) continue; // deleted in the working tree
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      cpSync(path.join(projectRoot, file), path.join(copy, file));
    }
    cpSync(path.join(projectRoot, "dist"), path.join(copy, "dist"), { recursive: true });
    const install = spawnSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--foreground-scripts"],
      { cwd: copy, encoding: "utf8", env: { ...process.env, CONVNOTE_SKIP_NATIVE: "1" } });
    assert.equal(install.status, 0, `npm ci --omit=dev failed:\n${install.stdout}${install.stderr}`);
    installOutput = install.stdout + install.stderr;
    cli = (...args) => spawnSync(process.execPath, [path.join(copy, "dist", "src", "cli", "main.js"), ...args], { cwd: copy, encoding: "utf8" });
  });

  it("installs no devDependency (type declarations aside: tslab depends on @types/node)", () => {
    const manifest = JSON.parse(readFileSync(path.join(copy, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    const tools = Object.keys(manifest.devDependencies).filter((name) => !name.startsWith("@types/"));
    assert.ok(tools.includes("typescript") && tools.includes("mocha"));
    const present = tools.filter((name) => existsSync(path.join(copy, "node_modules", name)));
    assert.deepEqual(present, []);
  });

  it("without the native addon: npm ci says why in one line, and convnote backend says why and how to enable it", () => {
    const lines = installOutput.split("\n").filter((l) => l.startsWith("convnote: native oneDNN backend not built"));
    assert.equal(lines.length, 1, installOutput);
    assert.match(lines[0]!, /CONVNOTE_SKIP_NATIVE=1 \(to enable it: apt-get install g\+\+ make libdnnl-dev/);
    const backend = cli("backend");
    assert.equal(backend.status, 0, backend.stderr);
    assert.match(backend.stdout, /^backend: wasm /m);
    assert.match(backend.stdout, /^ {2}native .*not built \(CONVNOTE_SKIP_NATIVE=1\); to enable it: apt-get install g\+\+ make libdnnl-dev, then run node native\/build\.js/m);
  });

  it("prints a summary and trains a network briefly", () => {
    const summary = cli("summary", "lenet5");
    assert.equal(summary.status, 0, summary.stderr);
    assert.match(summary.stdout, /Total: 61,706 parameters/);
    const train = cli("train", "INPUT 28x28x1 CONV3-4 POOL2 FC-2 SOFTMAX", "--data", "xo", "--epochs", "1", "--train-size", "64", "--test-size", "32");
    assert.equal(train.status, 0, train.stderr);
    assert.match(train.stdout, /test accuracy \d+\.\d+% .* on 32 held-out images/);
  });

  it("installs the kernel, which runs %%net and TypeScript cells and loads plotly.js", async () => {
    const jupyter = tempDir("convnote-production-jupyter-");
    const install = cli("kernel", "install", "--prefix", jupyter);
    assert.equal(install.status, 0, install.stderr);
    const env = { ...process.env, ...jupyterDirsUnder(jupyter), JUPYTER_PATH: path.join(jupyter, "share", "jupyter"), PYTHONDONTWRITEBYTECODE: "1" };
    const { driver } = await KernelDriver.start("convnote", tempDir("convnote-production-notebook-"), env);
    try {
      const net = await driver.execute("%%net tiny\nINPUT 28x28x1 CONV3-4 POOL2 FC-10 SOFTMAX");
      assert.equal(net.reply["status"], "ok", JSON.stringify(net.outputs));
      assert.match(String((outputsOf(net, "execute_result")[0]!["data"] as Record<string, unknown>)["text/plain"]), /params/);
      const plotly = await driver.execute('import { render } from "convnote";\nrender.plotlyLibraryInfo().path');
      assert.equal(plotly.reply["status"], "ok", JSON.stringify(plotly.outputs));
      assert.equal(resultText(plotly), `'${path.join(copy, "node_modules", "plotly.js-dist-min", "plotly.min.js")}'`);
    } finally {
      await driver.close();
    }
  });
});
