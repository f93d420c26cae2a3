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
  /** A size may be written `?`, known only when the network runs (INPUT ?x?x3). */
  unknown?: boolean;
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

/** One way to write a modifier: `/sN` sets stride; `/same` sets padding to same. */
export interface ModifierForm {
  written: string;
  argument: string;
  /** `s` of `/s2`: the letter before the number; absent for words and the bare `/2`. */
  letter?: string;
  /** The value a word sets (`/nobias`: false). */
  value?: ArgumentValue;
  /** How it is typically written, for completion and the reference. */
  samples: string[];
}

/** Every modifier, in the order the reference and completion list them. */
export const modifierForms: readonly ModifierForm[] = [
  { written: "/sN", argument: "stride", letter: "s", samples: ["s2"] },
  { written: "/N", argument: "stride", samples: ["2"] },
  { written: "/pN", argument: "pad", letter: "p", samples: ["p0", "p1"] },
  { written: "/dN", argument: "dilation", letter: "d", samples: ["d2"] },
  { written: "/gN", argument: "groups", letter: "g", samples: ["g2"] },
  { written: "/tN", argument: "tiles", letter: "t", samples: ["t2"] },
  { written: "/same", argument: "padding", value: "same", samples: ["same"] },
  { written: "/valid", argument: "padding", value: "valid", samples: ["valid"] },
  { written: "/floor", argument: "rounding", value: "floor", samples: ["floor"] },
  { written: "/bias", argument: "bias", value: true, samples: ["bias"] },
  { written: "/nobias", argument: "bias", value: false, samples: ["nobias"] },
];

/**
 * The meaning of a bare modifier (`/s2`, `/p0`, `/d2`, `/g2`, `/2`, `/same`, `/valid`, `/floor`,
 * `/nobias`); undefined when it means nothing.
 */
export function modifierMeaning(text: string): ModifierMeaning | undefined {
  const lower = text.toLowerCase();
  const word = modifierForms.find((f) => f.value !== undefined && f.written === `/${lower}`);
  if (word) return { argument: word.argument, value: word.value! };
  if (/^\d+(x\d+)*$/.test(lower)) return { argument: "stride", value: parseInts(lower) };
  const match = /^([a-z])(\d+(?:x\d+)*)$/.exec(lower);
  const form = match && modifierForms.find((f) => f.letter === match[1]);
  if (form) return { argument: form.argument, value: parseInts(match[2]!) };
  return undefined;
}

function parseInts(text: string): number | number[] {
  const parts = text.split("x").map(Number);
  return parts.length === 1 ? parts[0]! : parts;
}

/** The modifiers a kind accepts (`/sN`, `/same` ...), for docs, completion and hints. */
export function modifiersFor(specs: readonly ArgumentSpec[]): ModifierForm[] {
  const names = new Set(specs.map((s) => s.name));
  return modifierForms.filter((f) => f.written !== "/N" && names.has(f.argument));
}
