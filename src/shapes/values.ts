// AST values to argument values, checked against an argument's spec. Block parameters are
// substituted here, so `CONV1-a` inside `def f(a) = ...` gets the caller's number.
import { closestNames, diagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import type { Argument, Value } from "../dsl/ast.js";
import type { Span } from "../dsl/span.js";
import type { ArgumentSpec, ArgumentValue } from "../layers/arguments.js";

/** Block parameters in scope: lower-case name to the value written at the call. */
export type Environment = ReadonlyMap<string, Value>;

export const emptyEnvironment: Environment = new Map();

/** Follows block parameters until a written value. */
export function substitute(value: Value, env: Environment): Value {
  if (value.type === "name") {
    const bound = env.get(value.name.toLowerCase());
    if (bound) return bound;
  }
  return value;
}

function describe(value: Value): string {
  switch (value.type) {
    case "number":
      return String(value.value);
    case "dims":
      return value.values.map((v) => (Number.isFinite(v) ? String(v) : "?")).join("x");
    case "name":
      return value.name;
    case "call":
      return `${value.name}(...)`;
  }
}

const booleanWords: Record<string, boolean> = { true: true, yes: true, on: true, false: false, no: false, off: false };

/** The value for `spec`, or a diagnostic that says what the argument takes. */
export function convertValue(raw: Value, spec: ArgumentSpec, env: Environment, owner: string): ArgumentValue | Diagnostic {
  const value = substitute(raw, env);
  const bad = (what: string, hint?: string) =>
    diagnostic("bad-argument", raw.span, `${owner}'s ${spec.name} must be ${what}, not ${describe(value)}`, hint ?? spec.doc);
  const min = spec.min ?? 1;
  const isWhole = (x: number) => Number.isInteger(x) && x >= min;
  if (value.type === "name" && spec.type !== "word" && spec.type !== "boolean") {
    return diagnostic("bad-argument", raw.span, `unknown name '${value.name}' for ${owner}'s ${spec.name}`, env.size > 0 ? `the block's parameters are ${[...env.keys()].join(", ")}` : `write a number: ${spec.doc}`);
  }
  switch (spec.type) {
    case "int":
      return value.type === "number" && isWhole(value.value) ? value.value : bad(`a whole number of at least ${min}`);
    case "ints":
      if (value.type === "number" && isWhole(value.value)) return value.value;
      if (value.type === "dims" && value.values.every(isWhole)) return value.values;
      return bad(`a whole number (or one per axis, such as 2x1) of at least ${min}`);
    case "fraction":
      return value.type === "number" && value.value >= 0 && value.value < 1 ? value.value : bad("a number from 0 up to (not including) 1");
    case "number":
      return value.type === "number" ? value.value : bad("a number");
    case "shape":
      if (value.type === "number" && isWhole(value.value)) return [value.value];
      if (value.type === "dims" && value.values.every((v) => isWhole(v) || (spec.unknown === true && Number.isNaN(v)))) return value.values;
      return bad("a size such as 224x224x3");
    case "boolean": {
      if (value.type === "number" && (value.value === 0 || value.value === 1)) return value.value === 1;
      if (value.type === "name" && value.name.toLowerCase() in booleanWords) return booleanWords[value.name.toLowerCase()]!;
      return bad("true or false");
    }
    case "word": {
      if (value.type !== "name") return bad(`one of ${spec.choices?.join(", ")}`);
      const lower = value.name.toLowerCase();
      if (spec.choices && !spec.choices.includes(lower)) {
        const close = closestNames(lower, spec.choices);
        return bad(`one of ${spec.choices.join(", ")}`, close.length > 0 ? `did you mean ${close.join(" or ")}?` : undefined);
      }
      return lower;
    }
  }
}

export function isDiagnostic(value: unknown): value is Diagnostic {
  return typeof value === "object" && value !== null && "code" in value && "span" in value;
}

/** Named arguments' values, each with where its value is written (where a diagnostic about it points). */
export type Named = Map<string, { value: ArgumentValue; span: Span }>;

/** Named arguments checked against specs; diagnostics for unknown or ill-typed ones. */
export function namedArguments(args: Argument[], specs: readonly ArgumentSpec[], owner: string, diagnostics: Diagnostic[], calls: Map<string, Value & { type: "call" }> = new Map()): Named {
  const out: Named = new Map();
  for (const arg of args) {
    if (arg.name === undefined) {
      diagnostics.push(diagnostic("bad-argument", arg.span, `${owner} takes named arguments`, `write name=value; ${owner} knows ${specs.map((s) => s.name).join(", ")}`));
      continue;
    }
    const name = arg.name.toLowerCase();
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const close = closestNames(name, specs.map((s) => s.name));
      diagnostics.push(diagnostic("unknown-argument", arg.span, `${owner} has no argument '${arg.name}'`, close.length > 0 ? `did you mean ${close.join(" or ")}?` : `it knows ${specs.map((s) => s.name).join(", ")}`));
      continue;
    }
    if (arg.value.type === "call" && (spec.type === "word" || spec.name === "early_stopping")) {
      calls.set(name, arg.value);
      out.set(name, { value: arg.value.name.toLowerCase(), span: arg.value.span });
      continue;
    }
    const value = convertValue(arg.value, spec, emptyEnvironment, owner);
    if (isDiagnostic(value)) diagnostics.push(value);
    else out.set(name, { value, span: arg.value.span });
  }
  return out;
}

/** A named argument's number, if it was written. */
export const numberOf = (named: Named, name: string): number | undefined => {
  const v = named.get(name)?.value;
  return typeof v === "number" ? v : undefined;
};

