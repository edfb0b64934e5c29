/**
 * The state data Step Functions passes from state to state is at most
 * 256 KiB. A foreach step keeps every copy's result there, so one of
 * thousands of copies can pass it: estimated from what each copy's
 * ResultSelector keeps (its keys, and each value read by a path counted as
 * `PATH_VALUE_BYTES`, about a job name).
 */
import type { Json } from "./asl.js";

/** What a value read by a path is counted as: a generated job name is 40 to 60 characters. */
export const PATH_VALUE_BYTES = 40;

/** About how many bytes a result selected this way holds in the state data (minified JSON). */
export function selectedBytes(sel: Json): number {
  if (Array.isArray(sel)) return 2 + sel.reduce<number>((a, x, i) => a + (i ? 1 : 0) + selectedBytes(x), 0);
  if (sel === null || typeof sel !== "object") return Buffer.byteLength(JSON.stringify(sel));
  let n = 2;
  let first = true;
  for (const [k, v] of Object.entries(sel)) {
    const path = k.endsWith(".$");
    n += (first ? 0 : 1) + Buffer.byteLength(JSON.stringify(path ? k.slice(0, -2) : k)) + 1 + (path ? PATH_VALUE_BYTES : selectedBytes(v));
    first = false;
  }
  return n;
}
