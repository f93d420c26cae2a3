// The zoo: classic networks written in the ConvNote language, with their published parameter counts.
import { alexnet, alexnet2gpu } from "./alexnet.js";
import { densenet121 } from "./densenet.js";
import type { ZooEntry } from "./entry.js";
import { googlenet, googlenetAux } from "./googlenet.js";
import { lenet5 } from "./lenet.js";
import { resnetEntries } from "./resnet.js";
import { vggEntries } from "./vgg.js";
import { xoEntries } from "./xo.js";
import { zfnet } from "./zfnet.js";

export type { PublishedCount, ZooEntry } from "./entry.js";

/** In the order of the lecture: small to large, then by year. */
export const zoo: readonly ZooEntry[] = [...xoEntries, lenet5, alexnet, alexnet2gpu, zfnet, ...vggEntries, googlenet, googlenetAux, ...resnetEntries, densenet121];

/** `VGG-16`, `vgg_16` and `vgg16` are one name: case, spaces, dashes, underscores and dots ignored. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, "");
}

const byName = new Map<string, ZooEntry>();
for (const entry of zoo) {
  for (const name of [entry.name, ...entry.aliases]) byName.set(normalize(name), entry);
}

/** The entry with this name or alias (case-insensitive: `VGG16`, `vgg-d`, `ResNet-50`), or undefined. */
export function findZooEntry(name: string): ZooEntry | undefined {
  return byName.get(normalize(name.trim()));
}

/** Every name and alias, for completion and "did you mean" hints. */
export function zooNames(): string[] {
  return zoo.flatMap((entry) => [entry.name, ...entry.aliases]);
}
