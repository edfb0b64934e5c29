/**
 * JSON written the way the SageMaker Python SDK writes a definition: Python's
 * `json.dumps` with default settings (`", "` and `": "` separators, non-ASCII
 * escaped as `\uXXXX`, floats in Python `repr` form so `6.0` keeps its `.0`).
 * JavaScript numbers lose the integer/float distinction, so floats are wrapped.
 */

/** A number that must print as a Python float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type Py = string | number | boolean | null | PyFloat | Py[] | { [key: string]: Py };

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

export { pyFloatRepr } from "../../src/aws/scalar-text.js";
import { pyFloatRepr } from "../../src/aws/scalar-text.js";

function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    // ensure_ascii: control characters and everything past 0x7F as UTF-16 code units.
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** `json.dumps(value)` as Python prints it. */
export function dumps(v: Py): string {
  if (v === null) return "null";
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === "string") return pyString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return pyFloatRepr(v);
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  if (Array.isArray(v)) return "[" + v.map(dumps).join(", ") + "]";
  return "{" + Object.entries(v).map(([k, x]) => `${pyString(k)}: ${dumps(x)}`).join(", ") + "}";
}

/**
 * `json.dumps(value, indent=2)` as Python prints it: the same tokens as
 * `dumps` (key order, floats, escapes), one member or item a line, `[]` and
 * `{}` when empty. Only whitespace outside strings differs from `dumps`, so
 * both minify to the same bytes.
 */
export function dumpsIndented(v: Py, indent = 2, depth = 0): string {
  const inner = "\n" + " ".repeat(indent * (depth + 1));
  const close = "\n" + " ".repeat(indent * depth);
  if (Array.isArray(v)) return v.length ? "[" + inner + v.map((x) => dumpsIndented(x, indent, depth + 1)).join("," + inner) + close + "]" : "[]";
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat)) {
    const entries = Object.entries(v);
    return entries.length ? "{" + inner + entries.map(([k, x]) => `${pyString(k)}: ${dumpsIndented(x, indent, depth + 1)}`).join("," + inner) + close + "}" : "{}";
  }
  return dumps(v);
}

/** Plain JSON (for comparisons and validators): floats become numbers. */
export function toPlain(v: Py): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
