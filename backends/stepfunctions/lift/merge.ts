/**
 * `States.JsonMerge(object, other, false)` read back as `set()` calls: the
 * other object's keys, each set on the first in order. The other object is a
 * literal (or `States.StringToJson` of literal text), or JSON text that
 * `States.Format` writes with values spliced in, as render.ts does for a map
 * holding expressions.
 */
import type { Pos, Value } from "../../../src/ir/types.js";
import { fromJson } from "../../../src/ir/values.js";
import { formatParts, type Intrinsic } from "./intrinsic.js";

/** How a caller lifts one intrinsic argument, or says why not. */
export interface MergeReader {
  lift(n: Intrinsic): Value | undefined;
  refuse(why: string): undefined;
}

/** Marks a spliced value in the template's JSON text; templates never hold U+0000 (render.ts keeps control characters out). */
const MARK = "\u0000";

export function liftMerge(n: Extract<Intrinsic, { t: "call" }>, pos: Pos, r: MergeReader): Value | undefined {
  const [target, other, deep] = n.args;
  if (n.args.length !== 3 || deep.t !== "bool") return r.refuse("States.JsonMerge takes two objects and true or false");
  if (deep.value) return r.refuse("States.JsonMerge with a deep merge (true) has no IR equivalent: set() replaces a key's value whole");
  const base = r.lift(target);
  const entries = objectOf(other, pos, r);
  if (!base || !entries) return undefined;
  if (!entries.length) return r.refuse("States.JsonMerge with an empty object changes nothing and has no IR equivalent");
  // The expression language joins text only in a field's own text, not inside a function's argument.
  if (entries.some(([k, v]) => k.kind === "join" || v.kind === "join")) return r.refuse("a key or value of the object States.JsonMerge merges is text built from parts, which a pipeline expression cannot write inside set()");
  return entries.reduce<Value>((acc, [k, v]) => ({ kind: "call", fn: "set", args: [acc, k, v], pos }), base);
}

type Entry = [Value, Value];

/** An object built from parts as an expression: object() of its first key, set() of each other (nested objects alike). */
export function objectExpr(v: Extract<Value, { kind: "map" }>): Value | undefined {
  return entriesExpr(Object.entries(v.entries).map(([k, x]) => [lit(k, v.pos), x]), v.pos);
}

function entriesExpr(entries: Entry[], pos: Pos): Value | undefined {
  const inner = entries.map(([k, x]): Entry | undefined => {
    const value = x.kind === "map" ? objectExpr(x) : x;
    // The expression language writes no list or text of parts inside a function's argument.
    return value && value.kind !== "list" && value.kind !== "join" && k.kind !== "join" ? [k, value] : undefined;
  });
  if (!inner.length || inner.some((e) => !e)) return undefined;
  const [[k0, v0], ...rest] = inner as Entry[];
  return rest.reduce<Value>((acc, [k, x]) => ({ kind: "call", fn: "set", args: [acc, k, x], pos }), { kind: "call", fn: "object", args: [k0, v0], pos });
}

/** `States.StringToJson(States.Format('{"k": ...}', ...))`: an object of keys and values, as object() and set(). */
export function liftObject(n: Extract<Intrinsic, { t: "call" }>, pos: Pos, r: MergeReader): Value | undefined {
  const inner = n.args[0];
  if (n.args.length !== 1 || inner?.t !== "call" || inner.name !== "States.Format" || inner.args[0]?.t !== "str") return undefined;
  const entries = formatted(inner, pos, r);
  if (!entries) return undefined;
  return entriesExpr(entries, pos) ?? r.refuse("the object States.StringToJson reads holds text built from parts or a list, which a pipeline expression cannot write inside a function");
}

function objectOf(n: Intrinsic, pos: Pos, r: MergeReader): Entry[] | undefined {
  const inner = n.t === "call" && n.name === "States.StringToJson" && n.args.length === 1 ? n.args[0] : undefined;
  if (inner?.t === "call" && inner.name === "States.Format" && inner.args[0]?.t === "str") return formatted(inner, pos, r);
  // A literal map, written out or kept as JSON text; or an object a Pass built (a step's values Pass, render.ts).
  const v = r.lift(n);
  if (!v) return undefined;
  const entries = keyedEntries(v);
  if (!entries) return r.refuse("States.JsonMerge merges an object known only at run time; the IR sets keys one by one (set()) and needs them written out");
  const held = entries.map(([k, x]): Entry | undefined => {
    const value = x.kind === "map" ? objectExpr(x) : x;
    return value ? [k, value] : undefined;
  });
  if (held.some((e) => !e)) return r.refuse("a value of the object States.JsonMerge merges is an object holding a list or text built from parts, which set() cannot take whole");
  return held as Entry[];
}

/** The keys of an object whose keys are known: a map, or object() and set() of keys written out over it; in order. */
function keyedEntries(v: Value): Entry[] | undefined {
  const outer: Entry[] = [];
  let cur = v;
  while (cur.kind === "call" && cur.fn === "set" && cur.args[1].kind === "literal") {
    outer.push([cur.args[1], cur.args[2]]);
    cur = cur.args[0];
  }
  let inner: Entry[];
  if (cur.kind === "map") inner = Object.entries(cur.entries).map(([k, x]) => [lit(k, cur.pos), x]);
  else if (cur.kind === "call" && cur.fn === "object" && cur.args[0].kind === "literal") inner = [[cur.args[0], cur.args[1]]];
  else return undefined;
  return [...inner, ...outer.reverse()];
}

/** JSON text with values spliced in: placeholders become marked strings, parsed, then put back. */
function formatted(n: Extract<Intrinsic, { t: "call" }>, pos: Pos, r: MergeReader): Entry[] | undefined {
  const tpl = formatParts((n.args[0] as { raw: string }).raw);
  if (!tpl || tpl.length !== n.args.length) return r.refuse("a States.Format template whose placeholders do not match its arguments");
  // Each spliced value: written as JSON text (States.JsonToString) or as plain text, and where.
  const values: Array<{ v: Value; json: boolean; outside: boolean }> = [];
  let text = tpl[0];
  for (let i = 1; i < tpl.length; i++) {
    const arg = n.args[i];
    const json = arg.t === "call" && arg.name === "States.JsonToString" && arg.args.length === 1;
    const v = r.lift(json ? (arg as { args: Intrinsic[] }).args[0] : arg);
    if (!v) return undefined;
    // Literal text (kept under $.const) is part of the template itself.
    if (!json && v.kind === "literal" && typeof v.value === "string") text += v.value;
    else {
      const outside = !insideString(text);
      const mark = `\\u0000${values.length}\\u0000`;
      text += outside ? `"${mark}"` : mark;
      values.push({ v, json, outside });
    }
    text += tpl[i];
  }
  if (values.some((x) => x.outside && !x.json)) return r.refuse("States.Format writes a value into the JSON text without States.JsonToString, which is JSON only when the value is a number: the IR cannot tell what the merged object holds");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return r.refuse("the object States.JsonMerge merges is made by States.Format as text that is not JSON");
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return r.refuse("States.JsonMerge merges something that is not an object");
  const out: Entry[] = [];
  for (const [k, x] of Object.entries(doc as Record<string, unknown>)) {
    const key = valueOf(k, values, pos);
    const value = valueOf(x, values, pos);
    if (!key || !value) return r.refuse("a value of the object States.JsonMerge merges is an object or list holding expressions, which set() cannot take whole");
    out.push([key, value]);
  }
  return out;
}

/** Whether the end of `text` is inside a JSON string. */
function insideString(text: string): boolean {
  let inside = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

type Spliced = Array<{ v: Value; json: boolean; outside: boolean }>;

/** A parsed JSON value with marks put back: a whole mark is the value whose JSON text it was; marks in text are a join. */
function valueOf(x: unknown, values: Spliced, pos: Pos): Value | undefined {
  if (typeof x === "string") {
    const whole = new RegExp(`^${MARK}(\\d+)${MARK}$`).exec(x);
    const one = whole ? values[Number(whole[1])] : undefined;
    if (one?.outside) return one.json ? one.v : undefined;
    return textWithMarks(x, values, pos);
  }
  if (x !== null && typeof x === "object") return hasMark(x) ? undefined : fromJson(x as never, pos);
  return fromJson(x as string | number | boolean | null, pos);
}

function hasMark(x: unknown): boolean {
  if (typeof x === "string") return x.includes(MARK);
  if (x !== null && typeof x === "object") return Object.entries(x).some(([k, v]) => k.includes(MARK) || hasMark(v));
  return false;
}

/** Text with marks: a literal, or a join of the plain text values spliced inside a JSON string. */
function textWithMarks(s: string, values: Spliced, pos: Pos): Value | undefined {
  const bits = s.split(MARK);
  if (bits.length === 1) return lit(s, pos);
  const parts: Value[] = [];
  for (let i = 0; i < bits.length; i++) {
    if (i % 2 === 0) {
      if (bits[i]) parts.push(lit(bits[i], pos));
      continue;
    }
    const one = /^\d+$/.test(bits[i]) ? values[Number(bits[i])] : undefined;
    // JSON text inside other text keeps its quotes: no plain join says that.
    if (!one || one.outside || one.json) return undefined;
    parts.push(one.v);
  }
  if (parts.length === 1 && !bits[0] && !bits[2]) return parts[0];
  return { kind: "join", parts, pos };
}

/** A string literal at a position: a key the lifter writes into set() or object(). */
export const lit = (value: string, pos: Pos): Value => ({ kind: "literal", value, type: "string", pos });
