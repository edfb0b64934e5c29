/**
 * JSON parsed with the position of every node (by JSON Pointer) and whether
 * each number was written as a float (`6.0`), which JSON.parse forgets.
 */
import type { Pos } from "../../../src/ir/types.js";

export interface Located {
  value: unknown;
  /** JSON Pointer -> where the node starts. */
  pos: Map<string, Pos>;
  /** JSON Pointers of numbers written with a fraction or exponent. */
  floats: Set<string>;
}

export const pointer = (parts: Array<string | number>): string => parts.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");

export function parseLocated(text: string, file: string): Located | { error: string; pos: Pos } {
  const pos = new Map<string, Pos>();
  const floats = new Set<string>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Pos => ({ file, line, col: i - lineStart + 1 });
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) {
      if (text[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  class Fail extends Error {}
  const fail = (m: string): never => {
    throw new Fail(m);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const val = (path: string): unknown => {
    ws();
    pos.set(path, here());
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const k = str();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        out[k] = val(path + pointer([k]));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return out;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(val(path + pointer([out.length])));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail(`unexpected '${c ?? "end of file"}'`);
    i += m[0].length;
    if (m[2] || m[3]) floats.add(path);
    return JSON.parse(m[0]);
  };
  try {
    const value = val("");
    ws();
    if (i < text.length) fail("text after the JSON value");
    return { value, pos, floats };
  } catch (e) {
    if (e instanceof Fail) return { error: e.message, pos: here() };
    throw e;
  }
}
