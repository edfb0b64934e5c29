/**
 * aws steps that wait (`.sync`) and optimized integrations whose request is
 * not the API's own: the tables, lowering (validated, executed), lifting back,
 * and what is refused.
 */
import { describe, expect, test } from "vitest";
import { awsCallOf, awsTask, fromSfn, OPTIMIZED, syncBase, toSfn } from "../../../backends/stepfunctions/aws-calls.js";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { waitable, WAITABLE } from "../../../src/aws/waitable.js";
import type { Step, Value } from "../../../src/ir/types.js";
import { aslValidator, languageService, lower, run, yaml } from "./support.js";

const HEAD = `version: 1
pipeline: waits
region: us-east-1
artifacts: s3://switchyard-artifacts
`;

const PIPELINE = `${HEAD}parameters:
  query: { type: string, default: "select 1" }
steps:
  cluster:
    type: aws
    service: emr
    action: RunJobFlow
    wait: true
    request:
      Name: nightly
      ReleaseLabel: emr-7.1.0
      Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: m5.xlarge }
    outputs: { ClusterId: string }
  query:
    type: aws
    service: athena
    action: StartQueryExecution
    wait: true
    request: { QueryString: "\${{ params.query }}", WorkGroup: primary }
    depends_on: [cluster]
  train:
    type: aws
    service: batch
    action: SubmitJob
    wait: true
    request:
      jobName: train
      jobQueue: gpu
      jobDefinition: "trainer:3"
      parameters: { inputUri: "s3://b/in", MaxEpochs: "3" }
      containerOverrides: { environment: [{ name: MODE, value: full }] }
    depends_on: [query]
  deploy:
    type: aws
    service: sagemaker
    action: CreateEndpoint
    request: { EndpointName: churn, EndpointConfigName: churn-v2 }
    depends_on: [train]
  stop:
    type: aws
    service: emr
    action: TerminateJobFlows
    request: { JobFlowIds: ["\${{ steps.cluster.outputs.ClusterId }}"] }
    depends_on: [deploy]
`;

const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));
const lift = (m: unknown, file = "m.asl.json") => backend.lift!({ file, text: JSON.stringify(m, null, 2) });

describe("the tables", () => {
  test("each waitable action: a .sync resource whose request-response form is an optimized row for the same call, a Describe request, disjoint terminal statuses, its sources", () => {
    for (const w of WAITABLE.filter((x) => x.sfn !== undefined)) {
      expect(w.sfn).toMatch(/^arn:aws:states:::[a-z-]+:[a-z][a-zA-Z]+\.sync(:2)?$/);
      if (w.sfnOther) {
        expect(w.sfnOther.resource).toMatch(/^arn:aws:states:::[a-z-]+:[a-z][a-zA-Z]+\.sync(:2)?$/);
        expect(w.sfnOther.resource).not.toBe(w.sfn);
        expect(awsCallOf(w.sfnOther.resource)).toMatchObject({ service: w.service, action: w.action, wait: true, otherResult: { members: w.sfnOther.members } });
      }
      expect(syncBase(w)).toMatchObject({ service: w.service, action: w.action });
      expect(awsCallOf(w.sfn!)).toMatchObject({ service: w.service, action: w.action, wait: true });
      expect(w.failed.length).toBeGreaterThan(0);
      expect(w.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/step-functions\/latest\/dg\/connect-[a-z-]+\.html$/);
    }
    // Polled where Step Functions has no .sync form: the call through the AWS SDK integration, which tasks.ts follows with the loop.
    for (const w of WAITABLE.filter((x) => x.sfn === undefined)) {
      expect(syncBase(w)).toBeUndefined();
      expect(awsTask(w.service, w.action, {}, true)).toMatchObject({ resource: expect.stringMatching(/^arn:aws:states:::aws-sdk:[a-z0-9]+:[a-z][a-zA-Z]+$/), polled: w });
      // Ended, with a member that says how: the failing values of one or the other.
      expect(w.failed.length + (w.outcome?.failed.length ?? 0)).toBeGreaterThan(0);
      expect(w.source).toBe("https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html");
    }
    for (const w of WAITABLE) {
      expect(w.service).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(w.action).toMatch(/^[A-Z][a-zA-Z0-9]+$/);
      expect(w.describe.action).toMatch(/^(Describe|Get|BatchGet)[A-Z][a-zA-Z]+$/);
      expect(Object.keys(w.describe.request).length).toBeGreaterThan(0);
      for (const src of Object.values(w.describe.request)) expect(src.path.length).toBeGreaterThan(0);
      expect(w.status.length).toBeGreaterThan(0);
      expect(w.succeeded.length).toBeGreaterThan(0);
      expect(w.succeeded.filter((x) => w.failed.includes(x))).toEqual([]);
      expect(w.describeSource).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/[A-Za-z-]+\/latest\/(APIReference|apireference|webapi)\/API_[A-Za-z]+\.html$/);
    }
    expect(new Set(WAITABLE.map((w) => `${w.service}:${w.action}`)).size).toBe(WAITABLE.length);
  });

  test("each optimized row: one row per resource and per call, read back as its call, renames that do not collide, its source", () => {
    expect(new Set(OPTIMIZED.map((o) => o.resource)).size).toBe(OPTIMIZED.length);
    expect(new Set(OPTIMIZED.map((o) => `${o.service}:${o.action}`)).size).toBe(OPTIMIZED.length);
    for (const o of OPTIMIZED) {
      expect(o.resource).toMatch(/^arn:aws:states:::[a-z-]+:[a-z][a-zA-Z]+$/);
      if (o.waitOnly) {
        // A SageMaker job's row is only the base of its .sync form: without waiting the call goes through aws-sdk.
        expect(awsCallOf(`${o.resource}.sync`)).toMatchObject({ service: o.service, action: o.action, wait: true });
        expect(awsTask(o.service, o.action, {}, false)).toMatchObject({ resource: o.resource.replace(":::", ":::aws-sdk:") });
        expect(awsTask(o.service, o.action, {}, true)).toMatchObject({ resource: `${o.resource}.sync` });
        continue;
      }
      expect(awsCallOf(o.resource)).toMatchObject({ service: o.service, action: o.action });
      expect(awsTask(o.service, o.action, {}, false)).toMatchObject(o.conditions ? {} : { resource: o.resource });
      expect(o.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/step-functions\/latest\/dg\/connect-[a-z-]+\.html$/);
      if (o.request?.kind === "rename") {
        const names = o.request.members.flatMap((m) => [m.sfn, m.api]);
        expect(new Set(names).size).toBe(names.length);
      }
    }
    // Job kinds of their own are not aws calls.
    for (const r of ["sagemaker:createTrainingJob", "sagemaker:createProcessingJob", "sagemaker:createTransformJob", "sagemaker:createHyperParameterTuningJob", "sagemaker:createModel", "elasticmapreduce:addStep.sync", "glue:startJobRun.sync"]) {
      expect(awsCallOf(`arn:aws:states:::${r}`)).toBeUndefined();
    }
  });

  const P = { file: "t", line: 1, col: 1 };
  const lit = (value: string | boolean): Value => ({ kind: "literal", value, pos: P });
  const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === "pos" ? undefined : v)));

  test("requests are reshaped both ways: renamed members, one-item lists, PascalCase with data maps kept", () => {
    const terminate = OPTIMIZED.find((o) => o.action === "TerminateJobFlows")!;
    const api = { JobFlowIds: { kind: "list", items: [lit("j-1")], pos: P } as Value };
    const sfn = toSfn(terminate, api);
    expect(strip(sfn)).toEqual({ request: { ClusterId: { kind: "literal", value: "j-1" } } });
    expect(strip(fromSfn(terminate, (sfn as { request: Record<string, Value> }).request))).toEqual(strip({ request: api }));
    // Two clusters cannot go through terminateCluster.
    expect(toSfn(terminate, { JobFlowIds: { kind: "list", items: [lit("j-1"), lit("j-2")], pos: P } })).toEqual({ error: "JobFlowIds must be a list of exactly one item to be sent as ClusterId" });

    const customize = OPTIMIZED.find((o) => o.action === "CreateModelCustomizationJob")!;
    const req: Record<string, Value> = { jobName: lit("j"), hyperParameters: { kind: "map", entries: { epochCount: lit("1") }, pos: P }, outputDataConfig: { kind: "map", entries: { s3Uri: lit("s3://b/o") }, pos: P } };
    const out = toSfn(customize, req) as { request: Record<string, Value> };
    expect(strip(out.request)).toEqual(strip({ JobName: lit("j"), HyperParameters: { kind: "map", entries: { epochCount: lit("1") }, pos: P }, OutputDataConfig: { kind: "map", entries: { S3Uri: lit("s3://b/o") }, pos: P } }));
    expect(strip(fromSfn(customize, out.request))).toEqual(strip({ request: req }));
    expect(fromSfn(customize, { jobName: lit("j") })).toEqual({ error: "member 'jobName' not in PascalCase, as Step Functions spells CreateModelCustomizationJob's members" });
  });
});

describe("lowering", () => {
  const out = lower(yaml(PIPELINE, "waits.yaml"));
  const def = out.definition;

  test("waits become .sync tasks, renamed calls their optimized resource, requests in the integration's shape; both validators accept the machine", async () => {
    expect(out.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "waits.yaml:8:3: warning: step 'cluster': outputs 'ClusterId' are read from what elasticmapreduce:createCluster.sync returns, which is not DescribeCluster's response that other targets read them from",
    ]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(out.files[0].contents)).toEqual([]);
    expect(def.States.cluster).toMatchObject({
      Resource: "arn:aws:states:::elasticmapreduce:createCluster.sync",
      Parameters: { Name: "nightly", ReleaseLabel: "emr-7.1.0", Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: "m5.xlarge" } },
      ResultSelector: { outputs: { "ClusterId.$": "$.ClusterId" } },
    });
    expect(def.States.query).toMatchObject({ Resource: "arn:aws:states:::athena:startQueryExecution.sync", Parameters: { "QueryString.$": "$.params.query", WorkGroup: "primary" } });
    expect(def.States.train).toMatchObject({
      Resource: "arn:aws:states:::batch:submitJob.sync",
      Parameters: { JobName: "train", JobQueue: "gpu", JobDefinition: "trainer:3", Parameters: { inputUri: "s3://b/in", MaxEpochs: "3" }, ContainerOverrides: { Environment: [{ Name: "MODE", Value: "full" }] } },
    });
    expect(def.States.deploy).toMatchObject({ Resource: "arn:aws:states:::sagemaker:createEndpoint", Parameters: { EndpointName: "churn", EndpointConfigName: "churn-v2" } });
    expect(def.States.stop).toMatchObject({ Resource: "arn:aws:states:::elasticmapreduce:terminateCluster", Parameters: { "ClusterId.$": "$.steps.cluster.outputs.ClusterId" } });
  });

  test("a run sends each request as the integration takes it, the cluster id reaching the terminate call", async () => {
    const r = await run(def, { query: "select 2" }, {
      cluster: () => ({ ClusterId: "j-1" }),
      query: () => ({ QueryExecution: { QueryExecutionId: "q-1", Status: { State: "SUCCEEDED" } } }),
      train: () => ({ JobId: "b-1", Status: "SUCCEEDED" }),
      deploy: () => ({ EndpointArn: "arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn" }),
      stop: () => ({}),
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.finished).toEqual(["cluster", "query", "train", "deploy", "stop"]);
    expect(r.inputs.query[0]).toEqual({ QueryString: "select 2", WorkGroup: "primary" });
    expect(r.inputs.stop[0]).toEqual({ ClusterId: "j-1" });
  });

  test("the machine lifts back to the same pipeline, which lowers to the same machine", () => {
    const back = lift(lower(yaml(PIPELINE, "waits.yaml")).definition, "waits.asl.json");
    expect(errors(back.diagnostics)).toEqual([]);
    // The lift takes the artifacts prefix from an S3 location the machine names (the Batch parameter): nothing else differs.
    expect(diffPipelines(yaml(PIPELINE, "waits.yaml"), back.pipeline!).filter((d) => d.path !== "artifacts")).toEqual([]);
    expect(lower(back.pipeline!).definition).toEqual(lower(yaml(PIPELINE, "waits.yaml")).definition);
  });

  test("outputs read from an integration whose response is not the API's are warned about", () => {
    const r = lower(yaml(`${HEAD}steps:\n  add:\n    type: aws\n    service: emr\n    action: AddJobFlowSteps\n    request: { JobFlowId: j-1, Steps: [{ Name: s, HadoopJarStep: { Jar: command-runner.jar } }] }\n    outputs: { StepId: string }\n`, "add.yaml"));
    expect(r.definition.States.add).toMatchObject({ Resource: "arn:aws:states:::elasticmapreduce:addStep", Parameters: { ClusterId: "j-1", Step: { Name: "s", HadoopJarStep: { Jar: "command-runner.jar" } } } });
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "add.yaml:6:3: warning: step 'add': outputs 'StepId' are read from what elasticmapreduce:addStep returns ({StepId} where the API returns {StepIds}), not from AddJobFlowSteps's own response that other targets read them from",
    ]);
  });

  test("a request the optimized integration cannot carry: aws-sdk when the call does not wait, an error naming the member when it does", () => {
    const two = lower(yaml(`${HEAD}steps:\n  stop: { type: aws, service: emr, action: TerminateJobFlows, request: { JobFlowIds: [j-1, j-2] } }\n`));
    expect(two.definition.States.stop).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:emr:terminateJobFlows", Parameters: { JobFlowIds: ["j-1", "j-2"] } });
    const r = lower(yaml(`${HEAD}steps:\n  c:\n    type: aws\n    service: emr\n    action: RunJobFlow\n    wait: true\n    request: { Name: x, Instances: { InstanceCount: 1 } }\n`, "bad.yaml"));
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual(["bad.yaml:6:3: error: step 'c': elasticmapreduce:createCluster.sync cannot wait for this call: Instances.KeepJobFlowAliveWhenNoSteps must be true"]);
  });
});

describe("lifting", () => {
  const task = (Resource: string, Parameters: unknown) => ({ StartAt: "S", States: { S: { Type: "Task", Resource, Parameters, End: true } } });

  test("a .sync task on a listed action is an aws step that waits, its request the API's", () => {
    const r = lift(task("arn:aws:states:::bedrock:createModelCustomizationJob.sync", { JobName: "j", "CustomModelName.$": "$.name", HyperParameters: { epochCount: "1" } }));
    expect(errors(r.diagnostics)).toEqual([]);
    const s = r.pipeline!.steps[0];
    expect(s).toMatchObject({ kind: "aws", service: "bedrock", action: "CreateModelCustomizationJob", wait: true });
    expect(Object.keys((s as { request: object }).request)).toEqual(["jobName", "customModelName", "hyperParameters"]);
    expect(lower(r.pipeline!).definition.States.S).toMatchObject({ Resource: "arn:aws:states:::bedrock:createModelCustomizationJob.sync", Parameters: { JobName: "j", "CustomModelName.$": "$.params.name", HyperParameters: { epochCount: "1" } } });
  });

  test("a callback lifts as an aws step with callback, the token as task.token; one that sends no token is refused", () => {
    const r = lift(task("arn:aws:states:::sns:publish.waitForTaskToken", { TopicArn: "t", Message: { "token.$": "$$.Task.Token" } }));
    expect(errors(r.diagnostics)).toEqual([]);
    const s = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([s.kind, s.service, s.action, s.callback]).toEqual(["aws", "sns", "Publish", true]);
    expect(lower(r.pipeline!).definition.States.S).toMatchObject({ Resource: "arn:aws:states:::sns:publish.waitForTaskToken", Parameters: { TopicArn: "t", Message: { "token.$": "$$.Task.Token" } } });
    expect(errors(lift(task("arn:aws:states:::sns:publish.waitForTaskToken", { TopicArn: "t", Message: "hello" })).diagnostics)).toEqual([
      expect.stringMatching(/^m\.asl\.json:\d+:\d+: error: step 'S' has 'callback: true' but its request carries no \$\{\{ task\.token \}\}: nobody could send the token back\n  hint: put /),
    ]);
  });

  test("refused, each naming the construct: .sync forms not listed, requests that would not come back alike", () => {
    expect(errors(lift(task("arn:aws:states:::eks:runJob.sync", { ClusterName: "c", Namespace: "n" })).diagnostics)).toEqual([
      "m.asl.json:6:19: error: $.States.S.Resource: the integration 'eks:runJob.sync' waits for a job Switchyard does not know how to wait for elsewhere (no Describe action and statuses listed); of the .sync forms only athena:startQueryExecution.sync, sagemaker:createLabelingJob.sync, sagemaker:createTrainingJob.sync, sagemaker:createProcessingJob.sync, sagemaker:createTransformJob.sync, sagemaker:createHyperParameterTuningJob.sync, elasticmapreduce:createCluster.sync, elasticmapreduce:terminateCluster.sync, bedrock:createModelCustomizationJob.sync, batch:submitJob.sync, codebuild:startBuild.sync, states:startExecution.sync:2, states:startExecution.sync, ecs:runTask.sync, emr-serverless:createApplication.sync, emr-serverless:startApplication.sync, emr-serverless:stopApplication.sync, emr-serverless:startJobRun.sync, emr-serverless:cancelJobRun.sync are read as aws steps that wait",
    ]);
    expect(errors(lift(task("arn:aws:states:::elasticmapreduce:terminateCluster", { JobFlowIds: ["j-1"] })).diagnostics)).toEqual([
      "m.asl.json:7:21: error: $.States.S.Parameters: elasticmapreduce:terminateCluster: JobFlowIds is TerminateJobFlows's own member; the integration takes ClusterId",
    ]);
    expect(errors(lift(task("arn:aws:states:::batch:submitJob", { jobName: "j", JobQueue: "q", JobDefinition: "d" })).diagnostics)).toEqual([
      "m.asl.json:7:21: error: $.States.S.Parameters: batch:submitJob: member 'jobName' not in PascalCase, as Step Functions spells SubmitJob's members",
    ]);
    expect(errors(lift(task("arn:aws:states:::elasticmapreduce:createCluster", { Name: "x", Instances: { InstanceCount: 1 } })).diagnostics)).toEqual([
      "m.asl.json:7:21: error: $.States.S.Parameters: elasticmapreduce:createCluster: Instances.KeepJobFlowAliveWhenNoSteps must be true",
    ]);
    // Instances taken whole from the data: whether the cluster would stay up is known only when it runs.
    expect(errors(lift(task("arn:aws:states:::elasticmapreduce:createCluster.sync", { Name: "x", "Instances.$": "$.Instances" })).diagnostics)).toEqual([
      "m.asl.json:7:21: error: $.States.S.Parameters: elasticmapreduce:createCluster.sync: Instances is read at run time, so Instances.KeepJobFlowAliveWhenNoSteps cannot be known to be true: write Instances out",
    ]);
  });

  test("terminateCluster.sync is TerminateJobFlows of the one cluster, waiting until DescribeCluster says TERMINATED; lowered back to the same resource", () => {
    const r = lift(task("arn:aws:states:::elasticmapreduce:terminateCluster.sync", { "ClusterId.$": "$.cluster" }));
    expect(errors(r.diagnostics)).toEqual([]);
    const step = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([step.service, step.action, step.wait, Object.keys(step.request)]).toEqual(["emr", "TerminateJobFlows", true, ["JobFlowIds"]]);
    expect(waitable("emr", "TerminateJobFlows")).toMatchObject({ describe: { action: "DescribeCluster", request: { ClusterId: { from: "request", path: ["JobFlowIds", "0"] } } }, succeeded: ["TERMINATED"], failed: ["TERMINATED_WITH_ERRORS"] });
    expect(lower(r.pipeline!).definition.States.S).toMatchObject({ Resource: "arn:aws:states:::elasticmapreduce:terminateCluster.sync", Parameters: { "ClusterId.$": "$.params.cluster" } });
  });
});

describe("starting another state machine's execution", () => {
  const task = (Resource: string, Parameters: unknown) => ({ StartAt: "S", States: { S: { Type: "Task", Resource, Parameters, End: true } } });
  const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === "pos" ? undefined : v)));
  const ARN = "arn:aws:states:us-east-1:111122223333:stateMachine:child";
  const machine = (Resource: string, then: Record<string, unknown> = {}) => ({
    StartAt: "Start",
    States: {
      Start: {
        Type: "Task",
        Resource,
        Parameters: { StateMachineArn: ARN, "Name.$": "$.name", Input: { "day.$": "$.day", fixed: [1, { a: "b" }], "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" } },
        ...(Object.keys(then).length ? { Next: "Then" } : { End: true }),
      },
      ...(Object.keys(then).length ? { Then: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", ...then }, End: true } } : {}),
    },
  });
  const linkWarning = (line: string) =>
    `m.asl.json:${line}: warning: $.States.Start.Parameters.Input['AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$']: '$$.Execution.Id' (the execution's ARN, which links the execution this state starts to this one) is read as the run's id; Step Functions writes it back here as '$$.Execution.Id', other targets send their own run id, which links nothing`;

  test(".sync:2 lifts as an aws step that waits, Input held as the JSON data; it lowers to the same Task, the link to this execution written back as its ARN", async () => {
    const def = machine("arn:aws:states:::states:startExecution.sync:2", { "Message.$": "$.Output.summary" });
    const r = lift(def);
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.diagnostics.map((d) => formatDiagnostic(d)).filter((d) => d.includes("$.States.Start"))).toEqual([linkWarning("18:59")]);
    const s = r.pipeline!.steps[0];
    expect(s).toMatchObject({ kind: "aws", service: "stepfunctions", action: "StartExecution", wait: true });
    expect(strip((s as { request: object }).request)).toEqual({
      stateMachineArn: { kind: "literal", value: ARN, type: "string" },
      name: { kind: "ref", ref: { scope: "params", name: "name" } },
      input: {
        kind: "map",
        entries: {
          day: { kind: "ref", ref: { scope: "params", name: "day" } },
          fixed: { kind: "list", items: [{ kind: "literal", value: 1, type: "integer" }, { kind: "map", entries: { a: { kind: "literal", value: "b", type: "string" } } }] },
          AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: { kind: "ref", ref: { scope: "execution", name: "id" } },
        },
      },
    });
    const again = lower(r.pipeline!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(again.definition.States.Start).toMatchObject({
      Resource: "arn:aws:states:::states:startExecution.sync:2",
      Parameters: { StateMachineArn: ARN, "Name.$": "$.params.name", Input: { "day.$": "$.params.day", fixed: [1, { a: "b" }], "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" } },
    });
    // Run with the same stand-in: the child is started with the same request, and the parsed Output reaches the next call.
    const child = (i: any) => ({ ExecutionArn: `${ARN}:x`, Status: "SUCCEEDED", Input: i.Input, Output: { summary: `done ${i.Input.day}` } });
    const input = { name: "run-7", day: "mon" };
    const before = await run(def, input, { Start: child, Then: () => ({ MessageId: "m" }) });
    const after = await run(again.definition, input, { Start: child, Then: () => ({ MessageId: "m" }) });
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(after.inputs.Start).toEqual(before.inputs.Start);
    expect(before.inputs.Start[0].Input.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID).toBe("arn:aws:states:us-east-1:111122223333:execution:machine:exec-1");
    const thenName = Object.keys(again.definition.States).find((k) => (again.definition.States[k] as { Resource?: string }).Resource === "arn:aws:states:::sns:publish")!;
    expect(after.inputs[thenName][0].Message).toBe("done mon");
  });

  test(".sync lifts alike where no member it returns otherwise is read; reading Output (JSON text there, parsed with .sync:2) is refused", () => {
    const quiet = lift(machine("arn:aws:states:::states:startExecution.sync", { "Message.$": "$.Status" }));
    expect(errors(quiet.diagnostics)).toEqual([]);
    expect(quiet.pipeline!.steps[0]).toMatchObject({ kind: "aws", service: "stepfunctions", action: "StartExecution", wait: true });
    expect(lower(quiet.pipeline!).definition.States.Start).toMatchObject({ Resource: "arn:aws:states:::states:startExecution.sync:2" });
    for (const [path, at] of [["$.Output.summary", "Output.summary"], ["$.Output", "Output"], ["$", "$"]]) {
      expect(errors(lift(machine("arn:aws:states:::states:startExecution.sync", { "Message.$": path })).diagnostics)).toEqual([
        `m.asl.json:28:22: error: $.States.Then.Parameters['Message.$']: '${at}' of the result of 'Start' cannot be read: states:startExecution.sync returns Output as the started execution's output as JSON text, where states:startExecution.sync:2 (which lowering writes) gives it as parsed JSON; only the result's other members are read`,
      ]);
    }
  });

  test("without .sync it is a request-response call; Input given as text, or as a value known only at run time, is refused; aws-sdk's JSON text is refused", () => {
    const plain = lift(machine("arn:aws:states:::states:startExecution"));
    expect(errors(plain.diagnostics)).toEqual([]);
    expect(plain.pipeline!.steps[0]).toMatchObject({ kind: "aws", service: "stepfunctions", action: "StartExecution" });
    expect(plain.pipeline!.steps[0]).not.toHaveProperty("wait");
    expect(lower(plain.pipeline!).definition.States.Start).toMatchObject({ Resource: "arn:aws:states:::states:startExecution" });
    const why = "'input' of stepfunctions:StartExecution must be JSON data written out (an object or a list, whose members may be any values): it is sent as that data's JSON text, and a text or a value known only at run time could be either the data or its text";
    expect(errors(lift(task("arn:aws:states:::states:startExecution.sync:2", { StateMachineArn: ARN, Input: '{"a":1}' })).diagnostics)).toEqual([
      `m.asl.json:7:21: error: $.States.S.Parameters: states:startExecution.sync:2: ${why}`,
    ]);
    expect(errors(lift(task("arn:aws:states:::states:startExecution", { StateMachineArn: ARN, "Input.$": "$.child" })).diagnostics)).toEqual([`m.asl.json:7:21: error: $.States.S.Parameters: states:startExecution: ${why}`]);
    expect(errors(lift(task("arn:aws:states:::aws-sdk:sfn:startExecution", { StateMachineArn: ARN, Input: '{"a":1}' })).diagnostics)).toEqual([
      "m.asl.json:7:21: error: $.States.S.Parameters: aws-sdk:sfn:startExecution: 'Input' is JSON text here, which the IR holds as the JSON data written out; only the optimized integration's form (the data itself) is read",
    ]);
    const r = lower(yaml(`${HEAD}steps:\n  c:\n    type: aws\n    service: stepfunctions\n    action: StartExecution\n    wait: true\n    request: { stateMachineArn: ${ARN}, input: '{"a":1}' }\n`, "text.yaml"));
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([`text.yaml:6:3: error: step 'c': ${why}`]);
  });

  test("a pipeline that starts an execution and waits lowers to a machine that lifts back to the same pipeline", () => {
    const text = `${HEAD}parameters:\n  day: { type: string, default: mon }\nsteps:\n  child:\n    type: aws\n    service: stepfunctions\n    action: StartExecution\n    wait: true\n    request:\n      stateMachineArn: ${ARN}\n      name: "nightly-\${{ params.day }}"\n      input: { day: "\${{ params.day }}", AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: "\${{ execution.id }}", list: [1, 2] }\n    outputs: { Status: string }\n  tell:\n    type: aws\n    service: sns\n    action: Publish\n    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "\${{ steps.child.outputs.Status }}" }\n`;
    const first = lower(yaml(text, "start.yaml"));
    expect(first.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "start.yaml:8:3: warning: step 'child': outputs 'Status' are read from what states:startExecution.sync:2 returns, which is not DescribeExecution's response that other targets read them from",
    ]);
    expect(first.definition.States.child).toMatchObject({
      Resource: "arn:aws:states:::states:startExecution.sync:2",
      Parameters: { StateMachineArn: ARN, Input: { "day.$": "$.params.day", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id", list: [1, 2] } },
    });
    const back = lift(first.definition, "start.asl.json");
    expect(errors(back.diagnostics)).toEqual([]);
    expect(diffPipelines(yaml(text, "start.yaml"), back.pipeline!).filter((d) => d.path !== "artifacts")).toEqual([]);
    expect(lower(back.pipeline!).definition).toEqual(first.definition);
  });

  test("other Step Functions actions go through aws-sdk as 'sfn'", () => {
    expect(awsTask("stepfunctions", "DescribeExecution", {}, false)).toMatchObject({ resource: "arn:aws:states:::aws-sdk:sfn:describeExecution", request: {} });
    expect(awsCallOf("arn:aws:states:::aws-sdk:sfn:describeExecution")).toEqual({ service: "stepfunctions", action: "DescribeExecution" });
  });
});

describe("an ECS task that the step waits for", () => {
  const ECS = `${HEAD}steps:
  recap:
    type: aws
    service: ecs
    action: RunTask
    wait: true
    request:
      cluster: arn:aws:ecs:us-east-1:111122223333:cluster/recap
      taskDefinition: recap:4
      launchType: FARGATE
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet-1], assignPublicIp: ENABLED } }
      overrides: { containerOverrides: [{ name: weekly, environment: [{ name: EVENT_JSON, value: "\${{ json(execution.input) }}" }] }] }
`;

  test("lowers to ecs:runTask.sync with the request in PascalCase; both validators accept it; it lifts back to the same step", async () => {
    const out = lower(yaml(ECS, "ecs.yaml"));
    expect(errors(out.diagnostics)).toEqual([]);
    expect(out.definition.States.recap).toMatchObject({
      Resource: "arn:aws:states:::ecs:runTask.sync",
      Parameters: {
        Cluster: "arn:aws:ecs:us-east-1:111122223333:cluster/recap",
        TaskDefinition: "recap:4",
        LaunchType: "FARGATE",
        NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ["subnet-1"], AssignPublicIp: "ENABLED" } },
        Overrides: { ContainerOverrides: [{ Name: "weekly", Environment: [{ Name: "EVENT_JSON", "Value.$": "States.JsonToString($$.Execution.Input)" }] }] },
      },
    });
    expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(out.files[0].contents)).toEqual([]);
    const back = lift(out.definition, "ecs.asl.json");
    expect(errors(back.diagnostics)).toEqual([]);
    expect(diffPipelines(yaml(ECS, "ecs.yaml"), back.pipeline!).filter((d) => d.path !== "artifacts")).toEqual([]);
  });

  test("several tasks (count) cannot be waited for: Step Functions' wait follows one task here", () => {
    const r = lower(yaml(ECS.replace("      launchType: FARGATE\n", "      launchType: FARGATE\n      count: 2\n"), "ecs.yaml"));
    expect(errors(r.diagnostics)).toEqual(["ecs.yaml:6:3: error: step 'recap': ecs:runTask.sync cannot wait for this call: count must not be given"]);
  });
});
