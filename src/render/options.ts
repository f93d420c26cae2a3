/** Option merging shared by every render: `(data, options = {})` with defaults from one constant. */

/**
 * Defaults overlaid with the options the caller actually set. Unlike a plain spread, an option
 * passed as `undefined` keeps its default, so renders can forward optional settings unchanged.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as D & O;
}
