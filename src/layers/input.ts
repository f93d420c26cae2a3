// The input volume: INPUT HxWxC for images, INPUT1D LxC for sequences.
import { getInts, type ResolvedArguments } from "./arguments.js";
import type { InferResult, KindError, LayerKindDefinition } from "./kind.js";
import { formatShape, type Shape } from "./shape.js";

export interface InputSettings {
  kind: "input";
  shape: number[];
}

/** cs231n's running example (CIFAR-10) when INPUT is written bare, as in `INPUT -> CONV -> ...`. */
export const defaultInputShape = [32, 32, 3];

export const input: LayerKindDefinition<InputSettings> = {
  kind: "input",
  title: "Input",
  doc: [
    "The input volume, first in every network. `INPUT 224x224x3` is height x width x channels;",
    "`INPUT 28x28` is one channel (greyscale). `INPUT 784` is a flat vector. `INPUT1D 60x50` is a",
    "sequence of length 60 with 50 channels (e.g. 60 words as 50-dimensional word vectors; audio is",
    "`INPUT1D 16000x1`): CONV and POOL after it are 1-D. A bare `INPUT` is 32x32x3 (CIFAR-10).",
    "`?` is a size known only when the network runs: `INPUT ?x?x3` takes pictures of any size.",
  ].join("\n"),
  keywords: [
    { word: "INPUT", summary: "input image HxWxC (HxW: one channel)", preset: { rank: 2 } },
    { word: "INPUT1D", summary: "input sequence LxC (length x channels)", preset: { rank: 1 } },
  ],
  syntax: ["INPUT HxWxC", "INPUT HxW", "INPUT N", "INPUT ?x?xC", "INPUT1D LxC", "INPUT1D L", "INPUT1D ?"],
  examples: ["INPUT 224x224x3", "INPUT 28x28 CONV5-6", "INPUT ?x?x3 CONV3-16 GAP FC-10", "INPUT1D 60x50 CONV3-100 GMP FC-2 SOFTMAX"],
  arguments: [
    { name: "shape", type: "shape", doc: "the size: HxWxC, HxW, N, or for INPUT1D LxC or L; ? for a size known only when the network runs", defaultText: "32x32x3", unknown: true },
    { name: "rank", type: "int", doc: "spatial axes: 2 for images, 1 for sequences" },
  ],
  operand: "shape",
  naming: { prefix: () => "INPUT", count: "own" },
  conventions: { activation: "none", bias: false },
  diagram: { colour: "#d9d9d9" },
  settings(args: ResolvedArguments): InputSettings | KindError {
    const written = getInts(args, "shape");
    const rank = getInts(args, "rank")?.[0] ?? 2;
    if (written === undefined) return { kind: "input", shape: rank === 1 ? [100, 1] : defaultInputShape };
    if (rank === 1) {
      if (written.length > 2) return { code: "bad-argument", message: `INPUT1D takes length x channels, not ${formatShape(written)}`, hint: "write INPUT1D 60x50, or INPUT for images" };
      if (written.length === 2 && !Number.isFinite(written[1]!)) return { code: "bad-argument", message: `the number of channels must be known: ${formatShape(written)}`, hint: "only the length may be ?, e.g. INPUT1D ?x50" };
      return { kind: "input", shape: written.length === 1 ? [written[0]!, 1] : written };
    }
    if (written.length > 3) return { code: "bad-argument", message: `INPUT takes height x width x channels, not ${formatShape(written)}` };
    const shape = written.length === 2 ? [...written, 1] : written;
    if (!Number.isFinite(shape[shape.length - 1]!)) return { code: "bad-argument", message: `the number of channels must be known: ${formatShape(shape)}`, hint: "only the height and width (or the length) may be ?, e.g. INPUT ?x?x3" };
    return { kind: "input", shape };
  },
  infer(_s, shape: Shape): InferResult {
    return { ok: true, value: { output: shape, weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" } } };
  },
  compile: () => [],
  label(s: InputSettings): string {
    return `INPUT${s.shape.length === 2 ? "1D" : ""} ${formatShape(s.shape)}`;
  },
};
