/**
 * Pass states that shape data are folded into the state data the lifter
 * keeps: they become no step, later reads resolve through what they built,
 * and what cannot be held is refused by name. Lifted machines are lowered
 * again and both are run: the functions must be called with the same payloads.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import type { Step, Value } from "../../../src/ir/types.js";
import { awsError, lower, run } from "./support.js";

const FN = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const lift = (states: Record<string, unknown>) => backend.lift!({ file: "m.asl.json", text: JSON.stringify({ StartAt: Object.keys(states)[0], States: states }, null, 2) });
const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).replace(/^m\.asl\.json:\d+:\d+: error: /, ""));
/** What a lifted machine says besides the two notes every machine written elsewhere gets. */
const remarks = (r: ReturnType<typeof lift>) =>
  r.diagnostics.map((d) => d.message).filter((m) => !m.startsWith("$: the execution's output") && !m.startsWith("$: outputs and code will live under"));
const step = (r: ReturnType<typeof lift>, id: string) => r.pipeline!.steps.find((s) => s.id === id) as Step & Record<string, never>;
/** A value as a template, maps and lists as plain JSON of templates. */
const show = (v: Value): unknown =>
  v.kind === "map" ? Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, show(x)])) : v.kind === "list" ? v.items.map(show) : printTemplate(v);
const payload = (s: Step) => (s.kind === "lambda" ? (s.payload_value ? show(s.payload_value) : Object.fromEntries(Object.entries(s.payload).map(([k, x]) => [k, show(x)]))) : undefined);

/** Every Task state of a machine (branches too): its function ARN when it is the resource (given its input, answering its result). */
function functions(def: any, out = new Map<string, string | undefined>()): Map<string, string | undefined> {
  for (const [name, st] of Object.entries<any>(def.States)) {
    if (st.Type === "Task") out.set(name, String(st.Resource).startsWith("arn:aws:lambda:") ? st.Resource : undefined);
    for (const b of st.Branches ?? []) functions(b, out);
  }
  return out;
}

/** The payloads each function is called with in one run, by function; each answers `answers[function]` (an Error is thrown). */
async function payloads(def: any, input: unknown, answers: Record<string, unknown>) {
  const seen: Array<[string, unknown]> = [];
  const handlers: Record<string, (i: any) => unknown> = {};
  for (const [name, plain] of functions(def)) {
    handlers[name] = (i) => {
      const key = String(plain ?? i.FunctionName).split(":").pop()!;
      // A copy: the local runner's States.JsonMerge writes into its first argument (the execution input, here) in place.
      seen.push([key, structuredClone(plain ? i : i.Payload)]);
      if (answers[key] instanceof Error) throw answers[key];
      return plain ? answers[key] : { Payload: answers[key], StatusCode: 200 };
    };
  }
  const r = await run(def, input, handlers);
  return { status: r.status, error: r.error, cause: r.cause, seen };
}

async function sameRuns(r: ReturnType<typeof lift>, states: Record<string, unknown>, input: unknown, answers: Record<string, unknown>) {
  const again = lower(r.pipeline!);
  expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // The local runner marks up the definition it is given: run a copy.
  const before = await payloads(structuredClone({ StartAt: Object.keys(states)[0], States: states }), input, answers);
  const after = await payloads(again.definition, input, answers);
  expect(after).toEqual(before);
  return before;
}

describe("a Pass state that shapes data", () => {
  // A request built by a Pass from a literal, the function's answer, the run's input and a list; merged at $.req.
  const BUILD = {
    Score: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("score"), Payload: { "data.$": "$.data" } }, ResultPath: "$.score", Next: "Build" },
    Build: { Type: "Pass", Parameters: { model: "m1", "answer.$": "$.score.Payload", "info.$": "$.score.Payload.info", "detail.$": "$.detail", tags: ["a", { "k.$": "$.data" }] }, ResultPath: "$.req", Next: "Use" },
    Use: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: FN("use"), Payload: { "value.$": "$.req.answer.value", "deep.$": "$.req.info.deep", "region.$": "$.req.detail.region", "model.$": "$.req.model", "tag.$": "$.req.tags[1].k", "all.$": "$.req" } },
      End: true,
    },
  };

  test("Parameters merged by ResultPath: reads through it reach the step's response, the run's input and the literals; the Pass is no step", async () => {
    const r = lift(BUILD);
    expect(errors(r)).toEqual([]);
    // `$.data` goes where any JSON goes: typed string by default, which the lift says.
    expect(remarks(r)).toEqual([
      "$: input field 'data' is read as a string parameter, as nothing in the machine says its type: a run whose input gives another type (an object, a number) is refused by the lifted pipeline; give the parameter its type",
    ]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["Score", "Use"]);
    expect(payload(step(r, "Use"))).toEqual({
      value: "${{ steps.Score.response.value }}",
      deep: "${{ steps.Score.response.info.deep }}",
      region: "${{ execution.input.detail.region }}",
      model: "m1",
      tag: "${{ params.data }}",
      all: { model: "m1", answer: "${{ steps.Score.response }}", info: "${{ steps.Score.outputs.info }}", detail: "${{ execution.input.detail }}", tags: ["a", { k: "${{ execution.input.data }}" }] },
    });
    const answer = { value: 0.7, info: { deep: "x" } };
    const ran = await sameRuns(r, BUILD, { data: "d1", detail: { region: "eu-west-1" } }, { score: answer, use: {} });
    expect(ran.status).toBe("SUCCEEDED");
    expect(ran.seen[1]).toEqual([
      "use",
      { value: 0.7, deep: "x", region: "eu-west-1", model: "m1", tag: "d1", all: { model: "m1", answer, info: { deep: "x" }, detail: { region: "eu-west-1" }, tags: ["a", { k: "d1" }] } },
    ]);
  });

  test("Result replaces the data: a function given its input receives that document, merged with a result written after it", async () => {
    const states = {
      Start: { Type: "Pass", Result: { a: 1, b: { c: "x", d: [true, null] } }, Next: "First" },
      First: { Type: "Task", Resource: FN("first"), ResultPath: "$.out", Next: "Second" },
      Second: { Type: "Task", Resource: FN("second"), End: true },
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(remarks(r)).toEqual([]);
    expect(payload(step(r, "First"))).toEqual({ a: "${{ 1 }}", b: { c: "x", d: ["${{ true }}", "${{ null }}"] } });
    expect(payload(step(r, "Second"))).toEqual({ a: "${{ 1 }}", b: { c: "x", d: ["${{ true }}", "${{ null }}"] }, out: "${{ steps.First.response }}" });
    const ran = await sameRuns(r, states, {}, { first: { n: 2 }, second: {} });
    expect(ran.seen).toEqual([
      ["first", { a: 1, b: { c: "x", d: [true, null] } }],
      ["second", { a: 1, b: { c: "x", d: [true, null] }, out: { n: 2 } }],
    ]);
  });

  test("InputPath, a nested ResultPath and OutputPath; Choice, Wait and Fail read through what the Pass built", async () => {
    const states = {
      Start: { Type: "Pass", Result: { b: { c: "too slow", wait: 5 } }, Next: "Shape" },
      Shape: { Type: "Pass", InputPath: "$.b", Parameters: { "n.$": "$.c", "s.$": "$.wait", "id.$": "$$.Execution.Input.id" }, ResultPath: "$.x.y", OutputPath: "$.x", Next: "Gate" },
      Gate: { Type: "Choice", Choices: [{ Variable: "$.y.id", StringEquals: "go", Next: "Pause" }], Default: "Stop" },
      Pause: { Type: "Wait", SecondsPath: "$.y.s", Next: "Call" },
      Call: { Type: "Task", Resource: FN("call"), End: true },
      Stop: { Type: "Fail", Error: "Stop", CausePath: "$.y.n" },
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    const gate = step(r, "Gate");
    expect(gate.kind === "condition" && printTemplate(gate.if)).toBe("${{ params.id == 'go' }}");
    expect(step(r, "Pause")).toMatchObject({ kind: "wait", seconds: { kind: "literal", value: 5 } });
    expect(step(r, "Stop")).toMatchObject({ kind: "fail", message: { kind: "literal", value: "too slow" } });
    expect(payload(step(r, "Call"))).toEqual({ y: { n: "too slow", s: "${{ 5 }}", id: "${{ execution.input.id }}" } });
    const ran = await sameRuns(r, states, { id: "go" }, { call: {} });
    expect(ran.seen).toEqual([["call", { y: { n: "too slow", s: 5, id: "go" } }]]);
    const stopped = await sameRuns(r, states, { id: "stop" }, { call: {} });
    expect([stopped.status, stopped.error, stopped.cause, stopped.seen]).toEqual(["FAILED", "Stop", "too slow", []]);
  });

  test("a comparison types a parameter first read through a Pass", () => {
    const r = lift({
      Keep: { Type: "Pass", Parameters: { "limit.$": "$.limit" }, ResultPath: "$.cfg", Next: "Gate" },
      Gate: { Type: "Choice", Choices: [{ Variable: "$.cfg.limit", NumericGreaterThan: 3, Next: "Go" }], Default: "Done" },
      Go: { Type: "Task", Resource: FN("go"), Parameters: { "limit.$": "$.cfg.limit" }, End: true },
      Done: { Type: "Succeed" },
    });
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.parameters.map((p) => [p.name, p.type])).toEqual([["limit", "float"]]);
  });

  test("in a Parallel branch and in a failure handler it works the same way", async () => {
    const states = {
      Score: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: FN("score"), Payload: { "data.$": "$.data" } },
        ResultSelector: { "s.$": "$.Payload.score" },
        ResultPath: "$.score",
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Explain" }],
        Next: "Both",
      },
      Explain: { Type: "Pass", Parameters: { what: "scoring failed", "data.$": "$.data" }, ResultPath: "$.note", Next: "Notify" },
      Notify: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("notify"), "Payload.$": "$.note" }, ResultPath: null, Next: "Failed" },
      Failed: { Type: "Fail", Error: "Failed", Cause: "scoring failed" },
      Both: {
        Type: "Parallel",
        Branches: [{ StartAt: "Prep", States: { Prep: { Type: "Pass", Parameters: { "s.$": "$.score.s", tag: "left" }, Next: "Left" }, Left: { Type: "Task", Resource: FN("left"), End: true } } }],
        End: true,
      },
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["Score", "Notify", "Failed", "Left"]);
    expect(payload(step(r, "Notify"))).toEqual({ what: "scoring failed", data: "${{ execution.input.data }}" });
    expect(payload(step(r, "Left"))).toEqual({ s: "${{ steps.Score.outputs.score }}", tag: "left" });
    const ok = await sameRuns(r, states, { data: "d" }, { score: { score: 0.9 }, left: {} });
    expect(ok.seen).toEqual([["score", { data: "d" }], ["left", { s: 0.9, tag: "left" }]]);
    // The scoring fails: the handler notifies with what the Pass built, and the run fails.
    const failed = await sameRuns(r, states, { data: "d" }, { score: awsError("Lambda.Unknown"), notify: {} });
    expect([failed.status, failed.error]).toEqual(["FAILED", "Failed"]);
    expect(failed.seen).toEqual([["score", { data: "d" }], ["notify", { what: "scoring failed", data: "d" }]]);
  });

  test("what cannot be held is refused by name, each problem once, and the Pass is not blamed for reads of what it could not build", () => {
    const r = lift({
      Build: { Type: "Pass", Parameters: { "id.$": "States.MathRandom(1, 9)", m: "m1" }, ResultPath: "$.req", Next: "Query" },
      Query: { Type: "Pass", InputPath: "$..items", ResultPath: "$.q", Next: "Assigns" },
      Assigns: { Type: "Pass", Parameters: { x: 1 }, Assign: { v: 1 }, ResultPath: "$.a", Next: "Deep" },
      Deep: { Type: "Pass", Parameters: { x: 1 }, ResultPath: "$.detail.extra", Next: "Known" },
      Known: { Type: "Pass", Parameters: { x: 1 }, ResultPath: "$.k", Next: "Literal" },
      Literal: { Type: "Pass", Result: { ok: { "path.$": "$.x" } }, ResultPath: "$.lit", Next: "Fixed" },
      Fixed: { Type: "Choice", Choices: [{ Variable: "$.k.x", NumericEquals: 1, Next: "Use" }], Default: "Done" },
      Done: { Type: "Succeed" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "a.$": "$.k.x.y", "b.$": "$.k.nope", "c.$": "$.req.m", "d.$": "$.q.items" }, End: true },
    });
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([
      "$.States.Build.Parameters['id.$']: States.MathRandom(1, 9): intrinsic States.MathRandom computes a random number at run time, which the IR cannot hold: its expressions call only the functions exists(), split(), item(), length(), uuid(), json(), parse(), set(), object(), matches(), get(), add_days(), default()",
      "$.States.Query.InputPath: InputPath '$..items' is a JSONPath query (a '..' descent, a filter, a wildcard or a slice), which the IR cannot hold: only plain paths ($.a.b, $['k'], $[0]) are read",
      "$.States.Assigns.Assign: field 'Assign' of a Pass state has no IR equivalent",
      "$.States.Literal.Result.ok['path.$']: the literal key 'path.$' ends in '.$': the IR cannot hold it, since written into a request again Step Functions would read it as a path",
      "$.States.Fixed.Choices[0].Variable: Variable '$.k.x' reads 1, a constant a Pass state set, so the rule is decided before the run; the IR keeps no condition on two constants",
      "$.States.Use.Parameters['a.$']: path '$.k.x.y' reads '$.x.y' below the literal 1 ('$.x' of the data Pass state 'Known' built)",
      "$.States.Use.Parameters['b.$']: path '$.k.nope' reads '$.nope', which the data Pass state 'Known' built does not hold (a run fails there)",
    ]);
  });

  test("a Pass without Parameters or Result passes its input on: below InputPath, at a key, or emptied by OutputPath null", async () => {
    const states = {
      Copy: { Type: "Pass", InputPath: "$.detail", ResultPath: "$.copy", Next: "Call" },
      Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("call"), "Payload.$": "$.copy.tags" }, ResultPath: null, Next: "Empty" },
      Empty: { Type: "Pass", OutputPath: null, Next: "Last" },
      Last: { Type: "Task", Resource: FN("last"), End: true },
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(remarks(r)).toEqual([]);
    expect(payload(step(r, "Call"))).toBe("${{ execution.input.detail.tags }}");
    expect(payload(step(r, "Last"))).toEqual({});
    const ran = await sameRuns(r, states, { detail: { id: 3, tags: ["a"] } }, { call: {}, last: {} });
    expect(ran.seen).toEqual([["call", ["a"]], ["last", {}]]);
    const bad = lift({ Copy: { Type: "Pass", InputPath: "$$.Execution.Input", Next: "Last" }, Last: states.Last });
    expect(errors(bad)).toEqual(["$.States.Copy.InputPath: InputPath '$$.Execution.Input' cannot be read as a plain path of the state data ($.a.b, $['k'], $[0])"]);
  });

  test("a ResultSelector with constants beside its paths builds an object known key by key, read whole and by key", async () => {
    const states = {
      Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("ask"), Payload: { q: 1 } }, ResultSelector: { kind: "short", "answer.$": "$.Payload.text", meta: { v: 2 } }, ResultPath: "$.r", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "kind.$": "$.r.kind", "all.$": "$.r" }, End: true },
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(payload(step(r, "Use"))).toEqual({ kind: "short", all: { kind: "short", answer: "${{ steps.Ask.outputs.text }}", meta: { v: "${{ 2 }}" } } });
    const ran = await sameRuns(r, states, {}, { ask: { text: "hi" }, use: {} });
    expect(ran.seen.at(-1)).toEqual(["use", { kind: "short", all: { kind: "short", answer: "hi", meta: { v: 2 } } }]);
  });

  test("reads below a reference that has no path, and into data nothing describes, are refused", async () => {
    const r = lift({
      Train: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("f"), Payload: {} }, ResultSelector: { "v.$": "$.Payload.v" }, ResultPath: "$.t", Next: "Both" },
      // A branch that ends with other data on each way through it.
      Both: {
        Type: "Parallel",
        Branches: [{ StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a", Next: "B" }], Default: "D" }, B: { Type: "Task", Resource: FN("b"), Parameters: {}, End: true }, D: { Type: "Pass", End: true } } }],
        ResultPath: "$.both",
        Next: "Keep",
      },
      Keep: { Type: "Pass", Parameters: { "when.$": "$$.Execution.StartTime", "first.$": "$.both[0]" }, ResultPath: "$.k", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "a.$": "$.k.when.day" }, End: true },
    });
    expect(errors(r)).toEqual([
      "$.States.Keep.Parameters['first.$']: path '$.both[0]' reads what branch 0 of Parallel state 'Both' ends with, which differs by the way it took",
    ]);
    const r2 = lift({
      Keep: { Type: "Pass", Parameters: { "when.$": "$$.Execution.StartTime" }, ResultPath: "$.k", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "a.$": "$.k.when.day" }, End: true },
    });
    expect(errors(r2)).toEqual(["$.States.Use.Parameters['a.$']: path '$.k.when.day' reads '$.day' below the execution's start_time ('$.when' of the data Pass state 'Keep' built), which has no parts the IR can name"]);
    // Writing below a key of what a Pass built needs an object there; reads of what could not be written are not refused again.
    const r3 = lift({
      Keep: { Type: "Pass", Parameters: { "when.$": "$$.Execution.StartTime", n: 1 }, ResultPath: "$.k", Next: "Into" },
      Into: { Type: "Pass", Result: "r", ResultPath: "$.k.when.y", Next: "Again" },
      Again: { Type: "Pass", Result: "r", ResultPath: "$.n.y", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "a.$": "$.k.when.y" }, End: true },
    });
    expect(errors(r3)).toEqual(["$.States.Into.ResultPath: ResultPath '$.k.when.y' writes below a value in '$.k' that is not an object known key by key"]);
    // Written below a key of the run's input: what was written is read as written, any other member as the input's own,
    // and the whole is the input's object with the key set (the object written there replacing what was below it).
    const deep = {
      Deep: { Type: "Pass", Parameters: { "x.$": "$.mode" }, ResultPath: "$.detail.extra", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "a.$": "$.detail.extra.x", "b.$": "$.detail.day", "c.$": "$.detail" }, End: true },
    };
    const r4 = lift(deep);
    expect(errors(r4)).toEqual([]);
    expect(remarks(r4)).toContain("$.States.Use.Parameters['c.$']: '$.detail' is read as the run's input's object there with what ResultPath wrote set into it: a run whose input has no object at '$.detail' (or below it, where results were written deeper) fails there, where Step Functions would create it");
    expect(printExpr((r4.pipeline!.steps[0] as Extract<Step, { kind: "lambda" }>).payload.c)).toBe("set(execution.input.detail, 'extra', object('x', execution.input.mode))");
    const ran = await sameRuns(r4, deep, { mode: "fast", detail: { day: "mon", extra: { old: 1 } } }, { use: {} });
    expect(ran.seen).toEqual([["use", { a: "fast", b: "mon", c: { day: "mon", extra: { x: "fast" } } }]]);
    // Written through objects below a step's result: set() of each key on the way, the rest of the result kept.
    const through = {
      Start: { Type: "Task", Resource: FN("start"), ResultPath: "$.body.job", Next: "Tables" },
      Tables: { Type: "Task", Resource: FN("tables"), ResultPath: "$.body.job.details.tables", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "status.$": "$.body.job.details.status", "body.$": "$.body" }, End: true },
    };
    const r6 = lift(through);
    expect(errors(r6)).toEqual([]);
    const use6 = r6.pipeline!.steps.find((s) => s.id === "Use") as Extract<Step, { kind: "lambda" }>;
    expect(printExpr(use6.payload.status)).toBe("steps.Start.response.details.status");
    expect(printExpr(use6.payload.body)).toBe("set(execution.input.body, 'job', set(steps.Start.response, 'details', set(steps.Start.response.details, 'tables', steps.Tables.response)))");
    const ran6 = await sameRuns(r6, through, { body: { team: "a" } }, { start: { id: "j1", details: { status: "DONE", at: 3 } }, tables: ["t1"], use: {} });
    expect(ran6.seen.at(-1)).toEqual(["use", { status: "DONE", body: { team: "a", job: { id: "j1", details: { status: "DONE", at: 3, tables: ["t1"] } } } }]);
    const r5 = lift({
      Deep: { Type: "Pass", Parameters: { "x.$": "$.mode" }, ResultPath: "$.detail.extra", Next: "Use" },
      Use: { Type: "Task", Resource: FN("use"), Parameters: { "a.$": "$.detail.extra.x", "b.$": "$.detail.day" }, End: true },
    });
    expect(errors(r5)).toEqual([]);
    const use = r5.pipeline!.steps[0] as Extract<Step, { kind: "lambda" }>;
    expect(Object.values(use.payload).map((v) => printExpr(v))).toEqual(["params.mode", "execution.input.detail.day"]);
  });
});
