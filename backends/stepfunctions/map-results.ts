/**
 * How a map's results are kept in our own machines, written by lower.ts and
 * read back by the lifter: each iteration ends at a Pass whose output is the
 * map's `result` (under `value`), and the Map state keeps the list of them
 * under the step's `results`.
 */
import type { Json, State } from "./asl.js";
import { member } from "./intrinsics.js";

/** The key under which an iteration's last Pass holds its result. */
export const RESULT_KEY = "value";

/** The iteration's last state: its output is the result. */
export function resultPass(parameters: { [k: string]: Json }): State {
  return { Type: "Pass", Parameters: parameters, OutputPath: `$.${RESULT_KEY}`, End: true };
}

export function isResultPass(st: Record<string, unknown>): boolean {
  return st.Type === "Pass" && st.OutputPath === `$.${RESULT_KEY}` && st.Parameters !== null && typeof st.Parameters === "object";
}

/** The Map state's ResultSelector that keeps the list under `results`. */
export const RESULTS_SELECTOR: { [k: string]: Json } = { "results.$": "$" };

/** The Map state's fields that keep the list under the step (a step id: a safe JSONPath key). */
export function keptResults(stepId: string): { ResultSelector: { [k: string]: Json }; ResultPath: string } {
  return { ResultSelector: RESULTS_SELECTOR, ResultPath: `$.steps${member(stepId)}` };
}
