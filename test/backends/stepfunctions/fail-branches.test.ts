/**
 * A condition whose branches each end in a fail step: nothing reaches the
 * scope's closing state, which Step Functions would reject as unreachable.
 */
import { describe, expect, test } from "vitest";
import { aslValidator, lower, run, yaml } from "./support.js";
import { lambdaInvoke } from "./services.js";
import backend from "../../../backends/stepfunctions/index.js";

const PIPELINE = `version: 1
pipeline: ff
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/ff
parameters: { x: { type: integer, default: 1 } }
steps:
  gate:
    type: condition
    if: "\${{ params.x > 0 }}"
    then: [a]
    else: [b]
  a: { type: fail, message: one }
  b: { type: fail, message: two }
`;

describe("a condition whose branches all fail", () => {
  test("lowers with no unreachable state, to a machine asl-validator accepts", () => {
    const r = lower(yaml(PIPELINE));
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.definition.States)).toEqual(["Read input", "Merge parameters", "Check parameters", "Invalid parameter", "gate", "a", "b"]);
    const v = aslValidator(r.definition);
    expect([v.isValid, v.errors]).toEqual([true, []]);
  });

  test("each branch fails the execution with its own error", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    const one = await run(def, { x: 3 }, {});
    const two = await run(def, { x: -1 }, {});
    expect([one.status, one.error, one.cause]).toEqual(["FAILED", "a", "one"]);
    expect([two.status, two.error, two.cause]).toEqual(["FAILED", "b", "two"]);
  });
});

describe("a condition whose branches all fail, running beside another step", () => {
  const beside = PIPELINE.replace("steps:\n", `steps:\n  other: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f" }\n`);

  test("its Parallel branch has no unreachable closing state, and asl-validator accepts the machine", () => {
    const r = lower(yaml(beside));
    expect(r.diagnostics).toEqual([]);
    const branch = r.definition.States["Parallel: other, gate"].Branches[1];
    expect(Object.keys(branch.States)).toEqual(["gate", "a", "b"]);
    const v = aslValidator(r.definition);
    expect([v.isValid, v.errors]).toEqual([true, []]);
  });

  test("the execution fails with the branch's error while the other step runs", async () => {
    const def = lower(yaml(beside)).definition;
    const out = await run(def, { x: -1 }, { other: lambdaInvoke(() => ({})) });
    expect([out.status, out.error, out.cause]).toEqual(["FAILED", "b", "two"]);
  });
});

describe("fail steps nothing waits for, in a scope that is not series-parallel", () => {
  const L = (id: string, deps: string[] = [], extra = "") => `  ${id}: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f"${deps.length ? `, depends_on: [${deps.join(", ")}]` : ""}${extra} }\n`;
  const F = (id: string, deps: string[] = []) => `  ${id}: { type: fail, message: ${id}${deps.length ? `, depends_on: [${deps.join(", ")}]` : ""} }\n`;
  const G = (id: string, deps: string[], branch: string) => `  ${id}: { type: condition, if: "\${{ params.x > 0 }}", depends_on: [${deps.join(", ")}]${branch} }\n`;
  const body =
    L("a") + L("b") + G("join", ["b", "a"], "") + F("fa", ["a"]) + F("fb", ["b"]) + L("c") + F("fc") +
    G("g1", ["c"], ", then: [x]") + L("x") + G("g2", ["c"], ", else: [g3]") + G("g3", ["b"], ", then: [y]") + L("y") + L("d");
  const source = PIPELINE.slice(0, PIPELINE.indexOf("steps:\n") + "steps:\n".length) + body;

  /** The States object that holds state `name`, at any depth of Parallel branches. */
  const holder = (states: Record<string, any>, name: string): Record<string, any> | undefined => {
    if (name in states) return states;
    for (const st of Object.values(states)) for (const b of st.Branches ?? []) {
      const hit = holder(b.States, name);
      if (hit) return hit;
    }
    return undefined;
  };

  test("each runs right after the steps it waits for, last in a Parallel branch, instead of being refused as a step others follow", async () => {
    const r = lower(yaml(source));
    expect(r.diagnostics).toEqual([]);
    const v = aslValidator(r.definition);
    expect([v.isValid, v.errors]).toEqual([true, []]);
    // fa after a, fb after b, each ending its branch; fc, which waits for nothing, a branch of its own from the start.
    expect([holder(r.definition.States, "fa")!.a.Next, holder(r.definition.States, "fb")!.b.Next]).toEqual(["fa", "fb"]);
    const top = Object.values(r.definition.States).find((st: any) => st.Type === "Parallel") as any;
    expect(top.Branches.map((b: any) => b.StartAt)).toContain("fc");
    const ok = lambdaInvoke(() => ({}));
    const out = await run(r.definition, { x: 1 }, { a: ok, b: ok, c: ok, d: ok, x: ok, y: ok });
    expect(out.status).toBe("FAILED");
    expect(["fa", "fb", "fc"]).toContain(out.error);
  });

  test("the machine lifts back to a pipeline that lowers to the very same machine", () => {
    const r = lower(yaml(source));
    const lifted = backend.lift!({ file: "machine.asl.json", text: JSON.stringify(r.definition, null, 2) });
    expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    expect(lower(lifted.pipeline!).definition).toEqual(r.definition);
  });
});

describe("a condition whose branches all fail, that the plan would put ahead of another step", () => {
  const L = (id: string, deps: string[] = []) => `  ${id}: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f"${deps.length ? `, depends_on: [${deps.join(", ")}]` : ""} }\n`;
  const F = (id: string, deps: string[] = []) => `  ${id}: { type: fail, message: ${id}${deps.length ? `, depends_on: [${deps.join(", ")}]` : ""} }\n`;
  const body =
    L("a") + L("b") + F("fb", ["b"]) + `  gate: { type: condition, if: "\${{ params.x > 0 }}", then: [t], else: [e] }\n` + F("t", ["a"]) + F("e") +
    L("c", ["b", "a"]) + L("d") + L("g") + L("h", ["d", "a"]) + L("i") + `  last: { type: condition, if: "\${{ params.x > 0 }}", depends_on: [d] }\n`;
  const source = PIPELINE.slice(0, PIPELINE.indexOf("steps:\n") + "steps:\n".length) + body;

  test("runs last, like a fail step, so no state after it is left unreachable", () => {
    const r = lower(yaml(source));
    expect(r.diagnostics).toEqual([]);
    const v = aslValidator(r.definition);
    expect([v.isValid, v.errors]).toEqual([true, []]);
  });
});
