// Kernel soak and timing: start time (launch to kernel_info reply), a trivial
// cell's round trip, then 1,000 cells in a row while sampling the kernel's RSS
// (/proc/<pid>/status VmRSS). Drives the real `convnote` kernel through
// jupyter_client, as Notebook would.
//
//   npm run build && node dist/bench/kernel-soak.js [cells]
import { KernelDriver } from "../test/kernel/driver.js";
import { REAL_KERNEL } from "../test/kernel/jupyter-env.js";

const MB = 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function rssKb(driver: KernelDriver): Promise<number> {
  return (await driver.command<{ rss_kb: number }>("rss_kb")).rss_kb;
}

/** The kernel's live JavaScript heap after a full garbage collection, in MB (a silent cell). */
const HEAP_AFTER_GC = `(() => {
  require("node:v8").setFlagsFromString("--expose-gc");
  const gc = require("node:vm").runInNewContext("gc");
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
})()`;

async function heapMb(driver: KernelDriver): Promise<number> {
  const result = await driver.execute(HEAP_AFTER_GC, { silent: false, store_history: false });
  const data = result.outputs.find((o) => o.msg_type === "execute_result")?.content["data"] as Record<string, string> | undefined;
  return Number(data?.["text/plain"]);
}

/** One of a few kinds of cell, reusing names so that growth means a leak, not more variables. */
function soakCell(i: number): string {
  switch (i % 5) {
    case 0:
      return `let counter = ${i};\ncounter * 2`;
    case 1:
      return `console.log("cell ${i}")`;
    case 2:
      return `const values = Array.from({ length: 1000 }, (_, k) => k * ${i});\nvalues.length`;
    case 3:
      return `function square(x: number): number { return x * x; }\nsquare(${i})`;
    default:
      return `"text " + ${i}`;
  }
}

async function main(): Promise<void> {
  const cells = Number(process.argv[2] ?? 1000);
  console.log("kernel soak: the real convnote kernel via jupyter_client (timings taken on a shared machine)");

  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { driver, startupSeconds } = await KernelDriver.start(REAL_KERNEL);
    starts.push(startupSeconds);
    await driver.command("shutdown");
    await driver.close();
  }
  console.log(`start to kernel_info reply: ${starts.map((s) => s.toFixed(2)).join(", ")} s (median ${median(starts).toFixed(2)} s)`);

  const { driver, pid } = await KernelDriver.start(REAL_KERNEL);
  const first = await driver.execute("1 + 1", { timeout: 180 });
  console.log(`first cell (compiler warm-up, TensorFlow.js backend load and banner): ${first.elapsed_s.toFixed(2)} s`);

  const trips: number[] = [];
  for (let i = 0; i < 30; i++) trips.push((await driver.execute("1 + 1")).elapsed_s);
  console.log(`trivial cell round trip (1 + 1): median ${(median(trips) * 1000).toFixed(1)} ms, min ${(Math.min(...trips) * 1000).toFixed(1)} ms`);

  const before = await rssKb(driver);
  const samples: { cell: number; rss: number; heap: number }[] = [{ cell: 0, rss: before, heap: await heapMb(driver) }];
  const started = Date.now();
  let failures = 0;
  for (let i = 1; i <= cells; i++) {
    const result = await driver.execute(soakCell(i));
    if (result.reply["status"] !== "ok") failures++;
    if (i % Math.max(1, Math.floor(cells / 5)) === 0) samples.push({ cell: i, rss: await rssKb(driver), heap: await heapMb(driver) });
  }
  const seconds = (Date.now() - started) / 1000;
  const after = await rssKb(driver);
  console.log(`${cells} cells in ${seconds.toFixed(1)} s (${((seconds / cells) * 1000).toFixed(1)} ms per cell), ${failures} failed`);
  console.log(`kernel ${pid} RSS: ${samples.map((s) => `${s.cell}: ${(s.rss / MB).toFixed(0)} MB`).join(", ")}`);
  console.log(`live JS heap after GC: ${samples.map((s) => `${s.cell}: ${s.heap} MB`).join(", ")}`);
  console.log(`RSS before ${(before / MB).toFixed(0)} MB, after ${(after / MB).toFixed(0)} MB (${((after - before) / MB).toFixed(0)} MB)`);

  // Bounded: the second half of the run grows much less than a leak would (each cell's
  // 1000-element array alone would add ~8 KB per cell if kept).
  const middle = samples[Math.floor(samples.length / 2)]!.rss;
  const lateGrowthMb = (after - middle) / MB;
  const stable = lateGrowthMb < 40 && failures === 0;
  console.log(`second-half growth ${lateGrowthMb.toFixed(0)} MB: ${stable ? "bounded" : "GROWING or failing"}`);

  await driver.command("shutdown");
  await driver.close();
  process.exitCode = stable ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
