/** Print IR values back as expression text, with the fewest parentheses that keep the tree. */
import type { PathSegment, Ref, Value } from "../types.js";
import { CONCAT, FUNCTIONS } from "./functions.js";
import { OPEN } from "./template.js";

const PREC = { or: 1, and: 2, not: 3, compare: 4, sum: 5, product: 6, atom: 7 } as const;

function precOf(v: Value): number {
  switch (v.kind) {
    case "logic":
      return v.op === "or" ? PREC.or : PREC.and;
    case "not":
      return PREC.not;
    case "compare":
    case "in":
      return PREC.compare;
    case "arith":
      return v.op === "+" || v.op === "-" ? PREC.sum : PREC.product;
    default:
      return PREC.atom;
  }
}

const SIMPLE_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function printPath(path: PathSegment[]): string {
  return path
    .map((s) => (typeof s === "number" ? `[${s}]` : SIMPLE_SEGMENT.test(s) ? `.${s}` : `[${quote(s)}]`))
    .join("");
}

export function printRef(ref: Ref): string {
  switch (ref.scope) {
    case "params":
      return `params.${ref.name}`;
    case "item":
      return `item${printPath(ref.path)}`;
    case "failure":
      return `failure${printPath(ref.path)}`;
    case "task":
      return "task.token";
    case "iteration":
      return "iteration.id";
    case "variables":
      return `variables${printPath([ref.name])}`;
    case "execution":
      return ref.name === "input" ? `execution.input${printPath(ref.path)}` : `execution.${ref.name}`;
    case "steps":
      if (ref.attr === "outputs") return `steps.${ref.step}.outputs.${ref.name}`;
      if (ref.attr === "reports") return `steps.${ref.step}.reports.${ref.report}${printPath(ref.path)}`;
      if (ref.attr === "response" || ref.attr === "results" || ref.attr === "item") return `steps.${ref.step}.${ref.attr}${printPath(ref.path)}`;
      return `steps.${ref.step}.${ref.attr}`;
  }
}

function quote(s: string): string {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t") + "'";
}

function printNumber(value: number, type: string | undefined): string {
  const s = String(value);
  if (type === "float" && /^-?[0-9]+$/.test(s)) return s + ".0";
  return s;
}

/** The text of an expression (what goes between `${{` and `}}`). */
export function printExpr(v: Value, parentPrec = 0): string {
  const out: string[] = [];
  emit(v, parentPrec, out);
  return out.join("");
}

/**
 * Writes the expression's text into `out`, joined once at the end: each level joining its operands' text
 * copied the text below it again, so an expression n calls deep cost n² (a state machine whose states each
 * pass on all the data before them lifts to such calls).
 */
function emit(v: Value, parentPrec: number, out: string[]): void {
  const own = precOf(v);
  const paren = own < parentPrec;
  if (paren) out.push("(");
  switch (v.kind) {
    case "literal":
      out.push(v.value === null ? "null" : typeof v.value === "string" ? quote(v.value) : typeof v.value === "number" ? printNumber(v.value, v.type) : String(v.value));
      break;
    case "ref":
      out.push(printRef(v.ref));
      break;
    case "list":
      out.push("[");
      for (let i = 0; i < v.items.length; i++) {
        if (i) out.push(", ");
        emit(v.items[i], 0, out);
      }
      out.push("]");
      break;
    case "logic":
      for (let i = 0; i < v.operands.length; i++) {
        if (i) out.push(` ${v.op} `);
        emit(v.operands[i], own + 1, out);
      }
      break;
    case "not":
      out.push("not ");
      emit(v.operand, own, out);
      break;
    case "compare":
      emit(v.left, own + 1, out);
      out.push(` ${v.op} `);
      emit(v.right, own + 1, out);
      break;
    case "in":
      emit(v.value, own + 1, out);
      out.push(v.negated ? " not in " : " in ");
      emit(v.list, own + 1, out);
      break;
    case "arith":
      // Left-associative: the right operand needs parentheses at equal precedence.
      emit(v.left, own, out);
      out.push(` ${v.op} `);
      emit(v.right, own + 1, out);
      break;
    case "call": {
      out.push(`${v.fn}(`);
      // A chain of calls, each the first argument of the next, of a function that takes more arguments so
      // (set over set): one call, its arguments in turn. A lifted machine's data sets a result at a time, and
      // the chain written out nested past what the parser reads (MAX_EXPR_NESTING).
      const { params, more } = FUNCTIONS[v.fn];
      const chain: Array<Extract<Value, { kind: "call" }>> = [v];
      if (more) {
        let inner = v.args[0];
        while (inner?.kind === "call" && inner.fn === v.fn && inner.args.length === params.length) {
          chain.push(inner);
          inner = inner.args[0];
        }
      }
      const args = chain.length === 1 ? v.args : [...chain[chain.length - 1].args, ...chain.slice(0, -1).reverse().flatMap((c) => c.args.slice(1))];
      // Plain loops: one stack frame a level of nesting.
      for (let i = 0; i < args.length; i++) {
        if (i) out.push(", ");
        emit(args[i], 0, out);
      }
      out.push(")");
      break;
    }
    case "join":
      // At the top of a string a join is its text (printTemplate); inside an expression, concat().
      out.push(`${CONCAT}(`);
      for (let i = 0; i < v.parts.length; i++) {
        if (i) out.push(", ");
        emit(v.parts[i], 0, out);
      }
      out.push(")");
      break;
    case "map":
      throw new Error("a map cannot be printed inside an expression");
  }
  if (paren) out.push(")");
}

/** A value as it would be written in a string field: literal text, `${{ }}`, or both. */
export function printTemplate(v: Value): string {
  if (v.kind === "literal" && typeof v.value === "string") return v.value.split(OPEN).join("$" + OPEN);
  if (v.kind === "join") {
    return v.parts
      .map((part, k) => {
        const text = printTemplate(part);
        // `$` right before `${{` would read as the escape `$${{`: the whole run of
        // trailing `$` is written as an expression instead.
        const next = v.parts[k + 1];
        const nextIsExpr = next !== undefined && !(next.kind === "literal" && typeof next.value === "string");
        const dollars = /\$+$/.exec(text)?.[0] ?? "";
        return nextIsExpr && dollars ? `${text.slice(0, -dollars.length)}${OPEN} '${dollars}' }}` : text;
      })
      .join("");
  }
  return `${OPEN} ${printExpr(v)} }}`;
}
