/**
 * `set(object, key, value)`: a copy of an object with one key set, as a
 * ResultPath writes a result into the state data. Executed in
 * aws-local-stepfunctions (literal and computed keys, text, numbers and
 * objects as values, maps holding expressions as intrinsic arguments); the
 * ResultPath shape (`$` after a result was written into it) lifted to it and
 * back; JsonMerge shapes the IR cannot hold refused by name; SageMaker refuses it.
 * Run-time text here holds no `"` or `\`: aws-local-stepfunctions drops the
 * backslashes of JSON text an intrinsic returns (step-functions.md, validator defects).
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Step } from "../../../src/ir/types.js";
import { intrinsicCalls } from "../../../backends/stepfunctions/intrinsics.js";
import { aslValidator, findState, lower, run, yaml, type Handler } from "./support.js";

const head = `version: 1
pipeline: tag-photos
region: us-east-1
role: arn:aws:iam::111122223333:role/pipeline
artifacts: s3://bucket-1/p
`;

const PIPELINE = `${head}parameters:
  label_key: { type: string, default: "label's {name}" }
steps:
  look:
    type: aws
    service: rekognition
    action: DetectLabels
    request: { Image: { S3Object: { Bucket: "\${{ execution.input.bucket }}", Name: "\${{ execution.input.key }}" } } }
  tell:
    type: aws
    service: sns
    action: Publish
    depends_on: [look]
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:t
      Message: "\${{ set(set(set(execution.input, 'labels', steps.look.response), params.label_key, item(steps.look.response.Labels, 0)), 'count', 2) }}"
  keep:
    type: aws
    service: sqs
    action: SendMessage
    depends_on: [look]
    request:
      QueueUrl: https://sqs.us-east-1.amazonaws.com/111122223333/q
      MessageBody: "\${{ json(set(execution.input, 'seen', 'yes {}')) }}"
`;

const LABELS = { Labels: [{ Name: "Bicycle", Confidence: 97.5 }], LabelModelVersion: "3.0" };

function answers() {
  const sent: Record<string, any> = {};
  const h = (name: string, out: unknown): Handler => (i) => {
    sent[name] = structuredClone(i);
    return out;
  };
  return { sent, handlers: { look: h("look", LABELS), tell: h("tell", { MessageId: "m-1" }), keep: h("keep", { MessageId: "m-2" }) } };
}

describe("set() on Step Functions", () => {
  test("States.JsonMerge with a one-key object written by States.Format: keys literal and computed, values of any type", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    // Three merges over the input need more than the 10 functions a field may call: the inner ones are computed first, by the step's values Pass.
    const message = findState(def, "tell").Parameters["Message.$"];
    expect(message).toMatch(/^States\.JsonMerge\(\$\.values\.v0, States\.StringToJson\(States\.Format\(/);
    expect(intrinsicCalls(message)).toBeLessThanOrEqual(10);
    const values = findState(def, "tell.values");
    expect(values).toMatchObject({ Type: "Pass", ResultPath: "$.values", Next: "tell" });
    expect(values.Parameters["v0.$"]).toMatch(/^States\.JsonMerge\(States\.JsonMerge\(\$\$\.Execution\.Input, States\.StringToJson\(States\.Format\(/);
    expect(intrinsicCalls(values.Parameters["v0.$"])).toBeLessThanOrEqual(10);
    const { sent, handlers } = answers();
    const input = { bucket: "photos-1", key: "a.jpg", count: 1 };
    const r = await run(def, input, handlers);
    expect([r.status, r.error, r.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
    // Each key set in turn; an existing key ('count') replaced; the execution input itself unchanged.
    expect(sent.tell.Message).toEqual({ bucket: "photos-1", key: "a.jpg", count: 2, labels: LABELS, 'label\'s {name}': { Name: "Bicycle", Confidence: 97.5 } });
    expect(JSON.parse(sent.keep.MessageBody)).toEqual({ bucket: "photos-1", key: "a.jpg", count: 1, seen: "yes {}" });
  });

  test("a map holding expressions is an intrinsic argument through its JSON text", async () => {
    const p = yaml(`${head}steps:
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:t
      Message: "\${{ json(execution.input) }}"
      MessageAttributes:
        run: { DataType: String, StringValue: "\${{ execution.id }}" }
`);
    // The map in a function's argument comes from the IR directly (the expression language has no map literal).
    const tell = p.steps[0] as Extract<Step, { kind: "aws" }>;
    const pos = tell.pos;
    tell.request.Message = {
      kind: "call",
      fn: "json",
      args: [{ kind: "map", entries: { who: { kind: "ref", ref: { scope: "execution", name: "input", path: ["who"] }, pos }, n: { kind: "literal", value: 3, type: "integer", pos }, deep: { kind: "map", entries: { "k'{}": { kind: "literal", value: "v'{}", type: "string", pos } }, pos } }, pos }],
      pos,
    };
    const def = lower(p).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const seen: any[] = [];
    const r = await run(def, { who: { name: "ada" } }, { tell: (i) => (seen.push(i), { MessageId: "m-1" }) });
    expect([r.status, r.error, r.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
    expect(JSON.parse(seen[0].Message)).toEqual({ who: { name: "ada" }, n: 3, deep: { "k'{}": "v'{}" } });
  });

  test("our own machine lifts back to the same set() calls", () => {
    const p = yaml(PIPELINE);
    const text = JSON.stringify(lower(p).definition, null, 2);
    const r = backend.lift!({ file: "tag-photos.asl.json", text });
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s as Extract<Step, { kind: "aws" }>]));
    // The same calls, printed as one (the pipeline wrote them one inside another).
    expect(printExpr(byId.get("tell")!.request.Message)).toBe("set(execution.input, 'labels', steps.look.response, params.label_key, item(steps.look.response.Labels, 0), 'count', 2)");
    expect(printExpr(byId.get("keep")!.request.MessageBody)).toBe("json(set(execution.input, 'seen', 'yes {}'))");
  });

  test("object(key, value): executed, a new object of that key; lifted back; a ResultSelector's object written into the data becomes object() and set()", async () => {
    const p = yaml(`${head}steps:
  look:
    type: aws
    service: rekognition
    action: DetectLabels
    request: { Image: { S3Object: { Bucket: photos-1, Name: a.jpg } } }
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:t
      Message: "\${{ set(execution.input, 'last', set(object('Payload', steps.look.response.Labels), 'n', 2)) }}"
`);
    const def = lower(p).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const { sent, handlers } = answers();
    const r = await run(def, { run: "r-1" }, handlers);
    expect([r.status, r.error, r.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
    expect(sent.tell.Message).toEqual({ run: "r-1", last: { Payload: LABELS.Labels, n: 2 } });
    const back = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const tell = back.pipeline!.steps.find((s) => s.id === "tell") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(tell.request.Message)).toBe("set(execution.input, 'last', set(object('Payload', steps.look.response.Labels), 'n', 2))");
    // kptn's shape: a decision kept whole under a key by ResultSelector, then the whole data passed on.
    const machine = {
      StartAt: "Decide",
      States: {
        Decide: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:d", Payload: { "task_list.$": "$.tasks" } }, ResultSelector: { "Payload.$": "$.Payload" }, ResultPath: "$.last_decision", Next: "Again" },
        Again: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:d", Payload: { "state.$": "$", "force.$": "$.force" } }, End: true },
      },
    };
    const kept = backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine, null, 2) });
    expect(kept.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const again = kept.pipeline!.steps.find((s) => s.id === "Again") as Extract<Step, { kind: "lambda" }>;
    expect(printExpr(again.payload.state)).toBe("set(execution.input, 'last_decision', object('Payload', steps.Decide.response))");
    // Members passed to functions only whole are the input's, of any type (a list of tasks stays a list): not parameters.
    expect(printExpr((kept.pipeline!.steps[0] as Extract<Step, { kind: "lambda" }>).payload.task_list)).toBe("execution.input.tasks");
    expect(printExpr(again.payload.force)).toBe("execution.input.force");
    expect(kept.pipeline!.parameters).toEqual([]);
  });

  test("parse(text): States.StringToJson, executed on the run's input, and lifted back from a machine written elsewhere", async () => {
    const p = yaml(`${head}steps:
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "\${{ set(parse(execution.input.doc), 'n', 1) }}" }
`);
    const def = lower(p).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const seen: any[] = [];
    const r = await run(def, { doc: '{"a":[1,null]}' }, { tell: (i) => (seen.push(structuredClone(i)), { MessageId: "m-1" }) });
    expect([r.status, seen[0].Message]).toEqual(["SUCCEEDED", { a: [1, null], n: 1 }]);
    const machine = {
      StartAt: "Tell",
      States: { Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "States.StringToJson($.body)" }, End: true } },
    };
    const back = backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine, null, 2) });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(printExpr((back.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>).request.Message)).toBe("parse(params.body)");
  });

  test("the state data after ResultPath wrote into it is the input with each result set at its key", () => {
    const machine = {
      StartAt: "Look",
      States: {
        Look: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:rekognition:detectLabels", Parameters: { Image: { S3Object: { "Bucket.$": "$.bucket", "Name.$": "$.key" } } }, ResultPath: "$.labels", Next: "Text" },
        Text: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:rekognition:detectText", Parameters: { Image: { S3Object: { "Bucket.$": "$.bucket", "Name.$": "$.key" } } }, ResultPath: "$.text", Next: "Tell" },
        Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$" }, End: true },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(machine, null, 2) });
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const tell = r.pipeline!.steps.find((s) => s.id === "Tell") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(tell.request.Message)).toBe("set(execution.input, 'labels', steps.Look.response, 'text', steps.Text.response)");
  });

  test("merges the IR cannot hold are refused, each naming why", () => {
    const state = (merge: string) => ({
      StartAt: "Tell",
      States: { Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": merge }, End: true } },
    });
    const errors = (merge: string) =>
      backend.lift!({ file: "m.asl.json", text: JSON.stringify(state(merge), null, 2) }).diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(errors("States.JsonMerge($.a, $.b, true)")).toEqual([expect.stringContaining("deep merge (true) has no IR equivalent")]);
    expect(errors("States.JsonMerge($.a, $.b, false)")).toEqual([expect.stringContaining("merges an object known only at run time")]);
    expect(errors("States.JsonMerge($.a, States.StringToJson(States.Format('\\{\"k\":\\{\"d\":{}\\}\\}', States.JsonToString($.b))), false)")).toEqual([
      expect.stringContaining("an object or list holding expressions"),
    ]);
    // A value spliced into text inside the JSON is text built from parts, which no expression writes inside set().
    expect(errors("States.JsonMerge($.a, States.StringToJson(States.Format('\\{\"k\":\"v-{}\"\\}', $.b)), false)")).toEqual([expect.stringContaining("text built from parts")]);
    expect(errors("States.JsonMerge($.a, States.StringToJson(States.Format('\\{\"k\":{}\\}', $.b)), false)")).toEqual([expect.stringContaining("without States.JsonToString")]);
  });

  test("SageMaker Pipelines refuses set() at its position", () => {
    const p = yaml(PIPELINE);
    const msgs = refusals(sagemaker, p).map((d) => `${d.pos?.line}: ${d.message}`);
    expect(msgs.some((m) => /set\(\)|function:set|'set'/.test(m))).toBe(true);
  });
});
