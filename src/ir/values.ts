/** Small helpers over IR values. */
import type { FailStep, PathSegment, Pos, ScalarType, Value } from "./types.js";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** The plain JSON of a value made only of literals, lists and maps; else undefined. */
export function literalOf(v: Value): Json | undefined {
  switch (v.kind) {
    case "literal":
      return v.value;
    case "list": {
      const out: Json[] = [];
      for (const x of v.items) {
        const j = literalOf(x);
        if (j === undefined) return undefined;
        out.push(j);
      }
      return out;
    }
    case "map": {
      const out: Record<string, Json> = {};
      for (const [k, x] of Object.entries(v.entries)) {
        const j = literalOf(x);
        if (j === undefined) return undefined;
        out[k] = j;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A literal string value, if `v` is one. */
export function literalString(v: Value | undefined): string | undefined {
  return v && v.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
}

export function lit(value: string | number | boolean | null, pos: Pos, type?: ScalarType): Value {
  const t: ScalarType | undefined =
    type ?? (typeof value === "string" ? "string" : typeof value === "boolean" ? "boolean" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "float") : undefined);
  return t ? { kind: "literal", value, type: t, pos } : { kind: "literal", value, pos };
}

/** Wrap plain JSON as an IR value (all nodes at `pos`). */
export function fromJson(j: Json, pos: Pos): Value {
  if (Array.isArray(j)) return { kind: "list", items: j.map((x) => fromJson(x, pos)), pos };
  if (j !== null && typeof j === "object") {
    return { kind: "map", entries: Object.fromEntries(Object.entries(j).map(([k, x]) => [k, fromJson(x, pos)])), pos };
  }
  return lit(j, pos);
}

/** Negative zero as zero: targets spell it differently (`0`, `-0.0`), so the IR holds one spelling. */
export function withoutNegativeZero<T>(x: T): T {
  return (x === 0 ? 0 : x) as T;
}

/** Whether an IR member is a source position (`pos`, or `<field>_pos` for one field's own place). */
export function isPositionEntry(key: string, value: unknown): boolean {
  return (key === "pos" || key.endsWith("_pos")) && isPos(value);
}

/** A copy of any IR structure without its positions (for `switchyard ir` and comparisons). */
export function stripPositions<T>(x: T): T {
  if (Array.isArray(x)) return x.map(stripPositions) as T;
  if (x !== null && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (!isPositionEntry(k, v)) out[k] = stripPositions(v);
    return out as T;
  }
  return x;
}

/** JSON.stringify(stripPositions(x)) without the copy (a 10,000-step pipeline's copy is over a hundred megabytes of garbage). */
export function positionFreeJson(x: unknown): string {
  return JSON.stringify(x, (k, v) => (isPositionEntry(k, v) ? undefined : v));
}

/** A `Pos` (as opposed to a user's map entry that happens to be called `pos`). */
export function isPos(x: unknown): x is Pos {
  if (x === null || typeof x !== "object") return false;
  const keys = Object.keys(x);
  return keys.length === 3 && keys.includes("col") && keys.includes("file") && keys.includes("line");
}

/** The error name before `: ` in a fail step's text: what `failText` writes, read back. */
const NAMED = /^([A-Za-z_][A-Za-z0-9_.]*): ([\s\S]*)$/;

/** A fail step's text where a target has no error names: `<error>: <message>`, or the message. */
export function failText(s: FailStep): Value {
  if (!s.error) return s.message;
  const text = (v: Value) => (v.kind === "literal" && typeof v.value === "string" ? v.value : undefined);
  const [error, message] = [text(s.error), text(s.message)];
  // Both written out: one text, as a reader of the generated file would write it.
  if (error !== undefined && message !== undefined) return { kind: "literal", value: `${error}: ${message}`, type: "string", pos: s.message.pos };
  return { kind: "join", parts: [s.error, { kind: "literal", value: ": ", type: "string", pos: s.error.pos }, s.message], pos: s.message.pos };
}

/** `failText` read back: a text that begins `<Name>: ` is that error and the rest of the message. */
export function fromFailText(text: Value): { message: Value; error?: Value } {
  const first = text.kind === "join" ? text.parts[0] : text;
  const m = first?.kind === "literal" && typeof first.value === "string" ? NAMED.exec(first.value) : null;
  if (!m || first?.kind !== "literal") return { message: text };
  const error: Value = { kind: "literal", value: m[1], type: "string", pos: first.pos };
  const head: Value = { ...first, value: m[2] };
  if (text.kind !== "join") return { message: head, error };
  const parts = [...(m[2] ? [head] : []), ...text.parts.slice(1)];
  return { message: parts.length === 1 ? parts[0] : { ...text, parts }, error };
}

/** The value at key `k` of a value known part by part (a map, a list, set()/object() of a key, a reference one key deeper), or undefined when nothing there can be named. */
export function readKey(v: Value, k: PathSegment): Value | undefined {
  if (v.kind === "map") return typeof k === "string" ? v.entries[k] : undefined;
  if (v.kind === "list") return typeof k === "number" ? v.items[k] : undefined;
  if (v.kind === "call" && (v.fn === "set" || v.fn === "object")) {
    const [obj, key, val] = v.fn === "set" ? v.args : [undefined, v.args[0], v.args[1]];
    if (key.kind !== "literal") return undefined;
    if (key.value === k) return val;
    return obj && readKey(obj, k);
  }
  if (v.kind === "ref") {
    const r = v.ref;
    if ((r.scope === "execution" && r.name === "input") || (r.scope === "steps" && (r.attr === "response" || r.attr === "results" || r.attr === "item")) || r.scope === "item") return { ...v, ref: { ...r, path: [...r.path, k] } } as Value;
  }
  return undefined;
}
