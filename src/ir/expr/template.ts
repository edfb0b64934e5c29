/**
 * Strings with `${{ ... }}` in them. A string that is exactly one expression
 * becomes that expression; text around expressions becomes a `join`; a string
 * without any stays a literal. `$${{` writes a literal `${{`.
 */
import type { Pos, Value } from "../types.js";
import { ExprSyntaxError, parseExpression } from "./parser.js";

export const OPEN = "${{";
export const CLOSE = "}}";

/** Offset of the `}}` that closes an expression starting at `from`, skipping quoted strings. */
function findClose(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "}" && text[i + 1] === "}") return i;
  }
  return -1;
}

export function hasExpression(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * Parse a string that may hold expressions. `posAt` maps an offset into `text`
 * to a file position; syntax errors carry the offset of the offending character.
 */
export function parseTemplate(text: string, posAt: (offset: number) => Pos): Value {
  // Most strings hold no expression: the loop below would rebuild them a character at a time.
  if (!text.includes(OPEN)) return { kind: "literal", value: text, type: "string", pos: posAt(0) };
  const parts: Value[] = [];
  let literal = "";
  let literalStart = 0;
  let i = 0;
  const flush = () => {
    if (literal !== "") parts.push({ kind: "literal", value: literal, type: "string", pos: posAt(literalStart) });
    literal = "";
  };
  while (i < text.length) {
    if (text.startsWith("$" + OPEN, i)) {
      if (literal === "") literalStart = i;
      literal += OPEN;
      i += 1 + OPEN.length;
      continue;
    }
    if (text.startsWith(OPEN, i)) {
      const bodyStart = i + OPEN.length;
      const close = findClose(text, bodyStart);
      if (close < 0) throw new ExprSyntaxError("'${{' is never closed with '}}'", i);
      flush();
      const body = text.slice(bodyStart, close);
      try {
        parts.push(parseExpression(body, (o) => posAt(bodyStart + o)));
      } catch (e) {
        if (e instanceof ExprSyntaxError) throw new ExprSyntaxError(e.message, bodyStart + e.offset);
        throw e;
      }
      i = close + CLOSE.length;
      literalStart = i;
      continue;
    }
    if (literal === "") literalStart = i;
    literal += text[i];
    i++;
  }
  flush();
  mergeAdjacentText(parts);
  if (parts.length === 0) return { kind: "literal", value: "", type: "string", pos: posAt(0) };
  if (parts.length === 1) return parts[0];
  return { kind: "join", parts, pos: posAt(0) };
}

function isText(v: Value | undefined): v is Extract<Value, { kind: "literal" }> & { value: string } {
  return v !== undefined && v.kind === "literal" && typeof v.value === "string";
}

/** `a${{ 'b' }}c` is the text `abc`: constant text parts are merged, empty ones dropped. */
function mergeAdjacentText(parts: Value[]): void {
  for (let k = parts.length - 1; k >= 0 && parts.length > 1; k--) {
    const p = parts[k];
    if (isText(p) && p.value === "") parts.splice(k, 1);
  }
  for (let k = parts.length - 1; k > 0; k--) {
    const a = parts[k - 1];
    const b = parts[k];
    if (isText(a) && isText(b)) parts.splice(k - 1, 2, { ...a, value: a.value + b.value });
  }
}
