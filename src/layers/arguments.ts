// Layer arguments: one spec per argument, shared by the short form (`CONV3-64/s2`), the long form
// (`CONV(filters=64, size=3, stride=2)`), the reference docs and completion.

export type ArgumentType =
  /** A whole number >= `min` (default 1). */
  | "int"
  /** A whole number or one per spatial axis: `3` or `2x1`. */
  | "ints"
  /** 0 <= x < 1. */
  | "fraction"
  | "number"
  | "boolean"
  /** One of `choices`. */
  | "word"
  /** A size such as 224x224x3, or one number. */
  | "shape";

export interface ArgumentSpec {
  name: string;
  type: ArgumentType;
  doc: string;
  /** Shown in docs; the value used when the argument is not written. */
  defaultText?: string;
  choices?: readonly string[];
  min?: number;
}

export type ArgumentValue = number | number[] | string | boolean;

/** Arguments after parsing, modifiers and block-parameter substitution; validated against specs. */
export type ResolvedArguments = Map<string, ArgumentValue>;

export function getNumber(args: ResolvedArguments, name: string): number | undefined {
  const value = args.get(name);
  return typeof value === "number" ? value : undefined;
}

export function getInts(args: ResolvedArguments, name: string): number[] | undefined {
  const value = args.get(name);
  if (typeof value === "number") return [value];
  return Array.isArray(value) ? value : undefined;
}

export function getWord(args: ResolvedArguments, name: string): string | undefined {
  const value = args.get(name);
  return typeof value === "string" ? value : undefined;
}

export function getBoolean(args: ResolvedArguments, name: string): boolean | undefined {
  const value = args.get(name);
  return typeof value === "boolean" ? value : undefined;
}

/** A modifier such as `/s2`, mapped to the argument it sets. */
export interface ModifierMeaning {
  argument: string;
  value: ArgumentValue;
}

const modifierWords: Record<string, ModifierMeaning> = {
  same: { argument: "padding", value: "same" },
  valid: { argument: "padding", value: "valid" },
  floor: { argument: "rounding", value: "floor" },
  bias: { argument: "bias", value: true },
  nobias: { argument: "bias", value: false },
};

const modifierLetters: Record<string, string> = { s: "stride", p: "pad", d: "dilation" };

/**
 * The meaning of a bare modifier (`/s2`, `/p0`, `/d2`, `/2`, `/same`, `/valid`, `/floor`,
 * `/nobias`); undefined when it means nothing.
 */
export function modifierMeaning(text: string): ModifierMeaning | undefined {
  const lower = text.toLowerCase();
  const word = modifierWords[lower];
  if (word) return word;
  if (/^\d+(x\d+)*$/.test(lower)) return { argument: "stride", value: parseInts(lower) };
  const match = /^([spd])(\d+(?:x\d+)*)$/.exec(lower);
  if (match) return { argument: modifierLetters[match[1]!]!, value: parseInts(match[2]!) };
  return undefined;
}

function parseInts(text: string): number | number[] {
  const parts = text.split("x").map(Number);
  return parts.length === 1 ? parts[0]! : parts;
}

/** The modifiers a kind accepts, for docs and completion. */
export function modifiersFor(specs: readonly ArgumentSpec[]): string[] {
  const names = new Set(specs.map((s) => s.name));
  const out: string[] = [];
  if (names.has("stride")) out.push("/sN");
  if (names.has("pad")) out.push("/pN");
  if (names.has("dilation")) out.push("/dN");
  if (names.has("padding")) out.push("/same", "/valid");
  if (names.has("rounding")) out.push("/floor");
  if (names.has("bias")) out.push("/bias", "/nobias");
  return out;
}
