// The hand-written sections of the language reference. Numbers in them are not typed in: examples
// are checked and their tables computed while the reference is generated, and the defaults are
// read from the registry and the checker.
import { formatDiagnostic } from "../dsl/diagnostics.js";
import { input as inputKind } from "../layers/input.js";
import { conv } from "../layers/conv.js";
import { dense } from "../layers/dense.js";
import { pool } from "../layers/pool.js";
import { checkNetwork } from "../shapes/check.js";
import type { ArgumentSpec } from "../layers/arguments.js";
import { defaultsArguments, standardDefaults } from "../shapes/defaults.js";
import { trainArguments } from "../train/settings.js";
import { summaryJson } from "../render/summary-json.js";
import { constructDocs } from "./constructs.js";
import { grammarEbnf, tokenEbnf } from "./ebnf.js";
import { code, count, errorExample, example, fence, mustCheck, table } from "./markdown.js";

const defaultOf = (specs: readonly ArgumentSpec[], name: string) => specs.find((s) => s.name === name)?.defaultText ?? "-";

function settingsTable(specs: readonly ArgumentSpec[]): string {
  return table(
    ["name", "meaning", "default"],
    specs.map((s) => [code(s.name), s.doc + (s.choices ? ` (${s.choices.map(code).join(", ")})` : ""), s.defaultText ?? "-"]),
  );
}

export function overviewSection(): string {
  return [
    "## Overview",
    "A network is written the way the lecture slides write it: an `INPUT` size, then layers in order.",
    example("INPUT 224x224x3 [CONV3-64]x2 POOL2 [CONV3-128]x2 POOL2 [CONV3-256]x3 POOL2 [CONV3-512]x3 POOL2 [CONV3-512]x3 POOL2 FC-4096 FC-4096 FC-1000 SOFTMAX"),
    "That is VGG16: `CONV3-64` is a convolution with 64 filters of 3x3, `[ ... ]x2` repeats, `POOL2` is 2x2 max pooling at stride 2, `FC-4096` a fully connected layer of 4096 units. Every CONV and FC is followed by a ReLU unless another activation is written, and the size is kept by zero padding unless a pad is written (both are VGG's conventions; see [Conventions](#conventions-activations-and-biases) and [The output size](#the-output-size)).",
    "The checker (`checkNetwork` in TypeScript, `convnote summary` on the command line, the `%%net` cell in a notebook) computes every layer's output shape, parameters, memory, multiply-adds and receptive field, or reports the first problem with its place and a fix.",
  ].join("\n\n");
}

export function formSection(): string {
  const anatomy = table(
    ["part", "in `CONV3-64/s2`", "meaning"],
    [
      ["keyword", code("CONV"), "the layer kind (see [Layers](#layers))"],
      ["glued number", code("3"), "the kind's main size: filter size, pool window, FC units, dropout rate"],
      ["`-` value", code("64"), "the number of filters (CONV) or units (FC)"],
      ["modifiers", code("/s2"), "stride, padding, dilation, bias (see [Modifiers](#modifiers))"],
    ],
  );
  return [
    "## The form of a network",
    "### Separators",
    "Layers are separated by whitespace, newlines, commas or arrows `->`, freely mixed. These four networks are the same:",
    example("INPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX"),
    example("INPUT 28x28\nCONV5-6\nPOOL2\nFC-10 SOFTMAX"),
    example("INPUT 28x28, CONV5-6, POOL2, FC-10, SOFTMAX"),
    example("INPUT 28x28 -> CONV5-6 -> POOL2 -> FC-10 -> SOFTMAX"),
    "### Comments",
    "`#` starts a comment that runs to the end of the line.",
    example("# LeNet-like, for MNIST\nINPUT 28x28      # one channel\nCONV5-6 POOL2    # 28x28x6, then 14x14x6\nFC-10 SOFTMAX"),
    "### Case",
    "Keywords, modifiers, argument names, block names, `def`, `RES` and `CAT` are case-insensitive: `conv3-64`, `Conv3-64` and `CONV3-64` are one layer. The reference writes layers in capitals, as the slides do.",
    example("input 28x28 conv3-8/S2 Conv(FILTERS=8, padding=VALID) maxpool2 fc-10 softmax"),
    "### A layer word",
    "A layer is a keyword, optionally followed by a glued number, a `-` value, a size after a space (INPUT), arguments in parentheses, and modifiers:",
    anatomy,
    "The long form names every argument: `CONV(filters=64, size=3, stride=2)` is `CONV3-64/s2`. Short and long forms can be mixed: `CONV3(filters=64)/s2`.",
    example("INPUT 227x227x3 CONV(filters=96, size=11, stride=4, pad=0) CONV3(filters=64)/s2"),
    "### Numbers and sizes",
    "Numbers are written `3`, `0.5`, `.5`, `1e-2` or `5e-4`; a minus sign is allowed inside arguments. Sizes are numbers joined by `x`: `224x224x3` (height x width x channels), `28x28`, `3x1`.",
  ].join("\n\n");
}

export function inputSection(): string {
  const bare = inputKind.settings(new Map()) as { shape: number[] };
  return [
    "## INPUT and INPUT1D",
    `Every network starts with its input. \`INPUT HxWxC\` is an image volume; \`INPUT HxW\` has one channel; \`INPUT N\` is a flat vector; a bare \`INPUT\` is ${code(bare.shape.join("x"))} (CIFAR-10, cs231n's running example). \`INPUT1D LxC\` is a sequence of length L with C channels (words as vectors, audio samples): the CONV and POOL layers after it are 1-D. \`TRAIN(...)\`, \`DEFAULTS(...)\` and \`def\` lines may come before the input.`,
    example("INPUT 32x32x3 CONV3-16"),
    example("INPUT 784 FC-100 FC-10 SOFTMAX"),
    example("INPUT1D 16000x1 CONV9-16/s4 POOL4 CONV9-32 GMP FC-10 SOFTMAX"),
    "A `?` stands for a size known only when the network runs: `INPUT ?x?x3` takes pictures of any height and width (`INPUT1D ?` sequences of any length). The table carries the `?` (and memory and multiply-adds that depend on it) until a global pool (`GAP`, `GMP`) gives one value per channel; a layer that needs the size, such as `FC` on a volume or `LOCAL`, is an error that says so. The channels must be known.",
    example("INPUT ?x?x3 CONV3-16 POOL2 CONV3-32 POOL2 GAP FC-10 SOFTMAX", { table: true }),
    errorExample("INPUT ?x?x3 CONV3-16 POOL2 FC-10"),
    "See [Input](#input-input-input1d) for the arguments.",
  ].join("\n\n");
}

export function repetitionSection(): string {
  return [
    "## Repetition",
    constructDocs.group.doc,
    `**Forms:** ${constructDocs.group.syntax.map(code).join(" · ")}`,
    "cs231n's pattern `INPUT -> [[CONV -> RELU]*N -> POOL?]*M -> [FC -> RELU]*K -> FC`, with N = 2, M = 3, K = 2, is written as it is on the slide (the bare CONV, POOL and FC take their [defaults](#bare-layers-and-their-defaults)):",
    example("INPUT -> [[CONV -> RELU]*2 -> POOL]*3 -> [FC -> RELU]*2 -> FC", { table: true }),
    "The RELU written after each CONV replaces the implied one (it is not applied twice), and the last FC has no activation: it gives the class scores.",
  ].join("\n\n");
}

export function branchesSection(): string {
  return [
    "## Branches",
    constructDocs.branches.doc,
    `**Form:** ${constructDocs.branches.syntax.map(code).join(" · ")}`,
    "GoogLeNet's inception module (3a): four branches of 64, 128, 32 and 32 channels make 256.",
    example("INPUT 28x28x192 { CONV1-64 | CONV1-96 CONV3-128 | CONV1-16 CONV5-32 | POOL3/s1/same CONV1-32 } GAP FC-10 SOFTMAX", { table: true }),
    "Pooling inside a branch needs `/same` (or a stride of 1 with padding) to keep the size; convolutions keep it by default.",
  ].join("\n\n");
}

export function skipSection(): string {
  return [
    "## Residual and dense connections: RES and CAT",
    `### ${constructDocs.res.title}: \`RES[...]\``,
    constructDocs.res.doc,
    "ResNet's basic block, twice, then a block that halves the size and doubles the depth (its shortcut is projected):",
    example("INPUT 56x56x64 [RES[CONV3-64 BN RELU CONV3-64 BN]]x2 RES[CONV3-128/s2 BN RELU CONV3-128 BN]", { table: true }),
    `### ${constructDocs.cat.title}: \`CAT[...]\``,
    constructDocs.cat.doc,
    "A DenseNet block of four layers with growth rate 32 (bottleneck 1x1 to 128, then 3x3 to 32): 64 + 4x32 = 192 channels.",
    example("INPUT 56x56x64 [CAT[BN RELU CONV1-128 BN RELU CONV3-32]]x4", { table: true }),
  ].join("\n\n");
}

export function auxSection(): string {
  return [
    "## Auxiliary heads: AUX",
    constructDocs.aux.doc,
    `**Forms:** ${constructDocs.aux.syntax.map(code).join(" · ")}`,
    "A small network with one side head after its first two convolutions (GoogLeNet's two heads are in the zoo as `googlenet-aux`):",
    example("INPUT 32x32x3 CONV3-16 POOL2 CONV3-32 POOL2\nAUX(weight=0.3)[ AVGPOOL2 CONV1-16 FC-64 FC-10 SOFTMAX ]\nCONV3-64 POOL2 GAP FC-10 SOFTMAX", { table: true }),
    errorExample("INPUT 32x32x3 CONV3-16 GAP FC-10 SOFTMAX AUX[ FC-10 SOFTMAX ]"),
  ].join("\n\n");
}

export function blocksSection(): string {
  return [
    "## Blocks: `def`",
    constructDocs.def.doc,
    `**Forms:** ${constructDocs.def.syntax.map(code).join(" · ")}`,
    example(
      [
        "def inception(a, b, c, d, e, f) = { CONV1-a | CONV1-b CONV3-c | CONV1-d CONV5-e | POOL3/s1/same CONV1-f }",
        "INPUT 28x28x192",
        "inception(64, 96, 128, 16, 32, 32)     # 3a: 28x28x256",
        "inception(128, 128, 192, 32, 96, 64)   # 3b: 28x28x480",
        "POOL3/s2/same",
      ].join("\n"),
    ),
    "The body is one element: a layer, a `[...]` group, a `{...}` or a `RES`/`CAT` block. Put several layers in brackets. Arguments may be named, and a parameter may be a repetition count:",
    example("def stage(n, k) = [[CONV3-n]*k POOL2]\nINPUT 32x32x3 stage(32, 2) stage(n=64, k=3) FC-10 SOFTMAX"),
  ].join("\n\n");
}

export function conventionsSection(): string {
  return [
    "## Conventions: activations and biases",
    "VGG's convention, which the slides assume, is built in:",
    [
      "- Every `CONV` and `FC` is followed by the network's activation (ReLU) unless an activation is written right after it; the written one replaces it (`CONV3-64 TANH` is conv then tanh, not conv, ReLU, tanh).",
      "- The last `CONV` or `FC` of the network has no activation unless one is written: it gives the class scores (`FC-1000 SOFTMAX` writes the softmax). The same holds for the last weight layer inside each `RES[...]` and `CAT[...]` body.",
      "- A `CONV` or `FC` followed by `BN` has no bias (batch norm's beta takes its place), and its activation moves after the BN: `CONV3-64 BN` is conv, BN, ReLU.",
      "- A `RES[...]` block gets the activation after the sum (ResNet's ReLU), unless one is written right after the `]`.",
      "- `LINEAR` written after a layer means no activation; `DEFAULTS(activation=...)` changes the implied one, `DEFAULTS(bias=false)` removes biases.",
    ].join("\n"),
    "The column *then* shows the activation applied to each layer's output:",
    example("INPUT 32x32x3 CONV3-16 CONV3-16 TANH CONV3-16 BN POOL2 RES[CONV3-16 CONV3-16] FC-64 LINEAR FC-10 SOFTMAX", { table: true }),
  ].join("\n\n");
}

export function outputSizeSection(): string {
  const rows = [1, 2, 3].map((s) => {
    const source = `INPUT 7x7x3 CONV3-8/s${s}/p0`;
    const result = checkNetwork(source);
    return [code(source), result.network ? code(result.network.outputShape.join("x")) : `error: ${result.diagnostics[0]!.message}`];
  });
  return [
    "## The output size",
    "Along each axis, a window of size F slid at stride S over an input of size N padded by P on both sides gives",
    fence("text", "output = (N - F + 2P)/S + 1"),
    "With a written pad (`/p1`, `pad=1`), this must be a whole number, as the lecture requires; otherwise the checker stops with the formula, its value and the strides or pads that fit:",
    table(["network", "output"], rows),
    errorExample("INPUT 7x7x3\nCONV3-8/s3/p0 POOL2"),
    table(
      ["written", "padding", "output size"],
      [
        ["`CONV3-64` (no pad written)", "zero padding that keeps the size at stride 1: P = (F - 1)/2 (TensorFlow's `same`)", "ceil(N/S)"],
        ["`CONV3-64/p1`, `pad=1`", "P as written; the result must be whole", "(N - F + 2P)/S + 1"],
        ["`CONV3-64/p1/floor`", "P as written, remainder dropped (PyTorch)", "floor((N - F + 2P)/S) + 1"],
        ["`CONV3-64/valid`", "none, remainder dropped (TensorFlow's `valid`)", "floor((N - F)/S) + 1"],
        ["`POOL2` (no pad written)", "none; the result must be whole", "(N - F)/S + 1"],
        ["`POOL2/same`", "partial windows at the border kept", "ceil(N/S)"],
      ],
    ),
    "With dilation D, the window's extent is D(F - 1) + 1 in place of F. Pooling an odd size by 2 needs a decision about the last row and column; the X-and-O slide keeps them (7x7 pooled to 4x4):",
    example("INPUT 7x7x3 POOL2/same"),
  ].join("\n\n");
}

export function bareDefaultsSection(): string {
  const network = mustCheck("INPUT -> CONV -> POOL -> FC");
  const shape = (inputKind.settings(new Map()) as { shape: number[] }).shape.join("x");
  return [
    "## Bare layers and their defaults",
    `A keyword written without numbers takes its defaults: a bare \`INPUT\` is ${code(shape)}; \`CONV\` is ${defaultOf(conv.arguments, "filters")} filters of ${defaultOf(conv.arguments, "size")}x${defaultOf(conv.arguments, "size")} at stride ${defaultOf(conv.arguments, "stride")}, size kept; \`POOL\` is ${defaultOf(pool.arguments, "size")}x${defaultOf(pool.arguments, "size")} max pooling at stride ${defaultOf(pool.arguments, "size")}; \`FC\` has ${defaultOf(dense.arguments, "units")} units (the ten CIFAR-10 classes). So cs231n's \`INPUT -> CONV -> POOL -> FC\` checks as written:`,
    example("INPUT -> CONV -> POOL -> FC", { table: true }),
    `Total: ${count(network.totals.params)} parameters. Every other argument's default is in the tables of [Layers](#layers).`,
  ].join("\n\n");
}

export function defaultsSection(): string {
  return [
    "## DEFAULTS(...)",
    constructDocs.defaults.doc,
    settingsTable(defaultsArguments),
    `Without it: activation ${code(standardDefaults.activation.fn)}, biases ${standardDefaults.bias ? "on" : "off"}, initialisation ${code(standardDefaults.init)}. LeNet-5 used tanh:`,
    example("DEFAULTS(activation=tanh)\nINPUT 32x32x1 CONV5-6/valid AVGPOOL2 CONV5-16/valid AVGPOOL2 FC-120 FC-84 FC-10 SOFTMAX", { table: true }),
  ].join("\n\n");
}

export function trainSection(): string {
  const alexnet = [
    "# AlexNet as the cs231n slide lists it, with its training details",
    "TRAIN(optimizer=sgd(momentum=0.9), lr=1e-2, schedule=plateau(factor=0.1, monitor=val_accuracy), weight_decay=5e-4, batch=128)",
    "INPUT 227x227x3",
    "CONV11-96/s4/p0 POOL3/2 NORM      # CONV1 55x55x96, POOL1 27x27x96, NORM1",
    "CONV5-256/p2 POOL3/2 NORM         # CONV2 27x27x256, POOL2 13x13x256, NORM2",
    "CONV3-384/p1 CONV3-384/p1 CONV3-256/p1 POOL3/2   # 13x13x384, 13x13x384, 13x13x256, 6x6x256",
    "FC-4096 DROPOUT0.5 FC-4096 DROPOUT0.5 FC-1000 SOFTMAX",
  ].join("\n");
  const training = mustCheck(alexnet).training;
  return [
    "## TRAIN(...)",
    constructDocs.train.doc,
    settingsTable(trainArguments),
    "The optimizer and the schedule may be calls with their own arguments: `sgd(lr=..., momentum=..., nesterov=true)`, `rmsprop(lr=..., decay=..., momentum=...)`, `adam(lr=..., beta1=..., beta2=...)`, `plateau(factor=..., patience=..., monitor=..., min_lr=...)`, `linear(final=..., steps=...)`, `early_stopping(patience=..., monitor=...)`.",
    "AlexNet's slide settings: SGD with momentum 0.9, learning rate 1e-2 divided by 10 when the validation accuracy plateaus, L2 weight decay 5e-4 (`weight_decay=5e-4`, the same as `l2=2.5e-4`), batch size 128, dropout 0.5:",
    example(alexnet, { table: true }),
    "The checker resolves `TRAIN(...)` into the network's `training` field:",
    fence("json", JSON.stringify(training, null, 2)),
  ].join("\n\n");
}

/** Fields of the checked network and of its rows; a test compares them with a real network. */
export const networkFields: Readonly<Record<string, string>> = {
  source: "the text that was checked",
  input: "the INPUT layer, as a checked layer",
  nodes: "everything after the input, in order: layers, branches (`{ | }`) and skips (`RES`/`CAT`) with their bodies nested",
  rows: "the flat table: one row per layer and per merge, a block's merge after its parts",
  totals: "`params` (auxiliary heads included), `auxiliaryParams` (those of AUX heads, dropped at inference), `trainableParams`, `nonTrainableParams`, `weights` (weights only, the cs231n table's convention), `biases`, `memory` (values in all outputs, input included, per example), `memoryBytes` (float32), `macs` (multiply-adds per example)",
  outputShape: "the shape of the last output",
  defaults: "the network-wide activation, bias and initialisation (see DEFAULTS)",
  training: "the resolved TRAIN(...) settings; absent when the text has none",
};

export const rowFields: Readonly<Record<string, string>> = {
  name: "the slide name: `CONV1`, `POOL1`, `NORM1`, `FC6`, `ADD1`, `CONCAT1`, `PROJ1` (a RES shortcut's projection)",
  kind: "the layer's kind (`conv`, `pool`, `dense` ..., one per section of [Layers](#layers)), `add`/`concat` for merges, `aux` for an auxiliary head's output",
  label: "the layer in the short notation, defaults left out: `CONV3-64`, `POOL3/s2`, `FC-4096`",
  depth: "0 at the top level, one more inside each branch or skip block",
  inputShape: "the shape coming in",
  outputShape: "the shape going out: `[h, w, c]`, `[length, c]` or `[n]`",
  weights: "weights (kernel entries)",
  biases: "biases (or batch norm's beta)",
  trainable: "weights + biases",
  nonTrainable: "stored but not trained: batch norm's moving mean and variance",
  params: "trainable + nonTrainable (Keras's total)",
  memory: "values in the output, per example (bytes at float32: 4x)",
  macs: "multiply-adds per example",
  receptiveField: "`size`: input positions one output value sees, per spatial axis, at most the input's size (every row is capped the same way); `jump`: input positions between neighbouring outputs; `whole: true` once it covers the whole input",
  activation: "the activation applied to the output, when there is one",
  formula: "how the parameters count, as the slides write them: `weights` `(3*3*3)*64`, `biases` `64` (and batch norm's `nonTrainable`)",
  node: "the checked node the row describes (layer, branches or skip)",
};

export function checkedNetworkSection(): string {
  return [
    "## The checked network",
    "`checkNetwork(text)` returns `{ network, ast, diagnostics }`: a network when the text checks, otherwise diagnostics, each with a `code`, a `span` (`offset`, `length`, `line`, `column`), a `message` and usually a `hint`. `formatDiagnostic(d, text)` prints one with the source line and a caret. The network's fields:",
    table(["field", "meaning"], Object.entries(networkFields).map(([k, v]) => [code(k), v])),
    "Each row of `rows` (a row also carries its node's own fields, such as a layer's `settings`):",
    table(["field", "meaning"], Object.entries(rowFields).map(([k, v]) => [code(k), v])),
  ].join("\n\n");
}

export function summaryJsonSection(): string {
  const source = "INPUT 8x8 CONV3x1-2/valid POOL2 FC-3";
  const summary = summaryJson(mustCheck(source));
  // One layer per line: the shape of the output is easier to see than with JSON.stringify's indent.
  const json = ['{"layers": [', summary.layers.map((l) => `  ${JSON.stringify(l)}`).join(",\n"), `], "totals": ${JSON.stringify(summary.totals)}}`].join("\n");
  return [
    "## `convnote summary --json`",
    "`convnote summary <text | zoo name | file.net> --json` prints the checked network as one JSON object, a stable format for scripts (keys are only ever added):",
    fence(
      "text",
      '{"layers":[{"name","kind","outputShape":[...],"weights","biases","params","trainable","memory","macs","receptiveField":{"size","jump"[,"whole"]}}, ...],\n "totals":{"params","trainableParams","nonTrainableParams","memory","memoryBytes","macs"}}',
    ),
    "One entry per row of the checked network (see above), in order. `receptiveField.size` and `.jump` are a number when they are equal on all spatial axes, and an array with one entry per axis otherwise. For",
    example(source),
    "it prints (on one line; broken here after each layer):",
    fence("json", json),
  ].join("\n\n");
}

export function grammarSection(): string {
  return [
    "## Grammar",
    "The parser (src/dsl/parser.ts, chevrotain) reads this grammar; [ConvNote.ebnf](ConvNote.ebnf) has it as a file and [diagrams.html](diagrams.html) draws one railroad diagram per rule (open it in a browser; it loads nothing from the network).",
    fence("ebnf", grammarEbnf()),
    "Tokens:",
    fence("ebnf", tokenEbnf),
    "The lexer reads `CONV3`, `FC4096` and `DROPOUT0.5` as single words; the layer registry, not the grammar, splits them into keyword and number, so a new layer kind never changes the grammar. Very deep nesting, and repetitions that unroll to more layers than the checker's limit, are refused with a `too-large` diagnostic.",
  ].join("\n\n");
}

/** A diagnostic as the reference shows it, for the introduction. */
export function sampleDiagnostic(): string {
  const source = "INPUT 28x28\nCONV5-6 POOOL2";
  const result = checkNetwork(source);
  return fence("text", result.diagnostics.map((d) => formatDiagnostic(d, source)).join("\n"));
}
