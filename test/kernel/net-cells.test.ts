// %%net cells in the real ConvNote kernel (the installed `convnote` kernelspec), spoken to by
// jupyter_client: the shape table and diagram, typed bindings, errors with a caret, completion,
// inspection, and training a bound network with a live view.
import assert from "node:assert/strict";
import { KernelDriver, outputsOf, type Exchange } from "./driver.js";
import { REAL_KERNEL, tempDir } from "./jupyter-env.js";
import { svgPictureText } from "../render/markup.js";

function assertOk(exchange: Exchange): void {
  assert.equal(exchange.reply["status"], "ok", `cell failed: ${JSON.stringify(exchange.outputs).slice(0, 2000)}`);
}

describe("%%net cells in the ConvNote kernel", function () {
  this.timeout(300_000);
  let kernel: KernelDriver;

  before(async () => {
    kernel = (await KernelDriver.start(REAL_KERNEL, tempDir("convnote-net-cells-"))).driver;
  });

  after(async () => {
    await kernel?.close();
  });

  it("renders the shape table and the diagram, and binds the name as a typed Network", async () => {
    const started = performance.now();
    const cell = await kernel.execute("%%net vgg\nINPUT 224x224x3 [CONV3-64]x2 POOL2 [CONV3-128]x2 POOL2 [CONV3-256]x3 POOL2\n[CONV3-512]x3 POOL2 [CONV3-512]x3 POOL2 FC-4096 FC-4096 FC-1000 SOFTMAX");
    console.log(`      %%net cell to its table: ${((performance.now() - started) / 1000).toFixed(2)} s (round trip through jupyter_client)`);
    assertOk(cell);
    const data = outputsOf(cell, "execute_result")[0]!["data"] as Record<string, string>;
    assert.match(data["text/plain"]!, /Total: 138,357,544 parameters/);
    assert.match(data["text/html"]!, /\(3\*3\*3\)\*64 \+ 64 = 1,792/);
    assert.match(svgPictureText(data["text/html"]!), /<svg[^>]*>.*CONV13.*<\/svg>/s);
    const typed = await kernel.execute("const p: number = vgg.totals.params;\np");
    assertOk(typed);
    assert.equal((outputsOf(typed, "execute_result")[0]!["data"] as Record<string, string>)["text/plain"], "138357544");
    const again = performance.now();
    assertOk(await kernel.execute("%%net lenet\nDEFAULTS(activation=tanh) INPUT 32x32 CONV5-6/valid AVGPOOL2 CONV5-16/valid AVGPOOL2 FC-120 FC-84 FC-10 SOFTMAX"));
    console.log(`      a later %%net cell to its table: ${((performance.now() - again) / 1000).toFixed(2)} s`);
    const misuse = await kernel.execute("const s: string = vgg.totals.params;");
    assert.equal(misuse.reply["status"], "error", "the binding has a real type");
  });

  it("shows a language error with the cell's line, a caret and the fix; the next cell runs", async () => {
    const bad = await kernel.execute("%%net broken\nINPUT 7x7x3\nCONV3-8/s3/p0");
    assert.equal(bad.reply["status"], "error");
    const error = outputsOf(bad, "error")[0] as { ename: string; evalue: string; traceback: string[] };
    assert.equal(error.ename, "ConvNoteError");
    assert.match(error.traceback.join("\n"), /cell:3:1: \(7 - 3\)\/3 \+ 1 = 2\.33 is not a whole number\n {2}CONV3-8\/s3\/p0\n {2}\^~~~~~~~~~~~~\n {2}hint: use stride 1 or 2/);
    assertOk(await kernel.execute("1 + 1"));
  });

  it("completes layer words and inspects a layer with its computed shape", async () => {
    const code = "%%net x\nINPUT 28x28 CONV5-6 AVGPO";
    const completion = (await kernel.request("complete", { code, cursor_pos: code.length })).reply;
    assert.ok((completion["matches"] as string[]).some((m) => m.startsWith("AVGPOOL")), JSON.stringify(completion));
    const text = "%%net x\nINPUT 28x28 CONV5-6 POOL2";
    const inspection = (await kernel.request("inspect", { code: text, cursor_pos: text.indexOf("CONV") + 2 })).reply;
    assert.equal(inspection["found"], true);
    assert.match(JSON.stringify(inspection["data"]), /28x28x6/);
    const incomplete = (await kernel.request("is_complete", { code: "%%net x\nINPUT 28x28 [CONV3-8" })).reply;
    assert.equal(incomplete["status"], "incomplete");
  });

  it("the same network from TypeScript: net`...` and a short live training run", async () => {
    const cell = await kernel.execute(
      [
        'import { net, fitLive, data } from "convnote";',
        "const xo = net`INPUT 9x9x1 CONV3-4/valid POOL2/same FC-2 SOFTMAX`;",
        "const train = data.generateXO({ count: 200, size: 9, seed: 1 });",
        "const history = await fitLive(xo.model({ seed: 1 }), train, { settings: { epochs: 2, batchSize: 32 } });",
        "history.epochs.length",
      ].join("\n"),
    );
    assertOk(cell);
    assert.equal((outputsOf(cell, "execute_result")[0]!["data"] as Record<string, string>)["text/plain"], "2");
    const views = [...outputsOf(cell, "display_data"), ...outputsOf(cell, "update_display_data")];
    assert.ok(views.some((v) => /convnote-training/.test(String((v["data"] as Record<string, unknown>)["text/html"]))), "a live training view was shown");
  });

  it("an interrupt ends fitLive's training, not the cell: the History says where it stopped and the cell's names are kept", async () => {
    // The cell waits at epoch 2, batch 4 until it is interrupted, so the interrupt lands there.
    const cell = await kernel.submit(
      [
        'import { data, fitLive, interruptSignal } from "convnote";',
        "const model2 = xo.model({ seed: 2 });",
        'const before = "declared before training";',
        "const h2 = await fitLive(model2, data.generateXO({ count: 320, size: 9, seed: 2 }), {",
        "  settings: { epochs: 5, batchSize: 16, validationSplit: 0 },",
        "  onBatchEnd: async (p) => {",
        "    if (p.epoch !== 1 || p.batch !== 3) return;",
        '    console.log("waiting at epoch 2, batch 4");',
        '    await new Promise((resolve) => interruptSignal().addEventListener("abort", resolve));',
        "  },",
        "});",
        "const after = `${h2.stopReason} at ${h2.stoppedAt?.epoch}/${h2.stoppedAt?.batch}`;",
      ].join("\n"),
    );
    await kernel.waitForOutput(cell.msg_id, /waiting at epoch 2, batch 4/);
    await kernel.interrupt();
    const done = await kernel.collect(cell.msg_id);
    assertOk(done);
    assert.deepEqual(outputsOf(done, "error"), []);
    const views = outputsOf(done, "update_display_data").map((v) => v["data"] as Record<string, string>);
    const final = views[views.length - 1]!;
    assert.match(final["text/plain"]!, /^stopped at epoch 2, batch 4 of 20 \(interrupted\)/);
    assert.match(final["text/html"]!, /stopped at epoch 2, batch 4 of 20 \(interrupted\)/);
    assert.doesNotMatch(JSON.stringify(done.outputs), /KeyboardInterrupt/);
    const kept = await kernel.execute("[before, after, h2.epochs.length, h2.batches.length, model2.countParams()].join(' | ')");
    assertOk(kept);
    assert.equal((outputsOf(kept, "execute_result")[0]!["data"] as Record<string, string>)["text/plain"], "'declared before training | interrupted at 2/4 | 1 | 24 | 170'");
    // The partial epoch is plotted per batch only: the epoch curve has the one whole epoch.
    const spec = await kernel.execute('import { historyRecords, render } from "convnote";\nJSON.stringify(render.trainingCurvesSpec(historyRecords(h2)).panels[0].traces.map((t) => [t.name, t.x.length]))');
    assertOk(spec);
    assert.match((outputsOf(spec, "execute_result")[0]!["data"] as Record<string, string>)["text/plain"]!, /\["train \(per batch\)",24\],\["train",1\]/);
  });

  it("a second interrupt stops the cell itself; an interrupt with no training running stops the cell at once", async () => {
    const cell = await kernel.submit(
      [
        "await fitLive(xo.model({ seed: 3 }), data.generateXO({ count: 320, size: 9, seed: 3 }), {",
        "  settings: { epochs: 5, batchSize: 16, validationSplit: 0 },",
        '  onBatchEnd: async (p) => { if (p.batch === 2) { console.log("training"); await new Promise((r) => interruptSignal().addEventListener("abort", r)); } },',
        "});",
        'console.log("after training");',
        "await new Promise((resolve) => setTimeout(resolve, 1e9));",
      ].join("\n"),
    );
    await kernel.waitForOutput(cell.msg_id, /training/);
    await kernel.interrupt();
    await kernel.waitForOutput(cell.msg_id, /after training/);
    const stopped = await kernel.interruptUntilDone(cell.msg_id);
    assert.equal(stopped.reply["status"], "error");
    assert.equal((outputsOf(stopped, "error")[0]!["ename"] as string), "Interrupted");
    assert.match(String(outputsOf(stopped, "error")[0]!["evalue"]), /names it declared are not kept/);
  });

  it("`await fitLive(...)` as a cell's last line shows its chart once: the History result is one line", async () => {
    const cell = await kernel.execute("await fitLive(xo.model({ seed: 4 }), data.generateXO({ count: 64, size: 9, seed: 4 }), { settings: { epochs: 1, batchSize: 32, validationSplit: 0 } })");
    assertOk(cell);
    const result = outputsOf(cell, "execute_result")[0]!["data"] as Record<string, string>;
    assert.match(result["text/plain"]!, /^History: 1 epoch \(completed\)/);
    assert.doesNotMatch(result["text/html"]!, /convnote-chart|<img|<svg/, "the curves are in the live view above, not again");
    const charts = [...outputsOf(cell, "display_data"), ...outputsOf(cell, "update_display_data")].filter((o) => /convnote-chart/.test(String((o["data"] as Record<string, string>)["text/html"])));
    assert.ok(charts.length > 0, "the live view shows the curves");
  });

  it("shows a tensor, a model and a training history rich when they are a cell's last value", async () => {
    const small = await kernel.execute('import { tf } from "convnote";\ntf.tensor2d([[1, 2.5], [3, 4]])');
    assertOk(small);
    const smallData = outputsOf(small, "execute_result")[0]!["data"] as Record<string, string>;
    assert.match(smallData["text/html"]!, /<td[^>]*>2\.5<\/td>/);
    assert.match(smallData["text/plain"]!, /Tensor float32 \[2x2\]/);
    const picture = await kernel.execute("tf.linspace(0, 1, 28 * 28).reshape([28, 28, 1])");
    assertOk(picture);
    assert.ok((outputsOf(picture, "execute_result")[0]!["data"] as Record<string, string>)["image/png"], "an image tensor shows as a PNG");
    const model = await kernel.execute("xo.model({ seed: 1 })");
    assertOk(model);
    const modelData = outputsOf(model, "execute_result")[0]!["data"] as Record<string, string>;
    assert.match(modelData["text/plain"]!, /total 170 parameters/);
    assert.match(modelData["text/html"]!, /Conv2D/);
    const curves = await kernel.execute("history");
    assertOk(curves);
    const curveData = outputsOf(curves, "execute_result")[0]!["data"] as Record<string, string>;
    assert.match(curveData["text/plain"]!, /^History: 2 epochs \(completed\)/);
    assert.match(curveData["text/html"]!, /<img[^>]*src="data:image\/svg\+xml;base64,/);
  });

  it("an earlier cell's variable works in a shorthand property ({ x }), which tslab alone does not rewrite", async () => {
    assertOk(await kernel.execute("const shorthandValue = 5;"));
    const cell = await kernel.execute("const holder = { shorthandValue, other: 1 };\nlet later = 0;\n({ later } = { later: 7 });\nholder.shorthandValue + later");
    assertOk(cell);
    assert.equal((outputsOf(cell, "execute_result")[0]!["data"] as Record<string, string>)["text/plain"], "12");
  });
});
