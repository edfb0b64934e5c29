/**
 * The quota of 10 intrinsic functions in one field: a foreach step whose
 * copies keep no result (Glue, EMR, wait) leaves the state as it was instead
 * of merging one branch's results per copy, and expressions too deep are refused.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import fc from "fast-check";
import { crowdedFields, intrinsicCalls, mayBeCrowded } from "../../../backends/stepfunctions/intrinsics.js";
import { parseIntrinsic, printIntrinsic, type Intrinsic } from "../../../backends/stepfunctions/lift/intrinsic.js";
import { spreadExpression } from "../../../backends/stepfunctions/spread.js";
import { aslValidator, lower, run, yaml } from "./support.js";

const items = (n: number) => `[${Array.from({ length: n }, (_, i) => `"job-${i}"`).join(", ")}]`;

const PIPELINE = (n: number) => `version: 1
pipeline: nightly
region: eu-west-1
artifacts: s3://bucket/nightly
steps:
  pick:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:pick
    outputs: { day: string }
  etl:
    type: glue
    job: \${{ item }}
    arguments: { "--day": "\${{ steps.pick.outputs.day }}" }
    foreach: ${items(n)}
  pause:
    type: wait
    seconds: 5
    foreach: ${items(n)}
    depends_on: [etl]
  report:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:report
    payload: { day: "\${{ steps.pick.outputs.day }}" }
    depends_on: [pause]
`;

describe("a foreach step whose copies keep no result", () => {
  test("of 15 copies: each Parallel discards its branches' output, every field within 10 intrinsics, and it runs", async () => {
    const p = yaml(PIPELINE(15));
    const out = lower(p);
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(backend.checkLimits(p, out.files)).toEqual([]);
    const def = out.definition;
    for (const id of ["etl", "pause"]) {
      const st = def.States[id];
      expect(st.Type).toBe("Parallel");
      expect(st.Branches).toHaveLength(15);
      expect(st.ResultPath).toBeNull();
      expect(st.ResultSelector).toBeUndefined();
      // Each copy hands back {}, however much the state holds (the Parallel's result is one small list).
      expect((st.Branches as any[]).map((b) => b.States[b.StartAt].OutputPath)).toEqual(Array.from({ length: 15 }, () => null));
    }
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });

    const glue: string[] = [];
    const handlers: Record<string, (i: any) => unknown> = { pick: () => ({ Payload: { day: "2026-12-04" } }), report: (i) => ({ Payload: { got: i.Payload } }) };
    for (let i = 0; i < 15; i++) {
      handlers[`etl_${i}`] = (x: any) => {
        glue.push(`${x.JobName} ${x.Arguments["--day"]}`);
        return { JobRunState: "SUCCEEDED" };
      };
    }
    const r = await run(def, {}, handlers);
    expect(r.status).toBe("SUCCEEDED");
    expect([...glue].sort()).toEqual(Array.from({ length: 15 }, (_, i) => `job-${i} 2026-12-04`).sort());
    // What ran before the Parallels is still there after them.
    expect(r.inputs.report[0].Payload).toEqual({ day: "2026-12-04" });
    expect(r.started.at(-1)).toBe("report");
  });

  test("of Glue jobs lifts back to the same foreach step and the same machine", () => {
    const first = lower(yaml(PIPELINE(15).replace(/  pause:[^]*?depends_on: \[etl\]\n/, "").replace("depends_on: [pause]", "depends_on: [etl]")));
    expect(first.definition.States.pause).toBeUndefined();
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const etl = lifted.pipeline!.steps.find((s) => s.id === "etl")!;
    expect(etl.kind).toBe("glue");
    expect(etl.foreach?.items).toHaveLength(15);
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
  });
});

describe("intrinsic functions in one field", () => {
  test("are counted by their calls, not by text that reads like one inside a string literal or a path", () => {
    expect(intrinsicCalls("$.a")).toBe(0);
    expect(intrinsicCalls("States.Format('{}', $.a)")).toBe(1);
    expect(intrinsicCalls("States.Format('States.Array(1) \\' States.Hash(', States.Array($.States.x))")).toBe(2);
    expect(intrinsicCalls("States.JsonMerge(States.JsonMerge($[0].steps, $[1], false), $[2], false)")).toBe(2);
  });

  test("a machine with a field of 11 is refused, naming the state and the field; 10 pass", () => {
    const p = yaml(PIPELINE(2));
    const out = lower(p);
    const def = structuredClone(out.definition);
    const chain = (n: number) => {
      let e = "$.a";
      for (let i = 0; i < n; i++) e = `States.Array(${e})`;
      return e;
    };
    const withField = (n: number) => {
      def.States.pick.Parameters = { ...def.States.pick.Parameters, "deep.$": chain(n) };
      return out.files.map((f) => (f.kind === "definition" ? { ...f, contents: JSON.stringify(def) } : f));
    };
    expect(backend.checkLimits(p, withField(10))).toEqual([]);
    const d = backend.checkLimits(p, withField(11));
    expect(d.map((x) => [x.severity, x.code, x.message])).toEqual([
      ["error", "stepfunctions-intrinsics", expect.stringContaining("field 'Parameters.deep.$' of state 'pick' calls 11 intrinsic functions, more than the 10")],
    ]);
  });
});

test("a machine's text, indented or not, may hold a crowded field wherever its states hold one", () => {
  // Texts that call up to some dozen functions, with what reads like a call or a field inside string literals.
  const part = fc.constantFrom(...Array(8).fill("States.Array("), "States.Format('{}', ", "$.a", ")", "'", "\\", '"', '.$":"', '.$": "', "States.", " ");
  const text = fc.tuple(fc.constantFrom("", "States.Array("), fc.array(part, { maxLength: 40, size: "max" })).map(([head, xs]) => head + xs.join(""));
  const key = fc.constantFrom("a", "b.$", "Branches", "c.$", 'q".$', "\\.$");
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, text, fc.dictionary(key, tie("v"), { maxKeys: 3 }), fc.array(tie("v"), { maxLength: 3 })),
  })).v;
  // A state's own keys: not Branches, which holds its inner scopes.
  const states = fc.dictionary(fc.constantFrom("s", "t"), fc.dictionary(fc.constantFrom("Parameters", "b.$", "c.$"), value, { maxKeys: 3 }), { maxKeys: 2 });
  fc.assert(
    fc.property(states, (sts) => {
      const crowded = crowdedFields(sts as never).length > 0;
      for (const indent of [undefined, 2]) if (crowded) expect(mayBeCrowded(JSON.stringify(sts, null, indent))).toBe(true);
    }),
    { numRuns: 300 },
  );
  const chain = (n: number) => (n ? `States.Array(${chain(n - 1)})` : "$.a");
  for (const indent of [undefined, 2]) {
    expect(mayBeCrowded(JSON.stringify({ s: { Parameters: { "deep.$": chain(11) } } }, null, indent))).toBe(true);
    expect(mayBeCrowded(JSON.stringify({ s: { Parameters: { "deep.$": chain(10), text: chain(11) } } }, null, indent))).toBe(false);
  }
});

test("an expression that needs more than 10 functions in one field is spread: its inner parts computed first by the step's values Pass, and it runs", async () => {
  const text = `version: 1
pipeline: deep
region: eu-west-1
artifacts: s3://bucket/deep
steps:
  a:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:a
    outputs: { x: string }
  stop:
    type: fail
    message: x\${{ json(set(object('v', parse(json(parse(json(steps.a.outputs.x))))), 'k', 1)) }}
`;
  const out = lower(yaml(text, "deep.yaml"));
  expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const def = out.definition;
  const values = def.States["stop.values"];
  expect(values).toMatchObject({ Type: "Pass", ResultPath: "$.values", Next: "stop.message" });
  const cause = def.States["stop.message"].Parameters["cause.$"];
  expect(cause).toContain("$.values.v0");
  for (const field of [cause, ...Object.values<string>(values.Parameters)]) expect(intrinsicCalls(field)).toBeLessThanOrEqual(10);
  expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
  const r = await run(def, {}, { a: () => ({ Payload: { x: "7" } }) });
  expect([r.status, r.error, JSON.parse(r.cause!.slice(1))]).toEqual(["FAILED", "stop", { v: "7", k: 1 }]);
  expect(r.cause!.startsWith("x")).toBe(true);
});

describe("spreading an expression", () => {
  const hoister = () => {
    const parts: string[] = [];
    return { parts, hoist: (e: string) => `$.values.v${parts.push(e) - 1}` };
  };
  /** The expression with each values path replaced by what was hoisted there. */
  const unspread = (expr: string, parts: string[]): string => {
    const back = (n: Intrinsic): Intrinsic => {
      if (n.t === "path") {
        const m = /^\$\.values\.v([0-9]+)$/.exec(n.path);
        return m ? back(parseIntrinsic(parts[Number(m[1])])!) : n;
      }
      return n.t === "call" ? { ...n, args: n.args.map(back) } : n;
    };
    return printIntrinsic(back(parseIntrinsic(expr)!));
  };
  const leaf = fc.oneof(
    fc.constantFrom("$.a", "$.steps.s.outputs.x", "$$.Execution.Name", "$$.Task.Token"),
    fc.constantFrom("'text'", "'\\{\\}'", "1", "true", "null"),
  );
  const tree = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom("States.Array", "States.Format", "States.JsonMerge", "States.JsonToString", "States.StringToJson", "States.Hash"), fc.array(tie("node"), { minLength: 1, maxLength: 4 })).map(([name, args]) => `${name}(${args.join(", ")})`),
    ),
  })).node;

  test("every field within 10 calls when the parts allow it; put back, the parts give the expression", () => {
    fc.assert(
      fc.property(tree, (expr) => {
        const { parts, hoist } = hoister();
        const out = spreadExpression(expr, "me", hoist);
        expect(unspread(out, parts)).toBe(expr);
        for (const p of parts) {
          expect(intrinsicCalls(p)).toBeLessThanOrEqual(10);
          expect(p).not.toMatch(/\$\$\.Task|\$\.values/);
        }
        if (intrinsicCalls(expr) <= 10) expect([out, parts]).toEqual([expr, []]);
        // Over 10 only when every part left that could move was whole JSON text or read the task's own context.
        if (intrinsicCalls(out) > 10) expect(out).toMatch(/\$\$\.Task|States\.StringToJson\(States\.Format|States\.JsonToString/);
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });

  test("a part that reads the task's own context or the step's own result stays in the field", () => {
    const many = Array.from({ length: 11 }, () => "States.Format('{}', $$.Task.Token)").join(", ");
    const { parts, hoist } = hoister();
    expect(spreadExpression(`States.Array(${many})`, "me", hoist)).toBe(`States.Array(${many})`);
    const own = Array.from({ length: 11 }, () => "States.JsonToString($.steps.me.outputs.x)").join(", ");
    expect(spreadExpression(`States.Array(${own})`, "me", hoist)).toBe(`States.Array(${own})`);
    // Another step's result, whose id begins like this one's, moves.
    const other = Array.from({ length: 11 }, () => "States.JsonToString($.steps.me-2.outputs.x)").join(", ");
    expect(intrinsicCalls(spreadExpression(`States.Array(${other})`, "me", hoist))).toBeLessThanOrEqual(10);
    expect(new Set(parts)).toEqual(new Set(["States.JsonToString($.steps.me-2.outputs.x)"]));
  });
});

test("a foreach step's 12 output locations read as one list are one JSON text, and run to the same list", async () => {
  const p = yaml(`version: 1
pipeline: regions
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/regions
defaults: { instance: ml.m5.xlarge }
steps:
  each:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    foreach: [${Array.from({ length: 12 }, (_, i) => `"r${i}"`).join(", ")}]
    outputs: { out: /opt/ml/processing/out }
  last:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(2)"]
    environment: { ALL: "\${{ steps.each.outputs.out }}" }
`);
  const def = lower(p).definition;
  const all = def.States.last.Parameters.Environment["ALL.$"] as string;
  expect(all).toMatch(/^States\.Format\('\{\}', States\.JsonToString\(States\.StringToJson\(States\.Format\('\[/);
  expect(intrinsicCalls(all)).toBe(4);
  expect(def.States["last.values"]).toBeUndefined();
  expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
  const handlers: Record<string, (i: any) => unknown> = { last: (i) => ({ ProcessingJobName: i.ProcessingJobName }) };
  for (let i = 0; i < 12; i++) handlers[`each_${i}`] = (x: any) => ({ ProcessingJobName: x.ProcessingJobName });
  const r = await run(def, {}, handlers);
  expect(r.status).toBe("SUCCEEDED");
  expect(JSON.parse(r.inputs.last[0].Environment.ALL)).toEqual(Array.from({ length: 12 }, (_, i) => `s3://bucket/regions/exec-1/each/${i}/out`));
});
