/**
 * Polling loops (`repeat` on an aws step), named errors on fail steps and
 * Choices without Default: lowered (validated, executed in
 * aws-local-stepfunctions), lifted back exactly from our own machines, and
 * read from the loop shapes public machines use.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Step } from "../../../src/ir/types.js";
import { aslValidator, lower, run, yaml } from "./support.js";

const POLL = (timeout: string) => `version: 1
pipeline: glue-poll
region: us-east-1
artifacts: s3://example-bucket/glue-poll
${timeout}steps:
  start:
    type: aws
    service: glue
    action: StartJobRun
    request: { JobName: nightly }
    outputs: { JobRunId: string }
  status:
    type: aws
    service: glue
    action: GetJobRun
    request: { JobName: nightly, RunId: "\${{ steps.start.outputs.JobRunId }}" }
    repeat:
      until: \${{ steps.status.response.JobRun.JobRunState in ['SUCCEEDED', 'FAILED', 'STOPPED'] }}
      interval: 30s
  failed:
    type: condition
    if: \${{ steps.status.response.JobRun.JobRunState != 'SUCCEEDED' }}
    then: [stop]
  stop:
    type: fail
    error: GlueJobFailed
    message: "the job ended \${{ steps.status.response.JobRun.JobRunState }}"
`;

/** Task handlers: the start call, then GetJobRun answering each state in turn. */
function glue(states: string[]) {
  const left = [...states];
  return {
    start: () => ({ JobRunId: "jr-1" }),
    status: (i: any) => {
      expect(i).toEqual({ JobName: "nightly", RunId: "jr-1" });
      return { JobRun: { Id: "jr-1", JobRunState: left.shift() } };
    },
  };
}

describe("a repeated aws call on Step Functions", () => {
  test("lowers to the Task, a Choice on the condition and a Wait of the interval back to it", () => {
    const r = lower(yaml(POLL("")));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const st = r.definition.States;
    expect(st.status.Next).toBe("status.until");
    expect(st["status.until"]).toEqual({
      Type: "Choice",
      Choices: [
        {
          Or: ["SUCCEEDED", "FAILED", "STOPPED"].map((x) => ({ Variable: "$.steps.status.response.JobRun.JobRunState", StringEquals: x })),
          Next: "failed",
        },
      ],
      Default: "status.wait",
    });
    expect(st["status.wait"]).toEqual({ Type: "Wait", Seconds: 30, Next: "status" });
    expect(st.stop).toEqual({ Type: "Fail", Error: "GlueJobFailed", CausePath: "$.fail.cause" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
  });

  test("runs: calls until the state is final, then branches on it; the named error fails the execution", async () => {
    const def = lower(yaml(POLL(""))).definition;
    const ok = await run(def, {}, glue(["STARTING", "RUNNING", "RUNNING", "SUCCEEDED"]));
    expect(ok.status).toBe("SUCCEEDED");
    expect(ok.started).toEqual(["start", "status", "status", "status", "status"]);
    const bad = await run(def, {}, glue(["RUNNING", "FAILED"]));
    expect(bad).toMatchObject({ status: "FAILED", error: "GlueJobFailed", cause: "the job ended FAILED" });
    expect(bad.started).toEqual(["start", "status", "status"]);
  });

  test("a timeout bounds all the calls together: a counter ends the loop with States.Timeout after timeout / interval calls (rounded up), the waits between them within the timeout", async () => {
    const r = lower(yaml(POLL("defaults:\n  timeout: 2m\n")));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    const st = r.definition.States;
    expect(st["status.until"].Choices[1]).toEqual({ Variable: "$.polls.status", NumericGreaterThanEquals: 4, Next: "status.timeout" });
    const slow = await run(r.definition, {}, glue(Array(10).fill("RUNNING")));
    expect(slow).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(slow.started.filter((x) => x === "status")).toHaveLength(4);
    const quick = await run(r.definition, {}, glue(["RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"]));
    expect(quick.status).toBe("SUCCEEDED");
  });

  test("an interval with a fraction of a second is waited rounded up (a Wait state takes whole seconds), with a warning, and the calls a timeout allows are counted from it", () => {
    const r = lower(yaml(POLL("defaults:\n  timeout: 10s\n").replace("interval: 30s", "interval: 2.5")));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "stepfunctions-repeat-interval").map((d) => formatDiagnostic(d))).toEqual([
      "inline.yaml:20:7: warning: step 'status': 'repeat.interval' of 2.5s is waited as 3s: a Wait state takes whole seconds",
    ]);
    const st = r.definition.States;
    expect(st["status.wait"]).toEqual({ Type: "Wait", Seconds: 3, Next: "status.count" });
    expect(st["status.until"].Choices[1]).toEqual({ Variable: "$.polls.status", NumericGreaterThanEquals: 4, Next: "status.timeout" });
  });

  test.each([
    ["without a timeout", ""],
    ["with a timeout", "defaults:\n  timeout: 2m\n"],
  ])("our own machine lifts back to the same repeat and lowers to the same definition (%s)", (_, timeout) => {
    const first = lower(yaml(POLL(timeout)));
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const status = lifted.pipeline!.steps.find((s) => s.id === "status") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(status.repeat!.until)).toBe("steps.status.response.JobRun.JobRunState == 'SUCCEEDED' or steps.status.response.JobRun.JobRunState == 'FAILED' or steps.status.response.JobRun.JobRunState == 'STOPPED'");
    expect(status.repeat!.interval).toBe(30);
    const stop = lifted.pipeline!.steps.find((s) => s.id === "stop") as Extract<Step, { kind: "fail" }>;
    expect(stop.error).toMatchObject({ kind: "literal", value: "GlueJobFailed" });
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
  });

  test("refused, each at its place: repeat with wait, a condition that never reads the call, a foreach copy, an interval under 1s", () => {
    const r = loadYamlText(
      `version: 1
pipeline: bad
region: us-east-1
artifacts: s3://example-bucket/p
steps:
  a:
    type: aws
    service: athena
    action: StartQueryExecution
    wait: true
    request: { QueryString: "select 1" }
    repeat: { until: "\${{ steps.a.response.x == 1 }}", interval: 10s }
  b:
    type: aws
    service: sqs
    action: ReceiveMessage
    request: { QueueUrl: q }
    repeat: { until: "\${{ 1 == 1 }}", interval: 0.5s }
  c:
    type: aws
    service: sqs
    action: ReceiveMessage
    foreach: [q1, q2]
    request: { QueueUrl: "\${{ item }}" }
    repeat: { until: "\${{ steps.c.response.Messages[0].Body == 'go' }}", interval: 10s }
`,
      "bad.yaml",
      "fixtures",
    );
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "bad.yaml:12:13: error: step 'a' has both 'wait' and 'repeat': a call either waits for its job or is repeated until a condition holds",
      "bad.yaml:18:13: error: 'repeat.interval' of step 'b' must be at least 1s",
      "bad.yaml:18:27: error: 'repeat.until' of step 'b' never reads the step's own response, so every call would see the same answer\n  hint: read what the call returned, e.g. ${{ steps.b.response.Status == 'SUCCEEDED' }}",
      "bad.yaml:25:13: error: step 'c' has both 'foreach' and 'repeat': repeat one call per step",
    ]);
  });
});

test("json() of text or a path inside other text lifts back as json(), not as the text itself", () => {
  const first = lower(
    yaml(`version: 1
pipeline: json-in-text
region: us-east-1
artifacts: s3://example-bucket/json-in-text
steps:
  call:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    payload:
      quoted: "run \${{ json(execution.id) }}"
      twice: "list \${{ json(json(split(execution.id, '-'))) }}"
      list: "list \${{ json(split(execution.id, '-')) }}"
`),
  );
  expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const payload = first.definition.States.call.Parameters.Payload;
  expect(payload["quoted.$"]).toBe("States.Format('run {}', States.JsonToString($$.Execution.Name))");
  const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
  expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const call = lifted.pipeline!.steps[0] as Extract<Step, { kind: "lambda" }>;
  expect(call.payload.quoted).toMatchObject({ kind: "join", parts: [{ kind: "literal", value: "run " }, { kind: "call", fn: "json", args: [{ kind: "ref", ref: { scope: "execution", name: "id" } }] }] });
  expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
});

/** Lift a machine given as an object; diagnostics as text. */
function lift(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
  return { ...r, text: r.diagnostics.map(formatDiagnostic) };
}

const task = (resource: string, extra: Record<string, unknown> = {}) => ({ Type: "Task", Resource: resource, ...extra });

describe("lifting polling loops", () => {
  test("Wait first, Default back to it (the Bedrock customisation idiom): a wait step, then the call repeated until a final status", () => {
    const r = lift({
      StartAt: "Start",
      States: {
        Start: task("arn:aws:states:::aws-sdk:bedrock:createModelCustomizationJob", { Parameters: { JobName: "j", "RoleArn.$": "$.role" }, Next: "Wait" }),
        Wait: { Type: "Wait", Seconds: 300, Next: "Get" },
        Get: task("arn:aws:states:::aws-sdk:bedrock:getModelCustomizationJob", { Parameters: { "JobIdentifier.$": "$.JobArn" }, Next: "Done?" }),
        "Done?": {
          Type: "Choice",
          Choices: [
            { Variable: "$.Status", StringEquals: "Failed", Next: "Fail" },
            { Variable: "$.Status", StringEquals: "Completed", Next: "Serve" },
          ],
          Default: "Wait",
        },
        Serve: task("arn:aws:states:::aws-sdk:bedrock:createProvisionedModelThroughput", { Parameters: { ModelUnits: 1, "ModelId.$": "$.OutputModelArn", ProvisionedModelName: "p" }, End: true }),
        Fail: { Type: "Fail", ErrorPath: "$.Status", CausePath: "$.FailureMessage" },
      },
    });
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}:${s.kind}`)).toEqual(["Start:aws", "Wait:wait", "Get:aws", "Done:condition", "Fail:fail", "Serve:aws"]);
    const get = steps[2] as Extract<Step, { kind: "aws" }>;
    expect(printExpr(get.repeat!.until)).toBe("steps.Get.response.status == 'Failed' or steps.Get.response.status == 'Completed'");
    expect(get.repeat!.interval).toBe(300);
    // Once out of the loop one rule matched: the last one is the else.
    const done = steps[3] as Extract<Step, { kind: "condition" }>;
    expect([printExpr(done.if), done.then, done.else]).toEqual(["steps.Get.response.status == 'Failed'", ["Fail"], ["Serve"]]);
    const fail = steps[4] as Extract<Step, { kind: "fail" }>;
    expect([printExpr(fail.error!), printExpr(fail.message)]).toEqual(["steps.Get.response.status", "steps.Get.response.failureMessage"]);
    // Re-lowered, the same calls happen in the same order.
    const again = lower(r.pipeline!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
  });

  test("Task first, a chain of Choices through their Defaults, Default back (the EMR Serverless idiom)", () => {
    const r = lift({
      StartAt: "Get",
      States: {
        Get: task("arn:aws:states:::aws-sdk:emrserverless:getJobRun", { Parameters: { ApplicationId: "a", "JobRunId.$": "$.id" }, ResultPath: "$.job", Next: "Ok?" }),
        "Ok?": { Type: "Choice", Choices: [{ Variable: "$.job.JobRun.State", StringEquals: "SUCCESS", Next: "Done" }], Default: "Bad?" },
        "Bad?": { Type: "Choice", Choices: [{ Variable: "$.job.JobRun.State", StringEquals: "FAILED", Next: "Failed" }], Default: "Pause" },
        Pause: { Type: "Wait", Seconds: 20, Next: "Get" },
        Done: { Type: "Succeed" },
        Failed: { Type: "Fail", Error: "JobFailed" },
      },
    });
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const get = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect(printExpr(get.repeat!.until)).toBe("steps.Get.response.jobRun.state == 'SUCCESS' or steps.Get.response.jobRun.state == 'FAILED'");
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["Get", "Ok", "Failed"]);
  });

  test("a rule that loops before any that leaves: the call repeats while it holds", () => {
    const r = lift({
      StartAt: "Get",
      States: {
        Get: task("arn:aws:states:::aws-sdk:sagemaker:describeEndpoint", { Parameters: { EndpointName: "e" }, Next: "Check" }),
        Check: { Type: "Choice", Choices: [{ Variable: "$.EndpointStatus", StringEquals: "Creating", Next: "Pause" }], Default: "Next" },
        Pause: { Type: "Wait", Seconds: 60, Next: "Get" },
        Next: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "ready" }, End: true }),
      },
    });
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const get = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect(printExpr(get.repeat!.until)).toBe("not steps.Get.response.EndpointStatus == 'Creating'");
    expect(r.pipeline!.steps.map((s) => `${s.id}:${s.depends_on.join(",")}`)).toEqual(["Get:", "Next:Get"]);
  });

  test("refused, naming the cause: a per-call TimeoutSeconds (the loop around the Lambda task before it is read as a repeated lambda step)", () => {
    const r = lift({
      StartAt: "Get",
      States: {
        Get: task("arn:aws:states:::lambda:invoke", { Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:f", "Payload.$": "$" }, Next: "Check" }),
        Check: { Type: "Choice", Choices: [{ Variable: "$.Payload.done", BooleanEquals: true, Next: "Poll" }], Default: "Pause" },
        Pause: { Type: "Wait", Seconds: 5, Next: "Get" },
        Poll: task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { JobName: "j", RunId: "r" }, TimeoutSeconds: 30, Next: "Again" }),
        Again: { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Pause2" }], Default: "End" },
        Pause2: { Type: "Wait", Seconds: 5, Next: "Poll" },
        End: { Type: "Succeed" },
      },
    });
    expect(r.text.filter((x) => x.includes("error"))).toEqual([
      "m.asl.json:36:25: error: $.States.Poll.TimeoutSeconds: TimeoutSeconds of a polled call bounds each call; the timeout of a repeated IR step bounds all its calls together",
    ]);
  });
});

describe("a polling loop entered at its Wait, a Pass building the next call's data on the way back", () => {
  const def = {
    StartAt: "Start",
    States: {
      Start: task("arn:aws:states:::aws-sdk:glue:startJobRun", { Parameters: { "JobName.$": "$.job" }, ResultPath: "$.started", Next: "Pause" }),
      Pause: { Type: "Wait", Seconds: 30, Next: "Get" },
      Get: task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { "JobName.$": "$.job", "RunId.$": "$.started.JobRunId" }, Next: "Check" }),
      Check: { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Again" }, { Variable: "$.JobRun.JobRunState", StringEquals: "SUCCEEDED", Next: "Done" }], Default: "Failed" },
      Again: { Type: "Pass", Parameters: { "job.$": "$.JobRun.JobName", started: { "JobRunId.$": "$.JobRun.Id" } }, Next: "Pause" },
      Done: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.JobRun.Id" }, End: true }),
      Failed: { Type: "Fail", Error: "Job.Failed" },
    },
  };
  const handlers = () => {
    const states = ["RUNNING", "RUNNING", "SUCCEEDED"];
    return {
      Start: () => ({ JobRunId: "jr_1" }),
      Get: (i: any) => ({ JobRun: { JobName: i.JobName, Id: i.RunId, JobRunState: states.shift() } }),
      Done: (i: any) => ({ MessageId: i.Message }),
    };
  };

  test("the Wait is a wait step before the call, which repeats at its interval; later calls' requests read from the Pass are said", async () => {
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    expect(r.text.filter((x) => x.includes("later calls"))).toEqual([
      "m.asl.json:21:21: warning: $.States.Get.Parameters: 'JobName' of later calls is read from the previous call's result (steps.Get.response.JobRun.JobName); the lifted step sends the first call's value (params.job) every time, the same when the response names what was asked for",
      "m.asl.json:21:21: warning: $.States.Get.Parameters: 'RunId' of later calls is read from the previous call's result (steps.Get.response.JobRun.Id); the lifted step sends the first call's value (steps.Start.outputs.JobRunId) every time, the same when the response names what was asked for",
    ]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}:${s.kind}`)).toEqual(["Start:aws", "Pause:wait", "Get:aws", "Check:condition", "Done:aws", "Failed:fail"]);
    const get = steps.find((s) => s.id === "Get") as Extract<Step, { kind: "aws" }>;
    expect(get.repeat?.interval).toBe(30);
    expect(printExpr(get.repeat!.until)).toBe("not steps.Get.response.JobRun.JobRunState == 'RUNNING'");
    const again = lower(r.pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    // The runner writes into the definition it is given.
    const [before, after] = [await run(structuredClone(def), { job: "etl" }, handlers()), await run(again, { job: "etl" }, handlers())];
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(after.inputs.Get).toEqual(before.inputs.Get);
    expect(before.inputs.Get).toHaveLength(3);
    expect(after.inputs.Done).toEqual(before.inputs.Done);
  });

  test("refused where what the Pass built would be read after later calls, or where the Pass does more than build data", () => {
    const kept = { ...def, States: { ...def.States, Get: { ...def.States.Get, ResultPath: "$.run" } } };
    expect(lift(kept).text.filter((x) => x.includes("error"))[0]).toContain("has no IR equivalent: the Pass state 'Again' builds data that 'Get' writes its result into (ResultPath), so what it built would be read after later calls (only polling loops");
    const more = { ...def, States: { ...def.States, Again: { ...def.States.Again, ResultPath: "$.next" } } };
    expect(lift(more).text.filter((x) => x.includes("error"))).toEqual([
      "m.asl.json:13:14: error: $.States.Pause: a loop back to this state (through 'Pause', 'Get', 'Check', 'Again') has no IR equivalent: the Pass state 'Again' sets ResultPath, where a polling loop's Pass only builds the next call's data from Parameters (only polling loops are read: an aws call or a Lambda function, a Choice on its result and a Wait back to the call)",
    ]);
  });
});

describe("a polling loop whose Wait narrows the call's result (OutputPath)", () => {
  const def = {
    StartAt: "Start",
    States: {
      Start: task("arn:aws:states:::athena:startQueryExecution", { Parameters: { "QueryString.$": "$.query", WorkGroup: "primary" }, Next: "Get" }),
      Get: task("arn:aws:states:::athena:getQueryExecution", { Parameters: { "QueryExecutionId.$": "$.QueryExecutionId" }, Next: "Done?" }),
      "Done?": { Type: "Choice", Choices: [{ Variable: "$.QueryExecution.Status.State", StringEquals: "SUCCEEDED", Next: "Tell" }, { Variable: "$.QueryExecution.Status.State", StringEquals: "FAILED", Next: "Failed" }], Default: "Wait" },
      Wait: { Type: "Wait", Seconds: 5, OutputPath: "$.QueryExecution", Next: "Get" },
      Tell: task("arn:aws:states:::sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.QueryExecution.QueryExecutionId" }, End: true }),
      Failed: { Type: "Fail", Error: "QueryFailed" },
    },
  };
  const handlers = () => {
    const states = ["RUNNING", "QUEUED", "SUCCEEDED"];
    return {
      Start: () => ({ QueryExecutionId: "q-1" }),
      Get: (i: any) => ({ QueryExecution: { QueryExecutionId: i.QueryExecutionId, Status: { State: states.shift() } } }),
      Tell: () => ({ MessageId: "m-1" }),
    };
  };

  test("is one repeated call; later calls' id, read below the narrowed result, is said; the runs make the same calls", async () => {
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    expect(r.text.filter((x) => x.includes("later calls"))).toEqual([
      "m.asl.json:16:21: warning: $.States.Get.Parameters: 'QueryExecutionId' of later calls is read from the previous call's result (steps.Get.response.QueryExecution.QueryExecutionId); the lifted step sends the first call's value (steps.Start.outputs.QueryExecutionId) every time, the same when the response names what was asked for",
    ]);
    const get = r.pipeline!.steps.find((s) => s.id === "Get") as Extract<Step, { kind: "aws" }>;
    expect([get.repeat?.interval, printExpr(get.repeat!.until)]).toEqual([5, "steps.Get.response.QueryExecution.Status.State == 'SUCCEEDED' or steps.Get.response.QueryExecution.Status.State == 'FAILED'"]);
    const again = lower(r.pipeline!).definition;
    const [before, after] = [await run(structuredClone(def), { query: "SELECT 1" }, handlers()), await run(again, { query: "SELECT 1" }, handlers())];
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(before.inputs.Get).toHaveLength(3);
    expect(after.inputs.Get).toEqual(before.inputs.Get);
    expect(after.inputs.Tell).toEqual(before.inputs.Tell);
  });

  test("a Wait that does more than wait or narrow is the reason the loop is refused", () => {
    const more = { ...def, States: { ...def.States, Wait: { ...def.States.Wait, InputPath: "$.QueryExecution" } } };
    expect(lift(more).text.filter((x) => x.includes("error"))[0]).toContain("the Wait 'Wait' sets OutputPath, InputPath, where a polling loop's Wait only waits (or narrows the call's result with a plain OutputPath)");
  });
});

describe("fail steps and Choices without Default", () => {
  test("a polling loop whose Choice has no Default: no rule matching ends the run with States.NoChoiceMatched, before and after lifting, with no call more", async () => {
    const def = {
      StartAt: "Get",
      States: {
        Get: task("arn:aws:states:::aws-sdk:sagemaker:describeEndpoint", { Parameters: { EndpointName: "e" }, Next: "Check" }),
        Check: {
          Type: "Choice",
          Choices: [
            { Or: [{ Variable: "$.EndpointStatus", StringEquals: "InService" }], Next: "Announce" },
            { Or: [{ Variable: "$.EndpointStatus", StringEquals: "Creating" }], Next: "Pause" },
          ],
        },
        Pause: { Type: "Wait", Seconds: 60, Next: "Get" },
        Announce: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "ready" }, End: true }),
      },
    };
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const get = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect(printExpr(get.repeat!.until)).toBe("not ((steps.Get.response.EndpointStatus == 'Creating') and not (steps.Get.response.EndpointStatus == 'InService'))");
    const again = lower(r.pipeline!).definition;
    const answers = (statuses: string[]) => {
      let i = 0;
      return { Get: () => ({ EndpointStatus: statuses[i++] }), Announce: () => ({ MessageId: "m-1" }) };
    };
    for (const d of [def, again]) {
      expect(await run(d, {}, answers(["Creating", "InService"]))).toMatchObject({ status: "SUCCEEDED", started: ["Get", "Get", "Announce"] });
      expect(await run(d, {}, answers(["Creating", "Failed"]))).toMatchObject({ status: "FAILED", error: "States.NoChoiceMatched", started: ["Get", "Get"] });
    }
  });

  test("a Choice without Default fails with States.NoChoiceMatched when no rule matches, before and after lifting", async () => {
    const def = {
      StartAt: "Check",
      States: {
        Check: { Type: "Choice", Choices: [{ Variable: "$.mode", StringEquals: "full", Next: "Run" }] },
        Run: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.mode" }, End: true }),
      },
    };
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const again = lower(r.pipeline!).definition;
    const sns = { Run: (i: any) => ({ MessageId: String(i.Message) }) };
    for (const d of [def, again]) {
      expect(await run(d, { mode: "full" }, sns)).toMatchObject({ status: "SUCCEEDED", started: ["Run"] });
      expect(await run(d, { mode: "quick" }, sns)).toMatchObject({ status: "FAILED", error: "States.NoChoiceMatched" });
    }
  });

  test("Error is kept, and a Fail without one warns that it fails with its step's id", () => {
    const r = lift({
      StartAt: "Check",
      States: {
        Check: { Type: "Choice", Choices: [{ Variable: "$.mode", StringEquals: "full", Next: "Named" }], Default: "Bare" },
        Named: { Type: "Fail", Error: "Mode.Full", Cause: "full mode is off" },
        Bare: { Type: "Fail" },
      },
    });
    expect(r.text.filter((x) => x.includes("Bare"))).toEqual(["m.asl.json:20:13: warning: $.States.Bare: a Fail state without Error fails with no error name; the lifted fail step fails with its own id 'Bare'"]);
    const named = r.pipeline!.steps.find((s) => s.id === "Named") as Extract<Step, { kind: "fail" }>;
    expect(named.error).toMatchObject({ kind: "literal", value: "Mode.Full" });
    expect(lower(r.pipeline!).definition.States.Named).toEqual({ Type: "Fail", Error: "Mode.Full", Cause: "full mode is off" });
  });
});

describe("branches that rejoin", () => {
  const def = {
    StartAt: "Check",
    States: {
      Check: { Type: "Choice", Choices: [{ Variable: "$.retrain", BooleanEquals: true, Next: "Train" }], Default: "Forecast" },
      Train: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "train" }, ResultPath: null, Next: "Forecast" }),
      Forecast: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "forecast" }, ResultPath: null, Next: "Done?" }),
      "Done?": { Type: "Choice", Choices: [{ Variable: "$.fail", BooleanEquals: true, Next: "Stop" }], Default: "End" },
      Stop: { Type: "Fail", Error: "Stopped" },
      End: { Type: "Succeed" },
    },
  };

  const sns = (name: string) => ({ [name]: (i: any) => ({ MessageId: i.Message }) });
  const calls = (x: { inputs: Record<string, any[]> }) => Object.values(x.inputs).flat().map((i) => i.Message).sort();
  const inputs = [{ retrain: true, fail: false }, { retrain: false, fail: false }, { retrain: false, fail: true }];

  test("where the branches meet again with the same data, the Choice is a condition and the meeting state the step after it, once, waiting for the branch's steps that ran", async () => {
    const r = lift(def);
    expect(r.text.filter((x) => !x.includes("warning: $:"))).toEqual([]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}${s.display_name ? `(${s.display_name})` : ""}:${s.depends_on.join(",")}`)).toEqual(["Check:", "Train:", "Forecast:Check,Train", "Done(Done?):Forecast", "Stop:"]);
    const check = steps[0] as Extract<Step, { kind: "condition" }>;
    expect([check.then, check.else]).toEqual([["Train"], []]);
    const again = lower(r.pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    const handlers = { ...sns("Train"), ...sns("Forecast") };
    for (const input of inputs) {
      const [before, after] = [await run(def, input, handlers), await run(again, input, handlers)];
      expect([after.status, after.error, calls(after)]).toEqual([before.status, before.error, calls(before)]);
    }
  });

  test("where the data they leave differs and is not read, they still meet once", () => {
    // Train keeps its answer, which nothing after the meeting state reads.
    const kept = { ...def, States: { ...def.States, Train: { ...def.States.Train, ResultPath: "$.trained" } } };
    const r = lift(kept);
    expect(r.text.filter((x) => !x.includes("warning: $:"))).toEqual([]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["Check", "Train", "Forecast", "Done", "Stop"]);
  });

  test("where what follows reads data left differently on each path, it is lifted once on each path, with a warning; the runs make the same calls", async () => {
    // Train keeps its answer and Forecast sends it: the message depends on the path taken.
    const kept = {
      ...def,
      States: {
        ...def.States,
        Train: { ...def.States.Train, ResultPath: "$.trained" },
        Forecast: { ...def.States.Forecast, Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.trained.MessageId" } },
      },
    };
    const r = lift(kept);
    expect(r.text.filter((x) => !x.includes("warning: $:"))).toEqual(["m.asl.json:25:17: warning: $.States.Forecast: branches rejoin at this state: it and the states after it are lifted once on each path, as steps of their own"]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}${s.display_name ? `(${s.display_name})` : ""}`)).toEqual(["Check", "Train", "Forecast", "Done(Done?)", "Stop", "Forecast_2(Forecast)", "Done_2(Done?)", "Stop_2(Stop)"]);
    const check = steps[0] as Extract<Step, { kind: "condition" }>;
    expect([check.then, check.else]).toEqual([["Train", "Forecast", "Done"], ["Forecast_2", "Done_2"]]);
    const again = lower(r.pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    const handlers = { ...sns("Train"), ...sns("Forecast"), ...sns("Forecast_2") };
    // Without a retrain, the run's input holds what Forecast sends.
    for (const input of inputs.map((x) => ({ ...x, trained: { MessageId: "given" } }))) {
      const [before, after] = [await run(kept, input, handlers), await run(again, input, handlers)];
      expect([after.status, after.error, calls(after)]).toEqual([before.status, before.error, calls(before)]);
    }
  });

  test("a Fail state reached on two paths is a fail step on each, without a word (the same end)", () => {
    const r = lift({
      StartAt: "A",
      States: {
        A: { Type: "Choice", Choices: [{ Variable: "$.a", BooleanEquals: true, Next: "Failed" }], Default: "B" },
        B: { Type: "Choice", Choices: [{ Variable: "$.b", BooleanEquals: true, Next: "Failed" }], Default: "Done" },
        Failed: { Type: "Fail", Error: "Stopped", Cause: "stopped" },
        Done: { Type: "Succeed" },
      },
    });
    expect(r.text.filter((x) => !x.includes("warning: $:"))).toEqual([]);
    expect(r.pipeline!.steps.filter((s) => s.kind === "fail").map((s) => `${s.id}${s.display_name ? `(${s.display_name})` : ""}`)).toEqual(["Failed", "Failed_2(Failed)"]);
  });

  test("a loop that is no polling loop is refused as a loop, once, saying what differs from one", () => {
    const r = lift({
      StartAt: "A",
      States: {
        A: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "a" }, ResultPath: null, Next: "B" }),
        B: task("arn:aws:states:::aws-sdk:sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "b" }, ResultPath: null, Next: "Again?" }),
        "Again?": { Type: "Choice", Choices: [{ Variable: "$.again", BooleanEquals: true, Next: "A" }], Default: "End" },
        End: { Type: "Succeed" },
      },
    });
    expect(r.text.filter((x) => x.includes("error"))).toEqual([
      "m.asl.json:4:10: error: $.States.A: a loop back to this state (through 'A', 'B', 'Again?') has no IR equivalent: it makes 2 calls ('A', 'B') where a repeated call makes one; no Wait comes between its calls (only polling loops are read: an aws call or a Lambda function, a Choice on its result and a Wait back to the call)",
    ]);
    // A Wait whose seconds are read from the data: the first wait the input's, later ones what the Pass on the
    // way back wrote (a wait step, then a call repeated at the Pass's interval).
    const w = lift({
      StartAt: "Pause",
      States: {
        Pause: { Type: "Wait", SecondsPath: "$.wait", Next: "Get" },
        Get: task("arn:aws:states:::aws-sdk:glue:getJobRun", { Parameters: { "JobName.$": "$.job", RunId: "r" }, Next: "Check" }),
        Check: { Type: "Choice", Choices: [{ Variable: "$.JobRun.JobRunState", StringEquals: "RUNNING", Next: "Again" }], Default: "End" },
        Again: { Type: "Pass", Parameters: { "job.$": "$.JobRun.JobName", wait: 5 }, Next: "Pause" },
        End: { Type: "Succeed" },
      },
    });
    expect(w.text.filter((x) => x.includes("error"))).toEqual([]);
    const pause = w.pipeline!.steps.find((s) => s.id === "Pause") as Extract<Step, { kind: "wait" }>;
    const get = w.pipeline!.steps.find((s) => s.id === "Get") as Extract<Step, { kind: "aws" }>;
    expect([printExpr(pause.seconds), get.repeat!.interval]).toEqual(["params.wait", 5]);
  });
});

test("the execution's ARN is read as the run's id, with a warning that the lowered machine sends the execution's name", () => {
  const r = lift({
    StartAt: "Tell",
    States: { Tell: task("arn:aws:states:::sns:publish", { Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$$.Execution.Id" }, End: true }) },
  });
  expect(r.text.filter((x) => x.includes("Execution"))).toEqual([
    "m.asl.json:9:22: warning: $.States.Tell.Parameters['Message.$']: '$$.Execution.Id' (the execution's ARN) is read as the run's id, which the lowered machine writes as '$$.Execution.Name' (the execution's name; other targets use their run id)",
  ]);
  expect(lower(r.pipeline!).definition.States.Tell.Parameters["Message.$"]).toBe("$$.Execution.Name");
});

test("exists() on a report and a repeat condition written over several lines lower and lift back to the same machine", () => {
  const p = yaml(`version: 1
pipeline: reports
region: us-east-1
artifacts: s3://example-bucket/reports
role: arn:aws:iam::111122223333:role/pipeline
steps:
  evaluate:
    type: processing
    image: sklearn:1.2-1
    instance: { type: ml.m5.large }
    outputs: { metrics: { path: /opt/ml/processing/metrics } }
    reports: { scores: { output: metrics, file: scores.json } }
  gate:
    type: condition
    if: \${{ exists(steps.evaluate.reports.scores.mse) }}
    then: [done]
  done:
    type: aws
    service: glue
    action: GetJobRun
    request: { JobName: nightly, RunId: jr_1 }
    repeat:
      until: |-
        \${{ steps.done.response.JobRun.JobRunState
             in ['SUCCEEDED', 'FAILED'] }}
      interval: 10s
`);
  const first = lower(p);
  expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(first.definition.States.gate.Choices[0]).toMatchObject({ IsPresent: true });
  const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
  expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
});
