/**
 * Random condition trees: the SageMaker conditions we write (Not for != and
 * `not in`, De Morgan for a nested `and`) decide exactly as the IR expression
 * does, for every parameter assignment, pass the corrected schema, and lift
 * back to the same conditions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CompareOp, Pipeline, Pos, Value } from "../../../src/ir/types.js";
import backend from "../../../backends/sagemaker/index.js";
import { definition } from "./support/load.js";
import { correctedValidator } from "./support/schema.js";

const pos: Pos = { file: "t.yaml", line: 1, col: 1 };
const NUMS = ["a", "b"] as const;
type Env = { a: number; b: number; flag: boolean };

const param = (name: string): Value => ({ kind: "ref", ref: { scope: "params", name }, pos });
const int = (n: number): Value => ({ kind: "literal", value: n, type: "integer", pos });

const leaf: fc.Arbitrary<Value> = fc.oneof(
  fc.record({ op: fc.constantFrom<CompareOp>("==", "!=", "<", "<=", ">", ">="), p: fc.constantFrom(...NUMS), n: fc.integer({ min: 0, max: 3 }), swap: fc.boolean() }).map(
    ({ op, p, n, swap }): Value => ({ kind: "compare", op, left: swap ? int(n) : param(p), right: swap ? param(p) : int(n), pos }),
  ),
  fc.record({ p: fc.constantFrom(...NUMS), ns: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), negated: fc.boolean() }).map(
    ({ p, ns, negated }): Value => ({ kind: "in", value: param(p), list: { kind: "list", items: ns.map(int), pos }, negated, pos }),
  ),
  fc.constant(param("flag")),
);

const tree: fc.Arbitrary<Value> = fc.letrec<{ t: Value }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom<"and" | "or">("and", "or"), operands: fc.array(tie("t"), { minLength: 2, maxLength: 3 }) }).map(({ op, operands }): Value => ({ kind: "logic", op, operands, pos })),
    tie("t").map((operand): Value => ({ kind: "not", operand, pos })),
  ),
})).t;

function evalIr(v: Value, env: Env): boolean | number {
  switch (v.kind) {
    case "literal":
      return v.value as number;
    case "ref":
      return env[(v.ref as { name: keyof Env }).name];
    case "compare": {
      const l = evalIr(v.left, env) as number;
      const r = evalIr(v.right, env) as number;
      return { "==": l === r, "!=": l !== r, "<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r }[v.op];
    }
    case "in": {
      const hit = (v.list as { items: Value[] }).items.some((x) => evalIr(x, env) === evalIr(v.value, env));
      return v.negated ? !hit : hit;
    }
    case "logic":
      return v.op === "and" ? v.operands.every((x) => evalIr(x, env)) : v.operands.some((x) => evalIr(x, env));
    case "not":
      return !evalIr(v.operand, env);
    default:
      throw new Error(v.kind);
  }
}

/** A small interpreter of SageMaker's condition JSON (reference §3). */
function evalSm(c: any, env: Env): boolean {
  const val = (x: any) => (x !== null && typeof x === "object" ? env[x.Get.replace("Parameters.", "") as keyof Env] : x);
  switch (c.Type) {
    case "Equals":
      return val(c.LeftValue) === val(c.RightValue);
    case "GreaterThan":
      return val(c.LeftValue) > val(c.RightValue);
    case "GreaterThanOrEqualTo":
      return val(c.LeftValue) >= val(c.RightValue);
    case "LessThan":
      return val(c.LeftValue) < val(c.RightValue);
    case "LessThanOrEqualTo":
      return val(c.LeftValue) <= val(c.RightValue);
    case "In":
      return c.Values.map(val).includes(val(c.QueryValue));
    case "Not":
      return !evalSm(c.Condition, env);
    case "Or":
      return c.Conditions.some((x: any) => evalSm(x, env));
    default:
      throw new Error(`unknown condition type ${c.Type}`);
  }
}

function pipelineWith(cond: Value): Pipeline {
  const common = { depends_on: [], tags: {}, environment: {}, targets: {}, pos };
  return {
    version: 1,
    name: "t",
    region: "us-east-1",
    role: "arn:aws:iam::111122223333:role/R",
    artifacts: "s3://example-bucket/p",
    parameters: [
      { name: "a", type: "integer", default: 0, pos },
      { name: "b", type: "integer", default: 0, pos },
      { name: "flag", type: "boolean", default: false, pos },
    ],
    defaults: {},
    steps: [
      { ...common, id: "gate", kind: "condition", if: cond, then: ["stop"], else: [] },
      { ...common, id: "stop", kind: "fail", message: { kind: "literal", value: "x", type: "string", pos } },
    ],
    targets: {},
    source: { file: "t.yaml", format: "yaml" },
    pos,
  };
}

describe("condition lowering", () => {
  it("decides like the IR for every assignment, and passes the schema", () => {
    const validate = correctedValidator();
    const envs: Env[] = [];
    for (const a of [0, 1, 2, 3, 4]) for (const b of [0, 2, 3]) for (const flag of [false, true]) envs.push({ a, b, flag });
    fc.assert(
      fc.property(tree, (cond) => {
        const d = definition(pipelineWith(cond));
        expect(validate(d)).toBe(true);
        const conditions = d.Steps[0].Arguments.Conditions;
        for (const env of envs) expect(conditions.every((c: unknown) => evalSm(c, env))).toBe(!!evalIr(cond, env));
        // Lifting the definition and lowering it again gives the same conditions.
        const lifted = backend.lift!({ file: "p.json", text: JSON.stringify(d) });
        expect(lifted.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
        expect(definition(lifted.pipeline!).Steps[0].Arguments.Conditions).toEqual(conditions);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
