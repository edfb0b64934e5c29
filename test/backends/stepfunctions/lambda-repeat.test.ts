/**
 * A Lambda function invoked again until its result says so (`repeat` on a
 * lambda step): lowered to the lambda:invoke Task, a Choice and a Wait back
 * (validated, executed in aws-local-stepfunctions), our own machine lifted
 * back exactly, the loops public machines write around a function read as
 * such, and SageMaker's refusal.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Step } from "../../../src/ir/types.js";
import { aslValidator, languageService, lower, run, yaml } from "./support.js";

const POLL = (timeout: string) => `version: 1
pipeline: lambda-poll
region: us-east-1
artifacts: s3://example-bucket/lambda-poll
${timeout}steps:
  start:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:start-training
    payload: { project: churn }
    outputs: { version: string }
  status:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:training-status
    payload: { version: "\${{ steps.start.outputs.version }}" }
    outputs: { state: string }
    repeat:
      until: \${{ steps.status.outputs.state != 'RUNNING' }}
      interval: 1m
  failed:
    type: condition
    if: \${{ steps.status.outputs.state != 'DONE' }}
    then: [stop]
  stop:
    type: fail
    error: TrainingFailed
    message: "training ended \${{ steps.status.outputs.state }}"
`;

/** lambda:invoke results: the start, then the status function answering each state in turn. */
function functions(states: string[]) {
  const left = [...states];
  return {
    start: () => ({ StatusCode: 200, Payload: { version: "v7" } }),
    status: (i: any) => {
      expect(i).toEqual({ FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:training-status", Payload: { version: "v7" } });
      return { StatusCode: 200, Payload: { state: left.shift() } };
    },
  };
}

const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));

describe("a repeated Lambda function on Step Functions", () => {
  test("lowers to the lambda:invoke Task, a Choice on its result and a Wait of the interval back to it; both validators accept it", async () => {
    const r = lower(yaml(POLL("")));
    expect(errors(r.diagnostics)).toEqual([]);
    const st = r.definition.States;
    expect(st.status).toMatchObject({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:training-status", Payload: { "version.$": "$.steps.start.outputs.version" } },
      ResultSelector: { outputs: { "state.$": "$.Payload.state" } },
      Next: "status.until",
    });
    expect(st["status.until"]).toEqual({
      Type: "Choice",
      Choices: [{ Not: { Variable: "$.steps.status.outputs.state", StringEquals: "RUNNING" }, Next: "failed" }],
      Default: "status.wait",
    });
    expect(st["status.wait"]).toEqual({ Type: "Wait", Seconds: 60, Next: "status" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(r.files[0].contents)).toEqual([]);
  });

  test("runs: invoked until the state is not RUNNING, then branches on it", async () => {
    const def = lower(yaml(POLL(""))).definition;
    const ok = await run(def, {}, functions(["RUNNING", "RUNNING", "DONE"]));
    expect(ok.status).toBe("SUCCEEDED");
    expect(ok.started).toEqual(["start", "status", "status", "status"]);
    const bad = await run(def, {}, functions(["RUNNING", "FAILED"]));
    expect(bad).toMatchObject({ status: "FAILED", error: "TrainingFailed", cause: "training ended FAILED" });
    expect(bad.started).toEqual(["start", "status", "status"]);
  });

  test("a timeout bounds all the invocations together: States.Timeout after timeout / interval of them", async () => {
    const r = lower(yaml(POLL("defaults:\n  timeout: 3m\n")));
    expect(errors(r.diagnostics)).toEqual([]);
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(r.definition.States["status.until"].Choices[1]).toEqual({ Variable: "$.polls.status", NumericGreaterThanEquals: 3, Next: "status.timeout" });
    const slow = await run(r.definition, {}, functions(Array(10).fill("RUNNING")));
    expect(slow).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(slow.started.filter((x) => x === "status")).toHaveLength(3);
  });

  test.each([
    ["without a timeout", ""],
    ["with a timeout", "defaults:\n  timeout: 3m\n"],
  ])("our own machine lifts back to the same repeated lambda step and lowers to the same definition (%s)", (_, timeout) => {
    const first = lower(yaml(POLL(timeout)));
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    const status = lifted.pipeline!.steps.find((s) => s.id === "status") as Extract<Step, { kind: "lambda" }>;
    expect([printExpr(status.repeat!.until), status.repeat!.interval]).toEqual(["not steps.status.outputs.state == 'RUNNING'", 60]);
    expect(status.outputs).toEqual({ state: "string" });
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
  });

  test("checked like a repeated aws call: it must read its own result, once per step, at least 1s apart", () => {
    const r = loadYamlText(
      `version: 1
pipeline: bad
region: us-east-1
artifacts: s3://example-bucket/p
steps:
  a:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    repeat: { until: "\${{ 1 == 1 }}", interval: 0.5s }
  b:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    foreach: [x, y]
    payload: { item: "\${{ item }}" }
    repeat: { until: "\${{ steps.b.response.done }}", interval: 10s }
`,
      "bad.yaml",
      "fixtures",
    );
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "bad.yaml:9:13: error: 'repeat.interval' of step 'a' must be at least 1s",
      "bad.yaml:9:27: error: 'repeat.until' of step 'a' never reads the step's own result, so every call would see the same answer\n  hint: read what the call returned, e.g. ${{ steps.a.response.status == 'done' }}",
      "bad.yaml:15:13: error: step 'b' has both 'foreach' and 'repeat': repeat one call per step",
    ]);
  });

  test("SageMaker Pipelines refuses it, naming the step: a Lambda step runs once", () => {
    expect(refusals(sagemaker, yaml(POLL(""))).map((d) => formatDiagnostic(d))).toEqual([
      "inline.yaml:17:7: error: step 'status': a Lambda function invoked again until its result says so (polling loop) is not supported by Amazon SageMaker Pipelines: a Lambda step runs its function once, and a pipeline has no loop to run it again: poll inside the function, or compile for Step Functions or Airflow",
    ]);
  });
});

/** Lift a machine given as an object; diagnostics as text. */
function lift(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
  return { ...r, text: r.diagnostics.map(formatDiagnostic) };
}

describe("polling loops around a Lambda function in machines others wrote", () => {
  // A function ARN as the resource, given the whole state data (the Rekognition Custom Labels idiom): the
  // function says what comes next in its result, and the next call is given that result.
  const FN = "arn:aws:lambda:us-east-1:111122223333:function:train-deploy";
  const def = {
    StartAt: "Create",
    States: {
      Create: { Type: "Task", Resource: FN, Next: "Wait for Training" },
      "Wait for Training": { Type: "Wait", Seconds: 300, Next: "Get Status" },
      "Get Status": { Type: "Task", Resource: FN, Next: "In Progress?" },
      "In Progress?": {
        Type: "Choice",
        Choices: [
          { Variable: "$.message.NextTask", StringEquals: "Describe", Next: "Wait for Training" },
          { Variable: "$.message.NextTask", StringEquals: "Start", Next: "Start" },
        ],
        Default: "Failure",
      },
      Start: { Type: "Task", Resource: FN, End: true },
      Failure: { Type: "Fail", Error: "TrainingFailed" },
    },
  };
  const handlers = () => {
    const next = ["Describe", "Describe", "Start"];
    return {
      Create: (i: any) => ({ message: { NextTask: "Describe", project: i.project } }),
      "Get Status": (i: any) => ({ message: { NextTask: next.shift(), project: i.message.project } }),
      Start: (i: any) => ({ message: { NextTask: "End", project: i.message.project } }),
    };
  };

  test("the Wait is a wait step, the function repeats at its interval while the rule that loops holds, and what later calls are given is said", async () => {
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    expect(r.text.filter((x) => x.includes("later calls"))).toEqual([
      "m.asl.json:16:19: warning: $.States['Get Status'].Resource: 'Payload' of later calls is read from the previous call's result (steps.Get_Status.response); the lifted step sends the first call's value (steps.Create.response) every time, the same when the function's result repeats what it was given",
    ]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}:${s.kind}`)).toEqual(["Create:lambda", "Wait_for_Training:wait", "Get_Status:lambda", "In_Progress:condition", "Start:lambda", "Failure:fail"]);
    const get = steps[2] as Extract<Step, { kind: "lambda" }>;
    expect([printExpr(get.repeat!.until), get.repeat!.interval, printExpr(get.payload_value!)]).toEqual(["not steps.Get_Status.response.message.NextTask == 'Describe'", 300, "steps.Create.response"]);
    const again = lower(r.pipeline!);
    expect(errors(again.diagnostics)).toEqual([]);
    expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
    // The same functions, called as many times, end the same way (the lowered machine calls through lambda:invoke).
    const before = await run(structuredClone(def), { project: "p1" }, handlers());
    const h = handlers();
    const after = await run(again.definition, { project: "p1" }, {
      Create: (i: any) => ({ Payload: h.Create(i.Payload) }),
      Get_Status: (i: any) => ({ Payload: h["Get Status"](i.Payload) }),
      Start: (i: any) => ({ Payload: h.Start(i.Payload) }),
    });
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(after.started).toEqual(before.started.map((s) => s.replace(" ", "_")));
    expect(after.inputs.Start.map((i: any) => i.Payload)).toEqual(before.inputs.Start);
  });

  test("a polling loop whose Wait reads its seconds from what the call returned is refused, naming why (each wait may differ)", () => {
    const r = lift({
      StartAt: "Wait",
      States: {
        Wait: { Type: "Wait", SecondsPath: "$.wait_time", Next: "Get" },
        Get: { Type: "Task", Resource: FN, Next: "Done?" },
        "Done?": { Type: "Choice", Choices: [{ Variable: "$.status", StringEquals: "SUCCEEDED", Next: "End" }], Default: "Wait" },
        End: { Type: "Succeed" },
      },
    });
    expect(r.text.filter((x) => x.includes("error"))).toEqual([
      "m.asl.json:6:22: error: $.States.Wait.SecondsPath: the Wait 'Wait' takes its seconds from '$.wait_time', which 'Get' writes (steps.Get.response.wait_time), so each wait may differ, where a repeated call's interval is read before its calls",
    ]);
  });
});
