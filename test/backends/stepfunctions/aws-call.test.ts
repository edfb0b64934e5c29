/** `aws` steps: one Task each (aws-sdk or an optimized request-response integration), validated and executed. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { awsCallOf, awsResource, OPTIMIZED, SDK_SERVICE_IDS } from "../../../backends/stepfunctions/aws-calls.js";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { aslValidator, awsError, lower, run, yaml } from "./support.js";

const HEAD = `version: 1
pipeline: calls
region: us-east-1
artifacts: s3://switchyard-artifacts
`;

const PIPELINE = `${HEAD}parameters:
  doc: { type: string, default: "great product" }
steps:
  sentiment:
    type: aws
    service: comprehend
    action: DetectSentiment
    request: { LanguageCode: en, Text: "\${{ params.doc }}" }
    outputs: { Sentiment: string }
    retry: { attempts: 3, interval: 2, on: [throttling] }
    timeout: 30
  ask:
    type: aws
    service: bedrock-runtime
    action: InvokeModel
    request:
      ModelId: anthropic.claude-v2
      Body: { prompt: "Say \${{ steps.sentiment.outputs.Sentiment }}", max_tokens: 20 }
    outputs: { Body: string }
  record:
    type: aws
    service: dynamodb
    action: PutItem
    request:
      TableName: results
      Item: { id: { S: "\${{ execution.id }}" }, sentiment: { S: "\${{ steps.sentiment.outputs.Sentiment }}" } }
    depends_on: [ask]
  notify:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:done", Message: "sentiment \${{ steps.sentiment.outputs.Sentiment }}" }
    outputs: { MessageId: string }
    depends_on: [record]
  done:
    type: fail
    message: "sent \${{ steps.notify.outputs.MessageId }}"
`;

const out = lower(yaml(PIPELINE, "calls.yaml"));
const def = out.definition;

describe("aws steps on Step Functions", () => {
  test("resources: aws-sdk with the SDK's service id and a camelCase action, or the optimized integration", () => {
    expect(awsResource("comprehend", "DetectSentiment")).toEqual({ resource: "arn:aws:states:::aws-sdk:comprehend:detectSentiment" });
    expect(awsResource("bedrock-runtime", "Converse")).toEqual({ resource: "arn:aws:states:::aws-sdk:bedrockruntime:converse" });
    expect(awsResource("events", "ListRules")).toEqual({ resource: "arn:aws:states:::aws-sdk:eventbridge:listRules" });
    expect(awsResource("sns", "Publish")).toEqual({ resource: "arn:aws:states:::sns:publish" });
    expect(awsResource("no-such-service", "Go")).toHaveProperty("error");
    // Read back: both forms.
    expect(awsCallOf("arn:aws:states:::aws-sdk:bedrockruntime:converse")).toEqual({ service: "bedrock-runtime", action: "Converse" });
    expect(awsCallOf("arn:aws:states:::dynamodb:updateItem")).toMatchObject({ service: "dynamodb", action: "UpdateItem" });
    expect(awsCallOf("arn:aws:states:::glue:startJobRun.sync")).toBeUndefined();
  });

  test("property: every service and action the resource table can name is read back as the same service and action", () => {
    const service = fc.oneof(fc.constantFrom(...Object.keys(SDK_SERVICE_IDS), ...OPTIMIZED.map((o) => o.service)), fc.stringMatching(/^[a-z][a-z0-9]{1,15}$/).filter((x) => !Object.values(SDK_SERVICE_IDS).includes(x)));
    const action = fc.stringMatching(/^[A-Z][a-zA-Z0-9]{0,30}$/);
    fc.assert(
      fc.property(service, action, (s, a) => {
        const r = awsResource(s, a);
        expect("resource" in r).toBe(true);
        expect(awsCallOf((r as { resource: string }).resource)).toMatchObject({ service: s, action: a });
      }),
    );
  });

  test("lower to a machine asl-validator accepts; a retry on some error classes says it retries every failure", () => {
    expect(out.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "calls.yaml:14:12: warning: step 'sentiment': retry on throttling also retries every other failure of the call (States.TaskFailed): Step Functions names each service's errors its own way",
    ]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.sentiment).toEqual({
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:comprehend:detectSentiment",
      Parameters: { LanguageCode: "en", "Text.$": "$.params.doc" },
      ResultSelector: { outputs: { "Sentiment.$": "$.Sentiment" } },
      ResultPath: "$.steps.sentiment",
      TimeoutSeconds: 30,
      Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 }],
      Next: "ask",
    });
    expect(def.States.ask.Resource).toBe("arn:aws:states:::bedrock:invokeModel");
    expect(def.States.record.Resource).toBe("arn:aws:states:::dynamodb:putItem");
    expect(def.States.notify.Resource).toBe("arn:aws:states:::sns:publish");
  });

  test("a run sends each request with its expressions filled in and later steps read the declared outputs", async () => {
    const r = await run(def, { doc: "awful" }, {
      sentiment: () => ({ Sentiment: "NEGATIVE", SentimentScore: { Negative: 0.9 } }),
      ask: () => ({ Body: { completion: "NEGATIVE" }, ContentType: "application/json" }),
      record: () => ({}),
      notify: () => ({ MessageId: "m-1" }),
    });
    expect(r.finished).toEqual(["sentiment", "ask", "record", "notify"]);
    expect(r.inputs.sentiment[0]).toEqual({ LanguageCode: "en", Text: "awful" });
    expect(r.inputs.ask[0]).toEqual({ ModelId: "anthropic.claude-v2", Body: { prompt: "Say NEGATIVE", max_tokens: 20 } });
    expect(r.inputs.record[0]).toEqual({ TableName: "results", Item: { id: { S: "exec-1" }, sentiment: { S: "NEGATIVE" } } });
    expect(r.inputs.notify[0]).toEqual({ TopicArn: "arn:aws:sns:us-east-1:111122223333:done", Message: "sentiment NEGATIVE" });
    expect([r.status, r.error, r.cause]).toEqual(["FAILED", "done", "sent m-1"]);
  });

  test("a failing call is retried by its rule: two attempts fail, the third answers", async () => {
    let calls = 0;
    const r = await run(def, {}, {
      sentiment: () => {
        if (++calls < 3) throw awsError("States.TaskFailed", "Comprehend.TooManyRequestsException");
        return { Sentiment: "POSITIVE" };
      },
      ask: () => ({ Body: {} }),
      record: () => ({}),
      notify: () => ({ MessageId: "m-2" }),
    });
    expect(calls).toBe(3);
    expect(r.inputs.sentiment[0]).toEqual({ LanguageCode: "en", Text: "great product" });
    expect([r.status, r.cause]).toEqual(["FAILED", "sent m-2"]);
  });

  test("an optimized integration whose result is not the API's response is used only where every member read is in its result: otherwise aws-sdk, which returns the API's", async () => {
    const cluster = (reads: string) => `${HEAD}steps:
  cluster:
    type: aws
    service: emr
    action: RunJobFlow
    request:
      Name: nightly
      ReleaseLabel: emr-7.1.0
      Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: m5.xlarge }
      JobFlowRole: EMR_EC2_DefaultRole
      ServiceRole: EMR_DefaultRole
  stop:
    type: aws
    service: emr
    action: TerminateJobFlows
    depends_on: [cluster]
    request: { JobFlowIds: ["${reads}"] }
`;
    // RunJobFlow answers {JobFlowId, ClusterArn}; elasticmapreduce:createCluster answers {ClusterId}.
    const api = lower(yaml(cluster("${{ steps.cluster.response.JobFlowId }}"))).definition;
    expect(api.States.cluster.Resource).toBe("arn:aws:states:::aws-sdk:emr:runJobFlow");
    expect(api.States.stop).toMatchObject({ Resource: "arn:aws:states:::elasticmapreduce:terminateCluster", Parameters: { "ClusterId.$": "$.steps.cluster.response.JobFlowId" } });
    expect(aslValidator(api).errors).toEqual([]);
    const out = await run(api, {}, { cluster: () => ({ JobFlowId: "j-3BXXXXXXQAXZ", ClusterArn: "arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-3BXXXXXXQAXZ" }), stop: () => ({}) });
    expect(out.inputs.stop).toEqual([{ ClusterId: "j-3BXXXXXXQAXZ" }]);
    // A declared output is a member read too.
    const declared = lower(yaml(cluster("${{ steps.cluster.outputs.JobFlowId }}").replace("      ServiceRole: EMR_DefaultRole\n", "      ServiceRole: EMR_DefaultRole\n    outputs: { JobFlowId: string }\n"))).definition;
    expect(declared.States.cluster).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:emr:runJobFlow", ResultSelector: { outputs: { "JobFlowId.$": "$.JobFlowId" } } });
    // What createCluster answers (read so in a machine lifted from Step Functions), or nothing read: the optimized integration.
    expect(lower(yaml(cluster("${{ steps.cluster.response.ClusterId }}"))).definition.States.cluster.Resource).toBe("arn:aws:states:::elasticmapreduce:createCluster");
    expect(lower(yaml(cluster("j-3BXXXXXXQAXZ"))).definition.States.cluster.Resource).toBe("arn:aws:states:::elasticmapreduce:createCluster");
  });

  test("a service with no known SDK id is refused naming the step", () => {
    const r = lower(yaml(`${HEAD}steps:\n  x: { type: aws, service: made-up, action: Go }\n`, "bad.yaml"));
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^step 'x': service 'made-up' has no known AWS SDK id/)]);
  });
});

const lift = (m: unknown, file = "m.asl.json") => backend.lift!({ file, text: JSON.stringify(m, null, 2) });
const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));

describe("lifting aws calls", () => {
  test("the machine lowering wrote lifts back to the same pipeline, which lowers to the same machine", () => {
    // A fresh copy: the local executor adds fields to the definitions it runs.
    const r = lift(lower(yaml(PIPELINE, "calls.yaml")).definition, "calls.asl.json");
    expect(errors(r)).toEqual([]);
    const p = yaml(PIPELINE, "calls.yaml");
    // The one difference is the broadened retry the lowering warned about.
    expect(diffPipelines(p, r.pipeline!)).toEqual(["capacity", "service", "job"].map((c, i) => ({ step: "sentiment", path: `retry[0].on[${i + 1}]`, b: JSON.stringify(c) })));
    expect(lower(r.pipeline!).definition).toEqual(lower(p).definition);
  });

  /** A hand-written machine: the optimized SNS form and the aws-sdk form, results read through ResultSelector and ResultPath. */
  const HAND = {
    StartAt: "Detect",
    States: {
      Detect: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:comprehend:detectSentiment",
        Parameters: { LanguageCode: "en", "Text.$": "$$.Execution.Input.text" },
        ResultSelector: { "label.$": "$.Sentiment" },
        ResultPath: "$.detect",
        Next: "Positive?",
      },
      "Positive?": { Type: "Choice", Choices: [{ Variable: "$.detect.label", StringEquals: "POSITIVE", Next: "Tell" }], Default: "Done" },
      Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.detect.label" }, ResultPath: null, End: true },
      Done: { Type: "Succeed" },
    },
  };

  test("both forms lift; response members read later become declared outputs; the re-lowered machine makes the same calls", async () => {
    const r = lift(HAND);
    expect(errors(r)).toEqual([]);
    const [detect, tell] = r.pipeline!.steps.filter((s) => s.kind === "aws");
    expect(detect).toMatchObject({ kind: "aws", service: "comprehend", action: "DetectSentiment", outputs: { Sentiment: "string" }, request: { LanguageCode: { value: "en" }, Text: { ref: { scope: "params", name: "text" } } } });
    expect(tell).toMatchObject({ kind: "aws", service: "sns", action: "Publish", request: { Message: { ref: { scope: "steps", step: "Detect", attr: "outputs", name: "Sentiment" } } } });
    const again = lower(r.pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    // Names that are not step ids are kept as display names, written as the Comment of the state.
    expect(again.States.Positive).toMatchObject({ Comment: "Positive?", Type: "Choice" });
    // Lifting the re-lowered machine gives the same pipeline (before running it: the executor adds fields).
    expect(diffPipelines(r.pipeline!, lift(again).pipeline!)).toEqual([]);
    const handlers = { Detect: () => ({ Sentiment: "POSITIVE" }), Tell: () => ({ MessageId: "m" }) };
    const before = await run(HAND, { text: "nice" }, handlers);
    const after = await run(again, { text: "nice" }, handlers);
    expect(before.status).toBe("SUCCEEDED");
    expect([after.status, after.inputs.Detect, after.inputs.Tell]).toEqual([before.status, before.inputs.Detect, before.inputs.Tell]);
    expect(after.inputs.Tell).toEqual([{ TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "POSITIVE" }]);
  });

  test("a member only the optimized integration returns (createCluster's ClusterId) is read as it is, said once: other targets call the API, whose response lacks it", () => {
    const m = {
      StartAt: "Create",
      States: {
        Create: { Type: "Task", Resource: "arn:aws:states:::elasticmapreduce:createCluster", Parameters: { Name: "c", ReleaseLabel: "emr-7.1.0", Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: "m5.xlarge" }, JobFlowRole: "r", ServiceRole: "s" }, ResultPath: "$.cluster", Next: "Stop" },
        Stop: { Type: "Task", Resource: "arn:aws:states:::elasticmapreduce:terminateCluster", Parameters: { "ClusterId.$": "$.cluster.ClusterId" }, Next: "Again" },
        Again: { Type: "Task", Resource: "arn:aws:states:::elasticmapreduce:terminateCluster", Parameters: { "ClusterId.$": "$.cluster.ClusterId" }, End: true },
      },
    };
    const r = lift(m);
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "lift-changed" && d.message.includes("'ClusterId'")).map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "m.asl.json:25:24: warning: $.States.Stop.Parameters['ClusterId.$']: 'ClusterId' of the result of 'Create' is what elasticmapreduce:createCluster returns ({ClusterId} where the API returns {JobFlowId, ClusterArn}); the lifted step reads it there on Step Functions, but other targets call RunJobFlow, whose response has no 'ClusterId'",
    ]);
    // Lowered again: the same integration, the member read where the original read it.
    const again = lower(r.pipeline!).definition;
    expect(again.States.Create.Resource).toBe("arn:aws:states:::elasticmapreduce:createCluster");
    expect(again.States.Stop.Parameters).toEqual({ "ClusterId.$": "$.steps.Create.outputs.ClusterId" });
  });

  test("glue:startJobRun without .sync starts the run and goes on: an aws step that does not wait, lowered to the same integration and the same request", async () => {
    const m = {
      StartAt: "Start",
      States: {
        Start: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun", Parameters: { JobName: "nightly-merge", Arguments: { "--day.$": "$.day" } }, ResultPath: "$.run", Next: "Tell" },
        Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.run.JobRunId" }, End: true },
      },
    };
    const r = lift(m);
    expect(errors(r)).toEqual([]);
    const start = r.pipeline!.steps[0] as { kind: string; service: string; action: string; wait?: boolean; outputs: Record<string, string> };
    expect([start.kind, start.service, start.action, start.wait ?? false, start.outputs]).toEqual(["aws", "glue", "StartJobRun", false, { JobRunId: "string" }]);
    const again = lower(r.pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    expect(again.States.Start.Resource).toBe("arn:aws:states:::glue:startJobRun");
    const handlers = { Start: () => ({ JobRunId: "jr_0001" }), Tell: () => ({ MessageId: "m" }) };
    const before = await run(m, { day: "2026-12-01" }, handlers);
    const after = await run(again, { day: "2026-12-01" }, handlers);
    expect(before.status).toBe("SUCCEEDED");
    expect([after.status, after.inputs.Start, after.inputs.Tell]).toEqual([before.status, before.inputs.Start, before.inputs.Tell]);
    expect(after.inputs.Start).toEqual([{ JobName: "nightly-merge", Arguments: { "--day": "2026-12-01" } }]);
    expect(after.inputs.Tell).toEqual([{ TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "jr_0001" }]);
  });

  test("unknown waiting forms and a request from the whole input are refused, each named (a nested response read is the step's response)", () => {
    const m = {
      StartAt: "Labels",
      States: {
        Labels: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:rekognition:detectLabels", Parameters: { Image: { S3Object: { Bucket: "b", "Name.$": "$.key" } } }, ResultPath: "$.labels", Next: "Store" },
        Store: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { TableName: "t", Item: { name: { "S.$": "$.labels.Labels[0].Name" } } }, ResultPath: null, Next: "Sync" },
        Sync: { Type: "Task", Resource: "arn:aws:states:::eks:runJob.sync", Parameters: { ClusterName: "c", Namespace: "n" }, ResultPath: null, Next: "Token" },
        // (A token sent through SQS or Lambda is an approval step's request; through SNS, an aws step with callback, which lifts.)
        Token: { Type: "Task", Resource: "arn:aws:states:::sns:publish.waitForTaskToken", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: { "t.$": "$$.Task.Token" } }, ResultPath: null, Next: "Whole" },
        Whole: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:listBuckets", End: true },
      },
    };
    expect(errors(lift(m))).toEqual([
      "m.asl.json:34:19: error: $.States.Sync.Resource: the integration 'eks:runJob.sync' waits for a job Switchyard does not know how to wait for elsewhere (no Describe action and statuses listed); of the .sync forms only athena:startQueryExecution.sync, sagemaker:createLabelingJob.sync, sagemaker:createTrainingJob.sync, sagemaker:createProcessingJob.sync, sagemaker:createTransformJob.sync, sagemaker:createHyperParameterTuningJob.sync, elasticmapreduce:createCluster.sync, elasticmapreduce:terminateCluster.sync, bedrock:createModelCustomizationJob.sync, batch:submitJob.sync, codebuild:startBuild.sync, states:startExecution.sync:2, states:startExecution.sync, ecs:runTask.sync, emr-serverless:createApplication.sync, emr-serverless:startApplication.sync, emr-serverless:stopApplication.sync, emr-serverless:startJobRun.sync, emr-serverless:cancelJobRun.sync are read as aws steps that wait",
      "m.asl.json:56:19: error: $.States.Whole.Resource: the s3 ListBuckets call receives the whole state input as its request (the state has no Parameters), which the IR cannot name",
    ]);
  });

  test("retriers name each service's errors as its table says: Glue's aws-sdk base exception is a service error and comes back as written; a started execution's failure is a task failure", () => {
    const def = {
      StartAt: "Get",
      States: {
        Get: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:glue:getWorkflowRun",
          Parameters: { Name: "w", RunId: "r" },
          Retry: [{ ErrorEquals: ["Glue.GlueException"], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 1 }],
          ResultPath: null,
          Next: "Start",
        },
        Start: {
          Type: "Task",
          Resource: "arn:aws:states:::states:startExecution",
          Parameters: { StateMachineArn: "arn:aws:states:us-east-1:111122223333:stateMachine:next", Input: { run: "r" } },
          Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
          End: true,
        },
      },
    };
    const r = lift(def);
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps.map((s) => s.retry?.map((x) => x.on))).toEqual([[["service"]], [["throttling", "capacity", "service", "job"]]]);
    const again = lower(r.pipeline!).definition;
    expect(again.States.Get.Retry).toEqual(def.States.Get.Retry);
    expect(again.States.Start.Retry).toEqual(def.States.Start.Retry);
  });
});
