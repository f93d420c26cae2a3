// `npm run bench`: every benchmark in one run, ending with the line CI logs and the
// closing notes quote:
//   RATIO lenet_train=<x> vgg_train=<y> lenet_infer=<x> vgg_infer=<y> backend=<name>
// (ConvNote images/s over PyTorch images/s, same networks, batch and optimizer, same run),
// for the offline backend that does best; or a line saying why there is no ratio.
//
//   node dist/bench/run-all.js [--seconds=4] [--configs=...]
import { runParseCheckBench } from "./parse-check.js";
import { formatTable, runKernelsBench, type ConfigResult, type PyTorchResult } from "./throughput.js";

type Ratios = Record<"lenet_train" | "vgg_train" | "lenet_infer" | "vgg_infer", number>;

function ratios(config: ConfigResult, torch: PyTorchResult): Ratios | null {
  const lenet = config.networks.find((n) => n.network === "lenet");
  const vgg = config.networks.find((n) => n.network === "vgg");
  if (!lenet || !vgg || !torch.lenet_train || !torch.vgg_train || !torch.lenet_infer || !torch.vgg_infer) return null;
  return {
    lenet_train: lenet.trainImagesPerSec / torch.lenet_train,
    vgg_train: vgg.trainImagesPerSec / torch.vgg_train,
    lenet_infer: lenet.inferImagesPerSec / torch.lenet_infer,
    vgg_infer: vgg.inferImagesPerSec / torch.vgg_infer,
  };
}

/** The configuration with the best training ratios (geometric mean over the two networks). */
export function ratioLine(results: ConfigResult[], torch: PyTorchResult | null): string {
  if (!torch?.ok) return `RATIO not measured: PyTorch is not available (${torch?.why ?? "not run"}); on Debian: apt-get install python3-torch`;
  let best: { config: ConfigResult; r: Ratios; score: number } | null = null;
  for (const config of results.filter((c) => c.ok)) {
    const r = ratios(config, torch);
    if (!r) continue;
    const score = Math.sqrt(r.lenet_train * r.vgg_train);
    if (!best || score > best.score) best = { config, r, score };
  }
  if (!best) return "RATIO not measured: no ConvNote backend measured both networks";
  const f = (x: number) => x.toFixed(2);
  return `RATIO lenet_train=${f(best.r.lenet_train)} vgg_train=${f(best.r.vgg_train)} lenet_infer=${f(best.r.lenet_infer)} vgg_infer=${f(best.r.vgg_infer)} backend=${best.config.config}`;
}

function main(): void {
  const argv = process.argv.slice(2);
  console.log("== parse and check");
  runParseCheckBench();
  console.log("\n== training and inference throughput");
  const { results, torch } = runKernelsBench([...argv, "--pytorch"]);
  console.log(formatTable(results, torch));
  console.log("");
  console.log(ratioLine(results, torch));
}

if (require.main === module) main();
