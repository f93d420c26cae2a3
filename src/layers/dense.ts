// Fully connected layer: every output unit sees every input value.
import { tf } from "../backend/tf.js";
import { activationOption, tfName, weightOptions } from "../compile/parts.js";
import { getBoolean, getNumber, getWord, type ResolvedArguments } from "./arguments.js";
import type { InferResult, LayerKindDefinition } from "./kind.js";
import { shapeSize, sizeNeeded, type Shape } from "./shape.js";
import { weightArguments } from "./window.js";

export interface DenseSettings {
  kind: "dense";
  units: number;
  bias: boolean | undefined;
  init: string | undefined;
}

export const dense: LayerKindDefinition<DenseSettings> = {
  kind: "dense",
  title: "Fully connected",
  doc: [
    "A fully connected layer of `n` units: each unit has one weight per input value and a bias,",
    "so `FC-4096` on a `7x7x512` volume has `(7*7*512)*4096` weights. A volume is flattened first",
    "(no need to write `FLATTEN`). Followed by ReLU unless an activation is written right after it;",
    "the last one of the network gives raw class scores unless `SOFTMAX` is written.",
  ].join("\n"),
  keywords: [
    { word: "FC", summary: "fully connected, e.g. FC-4096 or FC4096" },
    { word: "DENSE", summary: "fully connected, same as FC" },
  ],
  syntax: ["FC-n", "FCn", "DENSE-n", "FC(units=n)"],
  examples: ["INPUT 7x7x512 FC-4096 FC-4096 FC-1000 SOFTMAX", "INPUT 784 FC-100 FC-10 SOFTMAX"],
  arguments: [
    { name: "units", type: "int", doc: "number of units", defaultText: "10" },
    ...weightArguments,
  ],
  suffix: "units",
  dash: "units",
  naming: { prefix: () => "FC", count: "weight-layers" },
  conventions: { activation: "implied", bias: true },
  fusesActivation: () => true,
  diagram: { colour: "#90be6d" },
  settings(args: ResolvedArguments): DenseSettings {
    return { kind: "dense", units: getNumber(args, "units") ?? 10, bias: getBoolean(args, "bias"), init: getWord(args, "init") };
  },
  infer(s: DenseSettings, input: Shape): InferResult {
    const inputs = shapeSize(input);
    if (!Number.isFinite(inputs)) return { ok: false, ...sizeNeeded("FC", input) };
    return {
      ok: true,
      value: {
        output: [s.units],
        weights: inputs * s.units,
        biases: s.bias === false ? 0 : s.units,
        nonTrainable: 0,
        macs: inputs * s.units,
        reach: { type: "global" },
        formula: { weights: input.length > 1 ? `(${input.join("*")})*${s.units}` : `${inputs}*${s.units}`, biases: `${s.units}` },
        flattensInput: input.length > 1,
      },
    };
  },
  compile(layer, ctx) {
    const s = layer.settings;
    const dense = tf.layers.dense({ units: s.units, useBias: s.bias !== false, ...activationOption(layer.activation), ...weightOptions(ctx, s.init), name: tfName(layer.name) });
    return layer.flattensInput ? [tf.layers.flatten({ name: tfName(layer.name, "flatten") }), dense] : [dense];
  },

  label(s: DenseSettings): string {
    return `FC-${s.units}`;
  },
};
