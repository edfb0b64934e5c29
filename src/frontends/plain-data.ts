/**
 * What a pipeline tree must be before the schema sees it: plain data every
 * target can hold. Shared by the YAML and TypeScript readers, so both refuse
 * the same things at the same places.
 */
import { error, type Diagnostic } from "../diagnostics.js";
import { parseDuration } from "../ir/duration.js";
import { INPUT_LIMITS } from "./limits.js";
import type { PNode } from "./pnode.js";

/** Keys that would change an object's prototype where a map becomes a JavaScript object. */
const FORBIDDEN_KEYS = new Set(["__proto__"]);

/**
 * Step ids no target may take: dunder names are Python's own (`__file__`,
 * `__name__`), and the Airflow DAG names a variable after every step.
 */
const RESERVED_STEP_ID = /^__.*__$/;

/** The longest duration anything runs on any target (a Step Functions Standard execution lasts at most a year). */
export const MAX_DURATION_SECONDS = 365 * 86400;

/** Where durations sit in the tree: `*` any key, `#` any list index. */
const DURATION_PATHS: ReadonlyArray<readonly string[]> = [
  ["defaults", "timeout"],
  ["defaults", "retry", "interval"],
  ["defaults", "retry", "#", "interval"],
  ["steps", "*", "timeout"],
  ["steps", "*", "cache"],
  ["steps", "*", "estimate"],
  ["steps", "*", "retry", "interval"],
  ["steps", "*", "retry", "#", "interval"],
  ["steps", "*", "spot", "max_wait"],
];

function isDurationPath(path: ReadonlyArray<string | number>): boolean {
  // Most values sit elsewhere: decided without trying every pattern.
  if (path.length < 2 || path.length > 5 || (path[0] !== "steps" && path[0] !== "defaults")) return false;
  // Loops, not closures: this runs for every scalar of every step.
  for (const pat of DURATION_PATHS) {
    if (pat.length !== path.length) continue;
    let i = 0;
    for (; i < pat.length; i++) {
      const seg = pat[i];
      if (seg === "*" ? typeof path[i] !== "string" : seg === "#" ? typeof path[i] !== "number" : seg !== path[i]) break;
    }
    if (i === pat.length) return true;
  }
  return false;
}

export function checkPlainData(root: PNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (n: PNode, path: Array<string | number>): void => {
    if (path.length > INPUT_LIMITS.maxDepth) {
      out.push(error(n.pos, `the pipeline nests deeper than ${INPUT_LIMITS.maxDepth} levels`, { code: "input-too-deep" }));
      return;
    }
    if (n.t === "map") {
      for (const [k, v] of n.entries) {
        if (FORBIDDEN_KEYS.has(k)) {
          out.push(error(v.keyPos ?? v.pos, `the key '${k}' is not allowed`, { code: "key-forbidden", hint: "it would change the prototype of an object, not add a key" }));
          continue;
        }
        if (path.length === 1 && path[0] === "steps" && RESERVED_STEP_ID.test(k)) {
          out.push(error(v.keyPos ?? v.pos, `step id '${k}' is reserved: names that start and end with '__' belong to Python`, { code: "name-reserved" }));
        }
        path.push(k);
        walk(v, path);
        path.pop();
      }
      return;
    }
    if (n.t === "seq") {
      n.items.forEach((it, i) => {
        path.push(i);
        walk(it, path);
        path.pop();
      });
      return;
    }
    if (n.ir !== undefined) return;
    const v = n.value;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) {
        out.push(error(n.pos, `a number must be finite, not ${v}`, { code: "number-not-finite", hint: "numbers are at most about 1.8e308 in size; .inf and .nan are not numbers any target holds" }));
        return;
      }
      if (!n.float && !Number.isSafeInteger(v)) {
        out.push(error(n.pos, `the integer ${v} is too large to be kept exact (at most ${Number.MAX_SAFE_INTEGER})`, { code: "number-too-large", hint: "write it as a string or a float" }));
        return;
      }
    }
    if ((typeof v === "number" || typeof v === "string") && isDurationPath(path)) {
      const seconds = parseDuration(v);
      if (seconds !== undefined && seconds > MAX_DURATION_SECONDS) {
        out.push(error(n.pos, `the duration ${JSON.stringify(v)} is longer than any target runs (at most 365d)`, { code: "duration-too-long" }));
      }
    }
  };
  walk(root, []);
  return out;
}
