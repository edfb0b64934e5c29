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
import { flatText } from "../../src/util/flat-text.js";

/** Characters json.dumps writes as they are: printable ASCII but `"` and `\`. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function pyString(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"';
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
    // ensure_ascii: control characters and everything past 0x7E as UTF-16 code units.
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

function scalar(v: Exclude<Py, Py[] | { [key: string]: Py }>): string {
  if (v === null) return "null";
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === "string") return pyString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (!Number.isInteger(v)) return pyFloatRepr(v);
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** A printed definition, with the count of whitespace characters outside strings (what a minifier drops). */
export interface PrintedJson {
  text: string;
  /** The text is ASCII (ensure_ascii), so this is a count of bytes as well as characters. */
  whitespace: number;
}

/**
 * Python's `json.dumps(value)` (indent undefined) or `json.dumps(value, indent=n)`:
 * the same tokens either way (key order, floats, escapes); with an indent, one
 * member or item a line, `[]` and `{}` when empty.
 */
export function printPyJson(v: Py, indent?: number): PrintedJson {
  // Printed parts, each made flat (flatText) once its member at depth 1 or 2 (a step) is printed.
  const parts: string[] = [];
  let out = "";
  let whitespace = 0;
  // The line break and indentation before a member at each depth, made once.
  const breaks: string[] = [];
  const lineAt = (depth: number): string => (breaks[depth] ??= "\n" + " ".repeat((indent ?? 0) * depth));
  const put = (x: Py, depth: number): void => {
    if (x === null || typeof x !== "object" || x instanceof PyFloat) {
      out += scalar(x);
      return;
    }
    const isList = Array.isArray(x);
    const keys = isList ? undefined : Object.keys(x);
    const n = isList ? x.length : keys!.length;
    if (n === 0) {
      out += isList ? "[]" : "{}";
      return;
    }
    out += isList ? "[" : "{";
    const inner = indent === undefined ? undefined : lineAt(depth + 1);
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        if (inner === undefined) {
          out += ", ";
          whitespace++;
        } else out += ",";
      }
      if (inner !== undefined) {
        out += inner;
        whitespace += inner.length;
      }
      if (isList) put(x[i], depth + 1);
      else {
        const key = keys![i];
        out += pyString(key) + ": ";
        whitespace++;
        put((x as { [key: string]: Py })[key], depth + 1);
      }
      if (depth < 2) {
        parts.push(flatText(out));
        out = "";
      }
    }
    if (indent !== undefined) {
      const close = lineAt(depth);
      out += close;
      whitespace += close.length;
    }
    out += isList ? "]" : "}";
  };
  put(v, 0);
  parts.push(out);
  return { text: parts.join(""), whitespace };
}

/** `json.dumps(value)` as Python prints it. */
export function dumps(v: Py): string {
  return printPyJson(v).text;
}

/** `json.dumps(value, indent=2)` as Python prints it. Only whitespace outside strings differs from `dumps`, so both minify to the same bytes. */
export function dumpsIndented(v: Py, indent = 2): string {
  return printPyJson(v, indent).text;
}

/** Plain JSON (for comparisons and validators): floats become numbers. */
export function toPlain(v: Py): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
