/**
 * Target settings (`targets: { <target>: {...} }`) merged into a target's
 * output, by one rule for every backend: pipeline settings first, then the
 * step's; objects merge key by key (recursively); anything else (strings,
 * numbers, lists, null, and objects the backend writes as values) replaces
 * what was there; new keys come after the generated ones.
 */
type Json = unknown;

/** A plain map (not a list, and not a value object such as a backend's typed float). */
function isObject(x: Json): x is Record<string, Json> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** `isValue`: maps a backend writes as values (SageMaker's `{"Get": ...}`), replaced whole like any other value. */
export function deepMerge<T>(base: T, over: Json, isValue: (x: Json) => boolean = () => false): T {
  if (!isObject(base) || !isObject(over) || isValue(base) || isValue(over)) return over as T;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v, isValue) : v;
  return out as T;
}
