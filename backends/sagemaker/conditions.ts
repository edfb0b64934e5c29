/**
 * A condition step's `if` -> `Arguments.Conditions` (an implicit AND).
 * SageMaker has Equals, GreaterThan(OrEqualTo), LessThan(OrEqualTo), In, Not
 * and Or; `!=` and `not in` become `Not`, an `and` inside `or` becomes
 * `Not(Or(Not a, Not b))`. No arithmetic (refused at the expression).
 */
import type { CompareOp, Value } from "../../src/ir/types.js";
import { fail, type Ctx } from "./context.js";
import { isForeachSet, refType, valueToPy } from "./expr.js";
import type { Py } from "./pyjson.js";

export const COMPARE_TYPES: Record<Exclude<CompareOp, "!=">, string> = {
  "==": "Equals",
  "<": "LessThan",
  "<=": "LessThanOrEqualTo",
  ">": "GreaterThan",
  ">=": "GreaterThanOrEqualTo",
};

const not = (c: Py): Py => ({ Type: "Not", Condition: c });

function operand(ctx: Ctx, v: Value): Py {
  if (isForeachSet(ctx, v)) fail(ctx, v.pos, "a foreach step's whole set of results is a list; a condition compares single values");
  return valueToPy(ctx, v);
}

/** One condition object. */
function one(ctx: Ctx, v: Value): Py {
  switch (v.kind) {
    case "compare": {
      const base: Py = { Type: COMPARE_TYPES[v.op === "!=" ? "==" : v.op], LeftValue: operand(ctx, v.left), RightValue: operand(ctx, v.right) };
      return v.op === "!=" ? not(base) : base;
    }
    case "in": {
      if (v.list.kind !== "list") {
        fail(ctx, v.list.pos, "SageMaker's In condition needs a list written out in the pipeline, not an expression");
        return null;
      }
      const base: Py = { Type: "In", QueryValue: operand(ctx, v.value), Values: v.list.items.map((x) => operand(ctx, x)) };
      return v.negated ? not(base) : base;
    }
    case "not":
      return not(one(ctx, v.operand));
    case "logic":
      if (v.op === "or") return { Type: "Or", Conditions: v.operands.map((x) => one(ctx, x)) };
      // No And type: De Morgan.
      return not({ Type: "Or", Conditions: v.operands.map((x) => not(one(ctx, x))) });
    case "ref":
      if (refType(ctx, v.ref) === "boolean") return { Type: "Equals", LeftValue: operand(ctx, v), RightValue: true };
      fail(ctx, v.pos, "a condition must be a comparison, 'in', 'not', 'and'/'or' or a boolean parameter");
      return null;
    case "literal":
      if (typeof v.value === "boolean") return { Type: "Equals", LeftValue: v.value, RightValue: true };
      fail(ctx, v.pos, "a condition must be a comparison or a boolean");
      return null;
    case "arith":
      fail(ctx, v.pos, `SageMaker Pipelines conditions have no arithmetic ('${v.op}'); compute the value in a step and compare it`);
      return null;
    case "call":
      fail(ctx, v.pos, `SageMaker Pipelines conditions have no ${v.fn}() (only Get, Std:Join and Std:JsonGet); compute the value in a step and compare it`);
      return null;
    default:
      fail(ctx, v.pos, "a condition must be a comparison, 'in', 'not', 'and'/'or' or a boolean");
      return null;
  }
}

/** The `Conditions` list: a top-level `and` is SageMaker's implicit AND. */
export function lowerConditions(ctx: Ctx, v: Value): Py[] {
  if (v.kind === "logic" && v.op === "and") return v.operands.flatMap((x) => lowerConditions(ctx, x));
  return [one(ctx, v)];
}
