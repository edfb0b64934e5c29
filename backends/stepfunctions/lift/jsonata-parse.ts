/**
 * The part of JSONata that state machines write in `{% ... %}`: paths from
 * `$states.input`, `$states.result`, `$states.context` and variables, literals,
 * `&` joins, comparisons, `and`/`or`, arithmetic, function calls, array and
 * object constructors, and `[n]` indexes. Anything else (filters, lambdas,
 * sequences, `~>`, conditionals) is a syntax this reader names, so the lifter
 * refuses it rather than guessing.
 */

export type JNode =
  | { t: "lit"; v: string | number | boolean | null }
  /** `$states.input.a[0]`, `$name.b`: a root and the steps below it. */
  | { t: "path"; root: { states: string } | { variable: string }; steps: Array<string | number> }
  | { t: "call"; fn: string; args: JNode[] }
  | { t: "bin"; op: string; l: JNode; r: JNode }
  | { t: "neg"; e: JNode }
  | { t: "arr"; items: JNode[] }
  | { t: "obj"; entries: Array<[string, JNode]> }
  /** Members and indexes below something that is no path (`$parse(x).title`, `$split(x, '/')[1]`). */
  | { t: "below"; e: JNode; steps: Array<string | number> };

export class JsonataSyntaxError extends Error {}

type Tok = { k: "str" | "num" | "name" | "var" | "op"; v: string };

const OPS = ["!=", "<=", ">=", "..", ":=", "~>", "=", "<", ">", "&", "+", "-", "*", "/", "%", ".", ",", ":", "(", ")", "[", "]", "{", "}", "?", "^", "@", "#", "|"];

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new JsonataSyntaxError("a comment is not closed");
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = "";
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\") {
          const e = text[j + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "\\": "\\", "/": "/", '"': '"', "'": "'" };
          if (e === "u") {
            s += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (!(e in map)) throw new JsonataSyntaxError(`unknown escape \\${e}`);
          s += map[e];
          j += 2;
          continue;
        }
        s += text[j++];
      }
      if (j >= text.length) throw new JsonataSyntaxError("a string is not closed");
      out.push({ k: "str", v: s });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0) throw new JsonataSyntaxError("a quoted name is not closed");
      out.push({ k: "name", v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const num = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (num) {
      out.push({ k: "num", v: num[0] });
      i += num[0].length;
      continue;
    }
    const name = /^\$?[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      out.push({ k: name[0].startsWith("$") ? "var" : "name", v: name[0].replace(/^\$/, "") });
      i += name[0].length;
      continue;
    }
    if (c === "$") {
      out.push({ k: "var", v: "" });
      i++;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new JsonataSyntaxError(`unexpected '${c}'`);
    out.push({ k: "op", v: op });
    i += op.length;
  }
  return out;
}

/** The expression inside `{% ... %}`. */
export function parseJsonata(text: string): JNode {
  const ts = tokens(text);
  let p = 0;
  const peek = () => ts[p];
  const isOp = (v: string) => ts[p]?.k === "op" && ts[p].v === v;
  const isWord = (v: string) => ts[p]?.k === "name" && ts[p].v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new JsonataSyntaxError(`expected '${v}'${ts[p] ? ` before '${ts[p].v}'` : " at the end"}`);
    p++;
  };
  const unsupported = (what: string): never => {
    throw new JsonataSyntaxError(what);
  };

  const binary = (next: () => JNode, ops: string[], words = false): JNode => {
    let l = next();
    for (;;) {
      const t = peek();
      const op = t && (words ? t.k === "name" : t.k === "op") && ops.includes(t.v) ? t.v : undefined;
      if (!op) return l;
      p++;
      l = { t: "bin", op, l, r: next() };
    }
  };
  const expr = (): JNode => {
    const e = or();
    if (isOp("?")) unsupported("a conditional (? :)");
    if (isOp("~>")) unsupported("a function chain (~>)");
    if (isOp(":=")) unsupported("a variable binding (:=)");
    return e;
  };
  const or = (): JNode => binary(and, ["or"], true);
  const and = (): JNode => binary(compare, ["and"], true);
  const compare = (): JNode => {
    const l = concat();
    const t = peek();
    if (t && ((t.k === "op" && ["=", "!=", "<", "<=", ">", ">="].includes(t.v)) || (t.k === "name" && t.v === "in"))) {
      p++;
      return { t: "bin", op: t.v, l, r: concat() };
    }
    return l;
  };
  const concat = (): JNode => binary(add, ["&"]);
  const add = (): JNode => binary(mul, ["+", "-"]);
  const mul = (): JNode => binary(unary, ["*", "/", "%"]);
  const unary = (): JNode => {
    if (isOp("-")) {
      p++;
      return { t: "neg", e: unary() };
    }
    return postfix(primary());
  };
  const postfix = (e: JNode): JNode => {
    for (;;) {
      if (isOp(".")) {
        p++;
        const t = peek();
        if (!t || t.k !== "name") unsupported(t?.v === "*" ? "a wildcard (.*)" : "a path step that is no name");
        p++;
        e = e.t === "path" || e.t === "below" ? { ...e, steps: [...e.steps, t!.v] } : { t: "below", e, steps: [t!.v] };
        continue;
      }
      if (isOp("[")) {
        p++;
        const t = peek();
        if (t?.k !== "num" || !/^[0-9]+$/.test(t.v)) unsupported(isOp("]") ? "an empty index ([])" : t?.k === "op" && t.v === "-" ? "an index from the end ([-n])" : "a filter ([...])");
        p++;
        expect("]");
        const i = Number(t.v);
        e = e.t === "path" || e.t === "below" ? { ...e, steps: [...e.steps, i] } : { t: "below", e, steps: [i] };
        continue;
      }
      if (isOp("{")) unsupported("a group-by ({...} after a path)");
      return e;
    }
  };
  const list = (close: string, item: () => JNode): JNode[] => {
    const items: JNode[] = [];
    if (isOp(close)) {
      p++;
      return items;
    }
    for (;;) {
      items.push(item());
      if (isOp(",")) {
        p++;
        continue;
      }
      expect(close);
      return items;
    }
  };
  const primary = (): JNode => {
    const t = peek();
    if (!t) throw new JsonataSyntaxError("the expression ends early");
    p++;
    if (t.k === "str") return { t: "lit", v: t.v };
    if (t.k === "num") return { t: "lit", v: Number(t.v) };
    if (t.k === "name") {
      if (t.v === "true" || t.v === "false") return { t: "lit", v: t.v === "true" };
      if (t.v === "null") return { t: "lit", v: null };
      if (t.v === "function") unsupported("a function definition");
      return unsupported(`the name '${t.v}', read relative to the context value (start paths at $states)`);
    }
    if (t.k === "var") {
      if (isOp("(")) {
        p++;
        return { t: "call", fn: t.v, args: list(")", expr) };
      }
      if (t.v === "states") {
        if (!isOp(".")) unsupported("$states without a member");
        p++;
        const m = peek();
        if (m?.k !== "name") unsupported("$states without a member");
        p++;
        return { t: "path", root: { states: m!.v }, steps: [] };
      }
      if (t.v === "") unsupported("the context value ($)");
      return { t: "path", root: { variable: t.v }, steps: [] };
    }
    if (t.v === "(") {
      const e = expr();
      if (isOp(";")) unsupported("a block of expressions (;)");
      expect(")");
      return e;
    }
    if (t.v === "[") return { t: "arr", items: list("]", expr) };
    if (t.v === "{") {
      return {
        t: "obj",
        entries: list("}", () => {
          const k = peek();
          if (k?.k !== "str") unsupported("an object key that is not a string");
          p++;
          expect(":");
          return { t: "arr", items: [{ t: "lit", v: k!.v }, expr()] };
        }).map((x) => {
          const [k, v] = (x as Extract<JNode, { t: "arr" }>).items;
          return [(k as Extract<JNode, { t: "lit" }>).v as string, v];
        }),
      };
    }
    return unsupported(`unexpected '${t.v}'`);
  };
  const e = expr();
  if (p < ts.length) throw new JsonataSyntaxError(`unexpected '${ts[p].v}'`);
  return e;
}

/** `{% expr %}` as JSONata writes an expression in a field; undefined for any other text. */
export function jsonataText(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^\s*\{%([\s\S]*)%\}\s*$/.exec(v);
  return m ? m[1] : undefined;
}

/**
 * A field's value (JSON with `{% %}` strings anywhere in it) as one JSONata
 * expression: literals as JSON (which JSONata reads as itself), expressions as written.
 */
export function asExpression(v: unknown): string {
  const inner = jsonataText(v);
  if (inner !== undefined) return `(${inner})`;
  if (Array.isArray(v)) return `[${v.map(asExpression).join(", ")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${asExpression(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}
