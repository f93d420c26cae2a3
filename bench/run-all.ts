// `npm run bench`: every benchmark in one run, ending with the line CI logs and the
// closing notes quote:
//   RATIO lenet_train=<x> vgg_train=<y> resnet_train=<z> lenet_infer=... backend=<name>
// (ConvNote images/s over PyTorch images/s, same networks, batch and optimizer, same run),
// for the offline backend that does best; or a line saying why there is no ratio. Then the
// same for the best backend and PyTorch with one core kept busy (a browser beside the kernel):
//   UNDER LOAD native lenet_train=<img/s> (<share> of quiet) ... pytorch ...
//
//   node dist/bench/run-all.js [--seconds=4] [--configs=...] [--no-load]
import { runParseCheckBench } from "./parse-check.js";
import { NETWORKS } from "./networks.js";
import { formatTable, runKernelsBench, type ConfigResult, type PyTorchResult } from "./throughput.js";

type Ratios = Record<string, number>;

function ratios(config: ConfigResult, torch: PyTorchResult): Ratios | null {
  const r: Ratios = {};
  for (const phase of ["train", "infer"] as const) {
    for (const net of NETWORKS) {
      const mine = config.networks.find((n) => n.network === net.name);
      const theirs = torch[`${net.name}_${phase}`];
      if (!mine || !theirs) return null;
      r[`${net.name}_${phase}`] = (phase === "train" ? mine.trainImagesPerSec : mine.inferImagesPerSec) / theirs;
    }
  }
  return r;
}

/** The configuration with the best training ratios (geometric mean over the networks). */
export function bestRatios(results: ConfigResult[], torch: PyTorchResult | null): { config: ConfigResult; r: Ratios } | string {
  if (!torch?.ok) return `PyTorch is not available (${torch?.why ?? "not run"}); on Debian: apt-get install python3-torch`;
  let best: { config: ConfigResult; r: Ratios; score: number } | null = null;
  for (const config of results.filter((c) => c.ok)) {
    const r = ratios(config, torch);
    if (!r) continue;
    const trains = NETWORKS.map((n) => r[`${n.name}_train`]!);
    const score = Math.exp(trains.reduce((s, x) => s + Math.log(x), 0) / trains.length);
    if (!best || score > best.score) best = { config, r, score };
  }
  return best ?? "no ConvNote backend measured every network";
}

export function ratioLine(results: ConfigResult[], torch: PyTorchResult | null): string {
  const best = bestRatios(results, torch);
  if (typeof best === "string") return `RATIO not measured: ${best}`;
  const pairs = Object.entries(best.r).map(([k, v]) => `${k}=${v.toFixed(2)}`);
  return `RATIO ${pairs.join(" ")} backend=${best.config.config}`;
}

/** Images/s of `config` and PyTorch with cores kept busy, against their quiet figures. */
function loadLine(quiet: ConfigResult, quietTorch: PyTorchResult | null, seconds: string[]): string {
  const busy = runKernelsBench([`--configs=${quiet.config}`, "--busy-cores=1", "--pytorch", ...seconds]);
  const loaded = busy.results[0];
  if (!loaded?.ok) return `UNDER LOAD not measured: ${loaded?.why ?? "no result"}`;
  const parts: string[] = [];
  for (const n of loaded.networks) {
    const q = quiet.networks.find((x) => x.network === n.network);
    const share = q ? ` (${((100 * n.trainImagesPerSec) / q.trainImagesPerSec).toFixed(0)}% of quiet)` : "";
    parts.push(`${n.network}_train=${n.trainImagesPerSec.toFixed(0)}${share}`);
  }
  const torchParts = NETWORKS.map((n) => {
    const t = busy.torch?.[`${n.name}_train`];
    const q = quietTorch?.[`${n.name}_train`];
    return t === undefined ? null : `${n.name}_train=${t.toFixed(0)}${q ? ` (${((100 * t) / q).toFixed(0)}% of quiet)` : ""}`;
  }).filter((x) => x !== null);
  return `UNDER LOAD (1 core busy) ${quiet.config} ${parts.join(" ")}; pytorch ${torchParts.join(" ")}`;
}

function main(): void {
  const argv = process.argv.slice(2);
  console.log("== parse and check");
  runParseCheckBench();
  console.log("\n== training and inference throughput (images/s, batch 64, Adam)");
  const { results, torch } = runKernelsBench([...argv.filter((a) => a !== "--no-load"), "--pytorch"]);
  console.log(formatTable(results, torch));
  console.log("");
  const best = bestRatios(results, torch);
  let load = "";
  if (!argv.includes("--no-load") && typeof best !== "string") {
    console.log("== the best backend and PyTorch again, with one core kept busy (yes > /dev/null)");
    load = loadLine(best.config, torch, argv.filter((a) => a.startsWith("--seconds=")));
  }
  console.log(ratioLine(results, torch));
  if (load) console.log(load);
}

if (require.main === module) main();
