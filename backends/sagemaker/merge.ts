/**
 * Target settings (`targets.sagemaker.settings`) merged into a step's
 * `Arguments`. The rule: pipeline settings first, then the step's; objects merge
 * key by key (recursively), anything else (strings, numbers, lists, null)
 * replaces what was there; a new key is appended after the generated ones.
 */
import type { Py } from "./pyjson.js";
import { PyFloat } from "./pyjson.js";

function isObject(x: unknown): x is Record<string, Py> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof PyFloat);
}

/** Plain JSON settings as serializable values (numbers stay as JSON had them). */
export function fromSettings(x: unknown): Py {
  if (Array.isArray(x)) return x.map(fromSettings);
  if (isObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fromSettings(v)]));
  return x as Py;
}

export function deepMerge(base: Py, over: Py): Py {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, Py> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}
