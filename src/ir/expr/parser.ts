/**
 * Recursive-descent parser for `${{ ... }}` expressions.
 *
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | compare
 *   compare := sum (CMP sum | "not"? "in" sum)?
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/") unary)*
 *   unary   := "-" unary | primary
 *   primary := literal | reference | call | list | "(" expr ")"
 *   call    := NAME "(" (expr ("," expr)*)? ")"   (NAME: src/ir/expr/functions.ts, or concat: a join)
 *   list    := "[" (expr ("," expr)* ","?)? "]"
 *
 * Positions: every node gets `posAt(offset)` of its first character.
 */
import type { ArithOp, CompareOp, PathSegment, Pos, Ref, Value } from "../types.js";
import { CONCAT, FN_NAMES, FUNCTIONS, isFnName } from "./functions.js";
import { parsePathText } from "./path-text.js";
import { withoutNegativeZero } from "../values.js";
import { ExprSyntaxError, tokenize, type Token } from "./lexer.js";
import { didYouMean } from "../../util/suggest.js";

export { ExprSyntaxError } from "./lexer.js";

const COMPARE_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);
const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "null"]);
export const REF_ROOTS = ["params", "steps", "item", "execution", "failure", "task", "iteration", "variables"] as const;
/** A variable's name: what both an Airflow Variable key and an SSM parameter name's last part allow. */
export const VARIABLE_NAME = /^[A-Za-z0-9_.-]{1,250}$/;
const STEP_ATTRS = ["outputs", "model", "name", "job_name", "arn", "reports", "response", "results", "item"] as const;
const EXECUTION_VARS = ["id", "start_time", "logical_date", "logical_date_nodash", "pipeline_name", "input"] as const;

// The references most expressions are, read without tokens: the parser gives the same node.
// An identifier is [A-Za-z_][A-Za-z0-9_-]* and never ends in '-' (see the lexer).
const IDENT = "[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?";
const SIMPLE_REF = new RegExp(String.raw`^([ \t\n\r]*)(?:steps\.(${IDENT})\.outputs\.(${IDENT})|params\.(${IDENT}))[ \t\n\r]*$`);

export function parseExpression(src: string, posAt: (offset: number) => Pos): Value {
  const m = SIMPLE_REF.exec(src);
  if (m) {
    const ref: Ref = m[2] !== undefined ? { scope: "steps", step: m[2], attr: "outputs", name: m[3] } : { scope: "params", name: m[4] };
    return { kind: "ref", ref, pos: posAt(m[1].length) };
  }
  return parseTokens(src, posAt);
}

/** The full parser, without the shortcut above (the tests compare the two). */
export function parseTokens(src: string, posAt: (offset: number) => Pos): Value {
  return new Parser(src, posAt).parseAll();
}

/** Deepest nesting of parentheses, lists, `not` and unary minus: past it the parser's recursion could overflow. */
export const MAX_EXPR_NESTING = 100;

class Parser {
  private tokens: Token[];
  private i = 0;
  private depth = 0;
  constructor(private src: string, private posAt: (offset: number) => Pos) {
    this.tokens = tokenize(src);
  }

  parseAll(): Value {
    if (this.peek().type === "eof") throw new ExprSyntaxError("empty expression", 0);
    const v = this.parseOr();
    const t = this.peek();
    if (t.type !== "eof") throw new ExprSyntaxError(`unexpected '${this.text(t)}' after the end of the expression`, t.start);
    return v;
  }

  private text(t: Token): string {
    return this.src.slice(t.start, t.end);
  }
  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isWord(t: Token, w: string): boolean {
    return t.type === "ident" && t.value === w;
  }
  private isPunct(t: Token, p: string): boolean {
    return t.type === "punct" && t.value === p;
  }
  private expectPunct(p: string, what: string): Token {
    const t = this.next();
    if (!this.isPunct(t, p)) {
      throw new ExprSyntaxError(`expected '${p}' ${what}, found ${t.type === "eof" ? "the end" : `'${this.text(t)}'`}`, t.start);
    }
    return t;
  }

  /** Runs one nested parse, refusing nesting past MAX_EXPR_NESTING at the token that opens it. */
  private nested<T>(at: number, parse: () => T): T {
    if (++this.depth > MAX_EXPR_NESTING) throw new ExprSyntaxError(`the expression nests deeper than ${MAX_EXPR_NESTING} levels`, at);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseOr(): Value {
    const first = this.parseAnd();
    const operands = [first];
    while (this.isWord(this.peek(), "or")) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? first : { kind: "logic", op: "or", operands, pos: first.pos };
  }

  private parseAnd(): Value {
    const first = this.parseNot();
    const operands = [first];
    while (this.isWord(this.peek(), "and")) {
      this.next();
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? first : { kind: "logic", op: "and", operands, pos: first.pos };
  }

  private parseNot(): Value {
    const t = this.peek();
    if (this.isWord(t, "not")) {
      this.next();
      return { kind: "not", operand: this.nested(t.start, () => this.parseNot()), pos: this.posAt(t.start) };
    }
    return this.parseCompare();
  }

  private parseCompare(): Value {
    const left = this.parseSum();
    const t = this.peek();
    if (t.type === "op" && COMPARE_OPS.has(t.value)) {
      this.next();
      const right = this.parseSum();
      const after = this.peek();
      if (after.type === "op" && COMPARE_OPS.has(after.value)) {
        throw new ExprSyntaxError("comparisons do not chain; join them with 'and'", after.start);
      }
      return { kind: "compare", op: t.value as CompareOp, left, right, pos: left.pos };
    }
    if (this.isWord(t, "in") || (this.isWord(t, "not") && this.isWord(this.peek(1), "in"))) {
      const negated = this.isWord(t, "not");
      if (negated) this.next();
      this.next();
      const list = this.parseSum();
      return { kind: "in", value: left, list, negated, pos: left.pos };
    }
    return left;
  }

  private parseSum(): Value {
    let left = this.parseProduct();
    for (;;) {
      const t = this.peek();
      if (t.type === "op" && (t.value === "+" || t.value === "-")) {
        this.next();
        const right = this.parseProduct();
        left = { kind: "arith", op: t.value as ArithOp, left, right, pos: left.pos };
      } else return left;
    }
  }

  private parseProduct(): Value {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.type === "op" && (t.value === "*" || t.value === "/")) {
        this.next();
        const right = this.parseUnary();
        left = { kind: "arith", op: t.value as ArithOp, left, right, pos: left.pos };
      } else return left;
    }
  }

  private parseUnary(): Value {
    const t = this.peek();
    if (t.type === "op" && t.value === "-") {
      const n = this.peek(1);
      // A minus directly before a number is part of the literal.
      if (n.type === "number" && n.start === t.end) {
        this.next();
        this.next();
        return this.numberLiteral("-" + n.value, t.start);
      }
      this.next();
      const operand = this.nested(t.start, () => this.parseUnary());
      const zero: Value = { kind: "literal", value: 0, type: "integer", pos: this.posAt(t.start) };
      return { kind: "arith", op: "-", left: zero, right: operand, pos: this.posAt(t.start) };
    }
    return this.parsePrimary();
  }

  private numberLiteral(text: string, start: number): Value {
    const isFloat = /[.eE]/.test(text);
    const value = Number(text);
    // Every target holds finite numbers only, and integers exactly only up to 2^53.
    if (!Number.isFinite(value)) throw new ExprSyntaxError(`the number '${text}' is too large (not finite)`, start);
    if (!isFloat && !Number.isSafeInteger(value)) throw new ExprSyntaxError(`the integer '${text}' is too large to be kept exact`, start);
    return { kind: "literal", value: withoutNegativeZero(value), type: isFloat ? "float" : "integer", pos: this.posAt(start) };
  }

  private parsePrimary(): Value {
    const t = this.next();
    switch (t.type) {
      case "number":
        return this.numberLiteral(t.value, t.start);
      case "string":
        return { kind: "literal", value: t.value, type: "string", pos: this.posAt(t.start) };
      case "punct":
        if (t.value === "(") {
          const inner = this.nested(t.start, () => this.parseOr());
          this.expectPunct(")", "to close '('");
          return inner;
        }
        if (t.value === "[") return this.nested(t.start, () => this.parseList(t));
        break;
      case "ident":
        if (t.value === "true" || t.value === "false") {
          return { kind: "literal", value: t.value === "true", type: "boolean", pos: this.posAt(t.start) };
        }
        if (t.value === "null") return { kind: "literal", value: null, pos: this.posAt(t.start) };
        if (KEYWORDS.has(t.value)) throw new ExprSyntaxError(`unexpected '${t.value}'`, t.start);
        if (this.isPunct(this.peek(), "(") && this.peek().start === t.end) return this.nested(t.start, () => this.parseCall(t));
        return this.parseRef(t);
      case "eof":
        throw new ExprSyntaxError("unexpected end of expression", t.start);
      default:
        break;
    }
    throw new ExprSyntaxError(`unexpected '${this.text(t)}'`, t.start);
  }

  /** `name(arg, ...)`: one of the language's functions, with its number of arguments. */
  private parseCall(name: Token): Value {
    if (name.value === CONCAT) return this.parseConcat(name);
    if (!isFnName(name.value)) {
      throw new ExprSyntaxError(`unknown function '${name.value}'${didYouMean(name.value, [...FN_NAMES, CONCAT])}; the functions are ${[...FN_NAMES, CONCAT].map((f) => f + "()").join(", ")}`, name.start);
    }
    this.next();
    const args: Value[] = [];
    while (!this.isPunct(this.peek(), ")")) {
      args.push(this.parseOr());
      if (this.isPunct(this.peek(), ",")) this.next();
      else break;
    }
    const close = this.expectPunct(")", `to close ${name.value}(`);
    const { params, more } = FUNCTIONS[name.value];
    const want = params.length;
    const extra = args.length - want;
    if (extra !== 0 && !(more && extra > 0 && extra % more.length === 0)) {
      const count = want === 0 ? "no arguments" : want === 1 ? "one argument" : `${want} arguments`;
      throw new ExprSyntaxError(`${name.value}() takes ${count}${more ? `, then more in groups of ${more.length}` : ""}, not ${args.length}`, close.start);
    }
    if (more && extra > 0) {
      // set(x, 'a', 1, 'b', 2) is set(set(x, 'a', 1), 'b', 2): the IR holds the calls, one inside the other.
      const pos = this.posAt(name.start);
      let out: Value = { kind: "call", fn: name.value, args: args.slice(0, want), pos };
      for (let i = want; i < args.length; i += more.length) out = { kind: "call", fn: name.value, args: [out, ...args.slice(i, i + more.length)], pos };
      return out;
    }
    // get() of a reference that has a path is that reference, its path made longer: one spelling, one IR.
    const [of, at] = args;
    if (name.value === "get" && of.kind === "ref" && "path" in of.ref && at.kind === "literal" && typeof at.value === "string") {
      const more = parsePathText(at.value);
      if (more) return { ...of, ref: { ...of.ref, path: [...of.ref.path, ...more] } };
    }
    return { kind: "call", fn: name.value, args, pos: this.posAt(name.start) };
  }

  /**
   * `concat(a, b, ...)`: the text of its arguments joined, the IR's join (what a string with `${{ }}` in it
   * is), written inside an expression; a join among them is its parts in place.
   */
  private parseConcat(name: Token): Value {
    this.next();
    const parts: Value[] = [];
    while (!this.isPunct(this.peek(), ")")) {
      const v = this.parseOr();
      parts.push(...(v.kind === "join" ? v.parts : [v]));
      if (this.isPunct(this.peek(), ",")) this.next();
      else break;
    }
    const close = this.expectPunct(")", `to close ${CONCAT}(`);
    if (!parts.length) throw new ExprSyntaxError(`${CONCAT}() joins the text of one or more values`, close.start);
    return { kind: "join", parts, pos: this.posAt(name.start) };
  }

  private parseList(open: Token): Value {
    const items: Value[] = [];
    while (!this.isPunct(this.peek(), "]")) {
      items.push(this.parseOr());
      if (this.isPunct(this.peek(), ",")) this.next();
      else break;
    }
    this.expectPunct("]", "to close the list");
    return { kind: "list", items, pos: this.posAt(open.start) };
  }

  /** Segments after the root: `.name`, `.0`, `[0]`, `['key']`. */
  private parsePath(): Array<{ seg: PathSegment; start: number }> {
    const segs: Array<{ seg: PathSegment; start: number }> = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ".")) {
        this.next();
        const n = this.next();
        if (n.type === "ident") segs.push({ seg: n.value, start: n.start });
        else if (n.type === "number" && /^[0-9]+$/.test(n.value)) segs.push({ seg: Number(n.value), start: n.start });
        else throw new ExprSyntaxError("expected a name after '.'", n.start);
      } else if (this.isPunct(t, "[") && t.start === this.tokens[this.i - 1].end) {
        this.next();
        const n = this.next();
        if (n.type === "number" && /^[0-9]+$/.test(n.value)) segs.push({ seg: Number(n.value), start: n.start });
        else if (n.type === "string") segs.push({ seg: n.value, start: n.start });
        else throw new ExprSyntaxError("expected an index or a quoted key inside '[ ]'", n.start);
        this.expectPunct("]", "to close the index");
      } else return segs;
    }
  }

  private parseRef(root: Token): Value {
    const pos = this.posAt(root.start);
    const segs = this.parsePath();
    const names = (REF_ROOTS as readonly string[]);
    const need = (k: number, what: string, at: number): string => {
      const s = segs[k];
      if (!s) throw new ExprSyntaxError(`incomplete reference: expected ${what}`, at);
      if (typeof s.seg !== "string") throw new ExprSyntaxError(`expected ${what}, found an index`, s.start);
      return s.seg;
    };
    const end = this.tokens[this.i - 1].end;
    const rest = (k: number): PathSegment[] => segs.slice(k).map((s) => s.seg);
    const noMore = (k: number) => {
      if (segs.length > k) throw new ExprSyntaxError(`unexpected '.${String(segs[k].seg)}' after a complete reference`, segs[k].start);
    };
    let ref: Ref;
    switch (root.value) {
      case "params":
        ref = { scope: "params", name: need(0, "a parameter name after 'params.'", end) };
        noMore(1);
        break;
      case "item":
        ref = { scope: "item", path: rest(0) };
        break;
      case "failure":
        ref = { scope: "failure", path: rest(0) };
        break;
      case "task": {
        const v = need(0, "'token' after 'task.'", end);
        if (v !== "token") throw new ExprSyntaxError(`unknown task variable '${v}'; the one there is 'token' (a callback step's task token)`, segs[0].start);
        noMore(1);
        ref = { scope: "task", name: "token" };
        break;
      }
      case "iteration": {
        const v = need(0, "'id' after 'iteration.'", end);
        if (v !== "id") throw new ExprSyntaxError(`unknown iteration variable '${v}'; the one there is 'id' (the id of a map's current iteration)`, segs[0].start);
        noMore(1);
        ref = { scope: "iteration", name: "id" };
        break;
      }
      case "variables": {
        const v = need(0, "a variable's name after 'variables.'", end);
        if (!VARIABLE_NAME.test(v)) throw new ExprSyntaxError(`variable name ${JSON.stringify(v)}: use 1 to 250 letters, digits and _ . - (what an Airflow Variable key and an SSM parameter name both allow)`, segs[0].start);
        noMore(1);
        ref = { scope: "variables", name: v };
        break;
      }
      case "execution": {
        const v = need(0, "'id', 'start_time', 'logical_date', 'logical_date_nodash', 'pipeline_name' or 'input' after 'execution.'", end);
        if (!(EXECUTION_VARS as readonly string[]).includes(v)) {
          throw new ExprSyntaxError(`unknown execution variable '${v}'${didYouMean(v, EXECUTION_VARS)}`, segs[0].start);
        }
        if (v === "input") {
          ref = { scope: "execution", name: "input", path: rest(1) };
          break;
        }
        noMore(1);
        ref = { scope: "execution", name: v as "id" | "start_time" | "pipeline_name" | "logical_date" | "logical_date_nodash" };
        break;
      }
      case "steps": {
        const step = need(0, "a step id after 'steps.'", end);
        const attr = need(1, `one of ${STEP_ATTRS.join(", ")} after 'steps.${step}.'`, end);
        if (attr === "outputs") {
          ref = { scope: "steps", step, attr, name: need(2, `an output name after 'steps.${step}.outputs.'`, end) };
          noMore(3);
        } else if (attr === "reports") {
          const report = need(2, `a report name after 'steps.${step}.reports.'`, end);
          if (segs.length < 4) throw new ExprSyntaxError(`incomplete reference: expected a path into report '${report}'`, end);
          ref = { scope: "steps", step, attr, report, path: rest(3) };
        } else if (attr === "response" || attr === "results" || attr === "item") {
          ref = { scope: "steps", step, attr, path: rest(2) };
        } else if (attr === "model" || attr === "name" || attr === "job_name" || attr === "arn") {
          ref = { scope: "steps", step, attr };
          noMore(2);
        } else {
          throw new ExprSyntaxError(`unknown step attribute '${attr}'${didYouMean(attr, STEP_ATTRS)}`, segs[1].start);
        }
        break;
      }
      default:
        throw new ExprSyntaxError(
          `unknown name '${root.value}'${didYouMean(root.value, names)}; references start with ${names.map((n) => n + ".").join(", ")}`,
          root.start,
        );
    }
    return { kind: "ref", ref, pos };
  }
}
