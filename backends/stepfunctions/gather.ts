/**
 * How a Parallel state hands its branches' step results back to the flow, in
 * bytes that grow with its number of branches only (not with the number of
 * results kept so far): the first branch returns its whole state, the others
 * their `$.steps`, and one field merges the `steps` objects. A shallow
 * `States.JsonMerge` is enough: branches write disjoint step ids, and the
 * results from before the Parallel are the same in every branch.
 */
import type { Json } from "./asl.js";

/** Intrinsic functions one field may hold (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html). */
export const INTRINSICS_PER_FIELD = 10;

/** Branches one gathering Parallel may have: one JsonMerge per branch after the first. */
export const GATHER_BRANCHES = INTRINSICS_PER_FIELD + 1;

/** `States.JsonMerge` over the first branch's `steps` and every other branch's output. */
export function mergeChain(branches: number): string {
  let expr = "$[0].steps";
  for (let k = 1; k < branches; k++) expr = `States.JsonMerge(${expr}, $[${k}], false)`;
  return expr;
}

/**
 * The ResultSelector of a gathering Parallel (whose result replaces the state: no ResultPath): the
 * state's other top-level keys (`keys`, e.g. params, const) from the first
 * branch, and the merged step results.
 */
export function gatherSelector(branches: number, keys: string[]): { [k: string]: Json } {
  const sel: { [k: string]: Json } = {};
  for (const k of keys) if (k !== "steps") sel[`${k}.$`] = `$[0].${k}`;
  sel["steps.$"] = mergeChain(branches);
  return sel;
}

/** Whether a ResultSelector is one `gatherSelector` wrote for this many branches. */
export function isGatherSelector(sel: unknown, branches: number): boolean {
  if (sel === null || typeof sel !== "object" || Array.isArray(sel)) return false;
  const entries = Object.entries(sel as Record<string, unknown>);
  return (
    (sel as Record<string, unknown>)["steps.$"] === mergeChain(branches) &&
    entries.every(([k, v]) => k === "steps.$" || (/^[A-Za-z_][A-Za-z0-9_]*\.\$$/.test(k) && v === `$[0].${k.slice(0, -2)}`))
  );
}
