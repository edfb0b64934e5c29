/**
 * Python source as a small tree, printed in the style `ruff format` keeps
 * (88 columns, four-space indent, magic trailing commas): a collection that
 * fits on its line is printed inline, anything else one item a line with a
 * trailing comma. User text only ever enters as `str` nodes.
 */
import { escapedUnits, isPlain, pyNumber, pyString, quoteUnits } from "./literal.js";

export type Py =
  | { t: "str"; v: string }
  | { t: "num"; v: number; float: boolean }
  | { t: "bool"; v: boolean }
  | { t: "none" }
  | { t: "list"; items: Py[] }
  | { t: "tuple"; items: Py[] }
  | { t: "dict"; entries: Array<[Py, Py]> }
  | { t: "call"; fn: string; args: Py[]; kwargs: Array<[string, Py]> }
  /** Generated code pieces (identifiers, operators) around nested nodes, printed on one line. */
  | { t: "expr"; parts: Array<string | Py> };

export const LINE = 88;

export const str = (v: string): Py => ({ t: "str", v });
export const num = (v: number, float = !Number.isInteger(v)): Py => ({ t: "num", v, float });
export const bool = (v: boolean): Py => ({ t: "bool", v });
export const none: Py = { t: "none" };
export const list = (items: Py[]): Py => ({ t: "list", items });
export const dict = (entries: Array<[string, Py]>): Py => ({ t: "dict", entries: entries.map(([k, v]) => [str(k), v]) });
export const call = (fn: string, args: Py[] = [], kwargs: Array<[string, Py]> = []): Py => ({ t: "call", fn, args, kwargs });
export const code = (...parts: Array<string | Py>): Py => ({ t: "expr", parts });

/** One-line form. */
export function inline(n: Py): string {
  switch (n.t) {
    case "str":
      return pyString(n.v);
    case "num":
      return pyNumber(n.v, n.float);
    case "bool":
      return n.v ? "True" : "False";
    case "none":
      return "None";
    case "list":
      return "[" + inlineItems(n.items) + "]";
    case "tuple":
      return n.items.length === 1 ? `(${inline(n.items[0])},)` : "(" + inlineItems(n.items) + ")";
    case "dict": {
      let s = "{";
      for (let i = 0; i < n.entries.length; i++) s += (i ? ", " : "") + inline(n.entries[i][0]) + ": " + inline(n.entries[i][1]);
      return s + "}";
    }
    case "call": {
      let s = n.fn + "(" + inlineItems(n.args);
      for (let i = 0; i < n.kwargs.length; i++) s += (i || n.args.length ? ", " : "") + n.kwargs[i][0] + "=" + inline(n.kwargs[i][1]);
      return s + ")";
    }
    case "expr": {
      let s = "";
      for (const p of n.parts) s += typeof p === "string" ? p : inline(p);
      return s;
    }
  }
}

/** Items joined by `, ` (concatenated: no array made per collection). */
function inlineItems(items: readonly Py[]): string {
  let s = "";
  for (let i = 0; i < items.length; i++) s += (i ? ", " : "") + inline(items[i]);
  return s;
}

/** Indentation by width, made once each (a large DAG asks for the same few widths millions of times). */
const pads: string[] = [];
function pad(indent: number): string {
  return (pads[indent] ??= " ".repeat(indent));
}

/**
 * A long string split into adjacent literals, each short enough for its own
 * line, only after a space outside `{{ }}`: a word, a path, a URI or a Jinja
 * expression is never cut (so a search for it finds it). Undefined when there
 * is no such place: the string is then written whole.
 */
function splitString(s: string, indent: number): string | undefined {
  // Only a space is a place to split (an image URI or an S3 path has none): no need to look further.
  if (!s.includes(" ")) return undefined;
  const room = Math.max(20, LINE - indent - 2);
  const units = escapedUnits(s);
  const breakAfter: boolean[] = new Array(units.length).fill(false);
  for (let i = 0, depth = 0; i < units.length; i++) {
    if (units[i] === "{" && units[i + 1] === "{") {
      depth++;
      i++;
    } else if (units[i] === "}" && units[i + 1] === "}") {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (units[i] === " " && depth === 0) breakAfter[i] = true;
  }
  const parts: string[][] = [];
  let start = 0;
  let len = 0;
  let last = -1;
  for (let i = 0; i < units.length; i++) {
    len += units[i].length;
    if (len > room && last >= start) {
      parts.push(units.slice(start, last + 1));
      start = last + 1;
      len = units.slice(start, i + 1).join("").length;
    }
    if (breakAfter[i] && i < units.length - 1) last = i;
  }
  parts.push(units.slice(start));
  return parts.length > 1 ? parts.map((l) => pad(indent) + quoteUnits(l)).join("\n") : undefined;
}

/**
 * Print `n` where the current line already holds `prefix` columns and will be
 * followed by `suffix` columns (e.g. a trailing comma). Returns the text to
 * put after the prefix; continuation lines carry their own indentation.
 */
export function print(n: Py, indent: number, prefix: number, suffix: number): string {
  const room = LINE - prefix - suffix;
  if (n.t === "str") return strText(n.v, indent, room);
  // The one-line form is made once, when it fits: a long node is built only up to the room
  // left on the way down to the parts that fit (not measured first and made again).
  const one = fitting(n, Math.max(room, 0));
  if (one !== undefined) return one;
  const inner = indent + 4;
  // One item a line, each with a trailing comma, between lines that open and close the collection.
  // (The text is concatenated, not joined level by level: it is copied into one string once, where it is used.)
  switch (n.t) {
    case "list":
    case "tuple": {
      let s = n.t === "list" ? "[" : "(";
      for (const x of n.items) s += item(inner, "", x);
      return s + close(n.t === "list" ? "]" : ")", indent, n.items.length);
    }
    case "dict": {
      let s = "{";
      for (const [k, v] of n.entries) s += item(inner, inline(k) + ": ", v);
      return s + close("}", indent, n.entries.length);
    }
    case "call": {
      let s = n.fn + "(";
      for (const x of n.args) s += item(inner, "", x);
      for (const [k, v] of n.kwargs) s += item(inner, k + "=", v);
      return s + close(")", indent, n.args.length + n.kwargs.length);
    }
    case "expr": {
      // Code around one node (`lambda response: <call>`): that node breaks as it would alone.
      const nodes = n.parts.filter((x) => typeof x !== "string");
      if (nodes.length !== 1) return inline(n);
      const at = n.parts.indexOf(nodes[0]);
      const lead = n.parts.slice(0, at).join("");
      const trail = n.parts.slice(at + 1).join("");
      return lead + print(nodes[0] as Py, indent, prefix + lead.length, suffix + trail.length) + trail;
    }
    default:
      return inline(n);
  }
}

/**
 * A string where `room` columns are left: its literal when that fits, else split after
 * spaces (splitString) or whole. Most of what a DAG prints is strings: each is looked at
 * for escapes once, and a plain one is quoted as is.
 */
function strText(s: string, indent: number, room: number): string {
  if (s.length + 2 <= room) {
    if (isPlain(s)) return '"' + s + '"';
    const literal = pyString(s);
    if (literal.length <= room) return literal;
  }
  const lines = splitString(s, indent + 4);
  return lines === undefined ? pyString(s) : `(\n${lines}\n${pad(indent)})`;
}

/** Line breaks with the indentation after them, made once each. */
const breaks: string[] = [];
function lineBreak(indent: number): string {
  return (breaks[indent] ??= "\n" + pad(indent));
}

/** An item on a line of its own after the line before it: `name` (a key and `: `, an argument and `=`), then the value. */
function item(inner: number, name: string, v: Py): string {
  return lineBreak(inner) + name + print(v, inner, inner + name.length, 1) + ",";
}

/** The closing bracket, on a line of its own after the items (beside the opening one when there are none). */
function close(bracket: string, indent: number, items: number): string {
  return items ? lineBreak(indent) + bracket : bracket;
}

/**
 * inline(n) when it is at most `cap` long, else undefined: the text is built only
 * until it passes `cap` (a long node is not printed whole to be found too long).
 */
function fitting(n: Py, cap: number): string | undefined {
  switch (n.t) {
    case "str": {
      // Escapes only lengthen a character, and the quotes add two.
      if (n.v.length + 2 > cap) return undefined;
      const s = pyString(n.v);
      return s.length <= cap ? s : undefined;
    }
    case "num":
    case "bool":
    case "none": {
      const s = inline(n);
      return s.length <= cap ? s : undefined;
    }
    case "list":
    case "tuple": {
      if (n.t === "tuple" && n.items.length === 1) {
        const x = fitting(n.items[0], cap - 3);
        return x === undefined ? undefined : `(${x},)`;
      }
      // The brackets and separators first: what is left is the items' room.
      const fixed = 2 + Math.max(0, 2 * (n.items.length - 1));
      let len = fixed;
      let s = "";
      for (let i = 0; i < n.items.length; i++) {
        if (len > cap) return undefined;
        const x = fitting(n.items[i], cap - len);
        if (x === undefined) return undefined;
        len += x.length;
        s += (i ? ", " : "") + x;
      }
      if (len > cap) return undefined;
      return n.t === "list" ? "[" + s + "]" : "(" + s + ")";
    }
    case "dict": {
      let len = 2 + Math.max(0, 2 * (n.entries.length - 1));
      let s = "";
      for (let i = 0; i < n.entries.length; i++) {
        if (len + 2 > cap) return undefined;
        const k = fitting(n.entries[i][0], cap - len - 2);
        if (k === undefined) return undefined;
        len += 2 + k.length;
        const v = fitting(n.entries[i][1], cap - len);
        if (v === undefined) return undefined;
        len += v.length;
        s += (i ? ", " : "") + k + ": " + v;
      }
      if (len > cap) return undefined;
      return "{" + s + "}";
    }
    case "call": {
      let len = n.fn.length + 2 + Math.max(0, 2 * (n.args.length + n.kwargs.length - 1));
      let s = "";
      for (let i = 0; i < n.args.length; i++) {
        if (len > cap) return undefined;
        const x = fitting(n.args[i], cap - len);
        if (x === undefined) return undefined;
        len += x.length;
        s += (i ? ", " : "") + x;
      }
      for (let i = 0; i < n.kwargs.length; i++) {
        const [k, v] = n.kwargs[i];
        if (len + k.length + 1 > cap) return undefined;
        const x = fitting(v, cap - len - k.length - 1);
        if (x === undefined) return undefined;
        len += k.length + 1 + x.length;
        s += (i || n.args.length ? ", " : "") + k + "=" + x;
      }
      if (len > cap) return undefined;
      return n.fn + "(" + s + ")";
    }
    case "expr": {
      let len = 0;
      let s = "";
      for (const p of n.parts) {
        if (len > cap) return undefined;
        const x = typeof p === "string" ? p : fitting(p, cap - len);
        if (x === undefined) return undefined;
        len += x.length;
        s += x;
      }
      return len > cap ? undefined : s;
    }
  }
}
