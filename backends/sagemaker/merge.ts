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

/** The functions a definition writes as one-key objects: each such object is a value. */
const FUNCTIONS = new Set(["Get", "Std:Join", "Std:JsonGet"]);
const isFunction = (x: unknown): boolean => isObject(x) && Object.keys(x).length === 1 && FUNCTIONS.has(Object.keys(x)[0]);

/** A setting that is a function (`{"Std:JsonGet": ...}`) replaces the generated value whole, a function or not. */
export function deepMerge(base: Py, over: Py): Py {
  return mergeSettings(base, over, isFunction);
}
