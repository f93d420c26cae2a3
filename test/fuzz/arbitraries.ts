// Random inputs for the property tests, built from the language itself: its keywords, argument
// names and modifiers (read from the registry), its punctuation, numbers and sizes.
import fc from "fast-check";
import { layerKinds, allKeywords } from "../../src/layers/registry.js";
import { defaultsArguments, settingsStatements } from "../../src/shapes/defaults.js";
import { trainArguments } from "../../src/train/settings.js";
import { zoo } from "../../src/zoo/index.js";
import { realNetworks } from "./networks.js";

const punctuation = ["->", "-", ",", "/", "*", "=", "|", "[", "]", "{", "}", "(", ")", "#", "\n", " ", "\t", "\r\n"];
const numbers = ["0", "1", "2", "3", "7", "64", "4096", "0.5", ".5", "1.", "1e-2", "5e-4", "1e400", "99999999999", "-1", "x3", "X2", "x0"];
const sizes = ["28x28", "224x224x3", "2x1", "0x0", "1x1x1x1", "3X3", "99999x99999x3"];
const words = ["def", "RES", "CAT", "res", "a", "n", "same", "valid", "floor", "nobias", "s2", "p1", "d2", "true", "sgd", "plateau", "inception", "x"];

const argumentNames = [
  ...new Set([...layerKinds.flatMap((k) => k.arguments.map((a) => a.name)), ...trainArguments.map((a) => a.name), ...defaultsArguments.map((a) => a.name)]),
];

/** Every token the language knows, with some glued forms (`CONV3-64`, `filters=`, `/s2`). */
export const vocabulary: readonly string[] = [
  ...allKeywords,
  ...allKeywords.map((k) => k.toLowerCase()),
  ...settingsStatements,
  ...argumentNames,
  ...argumentNames.map((a) => `${a}=`),
  ...punctuation,
  ...numbers,
  ...sizes,
  ...words,
  "CONV3-64",
  "POOL3/2",
  "FC-10",
  "DROPOUT0.5",
  "LRELU0.1",
  "INPUT 28x28",
  "/s2",
  "/same",
  "]x3",
  "]*2",
];

/** Up to 40 tokens of the language, joined by nothing, a space or a newline. */
export function tokenSoup(): fc.Arbitrary<string> {
  const piece = fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom("", " ", " ", "\n"));
  return fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.map(([token, gap]) => token + gap).join(""));
}

type Edit = { kind: "insert"; at: number; text: string } | { kind: "delete"; at: number; length: number } | { kind: "swap"; at: number } | { kind: "duplicate"; at: number; length: number };

const insertions = fc.oneof(
  fc.constantFrom(...punctuation, ...numbers, "x", "X", "0", "9", "-", ".", "e", "_", "%", "\u00e9", "\u{1F600}", "\u0000"),
  fc.constantFrom(...vocabulary),
  fc.string({ maxLength: 3 }),
);

function edit(): fc.Arbitrary<Edit> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ kind: fc.constant("insert" as const), at, text: insertions }),
    fc.record({ kind: fc.constant("delete" as const), at, length: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant("swap" as const), at }),
    fc.record({ kind: fc.constant("duplicate" as const), at, length: fc.integer({ min: 1, max: 12 }) }),
  );
}

function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.kind) {
    case "insert":
      return text.slice(0, at) + e.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + e.length);
    case "swap":
      return at + 1 < text.length ? text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2) : text;
    case "duplicate":
      return text.slice(0, at + e.length) + text.slice(at, at + e.length) + text.slice(at + e.length);
  }
}

/** One of `seeds` with one to eight random character edits. */
export function withEdits(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit(), { minLength: 1, maxLength: 8 })).map(([seed, edits]) => edits.reduce(applyEdit, seed));
}

/** The networks that mutations start from: the zoo's texts and the constructs of networks.ts. */
export function sampleNetworks(): readonly string[] {
  return [...realNetworks, ...zoo.map((entry) => entry.source)];
}

/** Small layers of every construct, so that random chains of them check and build quickly. */
const smallLayers = [
  "CONV3-4", "CONV1-4", "CONV5-2/valid", "CONV3-4/s2", "CONV3-4/d2", "CONV3-4/nobias", "CONV2x1-3", "DWCONV3", "SEPCONV3-4",
  "DECONV2-4/s2", "UPSAMPLE2", "LOCAL3-2", "POOL2", "POOL3/2", "POOL2/same", "AVGPOOL2", "DROPOUT0.5", "BN", "NORM", "RELU",
  "LRELU0.1", "PRELU", "ELU", "ELU0.5", "SIGMOID", "TANH", "SOFTPLUS", "LINEAR", "MAXOUT2", "RES[CONV3-4 BN]", "RES[CONV3-4/s2]",
  "CAT[CONV3-2]", "{ CONV1-2 | CONV3-2 | POOL3/s1/same }", "[CONV3-4 POOL2/same]x2",
];
/** What ends a network: global pooling, flattening, dense layers and what follows them. */
const smallHeads = ["GAP", "GMP", "FLATTEN", "FC-8", "FC-3", "DROPOUT0.5", "BN", "RELU", "PRELU", "ELU0.5", "SOFTMAX", "MAXOUT2", "LINEAR", "RES[FC-8]"];
const smallInputs = ["INPUT 8x8", "INPUT 12x12x3", "INPUT 9x9x2", "INPUT 16", "INPUT1D 10x4", "INPUT ?x?x3"];

/**
 * An INPUT, up to five layers of the small constructs above or any keyword of the language bare
 * (with its defaults, so a kind added to the registry is in the mix at once), then up to four
 * layers of a head.
 */
export function smallNetworks(): fc.Arbitrary<string> {
  const layer = fc.oneof({ arbitrary: fc.constantFrom(...smallLayers), weight: 4 }, { arbitrary: fc.constantFrom(...allKeywords), weight: 1 });
  const parts = fc.tuple(fc.constantFrom(...smallInputs), fc.array(layer, { maxLength: 5 }), fc.array(fc.constantFrom(...smallHeads), { maxLength: 4 }));
  return parts.map(([input, body, head]) => [input, ...body, ...head].join(" "));
}
