/**
 * The run's input (`execution.input`) and a step's response (`steps.S.response`)
 * in Step Functions: lowered to `$$.Execution.Input` paths and results kept
 * under `$.steps.<id>.response`, executed; and lifted from hand-written
 * machines whose Lambda functions receive the whole state data.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { printTemplate } from "../../../src/ir/expr/print.js";
import { DATAFLOW } from "./pipelines.js";
import { lambdaInvoke, sagemaker } from "./services.js";
import { aslValidator, languageService, lower, run, yaml, type Handler } from "./support.js";

/** A training job's Describe result, with the algorithm it ran. */
const describeTraining: Handler = (i) => ({ ...(sagemaker.training()(i) as object), AlgorithmSpecification: i.AlgorithmSpecification });

const EVENT = { detail: { bucket: { name: "raw-data" }, Tags: { "auto-maintain": "true" }, state: { value: "ALARM" } } };

describe("lowering", () => {
  const out = lower(yaml(DATAFLOW, "dataflow.yaml"));
  const states = out.definition.States;
  const handlers = (published: any[]): Record<string, Handler> => ({
    gen: lambdaInvoke((p) => ({ body: { "train uri": `s3://bucket/${p.detail.bucket.name}/train` } })),
    train: describeTraining,
    note: lambdaInvoke((p) => ({ body: { text: `job ${p.TrainingJobStatus}` } })),
    "each_0": lambdaInvoke((p) => ({ count: p.which === "a" ? 1 : 2 })),
    "each_1": lambdaInvoke((p) => ({ count: p.which === "a" ? 1 : 2 })),
    report: lambdaInvoke(() => ({})),
    confirm: lambdaInvoke(() => ({})),
    call: (i) => {
      published.push(i);
      return { MessageId: "m-1" };
    },
  });

  test("valid ASL for both validators", async () => {
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(out.files[0].contents)).toEqual([]);
  });

  test("paths: the run's input under $$.Execution.Input, a response under $.steps.<id>.response, keys quoted when they must be", () => {
    expect(states.gen.Parameters["Payload.$"]).toBe("$$.Execution.Input");
    expect(states.note.Parameters["Payload.$"]).toBe("$.steps.train.response");
    expect(states.train.Parameters.InputDataConfig[0].DataSource.S3DataSource["S3Uri.$"]).toBe("States.Format('{}', $.steps.gen.response.body['train uri'])");
    expect(states.train.Parameters.HyperParameters["tag.$"]).toBe("States.Format('{}', $$.Execution.Input.detail.Tags.auto-maintain)");
    expect(states.gate.Choices[0]).toEqual({ Variable: "$$.Execution.Input.detail.state.value", StringEquals: "ALARM", Next: "call" });
    expect(states.call.Parameters["Subject.$"]).toBe("$.steps.train.response.AlgorithmSpecification.TrainingImage");
  });

  test("a task's whole result is kept only for steps whose response is read: a Lambda's Payload, a job's Describe result", () => {
    expect(states.gen.ResultSelector).toEqual({ outputs: {}, "response.$": "$.Payload" });
    expect(states.train.ResultSelector).toEqual({ "model.$": "$.ModelArtifacts.S3ModelArtifacts", "job_name.$": "$.TrainingJobName", "response.$": "$" });
    expect(states.call.ResultSelector).toEqual({ outputs: {}, "response.$": "$" });
    expect(states.confirm.ResultSelector).toEqual({ outputs: {} });
    expect(states.each.Branches[0].States["each_0"].ResultSelector).toEqual({ outputs: {}, "response.$": "$.Payload" });
  });

  test("executed: each task gets the data the references name", async () => {
    const published: any[] = [];
    const r = await run(out.definition, EVENT, handlers(published));
    expect(r.status, `${r.error}: ${r.cause}`).toBe("SUCCEEDED");
    expect(r.inputs.gen[0].Payload).toEqual(EVENT);
    const train = r.inputs.train[0];
    expect(train.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toBe("s3://bucket/raw-data/train");
    expect(train.HyperParameters).toEqual({ bucket: "raw-data", tag: "true" });
    // The function is given the training job's Describe result, as the integration returned it.
    expect(r.inputs.note[0].Payload).toEqual(describeTraining(train));
    // A foreach step's response is one value per item, in item order.
    expect(r.inputs.report[0].Payload).toEqual({ counts: [1, 2] });
    // An API response member, as a payload that is one value.
    expect(r.inputs.confirm[0].Payload).toBe("m-1");
    expect(published).toEqual([
      {
        TopicArn: "arn:aws:sns:eu-west-1:111122223333:t",
        Message: "job Completed",
        Subject: train.AlgorithmSpecification.TrainingImage,
      },
    ]);
  });

  test("executed: the condition reads the run's input", async () => {
    const published: any[] = [];
    const r = await run(out.definition, { ...EVENT, detail: { ...EVENT.detail, state: { value: "OK" } } }, handlers(published));
    expect(r.status).toBe("SUCCEEDED");
    // A foreach step's response is one value per item, in item order.
    expect(r.inputs.report[0].Payload).toEqual({ counts: [1, 2] });
    expect(published).toEqual([]);
    expect(r.inputs.confirm).toBeUndefined();
  });

  test("the machine lifts back to the same pipeline: the diff is empty", () => {
    const lifted = backend.lift!({ file: "machine.asl.json", text: out.files[0].contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(diffPipelines(yaml(DATAFLOW, "dataflow.yaml"), lifted.pipeline!)).toEqual([]);
  });

  test("keys with spaces, dots or letters of any script are quoted, and read at run time", async () => {
    const p = yaml(`version: 1
pipeline: quoted
region: eu-west-1
artifacts: s3://bucket/quoted
steps:
  call:
    type: lambda
    function: fn
    payload: { r: "\${{ execution.input['région'] }}", d: "\${{ execution.input.meta['a.b c'] }}" }
`);
    const q = lower(p);
    expect(q.diagnostics).toEqual([]);
    expect(q.definition.States.call.Parameters.Payload).toEqual({ "r.$": "$$.Execution.Input['région']", "d.$": "$$.Execution.Input.meta['a.b c']" });
    expect(aslValidator(q.definition)).toMatchObject({ isValid: true, errors: [] });
    const r = await run(q.definition, { région: "eu", meta: { "a.b c": 3 } }, { call: lambdaInvoke(() => ({})) });
    expect(r.inputs.call[0].Payload).toEqual({ r: "eu", d: 3 });
  });

  test("keys that cannot be written into a path are refused, naming the step and the key", () => {
    const r = lower(
      yaml(`version: 1
pipeline: keys
region: eu-west-1
artifacts: s3://bucket/keys
steps:
  gen:
    type: lambda
    function: fn
    payload: { a: "\${{ execution.input['a,b'] }}" }
  two:
    type: lambda
    function: fn
    payload: \${{ steps.gen.response.x['it''s'] }}
`),
    );
    expect(r.files).toEqual([]);
    expect(r.diagnostics.map((d) => [d.pos?.line, d.message]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [9, `step 'gen': key "a,b" in 'execution.input['a,b']' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`],
      [13, `step 'two': key "it's" in 'steps.gen.response.x['it\\'s']' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`],
    ]);
  });
});

const fn = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
type Obj = Record<string, any>;
const errors = (r: ReturnType<NonNullable<typeof backend.lift>>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).replace(/^m\.json:\d+:\d+: error: /, ""));
const lift = (states: Obj, start = "A") => backend.lift!({ file: "m.json", text: JSON.stringify({ StartAt: start, States: states }, null, 2) });

/** What each function does with its payload, as a function ARN resource or through lambda:invoke. */
const FUNCTIONS: Record<string, (p: any) => unknown> = {
  [fn("a")]: (p) => ({ body: { n: p.n + 1, job: "j-7" } }),
  [fn("b")]: (p) => ({ body: { n: p.body.n * 2 } }),
  [fn("c")]: (p) => ({ n: p.n + 3 }),
  [fn("d")]: (p) => ({ n: p.n * 10 }),
  [fn("e")]: (p) => p,
};

/** The calls a run makes: (function, payload), whichever resource form made them. */
async function invocations(def: Obj, input: unknown): Promise<Array<[string, unknown]>> {
  const seen: Array<[string, unknown]> = [];
  const handlers: Record<string, Handler> = {};
  for (const [name, st] of Object.entries<Obj>(def.States)) {
    if (st.Type !== "Task") continue;
    const plain = String(st.Resource).startsWith("arn:aws:lambda:");
    handlers[name] = (i) => {
      if (plain) {
        seen.push([st.Resource, i]);
        return FUNCTIONS[st.Resource](i);
      }
      seen.push([i.FunctionName, i.Payload]);
      return lambdaInvoke(FUNCTIONS[i.FunctionName])(i);
    };
  }
  // The executor writes into the definition it runs: it gets a copy.
  const r = await run(structuredClone(def), input, handlers);
  expect(r.status, `${r.error}: ${r.cause}`).toBe("SUCCEEDED");
  return seen;
}

describe("lifting Lambda functions that receive the state data", () => {
  const CHAIN: Obj = {
    A: { Type: "Task", Resource: fn("a"), Next: "B" },
    B: { Type: "Task", Resource: fn("b"), Next: "C" },
    C: { Type: "Task", Resource: fn("c"), InputPath: "$.body", Next: "D" },
    D: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn("d"), "Payload.$": "$" }, OutputPath: "$.Payload", Next: "E" },
    E: { Type: "Task", Resource: fn("e"), End: true },
  };

  test("the run's input, then each result that replaced the state data, below InputPath", async () => {
    const r = lift(CHAIN);
    expect(errors(r)).toEqual([]);
    const payloads = r.pipeline!.steps.map((s) => s.kind === "lambda" && s.payload_value && printTemplate(s.payload_value));
    // A top-level member of a function's result is one of its outputs, as the IR reads them.
    expect(payloads).toEqual(["${{ execution.input }}", "${{ steps.A.response }}", "${{ steps.B.outputs.body }}", "${{ steps.C.response }}", "${{ steps.D.response }}"]);
    const again = lower(r.pipeline!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
    // The same functions get the same payloads, function ARN and lambda:invoke alike.
    const before = await invocations({ StartAt: "A", States: CHAIN }, { n: 1 });
    expect(before.map(([, p]) => p)).toEqual([{ n: 1 }, { body: { n: 2, job: "j-7" } }, { n: 4 }, { n: 7 }, { n: 70 }]);
    expect(await invocations(again.definition, { n: 1 })).toEqual(before);
  });

  test("paths below a result with no IR attribute read the step's response; deeper input paths read the run's input", () => {
    const r = lift({
      A: { Type: "Task", Resource: fn("a"), Next: "B" },
      B: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn("b"), Payload: { "job.$": "$.body.job", "n.$": "$$.Execution.Input.detail.n" } }, End: true },
    });
    expect(errors(r)).toEqual([]);
    const b = r.pipeline!.steps[1];
    expect(b.kind === "lambda" && Object.values(b.payload).map((v) => printTemplate(v))).toEqual(["${{ steps.A.response.body.job }}", "${{ execution.input.detail.n }}"]);
  });

  test("state data with a result written into it is the input with the result set at its key; the same function gets the same payload", async () => {
    const states = { A: { Type: "Task", Resource: fn("a"), ResultPath: "$.a", Next: "B" }, B: { Type: "Task", Resource: fn("e"), End: true } };
    const merged = lift(states);
    expect(errors(merged)).toEqual([]);
    const b = merged.pipeline!.steps[1];
    expect(b.kind === "lambda" && b.payload_value && printTemplate(b.payload_value)).toBe("${{ set(execution.input, 'a', steps.A.response) }}");
    const again = lower(merged.pipeline!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const before = await invocations({ StartAt: "A", States: states }, { n: 1, a: "replaced" });
    expect(before.map(([, p]) => p)).toEqual([{ n: 1, a: "replaced" }, { n: 1, a: { body: { n: 2, job: "j-7" } } }]);
    expect(await invocations(again.definition, { n: 1, a: "replaced" })).toEqual(before);
  });

  test("state data below a key no ResultPath wrote is what it is; a lambda:invoke envelope passed on is its Payload, with a warning, and its other members are refused", () => {
    // Below InputPath, a key no ResultPath wrote is still the run's input.
    const below = lift({ A: { Type: "Task", Resource: fn("a"), ResultPath: "$.a", Next: "B" }, B: { Type: "Task", Resource: fn("b"), InputPath: "$.job", End: true } });
    expect(errors(below)).toEqual([]);
    const b = below.pipeline!.steps[1];
    expect(b.kind === "lambda" && b.payload_value && printTemplate(b.payload_value)).toBe("${{ execution.input.job }}");
    const envelope = lift({ D: { ...CHAIN.D, OutputPath: undefined, Next: "E" }, E: CHAIN.E }, "D");
    expect(errors(envelope)).toEqual([]);
    expect(envelope.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toContain(
      "$.States.E.Resource: this passes on the whole lambda:invoke result of 'D' (ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode); the lifted pipeline passes {\"Payload\": ...} alone, so a function that reads ExecutedVersion, SdkHttpMetadata, SdkResponseMetadata, StatusCode there finds them missing",
    );
    const e = envelope.pipeline!.steps[1];
    expect(e.kind === "lambda" && Object.fromEntries(Object.entries(e.payload).map(([k, x]) => [k, printTemplate(x)]))).toEqual({ Payload: "${{ steps.D.response }}" });
    const status = lift({ D: { ...CHAIN.D, OutputPath: undefined, Next: "E" }, E: { Type: "Task", Resource: fn("e"), Parameters: { "code.$": "$.StatusCode" }, End: true } }, "D");
    expect(errors(status)).toEqual(["$.States.E.Parameters['code.$']: 'StatusCode' of the lambda:invoke result of 'D' has no IR reference: only the function's Payload is kept"]);
  });

  test("states that each pass on all the data gathered before them: one warning a field, every result named at one of them (not one a result and a field)", () => {
    const n = 40;
    const states: Obj = {};
    for (let i = 0; i < n; i++) {
      states[`S${i}`] = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn("e"), "Payload.$": "$" }, ResultPath: `$.r${i}`, ...(i < n - 1 ? { Next: `S${i + 1}` } : { End: true }) };
    }
    const r = lift(states, "S0");
    expect(errors(r)).toEqual([]);
    const said = r.diagnostics.filter((d) => d.message.includes("passes on the whole lambda:invoke")).map((d) => d.message);
    // Each state after the first passes on what every state before it returned: one warning each.
    expect(said).toHaveLength(n - 1);
    const tail = ` (ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode); the lifted pipeline passes {"Payload": ...} alone, so a function that reads ExecutedVersion, SdkHttpMetadata, SdkResponseMetadata, StatusCode there finds them missing`;
    const at = (i: number) => said.find((m) => m.startsWith(`$.States.S${i}.Parameters['Payload.$']: `))!;
    expect(at(1)).toBe(`$.States.S1.Parameters['Payload.$']: this passes on the whole lambda:invoke result of 'S0'${tail}`);
    expect(at(3)).toBe(`$.States.S3.Parameters['Payload.$']: this passes on the whole lambda:invoke results of 'S0', 'S1', 'S2'${tail}`);
    // Past eight, the result not named before comes first and the rest are counted.
    expect(at(30)).toBe(`$.States.S30.Parameters['Payload.$']: this passes on the whole lambda:invoke results of 'S29', 'S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6' and 22 more${tail}`);
    for (let i = 0; i < n - 1; i++) expect([i, said.some((m) => m.includes(`'S${i}'`))]).toEqual([i, true]);
    // The last function gets the input with every result set at its key, each as its Payload.
    const last = r.pipeline!.steps[n - 1];
    const text = last.kind === "lambda" && last.payload_value ? printTemplate(last.payload_value) : "";
    // set() over set(), written as one call: each result in turn.
    expect(text).toBe(`\${{ set(execution.input, ${Array.from({ length: n - 1 }, (_, i) => `'r${i}', object('Payload', steps.S${i}.response)`).join(", ")}) }}`);
  });

  test("lowered back to Step Functions, data of many results is one merge of an object the step's values Pass builds: each function gets what it got before, and the machine lifts again to the same pipeline", async () => {
    const n = 14;
    const states: Obj = {};
    for (let i = 0; i < n; i++) {
      states[`S${i}`] = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn("e"), "Payload.$": "$" }, ResultPath: `$.r${i}`, ...(i < n - 1 ? { Next: `S${i + 1}` } : { End: true }) };
    }
    const machine = { StartAt: "S0", States: states };
    const r = lift(states, "S0");
    expect(errors(r)).toEqual([]);
    const out = lower({ ...r.pipeline!, artifacts: "s3://bucket-1/p" });
    expect(out.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const def = out.definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    // Thirteen results by set() one by one would call 13 × 6 functions in the field; one merge calls one.
    expect(def.States.S13.Parameters["Payload.$"]).toBe("States.JsonMerge($$.Execution.Input, $.values.v0, false)");
    expect(def.States["S13.values"]).toEqual({
      Type: "Pass",
      Parameters: { v0: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`r${i}`, { "Payload.$": `$.steps.S${i}.response` }])) },
      ResultPath: "$.values",
      Next: "S13",
    });
    // Two results with their envelopes already pass the limit (12 functions); one result stays a merge in the field.
    expect(def.States["S2.values"].Parameters).toEqual({ v0: { r0: { "Payload.$": "$.steps.S0.response" }, r1: { "Payload.$": "$.steps.S1.response" } } });
    expect(def.States["S1.values"]).toBe(undefined);
    expect(def.States.S1.Parameters["Payload.$"]).toMatch(/^States\.JsonMerge\(\$\$\.Execution\.Input, States\.StringToJson\(States\.Format\(/);
    // Each function answers with its number; the lambda:invoke envelope holds only Payload here, as the lifted pipeline keeps it.
    const handlers = Object.fromEntries(Array.from({ length: n }, (_, i) => [`S${i}`, () => ({ Payload: { n: i } })]));
    const input = { who: "ada", r3: "replaced" };
    const before = await run(structuredClone(machine), input, handlers);
    const after = await run(def, input, handlers);
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    for (let i = 0; i < n; i++) expect([i, after.inputs[`S${i}`]]).toEqual([i, before.inputs[`S${i}`]]);
    expect(after.inputs.S13[0].Payload).toEqual({ who: "ada", ...Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`r${i}`, { Payload: { n: i } }])) });
    // What Switchyard wrote lifts back to the same pipeline.
    const again = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
    expect(again.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const payloads = (p: typeof r.pipeline) => p!.steps.map((s) => (s.kind === "lambda" && s.payload_value ? printTemplate(s.payload_value) : ""));
    expect(payloads(again.pipeline)).toEqual(payloads(r.pipeline));
  });

  test("a ResultSelector of paths is the map of what it picked", () => {
    const r = lift({
      A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: fn("a"), Payload: {} }, ResultSelector: { "n.$": "$.Payload.body.n", "code.$": "$.Payload.code" }, Next: "B" },
      B: { Type: "Task", Resource: fn("b"), End: true },
    });
    expect(errors(r)).toEqual([]);
    const b = r.pipeline!.steps[1];
    // A map written out is the payload's named fields, as lowering writes them.
    expect(b.kind === "lambda" && b.payload_value).toBe(undefined);
    expect(b.kind === "lambda" && Object.fromEntries(Object.entries(b.payload).map(([k, x]) => [k, printTemplate(x)]))).toEqual({ n: "${{ steps.A.response.body.n }}", code: "${{ steps.A.outputs.code }}" });
  });

  test("a path into an aws step's response below its top level is the step's response; the re-lowered machine stores the same item", async () => {
    const m: Obj = {
      StartAt: "Labels",
      States: {
        Labels: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:rekognition:detectLabels", Parameters: { Image: { S3Object: { Bucket: "b", "Name.$": "$.key" } } }, ResultPath: "$.labels", Next: "Store" },
        Store: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "t", Item: { name: { "S.$": "$.labels.Labels[0].Name" } } }, ResultPath: null, End: true },
      },
    };
    const r = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    const store = r.pipeline!.steps[1];
    expect(store.kind === "aws" && store.request.Item.kind === "map" && store.request.Item.entries.name.kind === "map" && printTemplate(store.request.Item.entries.name.entries.S)).toBe("${{ steps.Labels.response.Labels[0].Name }}");
    const again = lower(r.pipeline!).definition;
    const handlers = (stored: unknown[]): Record<string, Handler> => ({
      Labels: () => ({ Labels: [{ Name: "Cat", Confidence: 99 }] }),
      Store: (i) => (stored.push(i), {}),
    });
    const before: unknown[] = [];
    const after: unknown[] = [];
    expect((await run(structuredClone(m), { key: "k.jpg" }, handlers(before))).status).toBe("SUCCEEDED");
    expect((await run(again, { key: "k.jpg" }, handlers(after))).status).toBe("SUCCEEDED");
    expect(after).toEqual(before);
    expect(before).toEqual([{ TableName: "t", Item: { name: { S: "Cat" } } }]);
  });

  test("comparing two untyped values as strings is refused: lowering would compare them as numbers", () => {
    const r = lift(
      {
        Same: { Type: "Choice", Choices: [{ Variable: "$.detail.a", StringEqualsPath: "$.detail.b", Next: "Yes" }], Default: "No" },
        Yes: { Type: "Succeed" },
        No: { Type: "Succeed" },
      },
      "Same",
    );
    expect(errors(r)).toEqual([
      "$.States.Same.Choices[0].StringEqualsPath: StringEqualsPath compares two values of unknown type (the run's input or a step's response) as strings; the IR would compare them as numbers",
    ]);
  });
});

test("a sample's stand-in in a function name ({REGION}, <account_number>) is kept as written, with a warning naming it", () => {
  const r = lift({
    A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:{REGION}:{ACCOUNT-NUMBER}:function:tag", Payload: {} }, Next: "B" },
    B: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:us-east-1:<account_number>:function:<function_name>", Payload: {} }, End: true },
  });
  expect(errors(r)).toEqual([]);
  expect(r.diagnostics.filter((d) => d.message.includes("stand-in")).map((d) => d.message)).toEqual([
    "$.States.A.Parameters.FunctionName: FunctionName 'arn:aws:lambda:{REGION}:{ACCOUNT-NUMBER}:function:tag' holds '{REGION}', a stand-in for a value to fill in (no function has this name); it is kept as this literal text",
    "$.States.B.Parameters.FunctionName: FunctionName 'arn:aws:lambda:us-east-1:<account_number>:function:<function_name>' holds '<account_number>', a stand-in for a value to fill in (no function has this name); it is kept as this literal text",
  ]);
});
