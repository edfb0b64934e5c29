/**
 * The lift's own proof: the lifted pipeline is lowered again and compared with
 * the original definition. Differences that do not change what the service does
 * (a Std:Join spelled with a separator, a cache expiry spelled `30d`, a disabled
 * CacheConfig, a DependsOn the data references already imply) are warnings
 * naming their JSON path; any other difference is an error, so a lift that
 * succeeds always re-lowers to a definition that does the same thing.
 */
import { isDeepStrictEqual } from "node:util";
import { error, warning, type Diagnostic } from "../../../src/diagnostics.js";
import { pointer } from "./jsonpos.js";
import { normaliseJoins } from "./residual.js";
import { parseIsoDuration, RETRY_DEFAULTS } from "./steps.js";
import { posAt, type LiftCtx } from "./values.js";
import { API_DEFAULTS } from "../../../src/aws/api-defaults.js";

type J = Record<string, unknown>;
const isObj = (x: unknown): x is J => x !== null && typeof x === "object" && !Array.isArray(x);
const isJoin = (x: unknown): boolean => isObj(x) && Object.keys(x).length === 1 && isObj(x["Std:Join"]);
const show = (x: unknown): string => (x === undefined ? "nothing" : JSON.stringify(x));

function compare(c: LiftCtx, a: unknown, b: unknown, path: Array<string | number>, out: Diagnostic[]): void {
  if (isDeepStrictEqual(a, b)) return;
  const ptr = pointer(path);
  const at = posAt(c, ptr);
  const last = path[path.length - 1];
  if (isJoin(a) && !isJoin(b) && isDeepStrictEqual(normaliseJoins(a), b)) {
    out.push(warning(at, `the Std:Join of one value at JSON path ${ptr} is written as that value (a string, or a step property that is a string already)`, { code: "lift-respelled" }));
    return;
  }
  if (isJoin(a) && isDeepStrictEqual(normaliseJoins(a), normaliseJoins(b))) {
    out.push(warning(at, `the Std:Join at JSON path ${ptr} is written with On "" and its separators inside the values (the same string)`, { code: "lift-respelled" }));
    return;
  }
  if (last === "CacheConfig" && isObj(a) && a.Enabled === false && b === undefined) {
    out.push(warning(at, `the disabled CacheConfig at JSON path ${ptr} is left out (the step is not cached either way)`, { code: "lift-respelled" }));
    return;
  }
  if (last === "ExpireAfter" && typeof a === "string" && typeof b === "string" && parseIsoDuration(a) === parseIsoDuration(b)) {
    out.push(warning(at, `the cache expiry '${a}' at JSON path ${ptr} is written '${b}' (the same duration)`, { code: "lift-respelled" }));
    return;
  }
  if (last === "DependsOn" && Array.isArray(a) && (b === undefined || Array.isArray(b)) && ((b as unknown[] | undefined) ?? []).every((x) => a.includes(x))) {
    const dropped = a.filter((x) => !((b as unknown[] | undefined) ?? []).includes(x));
    out.push(warning(at, `DependsOn ${dropped.map((d) => `'${String(d)}'`).join(", ")} at JSON path ${ptr} is left out: the step's data references already order it after ${dropped.length > 1 ? "those steps" : "that step"}`, { code: "lift-respelled" }));
    return;
  }
  if (last === "ExceptionType" && Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x))) {
    out.push(warning(at, `the exception types at JSON path ${ptr} are written in another order (the same set)`, { code: "lift-respelled" }));
    return;
  }
  if (a === undefined && typeof last === "string" && last in API_DEFAULTS && b === API_DEFAULTS[last]) {
    out.push(warning(at, `${last} at JSON path ${ptr} is written out as the API's default, ${JSON.stringify(b)}`, { code: "lift-respelled" }));
    return;
  }
  if (a === undefined && path[path.length - 3] === "RetryPolicies" && typeof last === "string" && last in RETRY_DEFAULTS && b === RETRY_DEFAULTS[last as keyof typeof RETRY_DEFAULTS]) {
    out.push(warning(at, `the retry policy's ${last} at JSON path ${ptr} is written out as the service's default, ${String(b)}`, { code: "lift-respelled" }));
    return;
  }
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) compare(c, a[k], b[k], [...path, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => compare(c, x, b[i], [...path, i], out));
    return;
  }
  out.push(error(at, `lowering the lifted pipeline again writes ${show(b)} at JSON path ${ptr || "/"} where the definition has ${show(a)}; not lifted, so nothing changes silently`, { code: "lift-roundtrip" }));
}

export function roundTrip(c: LiftCtx, original: unknown, relowered: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  compare(c, original, relowered, [], out);
  return out;
}
