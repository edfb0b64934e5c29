/**
 * Limits on what is sent: definition size on the minified bytes deploy sends,
 * the execution history predicted from the plan's states, and SageMaker's
 * step quota named with its source.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { predictHistory } from "../../../backends/stepfunctions/history.js";
import { buildDefinition, lowerPipeline } from "../../../backends/stepfunctions/lower.js";
import type { Definition } from "../../../backends/stepfunctions/asl.js";
import { minifyJson } from "../../../src/backend/wire.js";
import { lower, run, yaml } from "./support.js";
import { PATH_VALUE_BYTES, selectedBytes } from "../../../backends/stepfunctions/payload.js";

const LAMBDA = "arn:aws:states:::lambda:invoke";
const SYNC = "arn:aws:states:::sagemaker:createProcessingJob.sync";

describe("history events", () => {
  test("tasks, a submitting task, a Parallel and its branches; retries only in withRetries", () => {
    const def: Definition = {
      StartAt: "a",
      States: {
        a: { Type: "Task", Resource: LAMBDA, Next: "p" },
        p: {
          Type: "Parallel",
          Branches: [
            { StartAt: "b", States: { b: { Type: "Task", Resource: SYNC, End: true } } },
            { StartAt: "c", States: { c: { Type: "Task", Resource: LAMBDA, Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }], End: true } } },
          ],
          End: true,
        },
      },
    };
    // execution 2 + a 5 + Parallel 4 + b 6 (TaskSubmitted) + c 5 = 22; c's two failed attempts add 3 each.
    expect(predictHistory(def)).toEqual({ events: 22, withRetries: 28, pollLoops: 0 });
  });

  test("a Choice counts its costlier way", () => {
    const def: Definition = {
      StartAt: "c",
      States: {
        c: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "cheap" }], Default: "dear" },
        cheap: { Type: "Pass", Next: "join" },
        dear: { Type: "Task", Resource: SYNC, Next: "join" },
        join: { Type: "Pass", End: true },
      },
    };
    // 2 + Choice 2 + Task 6 + Pass 2.
    expect(predictHistory(def).events).toBe(12);
  });

  test("a poll loop runs to its bound; its counter one time less", () => {
    const def: Definition = {
      StartAt: "w",
      States: {
        w: { Type: "Wait", Comment: "poll: at most 3 times", Seconds: 30, Next: "s" },
        s: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sagemaker:describeEndpoint", Next: "k" },
        k: { Type: "Choice", Choices: [{ Variable: "$.s", StringEquals: "InService", Next: "done" }], Default: "n" },
        n: { Type: "Pass", Next: "w" },
        done: { Type: "Pass", End: true },
      },
    };
    // 2 + 3 × (Wait 2 + Task 5 + Choice 2) + 2 × Pass 2 + done 2.
    expect(predictHistory(def)).toEqual({ events: 35, withRetries: 35, pollLoops: 1 });
  });

  test("a repeated call with a bound runs to it: the Task and its Choice each call, the Wait and the counting Pass between calls; without a bound, once", () => {
    const def: Definition = {
      StartAt: "t.polls",
      States: {
        "t.polls": { Type: "Pass", Result: { t: 1 }, ResultPath: "$.polls", Next: "t" },
        t: { Type: "Task", Resource: LAMBDA, Next: "t.until" },
        "t.until": {
          Type: "Choice",
          Choices: [
            { Variable: "$.s", StringEquals: "DONE", Next: "done" },
            { Variable: "$.polls.t", NumericGreaterThanEquals: 4, Next: "t.limit" },
          ],
          Default: "t.wait",
        },
        "t.wait": { Type: "Wait", Seconds: 30, Next: "t.count" },
        "t.count": { Type: "Pass", Parameters: { "t.$": "States.MathAdd($.polls.t, 1)" }, ResultPath: "$.polls", Next: "t" },
        "t.limit": { Type: "Fail", Error: "RepeatLimitExceeded" },
        done: { Type: "Pass", End: true },
      },
    };
    // 2 + Pass 2 + 4 × (Task 5 + Choice 2) + 3 × (Wait 2 + Pass 2) + done 2.
    expect(predictHistory(def)).toEqual({ events: 46, withRetries: 46, pollLoops: 1 });
    // The same loop without the counter: no bound to count, each state once.
    const until = def.States["t.until"] as { Choices: unknown[] };
    const unbounded: Definition = { StartAt: "t", States: { ...def.States, "t.until": { ...until, Choices: until.Choices.slice(0, 1) }, "t.wait": { Type: "Wait", Seconds: 30, Next: "t" } } };
    delete (unbounded.States as Record<string, unknown>)["t.polls"];
    // 2 + Task 5 + Choice 2 + the costlier of done 2 and the Wait 2 (whose way back is not followed).
    expect(predictHistory(unbounded)).toEqual({ events: 11, withRetries: 11, pollLoops: 0 });
  });

  test("a wide pipeline past 25,000 events is split into machines within the limit; as one machine it is refused, naming the count", () => {
    const steps = Array.from({ length: 5100 }, (_, i) => `  s${i}: { type: lambda, function: f${i} }`).join("\n");
    const p = yaml(`version: 1\npipeline: wide\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n${steps}\n`);
    const whole = buildDefinition(p).definition;
    const h = predictHistory(whole);
    // The execution, one Parallel, 5,100 lambda tasks of 5 events each, and the parameter states.
    expect(h.events).toBeGreaterThanOrEqual(2 + 4 + 5100 * 5);
    const one = [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }];
    const d = backend.checkLimits(p, one).filter((x) => x.code === "stepfunctions-history");
    expect(d.map((x) => [x.severity, x.message.startsWith(`an execution may write about ${h.events} history events`)])).toEqual([["error", true]]);

    const out = lower(p);
    const split = (out.summary as { split: { unsplit: { historyEvents: number }; children: Array<{ historyEvents: number }> } }).split;
    expect(split.unsplit.historyEvents).toBe(h.events);
    expect(split.children.length).toBeGreaterThan(1);
    for (const c of split.children) expect(c.historyEvents).toBeLessThanOrEqual(25_000);
    expect(out.files.filter((f) => f.kind === "child-definition").length).toBe(split.children.length);
    expect(backend.checkLimits(p, out.files).filter((x) => x.severity === "error")).toEqual([]);
  });

  test("a step that alone passes the limit cannot be split: a warning says which, and the limit check refuses the machine", () => {
    const p = yaml(`version: 1\npipeline: one\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  a: { type: lambda, function: f }\n`);
    const out = lowerPipeline(p, { bytes: 200, events: 1000 });
    expect(out.diagnostics.map((x) => [x.severity, x.code, /step 'a' alone needs about [0-9]+ bytes/.test(x.message)])).toEqual([["warning", "stepfunctions-split", true]]);
    expect(out.files.filter((f) => f.kind === "child-definition")).toEqual([]);
  });

  test("a foreach step whose one copy does not fit a machine of its own: the warning says so, with the size", () => {
    const p = yaml(`version: 1\npipeline: one\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  a: { type: lambda, function: f, foreach: [x, y, z] }\n`);
    const out = lowerPipeline(p, { bytes: 500, events: 1000 });
    const w = out.diagnostics.filter((x) => x.code === "stepfunctions-split");
    expect(w.map((x) => [x.severity, /^the state machine is over a Step Functions limit and could not be split into child machines: one copy of foreach step 'a' in a machine of its own needs about [0-9]+ bytes and [0-9]+ history events, more than one machine holds/.test(x.message)])).toEqual([["warning", true]]);
  });
});

describe("definition size is checked on the bytes deploy sends", () => {
  const p = yaml(`version: 1\npipeline: s\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  a: { type: lambda, function: f }\n`);
  const many = (n: number) => ({ StartAt: "s0", States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { Type: "Pass", Result: { a: [1, 2, 3] }, ...(i + 1 < n ? { Next: `s${i + 1}` } : { End: true }) }])) });
  const file = (def: unknown) => [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(def, null, 2) + "\n" }];

  test("indented past 1 MB but minified under it: no size error", () => {
    const f = file(many(14_000));
    expect(Buffer.byteLength(f[0].contents)).toBeGreaterThan(1_000_000);
    expect(Buffer.byteLength(minifyJson(f[0].contents))).toBeLessThan(1_000_000);
    expect(backend.checkLimits(p, f).filter((d) => d.code === "stepfunctions-size")).toEqual([]);
  });

  test("minified past 1 MB: an error giving both sizes", () => {
    const f = file(many(20_000));
    const d = backend.checkLimits(p, f).filter((x) => x.code === "stepfunctions-size");
    expect(d).toHaveLength(1);
    expect(d[0].message).toContain(`${Buffer.byteLength(minifyJson(f[0].contents))} bytes (minified; ${Buffer.byteLength(f[0].contents)} as written)`);
  });

  test("the compile summary says which bytes were measured", () => {
    const out = lower(p);
    const s = out.summary as { definitionSize: { written: number; sent: number; checked: string } };
    const text = out.files[0].contents;
    expect(s.definitionSize).toEqual({ written: Buffer.byteLength(text), sent: Buffer.byteLength(JSON.stringify(JSON.parse(text))), checked: "sent" });
    expect(s.definitionSize.sent).toBeLessThan(s.definitionSize.written);
  });

  test("minifying keeps strings and number spellings", () => {
    const text = '{\n  "a" : [ 6.0, 1e3 ],\n  "b": "x  y \\" z",\n  "c d": "\\\\"\n}\n';
    expect(minifyJson(text)).toBe('{"a":[6.0,1e3],"b":"x  y \\" z","c d":"\\\\"}');
    expect(JSON.parse(minifyJson(text))).toEqual(JSON.parse(text));
  });
});

describe("SageMaker quotas", () => {
  const p = yaml(`version: 1\npipeline: q\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  a: { type: lambda, function: f }\n`);
  test("a pipeline past the step quota gets a warning with the number and the quota's source", () => {
    const steps = Array.from({ length: 51 }, (_, i) => ({ Name: `s${i}`, Type: "Lambda", Arguments: {} }));
    const d = sagemaker.checkLimits(p, [{ path: "pipeline.json", kind: "definition", contents: JSON.stringify({ Version: "2020-12-01", Steps: steps }, null, 2) }]);
    const q = d.filter((x) => x.code === "sagemaker-limit");
    expect(q).toHaveLength(1);
    expect(q[0].severity).toBe("warning");
    expect(q[0].message).toMatch(/^51 steps .*quota is 50 per pipeline \(awsdocs\/amazon-sagemaker-developer-guide doc_source\/pipelines-quotas\.md/);
  });

  test("past 1 MB sent, an error gives the size and why no split is offered", () => {
    const steps = Array.from({ length: 600 }, (_, i) => ({ Name: `s${i}`, Type: "Lambda", Arguments: { pad: "x".repeat(1_800) } }));
    const text = JSON.stringify({ Version: "2020-12-01", Steps: steps });
    const d = sagemaker.checkLimits(p, [{ path: "pipeline.json", kind: "definition", contents: text }]).filter((x) => x.code === "sagemaker-size");
    expect(d.map((x) => [x.severity, x.message])).toEqual([["error", `the definition deploy sends is ${text.length} characters (minified); CreatePipeline accepts at most 1048576 inline`]]);
    expect(d[0].hint).toMatch(/no step that starts another pipeline.*compile for stepfunctions \(split into child machines\) or airflow$/);
  });

  test("the definition size is measured minified", () => {
    // 110 KB indented, under 100 KB minified: no warning about uploading it to S3.
    const steps = Array.from({ length: 40 }, (_, i) => ({ Name: `s${i}`, Type: "Lambda", Arguments: { pad: Array.from({ length: 120 }, () => 1) } }));
    const text = JSON.stringify({ Version: "2020-12-01", Steps: steps }, null, 4);
    expect(Buffer.byteLength(text)).toBeGreaterThan(102_400);
    expect(Buffer.byteLength(minifyJson(text))).toBeLessThan(102_400);
    expect(sagemaker.checkLimits(p, [{ path: "pipeline.json", kind: "definition", contents: text }]).filter((x) => x.code === "sagemaker-size")).toEqual([]);
  });
});

describe("a foreach step's results in the state data", () => {
  // A step after the foreach reads every copy's output.
  const pipeline = (n: number) =>
    yaml(`version: 1\npipeline: wide\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  a:\n    type: lambda\n    function: f\n    outputs: { v: string }\n    foreach: [${Array.from({ length: n }, (_, i) => i).join(", ")}]\n  b:\n    type: lambda\n    function: g\n    payload: { all: "\${{ steps.a.outputs.v }}" }\n`);

  test("are estimated from what each copy keeps: its keys, and each value read by a path counted as 40 bytes", () => {
    expect(selectedBytes({ "job_name.$": "$.ProcessingJobName" })).toBe('{"job_name":}'.length + PATH_VALUE_BYTES);
    expect(selectedBytes({ outputs: { "v.$": "$.Payload.v", n: 1 } })).toBe('{"outputs":{"v":,"n":1}}'.length + PATH_VALUE_BYTES);
    expect(selectedBytes({ "é.$": "$.x" })).toBe(Buffer.byteLength('{"é":}') + PATH_VALUE_BYTES);
  });

  test("past 256 KiB, a warning at the foreach list names the step, the copies and the estimate; below, none", () => {
    // {"outputs":{"v":<40>}} and a comma: 59 bytes a copy; 262,144 / 59 = 4,443 copies.
    const over = lower(pipeline(4_500)).diagnostics.filter((d) => d.code === "stepfunctions-payload");
    expect(over.map((d) => [d.severity, d.pos?.line, d.message])).toEqual([
      ["warning", 11, "foreach step 'a' keeps the results of its 4500 copies in the state data, about 265500 bytes (each value read from a result counted as 40); Step Functions passes at most 262144 bytes from state to state, and fails the execution past it (States.DataLimitExceeded)"],
    ]);
    expect(lower(pipeline(4_400)).diagnostics.filter((d) => d.code === "stepfunctions-payload")).toEqual([]);
  });

  test("past 256 KiB and read by no state: each Lambda copy keeps {outputs: {}}, said at the list; it runs, and lifts back to the same machine", async () => {
    // 600 copies keeping 10 outputs each: about 270 KB of state data, in a machine small enough not to be split.
    const outs = Array.from({ length: 10 }, (_, i) => `value_${i}: string`).join(", ");
    const p = yaml(`version: 1\npipeline: wide\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n  a:\n    type: lambda\n    function: f\n    outputs: { ${outs} }\n    foreach: [${Array.from({ length: 600 }, (_, i) => i).join(", ")}]\n  b:\n    type: lambda\n    function: g\n    depends_on: [a]\n`);
    const out = lower(p);
    expect(out.diagnostics.map((d) => [d.severity, d.code, d.pos?.line, d.message])).toEqual([
      ["warning", "stepfunctions-payload", 11, "foreach step 'a': its 600 copies' results (what each call returns) are not kept: no step reads them, and kept they would pass the 262144 bytes of state data Step Functions passes from state to state; each copy's result is {\"outputs\":{}} in the execution's output"],
    ]);
    const par = out.definition.States.a as any;
    expect(new Set(par.Branches.map((b: any) => JSON.stringify(b.States[b.StartAt].ResultSelector)))).toEqual(new Set(['{"outputs":{}}']));
    const r = await run(out.definition, {}, { ...Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`a_${i}`, () => ({ Payload: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`value_${k}`, "x".repeat(30)])) })])), b: () => ({ Payload: {} }) });
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as any).steps.a).toEqual(Array.from({ length: 600 }, () => ({ outputs: {} })));
    const lifted = backend.lift!({ file: "machine.asl.json", text: out.files.find((f) => f.kind === "definition")!.contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const a = lifted.pipeline!.steps.find((s) => s.id === "a")!;
    expect([a.kind, a.foreach?.items.length, a.kind === "lambda" ? Object.keys(a.outputs) : undefined]).toEqual(["lambda", 600, []]);
    expect(lower(lifted.pipeline!).definition).toEqual(out.definition);
  }, 60_000);
});
