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

/** Bytes of `o` without its member `key`. */
function without(o: object, key: string): number {
  const rest: Record<string, unknown> = {};
  for (const k in o) if (k !== key) rest[k] = (o as Record<string, unknown>)[k];
  return utf8(rest);
}

/** Bytes of an object of `rest` bytes with a member `key` of `inner` bytes added (after a comma, unless the rest is `{}`). */
const joined = (rest: number, key: string, inner: number): number => rest + (rest > 2 ? 1 : 0) + keyBytes(key) + inner;

function stateBytes(st: State): number {
  const branches = st.Branches as unknown as Array<{ States: States }> | undefined;
  const own = branches ? without(st, "Branches") : utf8(st);
  ownBytes.set(st, own);
  if (!branches) return own;
  let list = 2 + Math.max(0, branches.length - 1);
  for (const b of branches) list += joined(without(b, "States"), "States", statesBytes(b.States));
  return joined(own, "Branches", list);
}

function statesBytes(states: States): number {
  let bytes = 2;
  let n = 0;
  for (const name in states) bytes += (n++ ? 1 : 0) + keyBytes(name) + stateBytes(states[name]);
  return bytes;
}

/** Buffer.byteLength(JSON.stringify(def)), counted state by state. */
export function definitionBytes(def: Definition): number {
  return joined(without(def, "States"), "States", statesBytes(def.States));
}

/** A measured state's JSON bytes without its branches (undefined for a state of a machine not measured). */
export const stateOwnBytes = (st: State): number | undefined => ownBytes.get(st);
