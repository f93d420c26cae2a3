// The one list of layer kinds. The parser's elaboration, the checker, the compiler, the tables,
// the diagram, completion and the reference docs all read it: a new kind is one file in this
// folder and one line here.
import { activation } from "./activation.js";
import type { ArgumentValue } from "./arguments.js";
import { augment } from "./augment.js";
import { batchNorm } from "./batch-norm.js";
import { conv } from "./conv.js";
import { deconv } from "./deconv.js";
import { dense } from "./dense.js";
import { depthwise } from "./depthwise.js";
import { dropout } from "./dropout.js";
import { embed } from "./embed.js";
import { flatten } from "./flatten.js";
import { globalPool } from "./global-pool.js";
import { input } from "./input.js";
import { local } from "./local.js";
import type { KeywordSpec, LayerKindDefinition } from "./kind.js";
import { lrn } from "./lrn.js";
import { maxout } from "./maxout.js";
import { pool } from "./pool.js";
import { separable } from "./separable.js";
import { upsample } from "./upsample.js";

/** In the order the reference lists them (INPUT first). */
const definitions = [
  input,
  augment,
  embed,
  conv,
  depthwise,
  separable,
  deconv,
  local,
  pool,
  upsample,
  globalPool,
  dense,
  flatten,
  dropout,
  batchNorm,
  lrn,
  maxout,
  activation,
] as const;

type SettingsOf<D> = D extends LayerKindDefinition<infer S> ? S : never;

/** The settings of any layer, told apart by `kind`. */
export type LayerSettings = SettingsOf<(typeof definitions)[number]>;
export type LayerKind = LayerSettings["kind"];

// Each definition is typed by its own settings; in the list they share the union (method
// parameters are bivariant, so a LayerKindDefinition<ConvSettings> is one of these).
export const layerKinds: readonly LayerKindDefinition<LayerSettings>[] = definitions;

const byKind = new Map(layerKinds.map((k) => [k.kind, k]));

export function kindDefinition(kind: LayerKind): LayerKindDefinition<LayerSettings> {
  return byKind.get(kind)!;
}

export interface KeywordMatch {
  definition: LayerKindDefinition<LayerSettings>;
  keyword: KeywordSpec;
  /** The number glued to the keyword: "3" of CONV3, "2x1" of CONV2x1, "0.5" of DROPOUT0.5. */
  suffix?: ArgumentValue;
}

const keywordsLongestFirst = layerKinds
  .flatMap((definition) => definition.keywords.map((keyword) => ({ definition, keyword })))
  .sort((a, b) => b.keyword.word.length - a.keyword.word.length);

export const allKeywords: readonly string[] = keywordsLongestFirst.map((k) => k.keyword.word).sort();

/** Splits a word such as `CONV3`, `CONV2x1`, `FC4096`, `DROPOUT0.5` into keyword and number. */
export function matchKeyword(word: string): KeywordMatch | undefined {
  const upper = word.toUpperCase();
  for (const { definition, keyword } of keywordsLongestFirst) {
    if (!upper.startsWith(keyword.word)) continue;
    const rest = upper.slice(keyword.word.length);
    if (rest === "") return { definition, keyword };
    if (definition.suffix === undefined) continue;
    if (/^\d+(X\d+)+$/.test(rest)) return { definition, keyword, suffix: rest.split("X").map(Number) };
    if (/^(\d+(\.\d*)?|\.\d+)$/.test(rest)) return { definition, keyword, suffix: Number(rest) };
  }
  return undefined;
}
