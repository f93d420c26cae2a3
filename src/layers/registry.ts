// The one list of layer kinds. The checker, the compiler, completion and the reference docs read it.
import { activation, type ActivationSettings } from "./activation.js";
import type { ArgumentValue } from "./arguments.js";
import { conv, type ConvSettings } from "./conv.js";
import { dense, type DenseSettings } from "./dense.js";
import { globalPool, type GlobalPoolSettings } from "./global-pool.js";
import { input, type InputSettings } from "./input.js";
import type { KeywordSpec, LayerKindDefinition } from "./kind.js";
import { pool, type PoolSettings } from "./pool.js";
import { batchNorm, dropout, flatten, lrn, type BatchNormSettings, type DropoutSettings, type FlattenSettings, type LrnSettings } from "./simple.js";

export type LayerSettings =
  | InputSettings
  | ConvSettings
  | PoolSettings
  | GlobalPoolSettings
  | DenseSettings
  | FlattenSettings
  | DropoutSettings
  | BatchNormSettings
  | LrnSettings
  | ActivationSettings;

// Each definition is typed by its own settings; in the list they share the union (method
// parameters are bivariant, so a LayerKindDefinition<ConvSettings> is one of these).
export const layerKinds: readonly LayerKindDefinition<LayerSettings>[] = [input, conv, pool, globalPool, dense, flatten, dropout, batchNorm, lrn, activation];

export function kindDefinition(kind: LayerSettings["kind"]): LayerKindDefinition<LayerSettings> {
  return layerKinds.find((k) => k.kind === kind)!;
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
