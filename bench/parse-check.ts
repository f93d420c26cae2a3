// Parse + check time of ResNet-152 (from the zoo) and of a generated 10,000-layer network.
// Prints milliseconds per run (median of repeated runs, after warm-up) and layers per second.
import { parseNetwork } from "../src/dsl/parse.js";
import { checkNetwork } from "../src/shapes/check.js";
import { findZooEntry } from "../src/zoo/index.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => void, repeats: number): number {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** 10,000 written layers (no repetition), so the parser sees every token. */
function generatedNetwork(layers: number): string {
  const lines = ["INPUT 32x32x3"];
  const pattern = ["CONV3-16", "BN", "RELU", "DROPOUT0.1"];
  for (let i = 0; i < layers; i++) lines.push(pattern[i % pattern.length]!);
  return lines.join("\n");
}

export function runParseCheckBench(): { resnet152Ms: number; generatedMs: number } {
  const resnet = findZooEntry("resnet152");
  if (!resnet) throw new Error("the zoo has no resnet152");
  const resnetNetwork = checkNetwork(resnet.source).network;
  if (!resnetNetwork) throw new Error("resnet152 does not check");
  const resnetParse = time(() => parseNetwork(resnet.source), 30);
  const resnetMs = time(() => checkNetwork(resnet.source), 30);
  console.log(`ResNet-152: ${resnetNetwork.rows.length} rows, ${resnetNetwork.totals.trainableParams.toLocaleString("en-US")} trainable parameters`);
  console.log(`  parse ${resnetParse.toFixed(2)} ms, parse + check ${resnetMs.toFixed(2)} ms (goal: well under 50 ms)`);

  const text = generatedNetwork(10_000);
  const generated = checkNetwork(text).network;
  if (!generated) throw new Error("the generated network does not check");
  const parseMs = time(() => parseNetwork(text), 7);
  const generatedMs = time(() => checkNetwork(text), 7);
  console.log(`generated: 10,000 written layers, ${generated.rows.length} rows after fusing activations`);
  console.log(`  parse ${parseMs.toFixed(1)} ms, parse + check ${generatedMs.toFixed(1)} ms (${Math.round(10_000 / (generatedMs / 1000)).toLocaleString("en-US")} layers/s)`);
  return { resnet152Ms: resnetMs, generatedMs };
}

if (require.main === module) runParseCheckBench();
