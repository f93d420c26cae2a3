// The reference of every layer kind, written from the registry (src/layers/registry.ts): title,
// keywords, forms, arguments with defaults, modifiers, documentation and checked examples. A kind
// added to the registry appears here at the next `convnote grammar-docs`.
import { modifierForms, modifierMeaning, modifiersFor, type ArgumentSpec } from "../layers/arguments.js";
import type { LayerKindDefinition } from "../layers/kind.js";
import { layerKinds, type LayerSettings } from "../layers/registry.js";
import { code, example, table } from "./markdown.js";

type Definition = LayerKindDefinition<LayerSettings>;

const typeText: Record<ArgumentSpec["type"], string> = {
  int: "whole number",
  ints: "whole number, or one per axis (`2x1`)",
  fraction: "number from 0 up to 1",
  number: "number",
  boolean: "true/false (yes/no, on/off, 1/0)",
  word: "word",
  shape: "size (`224x224x3`)",
};

function argumentType(spec: ArgumentSpec): string {
  if (spec.type === "word" && spec.choices) return `one of ${spec.choices.map(code).join(", ")}`;
  return typeText[spec.type];
}

/** "the number glued to the keyword sets size; after '-': filters" ... from suffix/dash/operand. */
function shortForms(definition: Definition): string[] {
  const out: string[] = [];
  if (definition.suffix) out.push(`a number glued to the keyword sets ${code(definition.suffix)}`);
  if (definition.dash) out.push(`a value after ${code("-")} sets ${code(definition.dash)}`);
  if (definition.operand) out.push(`a size or number after a space sets ${code(definition.operand)}`);
  return out;
}

export function layerSection(definition: Definition): string {
  const keywords = definition.keywords.map((k) => k.word);
  const presetNames = new Set(definition.keywords.flatMap((k) => Object.keys(k.preset ?? {})));
  const specs = definition.arguments;
  const modifiers = modifiersFor(specs);
  const forms = shortForms(definition);
  const parts = [
    `### ${definition.title}: ${keywords.map(code).join(", ")}`,
    table(
      ["keyword", "meaning"],
      definition.keywords.map((k) => [code(k.word), k.summary]),
    ),
    definition.doc,
    `**Forms:** ${definition.syntax.map(code).join(" · ")}`,
  ];
  if (forms.length > 0) parts.push(`In the short form, ${forms.join("; ")}.`);
  if (specs.length > 0) {
    const longForm = definition.syntax.find((s) => s.includes("("));
    parts.push(
      `**Arguments**${longForm ? ` (by name inside parentheses, e.g. ${code(longForm)})` : ""}:`,
      table(
        ["name", "type", "meaning", "default"],
        specs.map((s) => [code(s.name), argumentType(s), s.doc + (presetNames.has(s.name) ? " (set by the keyword)" : ""), s.defaultText ?? "-"]),
      ),
    );
  } else {
    parts.push(`${keywords.map(code).join(", ")} takes no arguments.`);
  }
  parts.push(modifiers.length > 0 ? `**Modifiers:** ${modifiers.map((m) => code(m.written)).join(" ")} (see [Modifiers](#modifiers)).` : "**Modifiers:** none.");
  parts.push("**Examples:**", ...definition.examples.map((e) => example(e)));
  return parts.join("\n\n");
}

export function layerReference(): string {
  return layerKinds.map(layerSection).join("\n\n");
}

/** The modifiers, what each sets, and which keywords take it (all read from the registry). */
export function modifierTable(): string {
  const rows = modifierForms.map(({ written, samples }) => {
    const meaning = modifierMeaning(samples[0]!)!;
    const takers = layerKinds.filter((k) => k.arguments.some((a) => a.name === meaning.argument)).flatMap((k) => k.keywords.filter((w) => !(w.preset && meaning.argument in w.preset)).map((w) => w.word));
    const value = written.includes("N") ? "N (or `HxW`, one per axis)" : code(String(meaning.value));
    return [code(written), `${code(meaning.argument)} = ${value}`, takers.map(code).join(", ")];
  });
  return table(["modifier", "sets", "taken by"], rows);
}
