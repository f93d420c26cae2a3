// What every layer kind declares: everything the language, the checker, the compiler, the tables,
// the diagram, completion and the reference need to know about it. One kind is one file of this
// folder plus one line in registry.ts.
import type { tf } from "../backend/tf.js";
import type { LayerBuildContext } from "../compile/parts.js";
import type { DiagnosticCode } from "../dsl/diagnostics.js";
import type { ActivationSettings } from "./activation.js";
import type { ArgumentSpec, ArgumentValue, ResolvedArguments } from "./arguments.js";
import type { Shape } from "./shape.js";

/** One word that names the kind, with the arguments it fixes (`AVGPOOL` fixes mode=avg). */
export interface KeywordSpec {
  word: string;
  summary: string;
  preset?: Record<string, ArgumentValue>;
}

/**
 * How the layer sees space, for the receptive field: a window, everything, one position, or an
 * upsampling by `factor` in which each output sees `ceil(kernel/factor)` inputs (DECONV, UPSAMPLE).
 */
export type Reach =
  | { type: "window"; kernel: number[]; stride: number[]; dilation: number[] }
  | { type: "upsample"; factor: number[]; kernel: number[] }
  | { type: "global" }
  | { type: "pointwise" };

/**
 * How the parameters count, as the slides write them: `(3*3*3)*64` weights, `64` biases. Each
 * formula multiplies out to its count; the tables print `(3*3*3)*64 + 64 = 1,792`.
 */
export interface ParameterFormula {
  weights?: string;
  biases?: string;
  nonTrainable?: string;
}

export interface Inference {
  output: Shape;
  weights: number;
  biases: number;
  /** Values that are stored but not trained (batch norm's moving mean and variance). */
  nonTrainable: number;
  /** Multiply-adds per example. */
  macs: number;
  reach: Reach;
  formula?: ParameterFormula;
  /** The layer flattens a volume first (FC on a volume). */
  flattensInput?: boolean;
}

export interface KindError {
  code: DiagnosticCode;
  message: string;
  hint?: string;
}

export type InferResult = { ok: true; value: Inference } | ({ ok: false } & KindError);

/**
 * VGG's convention, per kind. `implied`: the layer is followed by the network's activation (ReLU)
 * unless one is written right after it, the last such layer of the network has none, and batch
 * norm right after it takes its bias and its activation (CONV, FC and the other weight layers).
 * `written`: an activation written right after it is applied to its output in the same row (BN).
 * `is-one`: the layer is itself the nonlinearity (MAXOUT), so the weight layer before it gets none.
 * `none`: an activation written after it is a layer of its own.
 */
export interface KindConventions {
  activation: "implied" | "written" | "is-one" | "none";
  /** The settings have `bias: boolean | undefined`, filled by the convention (no bias before BN). */
  bias: boolean;
}

/** How the slides name a layer: CONV1, FC6 (weight layers share one count, as AlexNet's), POOL2. */
export interface SlideName<Settings> {
  prefix(settings: Settings): string;
  count: "weight-layers" | "own";
}

/** What a kind compiles: the checked layer (src/shapes/network.ts), seen with its own settings type. */
export interface LayerOf<Settings> {
  /** The slide name (CONV1); the tfjs layers are named after it. */
  name: string;
  settings: Settings;
  inputShape: Shape;
  outputShape: Shape;
  /** The activation on the output, when there is one. */
  activation?: ActivationSettings;
  flattensInput: boolean;
}

export interface LayerKindDefinition<Settings extends { kind: string }> {
  kind: Settings["kind"];
  title: string;
  /** Reference text (Markdown) for docs and Shift-Tab inspection. */
  doc: string;
  keywords: KeywordSpec[];
  /** Forms, e.g. `CONVk-n`, `CONV(filters=n, size=k)`. */
  syntax: string[];
  /** Complete example networks or fragments that check. */
  examples: string[];
  arguments: ArgumentSpec[];
  /** The argument set by a number glued to the keyword (`CONV3`, `FC4096`, `DROPOUT0.5`). */
  suffix?: string;
  /** The argument set after a dash (`CONV3-64`, `FC-4096`). */
  dash?: string;
  /** The argument set by a size or number after a space (`INPUT 28x28`). */
  operand?: string;
  naming: SlideName<Settings>;
  conventions: KindConventions;
  /** Typed settings from validated arguments, or an error about their combination. */
  settings(args: ResolvedArguments): Settings | KindError;
  /** Output shape, parameters, multiply-adds and reach on this input, or why it cannot be. */
  infer(settings: Settings, input: Shape): InferResult;
  /** The layer in the short notation, e.g. `CONV3-64/s2`. */
  label(settings: Settings): string;
  /** The tfjs layers that compute it, in order (none for INPUT). */
  compile(layer: LayerOf<Settings>, ctx: LayerBuildContext): tf.layers.Layer[];
  /** The tfjs layer applies the network's activation itself when tfjs knows it by name (`activation: "relu"`). */
  fusesActivation?(settings: Settings): boolean;
  /**
   * The kind reads the network's input itself (EMBED its token ids, AUGMENT its pictures): it must
   * be the first layer after an input of this form, else `message` and `hint` at the layer.
   */
  readsInput?: { input: "image" | "sequence"; message: string; hint: string };
  /** Drawn in the architecture diagram, in this colour; left out when absent (BN, dropout, activations). */
  diagram?: { colour: string };
}

export function isKindError<S>(value: S | KindError): value is KindError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

/** A layer that keeps its input's shape and has no parameters. */
export function keepsShape(input: Shape): InferResult {
  return { ok: true, value: { output: input, weights: 0, biases: 0, nonTrainable: 0, macs: 0, reach: { type: "pointwise" } } };
}
