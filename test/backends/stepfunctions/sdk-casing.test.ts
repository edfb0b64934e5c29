/**
 * Step Functions' AWS SDK integration spells every member of a camelCase API (EMR Serverless, ECS,
 * Batch, Step Functions itself) in PascalCase, in the request and in the response; keys that are
 * data (tags, a map of worker types, Spark properties) stay as written. The IR holds the API's
 * spelling: lowering recases requests and the paths that read responses, lifting recases back, so
 * a lifted machine's call reaches boto3 in the API's spelling. Which members are data comes from
 * botocore's models (backends/stepfunctions/sdk-casing-data.ts, written by a script and checked
 * against the botocore the SageMaker SDK environment pins).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { printExpr } from "../../../src/ir/expr/print.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import type { Step, Value } from "../../../src/ir/types.js";
import backend from "../../../backends/stepfunctions/index.js";
import airflow from "../../../backends/airflow/index.js";
import { actionCasing, responsePath } from "../../../backends/stepfunctions/sdk-casing.js";
import { ensureVenv, ROOT } from "../../support/python-env.js";
import { aslValidator, findState, lower, run, yaml } from "./support.js";

test("the table is the one the generator writes from botocore's models", () => {
  const venv = ensureVenv("sagemaker-sdk");
  const written = execFileSync(venv.python, [join(ROOT, "scripts", "write-sdk-casing.py")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  expect(written).toBe(readFileSync(join(ROOT, "backends", "stepfunctions", "sdk-casing-data.ts"), "utf8"));
});

describe("the table", () => {
  test("a PascalCase API has nothing to recase; a camelCase one names its data paths, and an action it lacks is an error", () => {
    expect(actionCasing("sagemaker", "DescribeTrainingJob")).toBe("same");
    const c = actionCasing("emr-serverless", "GetApplication");
    if (c === "same" || "error" in c) throw new Error("expected a casing");
    expect(c.response).toContainEqual(["application", "tags"]);
    expect(c.response).toContainEqual(["application", "runtimeConfiguration", "*", "**", "properties"]);
    expect(actionCasing("emr-serverless", "GetApplications")).toEqual({ error: expect.stringContaining("emr-serverless has no action 'GetApplications' in botocore's model") });
  });

  test("response paths: members recased both ways, map keys and what is below a kept member not", () => {
    const c = actionCasing("emr-serverless", "GetApplication");
    if (c === "same" || "error" in c) throw new Error("expected a casing");
    expect(responsePath(c, ["application", "state"], true)).toEqual(["Application", "State"]);
    expect(responsePath(c, ["application", "tags", "team"], true)).toEqual(["Application", "Tags", "team"]);
    expect(responsePath(c, ["application", "initialCapacity", "DRIVER", "workerConfiguration", "cpu"], true)).toEqual(["Application", "InitialCapacity", "DRIVER", "WorkerConfiguration", "Cpu"]);
    expect(responsePath(c, ["application", "runtimeConfiguration", 0, "properties", "spark.executor.memory"], true)).toEqual(["Application", "RuntimeConfiguration", 0, "Properties", "spark.executor.memory"]);
    expect(responsePath(c, ["Application", "Tags", "team"], false)).toEqual(["application", "tags", "team"]);
    expect(responsePath(c, ["Application", "InitialCapacity", "DRIVER", "WorkerCount"], false)).toEqual(["application", "initialCapacity", "DRIVER", "workerCount"]);
  });

  test("a service most of whose members are PascalCase reads back a name spelled both ways in it as PascalCase", () => {
    // Glue has a few camelCase members; `Id` of a job run is PascalCase although some structure of Glue's has an `id`.
    const c = actionCasing("glue", "GetJobRun");
    if (c === "same" || "error" in c) throw new Error("expected a casing");
    expect(responsePath(c, ["JobRun", "Id"], false)).toEqual(["JobRun", "Id"]);
  });
});

const PIPELINE = `version: 1
pipeline: casing
role: arn:aws:iam::111122223333:role/Pipelines
region: eu-west-1
artifacts: s3://casing-artifacts
steps:
  app:
    type: aws
    service: emr-serverless
    action: CreateApplication
    wait: true
    request:
      name: nightly
      releaseLabel: emr-7.1.0
      type: SPARK
      tags: { team: ml, cost-centre: "42" }
      initialCapacity:
        DRIVER: { workerCount: 1, workerConfiguration: { cpu: 2vCPU, memory: 4GB } }
      runtimeConfiguration:
        - classification: spark-defaults
          properties: { spark.executor.memory: 8g }
  tag:
    type: aws
    service: emr-serverless
    action: TagResource
    request:
      resourceArn: \${{ steps.app.response.application.arn }}
      tags:
        stage: \${{ steps.app.response.application.state }}
        team: \${{ steps.app.response.application.tags.team }}
  job:
    type: aws
    service: emr-serverless
    action: StartJobRun
    depends_on: [tag]
    request:
      applicationId: \${{ steps.app.response.application.applicationId }}
      executionRoleArn: arn:aws:iam::111122223333:role/Jobs
      jobDriver: { sparkSubmit: { entryPoint: s3://casing-artifacts/job.py } }
    outputs:
      jobRunId: string
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:runs
      Message: "\${{ steps.job.outputs.jobRunId }}"
`;

describe("lowering", () => {
  const r = lower(yaml(PIPELINE, "casing.yaml"));
  const def = r.definition;

  test("requests in PascalCase with tag keys, worker types and Spark properties as written; the poll reads the PascalCase response", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(def.States.app.Resource).toBe("arn:aws:states:::aws-sdk:emrserverless:createApplication");
    expect(def.States.app.Parameters).toEqual({
      Name: "nightly",
      ReleaseLabel: "emr-7.1.0",
      Type: "SPARK",
      Tags: { team: "ml", "cost-centre": "42" },
      InitialCapacity: { DRIVER: { WorkerCount: 1, WorkerConfiguration: { Cpu: "2vCPU", Memory: "4GB" } } },
      RuntimeConfiguration: [{ Classification: "spark-defaults", Properties: { "spark.executor.memory": "8g" } }],
    });
    expect(def.States["app.status"]).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:emrserverless:getApplication", Parameters: { "ApplicationId.$": "$.steps.app.started.ApplicationId" } });
    expect(JSON.stringify(def.States["app.check"].Choices[0])).toContain('"Variable":"$.steps.app.last.Application.State"');
    expect(def.States.tag.Parameters).toEqual({ "ResourceArn.$": "$.steps.app.response.Application.Arn", Tags: { "stage.$": "$.steps.app.response.Application.State", "team.$": "$.steps.app.response.Application.Tags.team" } });
    // The optimized integration, whose members are in PascalCase too: the output is read so.
    expect(def.States.job).toMatchObject({
      Resource: "arn:aws:states:::emr-serverless:startJobRun",
      Parameters: { "ApplicationId.$": "$.steps.app.response.Application.ApplicationId", ExecutionRoleArn: "arn:aws:iam::111122223333:role/Jobs", JobDriver: { SparkSubmit: { EntryPoint: "s3://casing-artifacts/job.py" } } },
      ResultSelector: { outputs: { "jobRunId.$": "$.JobRunId" } },
    });
    expect(r.diagnostics.filter((d) => d.code === "stepfunctions-aws-result")).toEqual([]);
    expect(def.States.tell.Parameters["Message.$"]).toBe("$.steps.job.outputs.jobRunId");
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
  });

  test("executed against answers spelled as AWS spells them, every call gets what it needs", async () => {
    let looks = 0;
    const out = await run(def, {}, {
      app: (i: { Name: string }) => ({ ApplicationId: "00app1", Name: i.Name, Arn: "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00app1" }),
      "app.status": (i: { ApplicationId: string }) => ({ Application: { ApplicationId: i.ApplicationId, Arn: "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00app1", State: ++looks < 2 ? "CREATING" : "CREATED", Tags: { team: "ml" } } }),
      tag: () => ({}),
      job: (i: { ApplicationId: string }) => ({ ApplicationId: i.ApplicationId, JobRunId: "run-1", Arn: "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00app1/jobruns/run-1" }),
      tell: () => ({ MessageId: "m-1" }),
    });
    expect(out.status, out.cause).toBe("SUCCEEDED");
    expect(looks).toBe(2);
    expect(out.inputs.tag[0]).toEqual({ ResourceArn: "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00app1", Tags: { stage: "CREATED", team: "ml" } });
    expect(out.inputs.job[0]).toMatchObject({ ApplicationId: "00app1" });
    expect(out.inputs.tell[0].Message).toBe("run-1");
  });
});

test("a callback's result is what the token's sender returns, read as it is: only its request is recased", () => {
  const r = lower(
    yaml(
      `version: 1
pipeline: casing-callback
role: arn:aws:iam::111122223333:role/Pipelines
region: eu-west-1
artifacts: s3://casing-artifacts
steps:
  export:
    type: aws
    service: ecs
    action: RunTask
    callback: true
    request:
      cluster: exports
      taskDefinition: export:3
      overrides:
        containerOverrides:
          - name: export
            environment: [{ name: TASK_TOKEN, value: "\${{ task.token }}" }]
    outputs:
      verdict: string
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:runs", Message: "\${{ steps.export.response.rowCount }}" }
`,
      "callback.yaml",
    ),
  );
  expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  expect(r.definition.States.export).toMatchObject({
    Resource: "arn:aws:states:::ecs:runTask.waitForTaskToken",
    Parameters: { Cluster: "exports", TaskDefinition: "export:3", Overrides: { ContainerOverrides: [{ Name: "export", Environment: [{ Name: "TASK_TOKEN", "Value.$": "$$.Task.Token" }] }] } },
    ResultSelector: { outputs: { "verdict.$": "$.verdict" }, "response.$": "$" },
  });
  expect(r.definition.States.tell.Parameters["Message.$"]).toBe("$.steps.export.response.rowCount");
});

test("an ECS task whose description the step reads would be polled without its containers' exit codes checked: refused, naming the step", () => {
  const text = `version: 1
pipeline: ecs-poll
role: arn:aws:iam::111122223333:role/Pipelines
region: eu-west-1
artifacts: s3://casing-artifacts
steps:
  recap:
    type: aws
    service: ecs
    action: RunTask
    wait: true
    request:
      cluster: jobs
      taskDefinition: recap:1
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:runs
      Message: "\${{ steps.recap.response.tasks[0].lastStatus }}"
`;
  const r = lower(yaml(text, "ecs-poll.yaml"));
  expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([
    "ecs-poll.yaml:7:3: error: step 'recap': it reads DescribeTasks's own response, which ecs:runTask.sync does not return, so Step Functions would poll DescribeTasks; the poll would not check the containers' exit codes, as the .sync form and Airflow do\n  hint: read nothing of the step's response, or read it in a later step that calls the Describe action",
  ]);
  // Not read, the wait is runTask.sync's.
  const plain = lower(yaml(text.replace("\${{ steps.recap.response.tasks[0].lastStatus }}", "stopped"), "ecs-poll.yaml"));
  expect(plain.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(findState(plain.definition, "recap")).toMatchObject({ Resource: "arn:aws:states:::ecs:runTask.sync", Parameters: { Cluster: "jobs", TaskDefinition: "recap:1" } });
});

test("a polled wait read back from Switchyard's own machine is the step that waits, its response read in the API's spelling", () => {
  const def = lower(yaml(PIPELINE, "casing.yaml")).definition;
  const back = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def) });
  expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  const app = back.pipeline!.steps.find((s) => s.id === "app") as Extract<Step, { kind: "aws" }>;
  expect([app.action, app.wait, Object.keys(app.request)]).toEqual(["CreateApplication", true, ["name", "releaseLabel", "type", "tags", "initialCapacity", "runtimeConfiguration"]]);
  const tag = back.pipeline!.steps.find((s) => s.id === "tag") as Extract<Step, { kind: "aws" }>;
  expect(printExpr(tag.request.resourceArn)).toBe("steps.app.response.application.arn");
  expect(lower(back.pipeline!).definition).toEqual(def);
});

describe("lifting", () => {
  const machine = {
    StartAt: "Get",
    States: {
      Get: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:emrserverless:getJobRun",
        Parameters: { ApplicationId: "00app1", "JobRunId.$": "$.run" },
        ResultPath: "$.job",
        Next: "Tag",
      },
      Tag: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:emrserverless:tagResource",
        Parameters: { "ResourceArn.$": "$.job.JobRun.Arn", Tags: { "state.$": "$.job.JobRun.State", Owner: "ml" } },
        End: true,
      },
    },
  };
  const lift = (m: unknown) => backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });

  test("requests and reads come back in the API's camelCase, data keys as written; lowered again, the machine is the same calls", () => {
    const r = lift(machine);
    expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const [get, tag] = r.pipeline!.steps as Extract<Step, { kind: "aws" }>[];
    expect(Object.keys(get.request)).toEqual(["applicationId", "jobRunId"]);
    expect(printExpr(tag.request.resourceArn)).toBe("steps.Get.response.jobRun.arn");
    const tags = tag.request.tags as Extract<Value, { kind: "map" }>;
    expect(Object.keys(tags.entries)).toEqual(["state", "Owner"]);
    expect(printExpr(tags.entries.state)).toBe("steps.Get.response.jobRun.state");
    const again = lower(r.pipeline!).definition;
    expect(Object.keys(again.States.Get.Parameters)).toEqual(["ApplicationId", "JobRunId.$"]);
    expect(again.States.Get.Parameters.ApplicationId).toBe("00app1");
    expect(again.States.Tag.Parameters).toEqual({ "ResourceArn.$": "$.steps.Get.response.JobRun.Arn", Tags: { "state.$": "$.steps.Get.response.JobRun.State", Owner: "ml" } });
  });

  test("moved to Airflow, boto3 gets the API's own member names", () => {
    const r = lift(machine);
    const out = airflow.lower(r.pipeline!, { baseDir: ".", options: {} });
    const dag = out.files.find((f) => f.path === "dags/m.py")!.contents;
    expect(dag).toContain('{"applicationId": "00app1", "jobRunId": ');
    expect(dag).toContain('"resourceArn": sy_response(ti, "Get", None, "jobRun", "arn"),');
    expect(dag).toContain('"state": sy_response(ti, "Get", None, "jobRun", "state"),');
    expect(dag).not.toContain('"ApplicationId"');
  });

  test("a member in the API's camelCase, which Step Functions does not take, is refused, naming it; so is an action the service lacks", () => {
    const bad = lift({ StartAt: "Get", States: { Get: { ...machine.States.Get, Parameters: { applicationId: "00app1", JobRunId: "j" }, Next: undefined, ResultPath: undefined, End: true } } });
    expect(bad.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "$.States.Get.Parameters: aws-sdk:emrserverless:getJobRun: member 'applicationId' not in PascalCase, as Step Functions spells GetJobRun's members",
    ]);
    const none = lift({ StartAt: "Get", States: { Get: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:emrserverless:getJobRuns", Parameters: { ApplicationId: "a" }, End: true } } });
    expect(none.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([expect.stringContaining("emr-serverless has no action 'GetJobRuns' in botocore's model")]);
  });
});
