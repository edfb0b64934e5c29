/** Print IR values back as expression text, with the fewest parentheses that keep the tree. */
import type { PathSegment, Ref, Value } from "../types.js";
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
  const own = precOf(v);
  let s: string;
  switch (v.kind) {
    case "literal":
      s = v.value === null ? "null" : typeof v.value === "string" ? quote(v.value) : typeof v.value === "number" ? printNumber(v.value, v.type) : String(v.value);
      break;
    case "ref":
      s = printRef(v.ref);
      break;
    case "list":
      s = "[" + v.items.map((x) => printExpr(x, 0)).join(", ") + "]";
      break;
    case "logic":
      s = v.operands.map((x) => printExpr(x, own + 1)).join(` ${v.op} `);
      break;
    case "not":
      s = "not " + printExpr(v.operand, own);
      break;
    case "compare":
      s = `${printExpr(v.left, own + 1)} ${v.op} ${printExpr(v.right, own + 1)}`;
      break;
    case "in":
      s = `${printExpr(v.value, own + 1)} ${v.negated ? "not in" : "in"} ${printExpr(v.list, own + 1)}`;
      break;
    case "arith":
      // Left-associative: the right operand needs parentheses at equal precedence.
      s = `${printExpr(v.left, own)} ${v.op} ${printExpr(v.right, own + 1)}`;
      break;
    case "call":
      s = `${v.fn}(${v.args.map((x) => printExpr(x, 0)).join(", ")})`;
      break;
    case "join":
      // A join only appears at the top of a string; inside an expression it has no syntax.
      throw new Error("a join cannot be printed inside an expression");
    case "map":
      throw new Error("a map cannot be printed inside an expression");
  }
  return own < parentPrec ? `(${s})` : s;
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
