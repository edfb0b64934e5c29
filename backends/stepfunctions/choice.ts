/** A condition's expression as a Choice rule (JSONPath comparison operators). */
import { error } from "../../src/diagnostics.js";
import { printExpr } from "../../src/ir/expr/print.js";
import type { CompareOp, Value } from "../../src/ir/types.js";
import type { Json } from "./asl.js";
import { isExpr, render, type RenderCtx, type RType } from "./render.js";

type Rule = { [k: string]: Json };

const OPS: Record<Exclude<CompareOp, "!=">, string> = {
  "==": "Equals",
  "<": "LessThan",
  "<=": "LessThanEquals",
  ">": "GreaterThan",
  ">=": "GreaterThanEquals",
};
const FLIP: Record<CompareOp, CompareOp> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function family(a: RType | undefined, b: RType | undefined): "Numeric" | "String" | "Boolean" {
  const t = [a, b];
  if (t.includes("string")) return "String";
  if (t.includes("boolean")) return "Boolean";
  return "Numeric";
}

function litType(j: Json): RType {
  return typeof j === "string" ? "string" : typeof j === "boolean" ? "boolean" : typeof j === "number" ? "float" : "unknown";
}

/** Scalar results a Choice rule can compare once they are computed into the state (see choiceRule's `hoist`). */
const SCALAR: ReadonlySet<RType> = new Set(["string", "integer", "float", "boolean"]);

/**
 * `hoist`: computes a value before the Choice (its `<step>.values` Pass) and gives the path of the
 * result: a compared function's result (`length(x) > 0`) is then compared at that path.
 */
export function choiceRule(ctx: RenderCtx, v: Value, hoist?: (expr: string) => string): Rule | undefined {
  const bad = (msg: string) => {
    ctx.diags.push(error(v.pos, msg, { code: "stepfunctions-condition" }));
    return undefined;
  };
  switch (v.kind) {
    case "logic": {
      const ops = v.operands.map((x) => choiceRule(ctx, x, hoist));
      if (ops.some((x) => x === undefined)) return undefined;
      return { [v.op === "and" ? "And" : "Or"]: ops as Rule[] };
    }
    case "not": {
      const r = choiceRule(ctx, v.operand, hoist);
      return r && { Not: r };
    }
    case "in": {
      const list = v.list.kind === "list" ? v.list.items : undefined;
      if (!list) return bad(`'${printExpr(v)}': Step Functions needs a literal list after 'in'`);
      const rules = list.map((item) => choiceRule(ctx, { kind: "compare", op: "==", left: v.value, right: item, pos: v.pos }, hoist));
      if (rules.some((x) => x === undefined)) return undefined;
      const any: Rule = rules.length === 1 ? rules[0]! : { Or: rules as Rule[] };
      return v.negated ? { Not: any } : any;
    }
    case "compare": {
      const computed = (x: ReturnType<typeof render>): ReturnType<typeof render> =>
        hoist && isExpr(x) && x.expr.startsWith("States.") && SCALAR.has(x.type) ? { expr: hoist(x.expr), type: x.type } : x;
      let l = computed(render(ctx, v.left));
      let r = computed(render(ctx, v.right));
      let op = v.op;
      if (!isExpr(l) && isExpr(r)) {
        [l, r] = [r, l];
        op = FLIP[op];
      }
      if (!isExpr(l)) return bad(`'${printExpr(v)}' compares two constants; write the result instead`);
      if ("obj" in r) return bad(`'${printExpr(v)}': a map cannot be compared`);
      if (isExpr(l) && (l.expr.startsWith("States.") || (isExpr(r) && r.expr.startsWith("States.")))) {
        return bad(`'${printExpr(v)}': a Choice state compares paths only, not computed text`);
      }
      const fam = family(l.type, isExpr(r) ? r.type : litType(r.lit));
      if (fam === "Boolean" && op !== "==" && op !== "!=") return bad(`'${printExpr(v)}': booleans can only be compared with == or !=`);
      const name = fam === "Boolean" ? "BooleanEquals" : `${fam}${OPS[op === "!=" ? "==" : op]}`;
      let rule: Rule;
      if (isExpr(r)) rule = { Variable: l.expr, [`${name}Path`]: r.expr };
      else {
        const lit = r.lit;
        const ok = fam === "Numeric" ? typeof lit === "number" : fam === "String" ? typeof lit === "string" : typeof lit === "boolean";
        if (!ok) return bad(`'${printExpr(v)}': cannot compare a ${fam.toLowerCase()} value with ${JSON.stringify(lit)}`);
        rule = { Variable: l.expr, [name]: lit };
      }
      return op === "!=" ? { Not: rule } : rule;
    }
    case "call": {
      // matches(text, pattern): StringMatches on the text's path.
      if (v.fn === "matches") {
        const r = render(ctx, v.args[0]);
        const pattern = v.args[1];
        if (!isExpr(r) || r.expr.startsWith("States.")) return bad(`'${printExpr(v)}': StringMatches tests a path, and this is computed`);
        if (pattern.kind !== "literal" || typeof pattern.value !== "string") return bad(`'${printExpr(v)}': StringMatches takes its pattern written out`);
        return { Variable: r.expr, StringMatches: pattern.value };
      }
      // exists(path): IsPresent on it. Other functions give values to compare, not a rule.
      if (v.fn !== "exists") return bad(`'${printExpr(v)}' is not a true/false value Step Functions can test`);
      const r = render(ctx, v.args[0]);
      if (!isExpr(r) || r.expr.startsWith("States.")) return bad(`'${printExpr(v)}': IsPresent tests a path, and this is computed`);
      return { Variable: r.expr, IsPresent: true };
    }
    case "ref": {
      const r = render(ctx, v);
      if (!isExpr(r) || r.expr.startsWith("States.")) return bad(`'${printExpr(v)}' is not a true/false value Step Functions can test`);
      return { Variable: r.expr, BooleanEquals: true };
    }
    default:
      return bad(`'${printExpr(v)}' is not a condition Step Functions can evaluate`);
  }
}
