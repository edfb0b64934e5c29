/**
 * Target settings (`targets.sagemaker.settings`) merged into a step's
 * `Arguments`, by the shared rule (src/backend/settings.ts): pipeline settings
 * first, then the step's.
 */
import { deepMerge as mergeSettings } from "../../src/backend/settings.js";
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
  return mergeSettings(base, over);
}
