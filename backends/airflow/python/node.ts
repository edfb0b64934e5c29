/**
 * Python source as a small tree, printed in the style `ruff format` keeps
 * (88 columns, four-space indent, magic trailing commas): a collection that
 * fits on its line is printed inline, anything else one item a line with a
 * trailing comma. User text only ever enters as `str` nodes.
 */
import { escapedUnits, isPlain, pyNumber, pyString, pyStringLength, quoteUnits } from "./literal.js";

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
      return "[" + n.items.map(inline).join(", ") + "]";
    case "tuple":
      return n.items.length === 1 ? `(${inline(n.items[0])},)` : "(" + n.items.map(inline).join(", ") + ")";
    case "dict":
      return "{" + n.entries.map(([k, v]) => `${inline(k)}: ${inline(v)}`).join(", ") + "}";
    case "call":
      return `${n.fn}(` + [...n.args.map(inline), ...n.kwargs.map(([k, v]) => `${k}=${inline(v)}`)].join(", ") + ")";
    case "expr":
      return n.parts.map((p) => (typeof p === "string" ? p : inline(p))).join("");
  }
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
  // The pieces of every level go to one list, joined once: joining each level's text into its
  // parent's copied every character once per level of nesting (a task's config is seven deep).
  const out: string[] = [];
  printTo(out, n, indent, prefix, suffix);
  return out.join("");
}

/** print(), its text pushed to `out` in pieces. */
function printTo(out: string[], n: Py, indent: number, prefix: number, suffix: number): void {
  const room = LINE - prefix - suffix;
  if (n.t === "str") {
    strTo(out, n.v, indent, room);
    return;
  }
  // The one-line form is made only when it fits: a long node is measured up to the room left,
  // not printed whole at every level on the way down to the parts that fit.
  const length = inlineLength(n, Math.max(room, 0));
  if (length <= room || length === 0) {
    out.push(inline(n));
    return;
  }
  const inner = indent + 4;
  // One item a line, each with a trailing comma, between lines that open and close the collection.
  switch (n.t) {
    case "list":
    case "tuple":
      out.push(n.t === "list" ? "[" : "(");
      for (const x of n.items) itemTo(out, inner, "", "", x);
      closeTo(out, n.t === "list" ? "]" : ")", indent, n.items.length);
      return;
    case "dict":
      out.push("{");
      for (const [k, v] of n.entries) itemTo(out, inner, inline(k), ": ", v);
      closeTo(out, "}", indent, n.entries.length);
      return;
    case "call":
      out.push(n.fn, "(");
      for (const x of n.args) itemTo(out, inner, "", "", x);
      for (const [k, v] of n.kwargs) itemTo(out, inner, k, "=", v);
      closeTo(out, ")", indent, n.args.length + n.kwargs.length);
      return;
    case "expr": {
      // Code around one node (`lambda response: <call>`): that node breaks as it would alone.
      const nodes = n.parts.filter((x) => typeof x !== "string");
      if (nodes.length !== 1) {
        out.push(inline(n));
        return;
      }
      const at = n.parts.indexOf(nodes[0]);
      const lead = n.parts.slice(0, at).join("");
      const trail = n.parts.slice(at + 1).join("");
      out.push(lead);
      printTo(out, nodes[0] as Py, indent, prefix + lead.length, suffix + trail.length);
      out.push(trail);
      return;
    }
    default:
      out.push(inline(n));
  }
}

/**
 * A string where `room` columns are left: its literal when that fits, else split after
 * spaces (splitString) or whole. Most of what a DAG prints is strings: each is looked at
 * for escapes once, and a plain one goes out as its pieces (no quoted copy made).
 */
function strTo(out: string[], s: string, indent: number, room: number): void {
  if (s.length + 2 <= room) {
    if (isPlain(s)) {
      out.push('"' + s + '"');
      return;
    }
    const literal = pyString(s);
    if (literal.length <= room) {
      out.push(literal);
      return;
    }
  }
  const lines = splitString(s, indent + 4);
  out.push(lines === undefined ? pyString(s) : `(\n${lines}\n${pad(indent)})`);
}

/** An item on a line of its own after the line before it: `name` and `sep` (a key and `: `, an argument and `=`), then the value. */
function itemTo(out: string[], inner: number, name: string, sep: string, v: Py): void {
  out.push("\n", pad(inner), name, sep);
  printTo(out, v, inner, inner + name.length + sep.length, 1);
  out.push(",");
}

/** The closing bracket, on a line of its own after the items (beside the opening one when there are none). */
function closeTo(out: string[], close: string, indent: number, items: number): void {
  out.push(items ? "\n" + pad(indent) + close : close);
}

/** inline(n).length when it is at most `cap`; otherwise some number over `cap` (counting stops there). */
export function inlineLength(n: Py, cap: number): number {
  switch (n.t) {
    case "str":
      // Escapes only lengthen a character, and the quotes add two.
      return n.v.length + 2 > cap ? n.v.length + 2 : pyStringLength(n.v);
    case "num":
    case "bool":
    case "none":
      return inline(n).length;
    case "list":
    case "tuple": {
      if (n.t === "tuple" && n.items.length === 1) return 3 + inlineLength(n.items[0], cap);
      let len = 2 + Math.max(0, 2 * (n.items.length - 1));
      for (const x of n.items) {
        if (len > cap) return len;
        len += inlineLength(x, cap - len);
      }
      return len;
    }
    case "dict": {
      let len = 2 + Math.max(0, 2 * (n.entries.length - 1));
      for (const [k, v] of n.entries) {
        if (len > cap) return len;
        len += 2 + inlineLength(k, cap - len);
        if (len > cap) return len;
        len += inlineLength(v, cap - len);
      }
      return len;
    }
    case "call": {
      let len = n.fn.length + 2 + Math.max(0, 2 * (n.args.length + n.kwargs.length - 1));
      for (const x of n.args) {
        if (len > cap) return len;
        len += inlineLength(x, cap - len);
      }
      for (const [k, v] of n.kwargs) {
        if (len > cap) return len;
        len += k.length + 1 + inlineLength(v, cap - len);
      }
      return len;
    }
    case "expr": {
      let len = 0;
      for (const p of n.parts) {
        if (len > cap) return len;
        len += typeof p === "string" ? p.length : inlineLength(p, cap - len);
      }
      return len;
    }
  }
}
