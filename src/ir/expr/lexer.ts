/** Tokens of the `${{ ... }}` expression language. */

export type TokenType =
  | "ident"
  | "number"
  | "string"
  | "op"
  | "punct"
  | "eof";

export interface Token {
  type: TokenType;
  /** For strings, the decoded value; otherwise the source text. */
  value: string;
  /** Offset of the first character, relative to the expression text. */
  start: number;
  end: number;
}

export class ExprSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/"];
const PUNCT = new Set(["(", ")", "[", "]", ",", "."]);
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

// Character classes by code, not by regular expression: a large pipeline has tens of thousands of expressions.
/** [A-Za-z_] */
const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
// `-` may appear inside an identifier (`steps.my-step`), as in GitHub Actions;
// subtraction then needs a space before the minus.
/** [A-Za-z0-9_-] */
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
const isDigit = (c: number) => c >= 48 && c <= 57;

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(src.charCodeAt(i))) {
      i++;
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      // An identifier never ends in '-': `a-` followed by a space is `a -`.
      while (src[i - 1] === "-") i--;
      tokens.push({ type: "ident", value: src.slice(start, i), start, end: i });
      continue;
    }
    if (isDigit(src.charCodeAt(i))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src)!;
      i += m[0].length;
      if (i < src.length && isIdentStart(src.charCodeAt(i))) {
        throw new ExprSyntaxError(`malformed number '${src.slice(start, i + 1)}'`, start);
      }
      tokens.push({ type: "number", value: m[0], start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      let out = "";
      for (;;) {
        if (i >= src.length) throw new ExprSyntaxError("unterminated string literal", start);
        const d = src[i];
        if (d === c) {
          // A doubled quote stands for itself ('it''s'), as in SQL and GitHub Actions.
          if (src[i + 1] === c) {
            out += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === "\\") {
          const e = src[i + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
          if (e === undefined || !(e in map)) throw new ExprSyntaxError(`unknown escape '\\${e ?? ""}' in string`, i);
          out += map[e];
          i += 2;
          continue;
        }
        out += d;
        i++;
      }
      tokens.push({ type: "string", value: out, start, end: i });
      continue;
    }
    const two = src[i + 1] === "=" ? c + "=" : "";
    const op = OPERATORS.find((o) => (o.length === 2 ? o === two : o === c));
    if (op) {
      i += op.length;
      tokens.push({ type: "op", value: op, start, end: i });
      continue;
    }
    if (PUNCT.has(c)) {
      i++;
      tokens.push({ type: "punct", value: c, start, end: i });
      continue;
    }
    if (c === "=" ) throw new ExprSyntaxError("'=' is not an operator; use '==' to compare", i);
    if (c === "&" || c === "|" || c === "!") {
      const word = c === "&" ? "and" : c === "|" ? "or" : "not";
      throw new ExprSyntaxError(`unexpected '${c}'; write '${word}'`, i);
    }
    throw new ExprSyntaxError(`unexpected character '${c}'`, i);
  }
  tokens.push({ type: "eof", value: "", start: src.length, end: src.length });
  return tokens;
}
