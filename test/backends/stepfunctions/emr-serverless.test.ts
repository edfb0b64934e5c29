/**
 * EMR Serverless through Step Functions' optimized integration: the `.sync`
 * rows, PascalCase requests whose data maps keep their keys (worker types,
 * Spark properties at any depth, tags), and a pipeline that creates, starts,
 * runs a job on and stops an application, lowered (validated, executed) and
 * lifted back.
 */
import { describe, expect, test } from "vitest";
import { awsCallOf, awsTask, fromSfn, OPTIMIZED, SDK_SERVICE_IDS, toSfn } from "../../../backends/stepfunctions/aws-calls.js";
import backend from "../../../backends/stepfunctions/index.js";
import { RETRY_ERRORS } from "../../../backends/stepfunctions/errors.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { waitable, WAITABLE } from "../../../src/aws/waitable.js";
import type { Value } from "../../../src/ir/types.js";
import { aslValidator, languageService, lower, run, yaml } from "./support.js";

const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));
const lift = (m: unknown, file = "m.asl.json") => backend.lift!({ file, text: JSON.stringify(m, null, 2) });
const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === "pos" ? undefined : v)));

const P = { file: "t", line: 1, col: 1 };
/** An IR value from plain JSON. */
const val = (x: unknown): Value =>
  Array.isArray(x)
    ? { kind: "list", items: x.map(val), pos: P }
    : x !== null && typeof x === "object"
      ? { kind: "map", entries: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, val(v)])), pos: P }
      : ({ kind: "literal", value: x, pos: P } as Value);
const request = (x: Record<string, unknown>) => (val(x) as Extract<Value, { kind: "map" }>).entries;
/** Plain JSON from an IR request. */
const plain = (r: Record<string, Value>): unknown => {
  const un = (v: Value): unknown => (v.kind === "list" ? v.items.map(un) : v.kind === "map" ? Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, un(x)])) : (v as { value: unknown }).value);
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, un(v)]));
};

const ROLE = "arn:aws:iam::111122223333:role/emr-serverless-job";

const PIPELINE = `version: 1
pipeline: spark-nightly
region: us-east-1
artifacts: s3://switchyard-artifacts
role: ${ROLE}
parameters:
  day: { type: string, default: "2026-01-05" }
steps:
  create:
    type: aws
    service: emr-serverless
    action: CreateApplication
    wait: true
    request:
      name: nightly
      type: SPARK
      releaseLabel: emr-7.1.0
      initialCapacity:
        DRIVER: { workerCount: 1, workerConfiguration: { cpu: 2vCPU, memory: 4GB } }
        EXECUTOR: { workerCount: 4, workerConfiguration: { cpu: 4vCPU, memory: 8GB, disk: 20GB } }
      runtimeConfiguration:
        - classification: spark-defaults
          properties: { spark.executor.memory: 4g, spark.dynamicAllocation.enabled: "false" }
          configurations:
            - classification: spark-env
              properties: { export.PYSPARK_PYTHON: /usr/bin/python3 }
      tags: { team: ml, costCenter: "42" }
    outputs: { ApplicationId: string }
  start:
    type: aws
    service: emr-serverless
    action: StartApplication
    wait: true
    request: { applicationId: "\${{ steps.create.outputs.ApplicationId }}" }
  job:
    type: aws
    service: emr-serverless
    action: StartJobRun
    wait: true
    request:
      applicationId: "\${{ steps.create.outputs.ApplicationId }}"
      executionRoleArn: ${ROLE}
      name: "nightly-\${{ params.day }}"
      jobDriver:
        sparkSubmit:
          entryPoint: s3://b/jobs/etl.py
          entryPointArguments: ["--day", "\${{ params.day }}"]
          sparkSubmitParameters: --conf spark.executor.cores=2
      configurationOverrides:
        applicationConfiguration:
          - classification: spark-defaults
            properties: { spark.executor.memory: 8g }
        monitoringConfiguration:
          s3MonitoringConfiguration: { logUri: s3://b/logs/ }
          cloudWatchLoggingConfiguration: { enabled: true, logTypes: { SPARK_DRIVER: [stdout, stderr] } }
      tags: { run: nightly }
    depends_on: [start]
  stop:
    type: aws
    service: emr-serverless
    action: StopApplication
    wait: true
    request: { applicationId: "\${{ steps.create.outputs.ApplicationId }}" }
    depends_on: [job]
`;

describe("the tables", () => {
  test("each EMR Serverless wait: its .sync resource, the Describe action and where its ids come from, the states that end it", () => {
    const rows = WAITABLE.filter((w) => w.service === "emr-serverless").map((w) => [w.action, w.sfn, w.describe.action, strip(w.describe.request), w.status.join("."), w.succeeded, w.failed]);
    expect(rows).toEqual([
      ["CreateApplication", "arn:aws:states:::emr-serverless:createApplication.sync", "GetApplication", { applicationId: { from: "response", path: ["applicationId"] } }, "application.state", ["CREATED"], ["TERMINATED"]],
      ["StartApplication", "arn:aws:states:::emr-serverless:startApplication.sync", "GetApplication", { applicationId: { from: "request", path: ["applicationId"] } }, "application.state", ["STARTED"], ["TERMINATED"]],
      ["StopApplication", "arn:aws:states:::emr-serverless:stopApplication.sync", "GetApplication", { applicationId: { from: "request", path: ["applicationId"] } }, "application.state", ["STOPPED"], ["TERMINATED"]],
      ["StartJobRun", "arn:aws:states:::emr-serverless:startJobRun.sync", "GetJobRun", { applicationId: { from: "response", path: ["applicationId"] }, jobRunId: { from: "response", path: ["jobRunId"] } }, "jobRun.state", ["SUCCESS"], ["FAILED", "CANCELLED"]],
      ["CancelJobRun", "arn:aws:states:::emr-serverless:cancelJobRun.sync", "GetJobRun", { applicationId: { from: "response", path: ["applicationId"] }, jobRunId: { from: "response", path: ["jobRunId"] } }, "jobRun.state", ["CANCELLED"], ["SUCCESS", "FAILED"]],
    ]);
    // Step Functions returns the start call's members (PascalCase), not the Describe response.
    expect(WAITABLE.filter((w) => w.service === "emr-serverless").every((w) => !w.sfnResultIsDescribe)).toBe(true);
    // Deleting waits for nothing a status can say failed: not listed.
    expect(waitable("emr-serverless", "DeleteApplication")).toBeUndefined();
  });

  test("every EMR Serverless optimized resource reads back as its API action; the aws-sdk form's service id is emrserverless", () => {
    const rows = OPTIMIZED.filter((o) => o.service === "emr-serverless").map((o) => [o.resource.replace("arn:aws:states:::", ""), o.action, o.response]);
    expect(rows).toEqual([
      ["emr-serverless:createApplication", "CreateApplication", "members in PascalCase"],
      ["emr-serverless:startApplication", "StartApplication", "{ApplicationId} where the API returns nothing"],
      ["emr-serverless:stopApplication", "StopApplication", "{ApplicationId} where the API returns nothing"],
      ["emr-serverless:deleteApplication", "DeleteApplication", "{ApplicationId} where the API returns nothing"],
      ["emr-serverless:startJobRun", "StartJobRun", "members in PascalCase"],
      ["emr-serverless:cancelJobRun", "CancelJobRun", "members in PascalCase"],
    ]);
    for (const [r, action] of rows) {
      expect(awsCallOf(`arn:aws:states:::${r}`)).toMatchObject({ service: "emr-serverless", action });
      expect(awsCallOf(`arn:aws:states:::${r}.sync`)).toEqual(action === "DeleteApplication" ? undefined : expect.objectContaining({ service: "emr-serverless", action, wait: true }));
    }
    expect(SDK_SERVICE_IDS["emr-serverless"]).toBe("emrserverless");
    expect(awsCallOf("arn:aws:states:::aws-sdk:emrserverless:getJobRun")).toEqual({ service: "emr-serverless", action: "GetJobRun" });
    expect(awsTask("emr-serverless", "GetJobRun", {}, false)).toMatchObject({ resource: "arn:aws:states:::aws-sdk:emrserverless:getJobRun", request: {} });
  });
});

describe("PascalCase requests with data maps", () => {
  const create = OPTIMIZED.find((o) => o.resource === "arn:aws:states:::emr-serverless:createApplication")!;
  const startJobRun = OPTIMIZED.find((o) => o.resource === "arn:aws:states:::emr-serverless:startJobRun")!;

  test("CreateApplication: worker-type keys kept and their values recased; properties kept at any depth; tags, log types and encryption context kept", () => {
    const api = {
      releaseLabel: "emr-7.1.0",
      type: "SPARK",
      initialCapacity: { DRIVER: { workerCount: 1, workerConfiguration: { cpu: "2vCPU", memory: "4GB", diskType: "STANDARD" } }, executor_custom: { workerCount: 2 } },
      workerTypeSpecifications: { DRIVER: { imageConfiguration: { imageUri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/spark:1" } } },
      runtimeConfiguration: [
        { classification: "spark-defaults", properties: { "spark.executor.memory": "4g" }, configurations: [{ classification: "inner", properties: { lower: "x" }, configurations: [{ classification: "innermost", properties: { "deep.key": "y" } }] }] },
      ],
      monitoringConfiguration: { cloudWatchLoggingConfiguration: { enabled: true, logTypes: { SPARK_DRIVER: ["stdout"] } }, s3MonitoringConfiguration: { logUri: "s3://b/l/" } },
      diskEncryptionConfiguration: { encryptionKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k", encryptionContext: { purpose: "spark" } },
      tags: { team: "ml" },
    };
    const sfn = {
      ReleaseLabel: "emr-7.1.0",
      Type: "SPARK",
      InitialCapacity: { DRIVER: { WorkerCount: 1, WorkerConfiguration: { Cpu: "2vCPU", Memory: "4GB", DiskType: "STANDARD" } }, executor_custom: { WorkerCount: 2 } },
      WorkerTypeSpecifications: { DRIVER: { ImageConfiguration: { ImageUri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/spark:1" } } },
      RuntimeConfiguration: [
        { Classification: "spark-defaults", Properties: { "spark.executor.memory": "4g" }, Configurations: [{ Classification: "inner", Properties: { lower: "x" }, Configurations: [{ Classification: "innermost", Properties: { "deep.key": "y" } }] }] },
      ],
      MonitoringConfiguration: { CloudWatchLoggingConfiguration: { Enabled: true, LogTypes: { SPARK_DRIVER: ["stdout"] } }, S3MonitoringConfiguration: { LogUri: "s3://b/l/" } },
      DiskEncryptionConfiguration: { EncryptionKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k", EncryptionContext: { purpose: "spark" } },
      Tags: { team: "ml" },
    };
    const lowered = toSfn(create, request(api)) as { request: Record<string, Value> };
    expect(plain(lowered.request)).toEqual(sfn);
    const lifted = fromSfn(create, request(sfn)) as { request: Record<string, Value> };
    expect(plain(lifted.request)).toEqual(api);
    // A member not in PascalCase is named, but data keys (worker types, properties) are never checked.
    expect(fromSfn(create, request({ ...sfn, InitialCapacity: { DRIVER: { workerCount: 1 } } }))).toEqual({ error: "member 'InitialCapacity.DRIVER.workerCount' not in PascalCase, as Step Functions spells CreateApplication's members" });
  });

  test("StartJobRun: the job driver recased; configuration overrides' properties and log types, and tags, kept", () => {
    const api = {
      applicationId: "00app",
      executionRoleArn: ROLE,
      jobDriver: { sparkSubmit: { entryPoint: "s3://b/etl.py", entryPointArguments: ["--x"], sparkSubmitParameters: "--conf a=b" }, hive: { query: "s3://b/q.sql", parameters: "--hiveconf x=y" } },
      configurationOverrides: {
        applicationConfiguration: [{ classification: "spark-defaults", properties: { "spark.driver.cores": "2" }, configurations: [{ classification: "c", properties: { k: "v" } }] }],
        monitoringConfiguration: { cloudWatchLoggingConfiguration: { logTypes: { SPARK_EXECUTOR: ["stderr"] } }, managedPersistenceMonitoringConfiguration: { enabled: false } },
      },
      tags: { owner: "data" },
      executionTimeoutMinutes: 60,
    };
    const sfn = {
      ApplicationId: "00app",
      ExecutionRoleArn: ROLE,
      JobDriver: { SparkSubmit: { EntryPoint: "s3://b/etl.py", EntryPointArguments: ["--x"], SparkSubmitParameters: "--conf a=b" }, Hive: { Query: "s3://b/q.sql", Parameters: "--hiveconf x=y" } },
      ConfigurationOverrides: {
        ApplicationConfiguration: [{ Classification: "spark-defaults", Properties: { "spark.driver.cores": "2" }, Configurations: [{ Classification: "c", Properties: { k: "v" } }] }],
        MonitoringConfiguration: { CloudWatchLoggingConfiguration: { LogTypes: { SPARK_EXECUTOR: ["stderr"] } }, ManagedPersistenceMonitoringConfiguration: { Enabled: false } },
      },
      Tags: { owner: "data" },
      ExecutionTimeoutMinutes: 60,
    };
    expect(plain((toSfn(startJobRun, request(api)) as { request: Record<string, Value> }).request)).toEqual(sfn);
    expect(plain((fromSfn(startJobRun, request(sfn)) as { request: Record<string, Value> }).request)).toEqual(api);
  });
});

describe("a pipeline that creates, starts, runs a job on and stops an application", () => {
  const out = lower(yaml(PIPELINE, "spark.yaml"));
  const def = out.definition;

  test("lowers to the .sync tasks with PascalCase requests, data keys kept; asl-validator and the language service accept it", async () => {
    expect(out.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "spark.yaml:9:3: warning: step 'create': outputs 'ApplicationId' are read from what emr-serverless:createApplication.sync returns, which is not GetApplication's response that other targets read them from",
    ]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(out.files.find((f) => f.kind === "definition")!.contents)).toEqual([]);
    expect(def.States.create).toMatchObject({
      Type: "Task",
      Resource: "arn:aws:states:::emr-serverless:createApplication.sync",
      Parameters: {
        Name: "nightly",
        Type: "SPARK",
        ReleaseLabel: "emr-7.1.0",
        InitialCapacity: { DRIVER: { WorkerCount: 1, WorkerConfiguration: { Cpu: "2vCPU", Memory: "4GB" } }, EXECUTOR: { WorkerCount: 4, WorkerConfiguration: { Cpu: "4vCPU", Memory: "8GB", Disk: "20GB" } } },
        RuntimeConfiguration: [
          { Classification: "spark-defaults", Properties: { "spark.executor.memory": "4g", "spark.dynamicAllocation.enabled": "false" }, Configurations: [{ Classification: "spark-env", Properties: { "export.PYSPARK_PYTHON": "/usr/bin/python3" } }] },
        ],
        Tags: { team: "ml", costCenter: "42" },
      },
      ResultSelector: { outputs: { "ApplicationId.$": "$.ApplicationId" } },
    });
    expect(def.States.start).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:startApplication.sync", Parameters: { "ApplicationId.$": "$.steps.create.outputs.ApplicationId" } });
    expect(def.States.job).toMatchObject({
      Resource: "arn:aws:states:::emr-serverless:startJobRun.sync",
      Parameters: {
        "ApplicationId.$": "$.steps.create.outputs.ApplicationId",
        ExecutionRoleArn: ROLE,
        JobDriver: { SparkSubmit: { EntryPoint: "s3://b/jobs/etl.py", SparkSubmitParameters: "--conf spark.executor.cores=2" } },
        ConfigurationOverrides: {
          ApplicationConfiguration: [{ Classification: "spark-defaults", Properties: { "spark.executor.memory": "8g" } }],
          MonitoringConfiguration: { S3MonitoringConfiguration: { LogUri: "s3://b/logs/" }, CloudWatchLoggingConfiguration: { Enabled: true, LogTypes: { SPARK_DRIVER: ["stdout", "stderr"] } } },
        },
        Tags: { run: "nightly" },
      },
    });
    expect(def.States.job.Parameters).not.toHaveProperty("ClientToken");
    expect(def.States.stop).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:stopApplication.sync", Parameters: { "ApplicationId.$": "$.steps.create.outputs.ApplicationId" } });
  });

  test("a run sends each request as the integration takes it, the application id reaching every later call", async () => {
    const app = "00fabcdef0123456";
    const r = await run(def, { day: "2026-02-01" }, {
      create: (i) => ({ ApplicationId: app, Name: i.Name, Arn: `arn:aws:emr-serverless:us-east-1:111122223333:/applications/${app}` }),
      start: (i) => ({ ApplicationId: i.ApplicationId }),
      job: (i) => ({ ApplicationId: i.ApplicationId, JobRunId: "00jr1", Arn: `arn:aws:emr-serverless:us-east-1:111122223333:/applications/${app}/jobruns/00jr1` }),
      stop: (i) => ({ ApplicationId: i.ApplicationId }),
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.finished).toEqual(["create", "start", "job", "stop"]);
    expect(r.inputs.create[0].InitialCapacity.DRIVER.WorkerConfiguration).toEqual({ Cpu: "2vCPU", Memory: "4GB" });
    expect(r.inputs.start[0]).toEqual({ ApplicationId: app });
    expect(r.inputs.job[0]).toMatchObject({ ApplicationId: app, Name: "nightly-2026-02-01", JobDriver: { SparkSubmit: { EntryPointArguments: ["--day", "2026-02-01"] } } });
    expect(r.inputs.stop[0]).toEqual({ ApplicationId: app });
  });

  test("the machine lifts back to the same pipeline, which lowers to the same machine", () => {
    const back = lift(def, "spark.asl.json");
    expect(errors(back.diagnostics)).toEqual([]);
    const steps = back.pipeline!.steps.map((s) => [s.id, s.kind, (s as { service?: string }).service, (s as { action?: string }).action, (s as { wait?: boolean }).wait]);
    expect(steps).toEqual([
      ["create", "aws", "emr-serverless", "CreateApplication", true],
      ["start", "aws", "emr-serverless", "StartApplication", true],
      ["job", "aws", "emr-serverless", "StartJobRun", true],
      ["stop", "aws", "emr-serverless", "StopApplication", true],
    ]);
    expect(diffPipelines(yaml(PIPELINE, "spark.yaml"), back.pipeline!).filter((d) => d.path !== "artifacts")).toEqual([]);
    expect(lower(back.pipeline!).definition).toEqual(def);
  });
});

describe("lifting", () => {
  const task = (Resource: string, Parameters: unknown) => ({ StartAt: "S", States: { S: { Type: "Task", Resource, Parameters, End: true } } });

  test("cancelJobRun.sync is an aws step that waits; deleteApplication without .sync is a call; with .sync it is refused", () => {
    const cancel = lift(task("arn:aws:states:::emr-serverless:cancelJobRun.sync", { ApplicationId: "a", "JobRunId.$": "$.run" }));
    expect(errors(cancel.diagnostics)).toEqual([]);
    expect(strip(cancel.pipeline!.steps[0])).toMatchObject({ kind: "aws", service: "emr-serverless", action: "CancelJobRun", wait: true, request: { applicationId: { value: "a" }, jobRunId: { kind: "ref" } } });
    const del = lift(task("arn:aws:states:::emr-serverless:deleteApplication", { ApplicationId: "a" }));
    expect(errors(del.diagnostics)).toEqual([]);
    expect(del.pipeline!.steps[0]).toMatchObject({ kind: "aws", service: "emr-serverless", action: "DeleteApplication" });
    expect(errors(lift(task("arn:aws:states:::emr-serverless:deleteApplication.sync", { ApplicationId: "a" })).diagnostics)[0]).toMatch(
      /^m\.asl\.json:6:19: error: \$\.States\.S\.Resource: the integration 'emr-serverless:deleteApplication\.sync' waits for a job Switchyard does not know how to wait for elsewhere/,
    );
  });

  test("the aws-sdk form of an action with an optimized row is read into the API's camelCase alike, and lowers to the optimized form", () => {
    const r = lift(task("arn:aws:states:::aws-sdk:emrserverless:startJobRun", { ApplicationId: "a", "ClientToken.$": "States.UUID()", ExecutionRoleArn: ROLE, JobDriver: { SparkSubmit: { EntryPoint: "s3://b/e.py" } }, Tags: { Owner: "x" } }));
    expect(errors(r.diagnostics)).toEqual([]);
    const s = r.pipeline!.steps[0] as { service: string; action: string; request: Record<string, Value> };
    expect([s.service, s.action, Object.keys(s.request)]).toEqual(["emr-serverless", "StartJobRun", ["applicationId", "clientToken", "executionRoleArn", "jobDriver", "tags"]]);
    expect(plain({ jobDriver: s.request.jobDriver, tags: s.request.tags })).toEqual({ jobDriver: { sparkSubmit: { entryPoint: "s3://b/e.py" } }, tags: { Owner: "x" } });
    expect(lower(r.pipeline!).definition.States.S).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:startJobRun", Parameters: { ApplicationId: "a", ExecutionRoleArn: ROLE, JobDriver: { SparkSubmit: { EntryPoint: "s3://b/e.py" } }, Tags: { Owner: "x" } } });
    // An action with no optimized row is read into the API's camelCase too (botocore's model says which members are data).
    const get = lift(task("arn:aws:states:::aws-sdk:emrserverless:getJobRun", { ApplicationId: "a", JobRunId: "j" }));
    expect(get.pipeline!.steps[0]).toMatchObject({ service: "emr-serverless", action: "GetJobRun" });
    expect(Object.keys((get.pipeline!.steps[0] as { request: object }).request)).toEqual(["applicationId", "jobRunId"]);
    expect(lower(get.pipeline!).definition.States.S).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:emrserverless:getJobRun", Parameters: { ApplicationId: "a", JobRunId: "j" } });
  });

  test("a request in the API's own camelCase is refused, naming the member", () => {
    expect(errors(lift(task("arn:aws:states:::emr-serverless:startJobRun.sync", { applicationId: "a", ExecutionRoleArn: ROLE })).diagnostics)).toEqual([
      "m.asl.json:7:21: error: $.States.S.Parameters: emr-serverless:startJobRun.sync: member 'applicationId' not in PascalCase, as Step Functions spells StartJobRun's members",
    ]);
  });
});

test("a retry on an EMR Serverless task names the errors of an AWS call, not a Lambda function's", () => {
  const p = loadYamlText(
    `version: 1
pipeline: emr-retry
region: us-east-1
artifacts: s3://example-bucket/emr-retry
steps:
  run:
    type: aws
    service: emr-serverless
    action: StartJobRun
    wait: true
    request: { applicationId: "00fabc0001", executionRoleArn: "${ROLE}", jobDriver: { sparkSubmit: { entryPoint: "s3://example-bucket/job.py" } } }
    retry: { attempts: 3, on: [throttling] }
`,
    "emr-retry.yaml",
    "fixtures",
  );
  expect(errors(p.diagnostics)).toEqual([]);
  const st = lower(p.pipeline!).definition.States.run;
  expect(st.Resource).toBe("arn:aws:states:::emr-serverless:startJobRun.sync");
  expect(st.Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toEqual([RETRY_ERRORS.aws.throttling]);
  expect(JSON.stringify(st.Retry)).not.toContain("Lambda.");
});
