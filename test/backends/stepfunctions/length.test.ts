/**
 * length(): how many items a list has. Step Functions computes it with
 * States.ArrayLength, in a task's fields and, for a condition, in the Pass
 * before its Choice (a Choice compares paths only). Machines written
 * elsewhere count a listing the same way (a Pass writes the count, a Choice
 * tests it): lifted, lowered again, both run alike.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import type { Step } from "../../../src/ir/types.js";
import { aslValidator, lower, run, yaml } from "./support.js";

const PIPELINE = `version: 1
pipeline: counting
region: us-east-1
artifacts: s3://bucket/p
steps:
  list:
    type: aws
    service: s3
    action: ListObjectsV2
    request: { Bucket: data-bucket, Prefix: incoming/ }
  gate:
    type: condition
    if: \${{ length(steps.list.response.Contents) > 2 }}
    then: [work]
    else: [skip]
  work:
    type: lambda
    function: work
    payload:
      count: \${{ length(steps.list.response.Contents) }}
      note: "files: \${{ length(steps.list.response.Contents) }}"
  skip:
    type: lambda
    function: skip
`;

const listing = (n: number) => ({ Contents: Array.from({ length: n }, (_, i) => ({ Key: `incoming/f${i}.csv`, Size: 10 })), KeyCount: n });

describe("length() on Step Functions", () => {
  test("States.ArrayLength in a task's fields, and computed by a Pass before the condition's Choice, which compares its path", () => {
    const out = lower(yaml(PIPELINE));
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const st = out.definition.States;
    expect(st["gate.values"]).toEqual({ Type: "Pass", Parameters: { "v0.$": "States.ArrayLength($.steps.list.response.Contents)" }, ResultPath: "$.values", Next: "gate" });
    expect(st.gate.Choices[0]).toEqual({ Variable: "$.values.v0", NumericGreaterThan: 2, Next: "work" });
    expect(st.work.Parameters.Payload).toEqual({
      "count.$": "States.ArrayLength($.steps.list.response.Contents)",
      "note.$": "States.Format('files: {}', States.ArrayLength($.steps.list.response.Contents))",
    });
    expect(aslValidator(out.definition).errors).toEqual([]);
  });

  test("the machine lifts back to the same expressions (the condition's values Pass is read as what it computes)", () => {
    const out = lower(yaml(PIPELINE));
    const lifted = backend.lift!({ file: "state-machine.asl.json", text: out.files.find((f) => f.kind === "definition")!.contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const steps = lifted.pipeline!.steps as Array<Step & Record<string, any>>;
    expect(printExpr(steps.find((s) => s.id === "gate")!.if)).toBe("length(steps.list.response.Contents) > 2");
    const work = steps.find((s) => s.id === "work")!;
    expect(printTemplate(work.payload.count)).toBe("${{ length(steps.list.response.Contents) }}");
    expect(printTemplate(work.payload.note)).toBe("files: ${{ length(steps.list.response.Contents) }}");
  });

  test("run: three objects take the then branch with the count in the payload; two take the else branch", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    const lambda = (i: any) => ({ Payload: {}, StatusCode: 200, input: i });
    const three = await run(def, {}, { list: () => listing(3), work: lambda, skip: lambda });
    expect(three.status).toBe("SUCCEEDED");
    expect(three.started).toEqual(["list", "work"]);
    expect(three.inputs.work[0].Payload).toEqual({ count: 3, note: "files: 3" });
    const two = await run(def, {}, { list: () => listing(2), work: lambda, skip: lambda });
    expect(two.status).toBe("SUCCEEDED");
    expect(two.started).toEqual(["list", "skip"]);
  });

  test("SageMaker Pipelines refuses length(), naming each step and place that uses it", () => {
    const p = yaml(PIPELINE.replace(/type: aws[\s\S]*?Prefix: incoming\/ \}/, "type: lambda\n    function: list"));
    expect(sagemaker.capabilities["function:length"].support).toBe("unsupported");
    expect(backend.capabilities["function:length"]).toEqual({ support: "native", note: "States.ArrayLength" });
    const said = refusals(sagemaker, p).map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message.split(" is not supported")[0]}`);
    expect(said).toEqual(["11:13 step 'gate': length(): how many items a list has", "18:18 step 'work': length(): how many items a list has", "19:25 step 'work': length(): how many items a list has"]);
    // Step Functions lowers the same pipeline.
    expect(lower(p).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("a machine that counts a listing in a Pass and tests the count lifts to length(); lowered again, both run alike", async () => {
    // The idiom of machines written elsewhere: list, count with States.ArrayLength into the state, test the count.
    const machine = {
      Comment: "Process the files that arrived, when there are any",
      StartAt: "List files",
      States: {
        "List files": {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:s3:listObjectsV2",
          Parameters: { Bucket: "data-bucket", Prefix: "incoming/" },
          ResultPath: "$.listing",
          Next: "Count files",
        },
        "Count files": { Type: "Pass", Parameters: { "count.$": "States.ArrayLength($.listing.Contents)" }, ResultPath: "$.files", Next: "Any files?" },
        "Any files?": {
          Type: "Choice",
          Choices: [{ Variable: "$.files.count", NumericGreaterThan: 0, Next: "Process" }],
          Default: "Nothing to do",
        },
        Process: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "process-files", Payload: { "files.$": "$.files.count", "keys.$": "$.listing.Contents" } },
          End: true,
        },
        "Nothing to do": { Type: "Succeed" },
      },
    };
    const lifted = backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine, null, 2) });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const steps = lifted.pipeline!.steps as Array<Step & Record<string, any>>;
    const condition = steps.find((s) => s.kind === "condition")!;
    expect(printExpr(condition.if)).toMatch(/^length\(steps\.[A-Za-z_-]+\.response\.Contents\) > 0$/);
    const process = steps.find((s) => s.kind === "lambda")!;
    expect(printTemplate(process.payload.files)).toMatch(/^\$\{\{ length\(steps\.[A-Za-z_-]+\.response\.Contents\) \}\}$/);
    const again = lower(lifted.pipeline!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const lambda = (i: any) => ({ Payload: { ok: true }, StatusCode: 200, input: i });
    const call = (def: any, n: number) => {
      const handlers: Record<string, (i: any) => unknown> = {};
      for (const [name, st] of Object.entries<any>(def.States)) {
        if (st.Type !== "Task") continue;
        handlers[name] = String(st.Resource).includes("listObjectsV2") ? () => listing(n) : lambda;
      }
      return run(def, {}, handlers);
    };
    for (const n of [0, 4]) {
      const [original, relowered] = await Promise.all([call(machine, n), call(again.definition, n)]);
      expect(relowered.status).toBe(original.status);
      const payloads = (r: Awaited<ReturnType<typeof call>>) => Object.values(r.inputs).flat().filter((i) => i.FunctionName).map((i) => i.Payload);
      expect(payloads(relowered)).toEqual(payloads(original));
      expect(payloads(original)).toEqual(n ? [{ files: n, keys: listing(n).Contents }] : []);
    }
  });

  test("a machine that runs alone (counts the running executions in its ResultSelector, ends when another runs) lifts to length(); both run alike", async () => {
    const machine = {
      StartAt: "Check executions",
      States: {
        "Check executions": {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:sfn:listExecutions",
          Parameters: { StateMachineArn: "arn:aws:states:us-east-1:111122223333:stateMachine:nightly", StatusFilter: "RUNNING" },
          ResultSelector: { "running.$": "States.ArrayLength($.Executions)" },
          ResultPath: "$.check",
          Next: "Alone?",
        },
        "Alone?": { Type: "Choice", Choices: [{ Variable: "$.check.running", NumericGreaterThan: 1, Next: "Another runs" }], Default: "Work" },
        "Another runs": { Type: "Succeed" },
        Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "nightly-work", Payload: { "running.$": "$.check.running" } }, End: true },
      },
    };
    const lifted = backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine, null, 2) });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const steps = lifted.pipeline!.steps as Array<Step & Record<string, any>>;
    expect(printExpr(steps.find((s) => s.kind === "condition")!.if)).toBe("length(steps.Check_executions.response.executions) > 1");
    const again = lower(lifted.pipeline!).definition;
    const running = (n: number) => ({ Executions: Array.from({ length: n }, (_, i) => ({ Name: `run-${i}`, Status: "RUNNING" })) });
    const call = (def: any, n: number) => {
      const handlers: Record<string, (i: any) => unknown> = {};
      for (const [name, st] of Object.entries<any>(def.States)) {
        if (st.Type === "Task") handlers[name] = String(st.Resource).includes("listExecutions") ? () => running(n) : (i: any) => ({ Payload: {}, StatusCode: 200, input: i });
      }
      return run(def, {}, handlers);
    };
    for (const n of [1, 2]) {
      const [original, relowered] = await Promise.all([call(machine, n), call(again, n)]);
      expect(relowered.status).toBe(original.status);
      const payloads = (r: Awaited<ReturnType<typeof call>>) => Object.values(r.inputs).flat().filter((i) => i.FunctionName).map((i) => i.Payload);
      expect(payloads(relowered)).toEqual(payloads(original));
      expect(payloads(original)).toEqual(n === 1 ? [{ running: 1 }] : []);
    }
  });
});
