/**
 * Map steps: steps run once for each item of a list known only at run time.
 * Lowered to an inline Map state and executed in aws-local-stepfunctions;
 * the checks around them; refused by the targets that cannot fan out at run
 * time; the same IR from YAML and from the TypeScript DSL; Map states lifted.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { stripPositions } from "../../../src/ir/values.js";
import { aslValidator, lower, run, yaml, yamlAndTs, type Handler } from "./support.js";
import { lambdaInvoke, sagemaker as sm } from "./services.js";

const head = `version: 1
pipeline: batches
region: us-east-1
role: arn:aws:iam::111122223333:role/pipeline
artifacts: s3://bucket-1/p
`;

const BATCHES = `${head}steps:
  split:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:split
    payload: { size: 2 }
  each:
    type: map
    items: \${{ steps.split.response }}
    concurrency: 1
    steps: [score, predict]
  score:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:score
    payload: { start: "\${{ item.start }}", size: "\${{ params.size }}" }
  predict:
    type: transform
    model: my-model
    instance: ml.m5.large
    input: { source: "\${{ item.input }}" }
    depends_on: [score]
  done:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: done }
    depends_on: [each]
parameters:
  size: { type: integer, default: 10 }
`;

const ITEMS = [
  { start: 0, input: "s3://bucket-1/in/0/" },
  { start: 10, input: "s3://bucket-1/in/1/" },
];

/** Every Task answered by name; what each was sent, in order. */
function answers(def: any) {
  const sent: Array<[string, any]> = [];
  const h = (name: string, f: Handler): Handler => (i) => {
    sent.push([name, structuredClone(i)]);
    return f(i);
  };
  const handlers: Record<string, Handler> = {
    split: h("split", lambdaInvoke(() => ITEMS)),
    score: h("score", lambdaInvoke((x) => ({ scored: x.start }))),
    predict: h("predict", sm.transform()),
    done: h("done", () => ({ MessageId: "m-1" })),
  };
  return { sent, handlers, def };
}

describe("map steps", () => {
  test("an inline Map state over the list, each iteration given the parameters, the step results so far and its item", () => {
    const def = lower(yaml(BATCHES)).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const m = def.States.each;
    expect(m).toMatchObject({ Type: "Map", ItemsPath: "$.steps.split.response", MaxConcurrency: 1, ResultPath: null, Next: "done" });
    expect(m.ItemSelector).toEqual({ "params.$": "$.params", "steps.$": "$.steps", "item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" });
    expect(m.ItemProcessor.ProcessorConfig).toEqual({ Mode: "INLINE" });
    expect(m.ItemProcessor.States.score.Parameters.Payload).toEqual({ "start.$": "$.item.start", "size.$": "$.params.size" });
  });

  test("it runs each item through the steps, one after the other, with a job name of its own", async () => {
    const { sent, handlers, def } = answers(lower(yaml(BATCHES)).definition);
    const r = await run(def, {}, handlers);
    expect(r.status).toBe("SUCCEEDED");
    expect(sent.map(([n]) => n)).toEqual(["split", "score", "predict", "score", "predict", "done"]);
    expect(sent.filter(([n]) => n === "score").map(([, i]) => i.Payload)).toEqual([
      { start: 0, size: 10 },
      { start: 10, size: 10 },
    ]);
    const jobs = sent.filter(([n]) => n === "predict").map(([, i]) => i);
    expect(jobs.map((j) => j.TransformInput.DataSource.S3DataSource.S3Uri)).toEqual(["s3://bucket-1/in/0/", "s3://bucket-1/in/1/"]);
    // Two jobs in one execution: their names differ (SageMaker refuses a name twice).
    expect(new Set(jobs.map((j) => j.TransformJobName)).size).toBe(2);
  });

  test("a list computed by a function is written first by a Pass, then mapped", async () => {
    const p = yaml(`${head}steps:
  each:
    type: map
    items: \${{ split(execution.input.names, ',') }}
    steps: [hello]
  hello:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "\${{ item }}" }
`);
    const def = lower(p).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States["each.items"]).toEqual({ Type: "Pass", Parameters: { "items.$": "States.StringSplit($$.Execution.Input.names, ',')" }, ResultPath: "$.steps.each", Next: "each" });
    const said: string[] = [];
    const r = await run(def, { names: "ada,alan" }, { hello: (i) => (said.push(i.Message), { MessageId: "m" }) });
    expect([r.status, said]).toEqual(["SUCCEEDED", ["ada", "alan"]]);
  });

  test("inside a map, an execution it starts is still linked to this execution by its ARN, not the per-item name source", () => {
    const p = yaml(`${head}steps:
  each:
    type: map
    items: \${{ execution.input.runs }}
    steps: [child]
  child:
    type: aws
    service: stepfunctions
    action: StartExecution
    request:
      stateMachineArn: arn:aws:states:us-east-1:111122223333:stateMachine:child
      input: { AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: "\${{ execution.id }}", run: "\${{ item }}" }
`);
    const st = lower(p).definition.States.each.ItemProcessor.States.child;
    expect(st.Parameters.Input).toEqual({ "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id", "run.$": "$.item" });
  });

  test("what a map cannot hold, and what may not read a map's steps, is refused with the step and the reason", () => {
    const check = (steps: string) => {
      const r = loadYamlText(`${head}steps:\n${steps}`, "m.yaml", "fixtures");
      return [...r.diagnostics, ...(r.pipeline ? checkPipeline(r.pipeline) : [])].filter((d) => d.severity === "error").map((d) => d.message);
    };
    const member = (id: string, extra = "") => `  ${id}:\n    type: wait\n    seconds: 1\n${extra}`;
    const map = (id: string, steps: string) => `  ${id}:\n    type: map\n    items: \${{ execution.input.list }}\n    steps: [${steps}]\n`;
    expect(check(`${map("m", "a")}${member("a")}${member("after", "    depends_on: [a]\n")}`)).toEqual(["step 'after' depends on 'a', which runs once per item of map 'm'"]);
    expect(check(`${map("m", "a")}  a:\n    type: fail\n    message: \${{ item.x }}\n    foreach: [{ x: 1 }]\n`)).toEqual([
      "step 'a' runs once per item of map 'm' and cannot also have 'foreach' (its 'item' would be ambiguous)",
    ]);
    // A map inside a map is held (its steps read the outer item as steps.m.item; see nested-map.test.ts).
    expect(check(`${map("m", "inner")}${map("inner", "a")}${member("a")}`)).toEqual([]);
    expect(check(`${map("m", "a")}${member("a", "    on_failure: [h]\n")}${member("h")}`)).toEqual([
      "step 'a' runs once per item of map 'm' and cannot have or be a failure handler; give the map an 'on_failure' instead, or let its failure pass (on_failure: { ends: continues })",
    ]);
    // A failure let pass needs no handler steps: the iteration goes on (let-pass.test.ts runs it).
    expect(check(`${map("m", "a")}${member("a", "    on_failure: { ends: continues }\n")}`)).toEqual([]);
    expect(check(`${map("m", "ghost")}`)).toEqual(["map 'm' lists unknown step 'ghost' in 'steps'"]);
    expect(check(`  w:\n    type: fail\n    message: \${{ item.x }}\n`)).toEqual(["item.x is only available in a step with 'foreach' or in a map's steps"]);
  });

  test("a list written out runs as one: a Pass puts it where the Map reads it (a Map, unlike foreach's Parallel, bounds how many run at once)", () => {
    const p = yaml(`${head}steps:\n  m:\n    type: map\n    items: \${{ [1, 2] }}\n    concurrency: 1\n    steps: [a]\n  a:\n    type: wait\n    seconds: 1\n`);
    const r = lower(p);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    expect(r.definition.States["m.items"]).toEqual({ Type: "Pass", Parameters: { items: [1, 2] }, ResultPath: "$.steps.m", Next: "m" });
    expect(r.definition.States.m).toMatchObject({ ItemsPath: "$.steps.m.items", MaxConcurrency: 1 });
  });

  test("SageMaker refuses a map by name, saying why; Airflow maps a task group, but not over a transform job", () => {
    const p = yaml(BATCHES);
    expect(refusals(airflow, p)).toEqual([]);
    expect(airflow.lower(p, { baseDir: "/p", options: {} }).diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "step 'predict' runs once an item of map step 'each': on Airflow a map's steps are lambda, aws, wait or condition steps without repeat (the tasks of a mapped task group, each reading its iteration's item by map index); a transform step is not written there",
    ]);
    expect(refusals(sagemaker, p).map((d) => d.message)).toContain(
      "step 'each': map step is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines has no step that fans out over a list known only at run time",
    );
  });

  test("the TypeScript DSL's map() and mapItem give the IR the YAML gives", async () => {
    const r = await yamlAndTs(
      BATCHES,
      `import { awsCall, lambda, map, mapItem, params, pipeline, transform } from "switchyard";
const p = params({ size: { type: "integer", default: 10 } });
const split = lambda("split", { function: "arn:aws:lambda:us-east-1:111122223333:function:split", payload: { size: 2 } });
const score = lambda("score", { function: "arn:aws:lambda:us-east-1:111122223333:function:score", payload: { start: mapItem.start, size: p.size } });
const predict = transform("predict", { model: "my-model", instance: "ml.m5.large", input: { source: mapItem.input }, depends_on: [score] });
const each = map("each", { items: split.response(), concurrency: 1, steps: [score, predict] });
const done = awsCall("done", { service: "sns", action: "Publish", request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "done" }, depends_on: [each] });
export default pipeline({ name: "batches", region: "us-east-1", role: "arn:aws:iam::111122223333:role/pipeline", artifacts: "s3://bucket-1/p", parameters: p, steps: [split, each, done] });
`,
    );
    expect(r.tsErrors).toEqual([]);
    expect(r.fromTs).toEqual(r.fromYaml);
  });

  test("a hand-written Map with Parameters (the older ItemSelector) and an Iterator lifts; the item's index is refused", () => {
    const machine = (param: string) => ({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.orders",
          Parameters: { "order.$": param, "shop.$": "$.shop" },
          Iterator: { StartAt: "Ship", States: { Ship: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/q", "MessageBody.$": "$.order.id" }, End: true } } },
          ResultPath: null,
          End: true,
        },
      },
    });
    const ok = backend.lift!({ file: "m.json", text: JSON.stringify(machine("$$.Map.Item.Value"), null, 2) });
    expect(ok.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [each, ship] = ok.pipeline!.steps;
    expect(stripPositions(each)).toMatchObject({ kind: "map", steps: ["Ship"], items: { kind: "ref", ref: { scope: "execution", name: "input", path: ["orders"] } } });
    expect(stripPositions(ship)).toMatchObject({ kind: "aws", request: { MessageBody: { kind: "ref", ref: { scope: "item", path: ["id"] } } } });
    const bad = backend.lift!({ file: "m.json", text: JSON.stringify(machine("$$.Map.Item.Index"), null, 2) });
    expect(bad.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "$.States.Each.Parameters['order.$']: the index of a Map's item has no IR equivalent (a map's steps read the item itself)",
    ]);
  });
});
