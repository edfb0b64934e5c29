/**
 * Data that a Parallel state, a Choice state's InputPath or a whole
 * lambda:invoke result hands on: lifted where the IR can name it (each
 * machine run before and after lifting, the functions given the same
 * payloads), refused by name where it cannot.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printTemplate } from "../../../src/ir/expr/print.js";
import type { Step, Value } from "../../../src/ir/types.js";
import { lower, run } from "./support.js";

const FN = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const machine = (states: Record<string, unknown>) => ({ StartAt: Object.keys(states)[0], States: states });
const lift = (states: Record<string, unknown>) => backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine(states), null, 2) });
const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).replace(/^m\.asl\.json:\d+:\d+: error: /, ""));
const warnings = (r: ReturnType<typeof lift>) =>
  r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message).filter((m) => !m.startsWith("$: the execution's output") && !m.startsWith("$: outputs and code will live under") && !m.includes("read as a string parameter"));
const step = (r: ReturnType<typeof lift>, id: string) => r.pipeline!.steps.find((s) => s.id === id)!;
const show = (v: Value): unknown => (v.kind === "map" ? Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, show(x)])) : v.kind === "list" ? v.items.map(show) : printTemplate(v));
const payloadOf = (s: Step) => (s.kind === "lambda" ? (s.payload_value ? show(s.payload_value) : Object.fromEntries(Object.entries(s.payload).map(([k, x]) => [k, show(x)]))) : undefined);
const invoke = (fn: string, payload: unknown, rest: Record<string, unknown> = {}) => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN(fn), Payload: payload }, ...rest });

/** Every Task of a machine, branches too: each a lambda:invoke answering `answers[function]`; the payloads sent, in order. */
async function payloads(def: any, input: unknown, answers: Record<string, unknown>) {
  const seen: Array<[string, unknown]> = [];
  const handlers: Record<string, (i: any) => unknown> = {};
  const visit = (d: any) => {
    for (const [name, st] of Object.entries<any>(d.States)) {
      if (st.Type === "Task") {
        handlers[name] = (i) => {
          const key = String(i.FunctionName).split(":").pop()!;
          seen.push([key, structuredClone(i.Payload)]);
          return { ExecutedVersion: "$LATEST", Payload: answers[key], SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: "r-1" }, StatusCode: 200 };
        };
      }
      for (const b of st.Branches ?? []) visit(b);
    }
  };
  visit(def);
  const r = await run(def, input, handlers);
  return { status: r.status, error: r.error, seen };
}

async function sameRuns(r: ReturnType<typeof lift>, states: Record<string, unknown>, input: unknown, answers: Record<string, unknown>) {
  const again = lower(r.pipeline!);
  expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const before = await payloads(structuredClone(machine(states)), input, answers);
  const after = await payloads(again.definition, input, answers);
  expect(before.status).toBe("SUCCEEDED");
  expect(after).toEqual(before);
  return before;
}

describe("a Parallel state's output", () => {
  // Two branches: one passes the input on with a result written into it, the other ends with a function's answer.
  const BRANCHES = [
    { StartAt: "Left", States: { Left: invoke("left", { "id.$": "$.id" }, { ResultPath: "$.left", End: true }) } },
    { StartAt: "Right", States: { Right: invoke("right", { "id.$": "$.id" }, { OutputPath: "$.Payload", End: true }) } },
  ];

  test("a ResultSelector reads each branch's data ($[i] and $.[i]) and keeps its constants; the object replaces the data", async () => {
    const states = {
      Both: { Type: "Parallel", Branches: BRANCHES, ResultSelector: { "id.$": "$[0].id", "left.$": "$.[0].left.Payload.v", "right.$": "$[1].score", "whole.$": "$[1]", bucket: "b-1" }, Next: "Use" },
      Use: invoke("use", { "all.$": "$", "id.$": "$.id" }, { End: true }),
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([]);
    expect(payloadOf(step(r, "Use"))).toEqual({
      all: { id: "${{ execution.input.id }}", left: "${{ steps.Left.outputs.v }}", right: "${{ steps.Right.outputs.score }}", whole: "${{ steps.Right.response }}", bucket: "b-1" },
      id: "${{ execution.input.id }}",
    });
    // `$.[0]` is Step Functions' spelling the local runner refuses: the original runs with `$[0]`.
    const runnable = structuredClone(states) as any;
    runnable.Both.ResultSelector["left.$"] = "$[0].left.Payload.v";
    const ran = await sameRuns(r, runnable, { id: "x-1" }, { left: { v: 1 }, right: { score: 0.5 }, use: {} });
    expect(ran.seen.at(-1)).toEqual(["use", { all: { id: "x-1", left: 1, right: 0.5, whole: { score: 0.5 }, bucket: "b-1" }, id: "x-1" }]);
  });

  test("written at a key with ResultPath, the rest of the data is the input's still", async () => {
    const states = {
      Both: { Type: "Parallel", Branches: BRANCHES, ResultSelector: { "r.$": "$[1].score" }, ResultPath: "$.both", Next: "Use" },
      Use: invoke("use", { "id.$": "$.id", "r.$": "$.both.r" }, { End: true }),
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(payloadOf(step(r, "Use"))).toEqual({ id: "${{ execution.input.id }}", r: "${{ steps.Right.outputs.score }}" });
    await sameRuns(r, states, { id: "x-2" }, { left: {}, right: { score: 0.25 }, use: {} });
  });

  test("without a ResultSelector, the output is the list of the branches' data: read item by item, or whole", async () => {
    const states = {
      Both: { Type: "Parallel", Branches: BRANCHES, ResultPath: "$.both", Next: "Use" },
      Use: invoke("use", { "id.$": "$.id", "b.$": "$.both[1].score", "left.$": "$.both[0].left.Payload" }, { End: true }),
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(payloadOf(step(r, "Use"))).toEqual({ id: "${{ execution.input.id }}", b: "${{ steps.Right.outputs.score }}", left: "${{ steps.Left.response }}" });
    const ran = await sameRuns(r, states, { id: "x-3" }, { left: { v: 2 }, right: { score: 0.75 }, use: {} });
    expect(ran.seen.at(-1)).toEqual(["use", { id: "x-3", b: 0.75, left: { v: 2 } }]);
    // The whole list, where each branch ends with a function's answer.
    const plain = {
      Both: { Type: "Parallel", Branches: [{ StartAt: "L", States: { L: invoke("left", {}, { OutputPath: "$.Payload", End: true }) } }, BRANCHES[1]], Next: "Use" },
      Use: invoke("use", { "all.$": "$" }, { End: true }),
    };
    const whole = lift(plain);
    expect(errors(whole)).toEqual([]);
    expect(payloadOf(step(whole, "Use"))).toEqual({ all: ["${{ steps.L.response }}", "${{ steps.Right.response }}"] });
    const both = await sameRuns(whole, plain, { id: "x-4" }, { left: { v: 3 }, right: { score: 0.5 }, use: {} });
    expect(both.seen.at(-1)).toEqual(["use", { all: [{ v: 3 }, { score: 0.5 }] }]);
    // A member of the list, or an item past its end, is no branch's data.
    const wrong = { ...states, Use: invoke("use", { "a.$": "$.both.score", "b.$": "$.both[2]" }, { End: true }) };
    expect(errors(lift(wrong))).toEqual([
      "$.States.Use.Parameters.Payload['a.$']: path '$.both.score' reads 'score' of the output of Parallel state 'Both', which is a list (one item per branch)",
      "$.States.Use.Parameters.Payload['b.$']: path '$.both[2]' reads item 2 of the output of Parallel state 'Both', which has 2 branches",
    ]);
  });

  test("what the IR cannot name is refused at the field (a branch that ends two ways, a branch that is not there, a query, a path below a constant), and not again where the object is read", () => {
    const twoWays = {
      StartAt: "Pick",
      States: {
        Pick: { Type: "Choice", Choices: [{ Variable: "$.id", StringEquals: "a", Next: "A" }], Default: "B" },
        A: invoke("a", {}, { End: true }),
        B: invoke("b", {}, { End: true }),
      },
    };
    const states = {
      Both: { Type: "Parallel", Branches: [twoWays, BRANCHES[1]], ResultSelector: { "x.$": "$[0].Payload", "y.$": "$[2].id", "z.$": "$[?(@.id)]", deep: { "w.$": "$[1].score" } }, Next: "Use" },
      Use: invoke("use", { "all.$": "$" }, { End: true }),
    };
    expect(errors(lift(states)).sort()).toEqual([
      "$.States.Both.ResultSelector.deep['w.$']: path '$[1].score' reads data whose meaning is unknown here (the output of Parallel state 'Both' (the list of its branches' data; a ResultSelector field reads one branch, as '$[0].key'))",
      "$.States.Both.ResultSelector['x.$']: '$[0].Payload' reads what branch 0 of Parallel state 'Both' ends with, which differs by the way it took (or is refused)",
      "$.States.Both.ResultSelector['y.$']: '$[2].id' reads branch 2, and Parallel state 'Both' has 2",
      "$.States.Both.ResultSelector['z.$']: a ResultSelector field of a Parallel state whose value is not a plain path into one branch's data (\"$[?(@.id)]\"; '$[0].key' reads branch 0) has no IR equivalent",
    ]);
  });
});

describe("a Choice state's InputPath", () => {
  test("the rules read below it, and the data below it is what the next state is given", async () => {
    const states = {
      Describe: invoke("describe", { "id.$": "$.id" }, { ResultPath: "$.status", Next: "Gate" }),
      Gate: { Type: "Choice", InputPath: "$.status.Payload.versions[0]", Choices: [{ Variable: "$.score", NumericGreaterThanEquals: 0.8, Next: "Deploy" }], Default: "Skip" },
      Deploy: invoke("deploy", { "arn.$": "$.arn", "all.$": "$" }, { End: true }),
      Skip: { Type: "Pass", End: true },
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    const gate = step(r, "Gate");
    expect(gate.kind === "condition" && printTemplate(gate.if)).toBe("${{ steps.Describe.response.versions[0].score >= 0.8 }}");
    expect(payloadOf(step(r, "Deploy"))).toEqual({ arn: "${{ steps.Describe.response.versions[0].arn }}", all: "${{ steps.Describe.response.versions[0] }}" });
    for (const score of [0.9, 0.5]) {
      const ran = await sameRuns(r, states, { id: "m-1" }, { describe: { versions: [{ score, arn: "arn:v1" }] }, deploy: {} });
      expect(ran.seen.map(([k]) => k)).toEqual(score > 0.8 ? ["describe", "deploy"] : ["describe"]);
    }
  });

  test("an InputPath that is a query is refused at it", () => {
    const states = {
      Gate: { Type: "Choice", InputPath: "$..versions", Choices: [{ Variable: "$[0].score", NumericGreaterThan: 1, Next: "Done" }], Default: "Done" },
      Done: { Type: "Succeed" },
    };
    expect(errors(lift(states))).toEqual([`$.States.Gate.InputPath: InputPath "$..versions" of a Choice state has no IR equivalent: only plain paths ($.a.b, $.a[0]) are read`]);
  });
});

describe("a Wait state's OutputPath", () => {
  test("narrows the data the next state is given", async () => {
    const states = {
      Start: invoke("start", { "name.$": "$.name" }, { ResultPath: "$.job", Next: "Pause" }),
      Pause: { Type: "Wait", Seconds: 5, OutputPath: "$.job.Payload", Next: "Use" },
      Use: invoke("use", { "id.$": "$.id", "all.$": "$" }, { End: true }),
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(payloadOf(step(r, "Use"))).toEqual({ id: "${{ steps.Start.response.id }}", all: "${{ steps.Start.response }}" });
    const ran = await sameRuns(r, states, { name: "n-1" }, { start: { id: "j-1" }, use: {} });
    expect(ran.seen.at(-1)).toEqual(["use", { id: "j-1", all: { id: "j-1" } }]);
  });
});

describe("a whole lambda:invoke result passed on", () => {
  test("is its Payload under the same key, with a warning naming the metadata left out", async () => {
    const states = {
      Classify: invoke("classify", { "doc.$": "$.doc" }, { ResultPath: "$.classified", Next: "Extract" }),
      Extract: invoke("extract", { "input.$": "$" }, { End: true }),
    };
    const r = lift(states);
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      "$.States.Extract.Parameters.Payload['input.$']: this passes on the whole lambda:invoke result of 'Classify' (ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode); the lifted pipeline passes {\"Payload\": ...} alone, so a function that reads ExecutedVersion, SdkHttpMetadata, SdkResponseMetadata, StatusCode there finds them missing",
    ]);
    expect(payloadOf(step(r, "Extract"))).toEqual({ input: "${{ set(execution.input, 'classified', object('Payload', steps.Classify.response)) }}" });
    const answers = { classify: { class: "x" }, extract: {} };
    const before = await payloads(structuredClone(machine(states)), { doc: "d-1" }, answers);
    const after = await payloads(lower(r.pipeline!).definition, { doc: "d-1" }, answers);
    // Before: the whole result; after: its Payload alone, as the warning says.
    expect((before.seen[1][1] as any).input.classified).toMatchObject({ Payload: { class: "x" }, StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(after.seen[1]).toEqual(["extract", { input: { doc: "d-1", classified: { Payload: { class: "x" } } } }]);
  });
});
