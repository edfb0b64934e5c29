/**
 * Data known part by part, read and written one key at a time: a map's
 * entries, `set()`/`object()` of a key, a reference read one key deeper. What
 * ResultPath writes below a value known only as a whole (a step's response,
 * the run's input) is `set()` of the one key, the others kept, as Step
 * Functions merges it.
 */
import type { PathSegment, Pos, Value } from "../../../src/ir/types.js";
import { readKey } from "../../../src/ir/values.js";
import { lit, objectExpr } from "./merge.js";


/** `v` with `value` at the keys `segs`; missing objects on the way are created, as ResultPath does. */
export function setKey(v: Value | undefined, segs: PathSegment[], value: Value): Value | undefined {
  if (!segs.length) return value;
  const [k, ...rest] = segs;
  if (typeof k !== "string") return undefined;
  if (v === undefined || v.kind === "map") {
    const inner = setKey(v?.entries[k], rest, value);
    return inner && { kind: "map", entries: { ...(v?.entries ?? {}), [k]: inner }, pos: v?.pos ?? value.pos };
  }
  // Below a value known only as a whole: set() of the one key (an object built from parts written as object()).
  const below = readKey(v, k);
  if (!below && v.kind !== "call") return undefined;
  const inner = setKey(below, rest, value);
  const written = inner?.kind === "map" ? objectExpr(inner) : inner;
  return written && { kind: "call", fn: "set", args: [v, lit(k, value.pos), written], pos: value.pos };
}

/**
 * A map written into the run's input at `over` (ResultPath below a key of
 * it), as one value: the input's object there with each key set. Objects
 * ResultPath wrote through (`merged`, paths from where `rel` is) are the
 * input's objects with keys set in turn; other maps were written whole.
 */
export function mergedOver(v: Extract<Value, { kind: "map" }>, over: PathSegment[], merged: ReadonlySet<string>, rel: PathSegment[], pos: Pos): Value | undefined {
  let acc: Value = { kind: "ref", ref: { scope: "execution", name: "input", path: over }, pos };
  for (const [k, x] of Object.entries(v.entries)) {
    const through = x.kind === "map" && merged.has(JSON.stringify([...rel, k]));
    const val = x.kind === "map" ? (through ? mergedOver(x, [...over, k], merged, [...rel, k], pos) : objectExpr(x)) : x;
    if (!val || val.kind === "list" || val.kind === "join") return undefined;
    acc = { kind: "call", fn: "set", args: [acc, lit(k, pos), val], pos };
  }
  return acc;
}
