/**
 * The bytes of a definition as deploy sends it (JSON.stringify, no
 * indentation), counted state by state: the same number as measuring the
 * whole text, and on the way each state's own bytes without its Parallel
 * branches, which the split weighs steps by (one serialization of a large
 * machine instead of two).
 */
import type { Definition, State, States } from "./asl.js";

/** Each state's own bytes (its JSON without `Branches`), for the machines measured so far. */
const ownBytes = new WeakMap<State, number>();

const utf8 = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), "utf8");

/** `"key":` */
const keyBytes = (k: string): number => utf8(k) + 1;

/**
 * Bytes of an object whose member `key` is counted by `inner`: the rest's
 * bytes, a comma when the rest has members, the key and the member's bytes.
 */
function withMember(o: object, key: string, inner: number): number {
  const rest: Record<string, unknown> = {};
  for (const k in o) if (k !== key) rest[k] = (o as Record<string, unknown>)[k];
  const bytes = utf8(rest);
  // "{}" is the empty object: its members are only the one counted apart.
  return bytes + (bytes > 2 ? 1 : 0) + keyBytes(key) + inner;
}

function stateBytes(st: State): number {
  const branches = st.Branches as unknown as Array<{ States: States }> | undefined;
  if (!branches) {
    const bytes = utf8(st);
    ownBytes.set(st, bytes);
    return bytes;
  }
  let list = 2 + Math.max(0, branches.length - 1);
  for (const b of branches) list += withMember(b, "States", statesBytes(b.States));
  const rest: Record<string, unknown> = {};
  for (const k in st) if (k !== "Branches") rest[k] = st[k];
  const own = utf8(rest);
  ownBytes.set(st, own);
  return own + (own > 2 ? 1 : 0) + keyBytes("Branches") + list;
}

function statesBytes(states: States): number {
  let bytes = 2;
  let n = 0;
  for (const name in states) bytes += (n++ ? 1 : 0) + keyBytes(name) + stateBytes(states[name]);
  return bytes;
}

/** Buffer.byteLength(JSON.stringify(def)), counted state by state. */
export function definitionBytes(def: Definition): number {
  return withMember(def, "States", statesBytes(def.States));
}

/** A measured state's JSON bytes without its branches (undefined for a state of a machine not measured). */
export const stateOwnBytes = (st: State): number | undefined => ownBytes.get(st);
