// What every layer kind declares. The registry (registry.ts) lists the kinds; the parser's
// elaboration, the shape checker, completion, the reference docs and the compiler all read it.
import type { ArgumentSpec, ArgumentValue, ResolvedArguments } from "./arguments.js";
import type { Shape } from "./shape.js";
import type { DiagnosticCode } from "../dsl/diagnostics.js";

export type LayerKind =
  | "input"
  | "conv"
  | "pool"
  | "global-pool"
  | "dense"
  | "flatten"
  | "dropout"
  | "batch-norm"
  | "lrn"
  | "activation";

/** One word that names the kind, with the arguments it fixes (`AVGPOOL` fixes mode=avg). */
export interface KeywordSpec {
  word: string;
  summary: string;
  preset?: Record<string, ArgumentValue>;
}

/** How the layer sees space, for the receptive field: a window, everything, or one position. */
export type Reach = { type: "window"; kernel: number[]; stride: number[]; dilation: number[] } | { type: "global" } | { type: "pointwise" };

export interface Inference {
  output: Shape;
  weights: number;
  biases: number;
  /** Values that are stored but not trained (batch norm's moving mean and variance). */
  nonTrainable: number;
  /** Multiply-adds per example. */
  macs: number;
  reach: Reach;
  /** `(3*3*3)*64`: how the weights count, as the slides write it. */
  weightsFormula?: string;
  /** The dense layer flattens a volume first. */
  flattensInput?: boolean;
}

export interface KindError {
  code: DiagnosticCode;
  message: string;
  hint?: string;
}

export type InferResult = { ok: true; value: Inference } | ({ ok: false } & KindError);

export interface LayerKindDefinition<Settings> {
  kind: LayerKind;
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
  /** Convolution and fully connected layers: they get the implied activation (VGG's convention). */
  isWeightLayer: boolean;
  /** Typed settings from validated arguments, or an error about their combination. */
  settings(args: ResolvedArguments): Settings | KindError;
  infer(settings: Settings, input: Shape): InferResult;
  /** The layer in the short notation, e.g. `CONV3-64/s2`. */
  label(settings: Settings): string;
}

export function isKindError<S>(value: S | KindError): value is KindError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}
