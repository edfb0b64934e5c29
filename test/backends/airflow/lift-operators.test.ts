/**
 * AWS provider operators that make one API call, lifted as aws steps: the
 * request the provider sends, read from the operator's arguments; what it
 * cannot say is refused naming the argument. In real Airflow against moto,
 * the original DAG and the lifted pipeline's DAG publish the same messages,
 * run the same Athena query, start the same state machine execution, the
 * same EMR Serverless job run, the same ECS task and the same Batch job, and
 * send the same SQS message.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import type { Pipeline, Step, Value } from "../../../src/ir/types.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { stripPositions } from "../../../src/ir/values.js";
import { ROOT } from "../../support/python-env.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { dagText } from "./support/fixtures.js";

const FILE = "sns_publish.py";
const TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", FILE), "utf8");
const GIVEN = { artifacts: "s3://example-events-artifacts/runs" };
const lift = (text = TEXT) => airflow.lift!({ file: FILE, text, given: GIVEN });
const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);

describe("SnsPublishOperator", () => {
  test("is an sns Publish call: target_arn, message and subject are TargetArn, Message and Subject; its retries are the step's", () => {
    const r = lift();
    expect(errors(r)).toEqual([]);
    const tell = stripPositions(r.pipeline!.steps.find((s) => s.id === "tell")) as Extract<Step, { kind: "aws" }>;
    expect(tell).toMatchObject({
      kind: "aws",
      service: "sns",
      action: "Publish",
      depends_on: ["score"],
      request: {
        TargetArn: { kind: "literal", value: "arn:aws:sns:eu-west-1:111122223333:model-events" },
        Message: { kind: "join", parts: [{ kind: "literal", value: "scored " }, { kind: "ref", ref: { scope: "params", name: "model" } }, { kind: "literal", value: " in " }, { kind: "ref", ref: { scope: "execution", name: "id" } }] },
        Subject: { kind: "literal", value: "scores" },
      },
      retry: [{ attempts: 3 }],
    });
  });

  test("message attributes (typed by their Python values at run time) and a call in another region are refused, naming the argument", () => {
    expect(errors(lift(TEXT.replace('subject="scores",', 'subject="scores",\n        message_attributes={"model": "churn"},')))).toEqual([
      `${FILE}:25:28: error: task 'tell': message_attributes are typed by their Python values when the task runs (str, number, bytes, list), which a neutral request does not say; publish without them, or as an aws step whose request gives MessageAttributes`,
    ]);
    expect(errors(lift(TEXT.replace("        region_name=REGION,\n        retries=2,", '        region_name="us-east-1",\n        retries=2,')))).toEqual([
      `${FILE}:25:21: error: task 'tell': it calls SnsPublish in region us-east-1, and the lifted pipeline's calls are made in eu-west-1`,
    ]);
  });
});

const ATHENA = "athena_query.py";
const ATHENA_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", ATHENA), "utf8");
const liftAthena = (text = ATHENA_TEXT) => airflow.lift!({ file: ATHENA, text, given: GIVEN });

describe("AthenaOperator", () => {
  test("is an athena StartQueryExecution that waits for its query: the database and catalog its context, the output location its result configuration, the primary workgroup", () => {
    const r = liftAthena();
    expect(errors(r)).toEqual([]);
    const step = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    const lit = (value: string) => ({ kind: "literal", value });
    expect(stripPositions(step)).toMatchObject({
      kind: "aws",
      service: "athena",
      action: "StartQueryExecution",
      wait: true,
      request: {
        QueryString: lit("SELECT region, count(*) FROM scores GROUP BY region"),
        QueryExecutionContext: { kind: "map", entries: { Catalog: lit("AwsDataCatalog"), Database: lit("analytics") } },
        ResultConfiguration: { kind: "map", entries: { OutputLocation: lit("s3://acme-athena/results/") } },
        WorkGroup: lit("primary"),
      },
    });
    expect(errors(liftAthena(ATHENA_TEXT.replace("sleep_time=1,", "sleep_time=1,\n        max_polling_attempts=5,")))).toEqual([
      `${ATHENA}:19:30: error: task 'aggregate': max_polling_attempts fails the task after that many looks at the query, where a neutral call waits for its query until the step's timeout; give the task an execution_timeout instead`,
    ]);
  });
});

const START = "start_execution.py";
const START_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", START), "utf8");
const liftStart = (text = START_TEXT) => airflow.lift!({ file: START, text, given: GIVEN });

describe("StepFunctionStartExecutionOperator", () => {
  test("is a stepfunctions StartExecution, its input the data; it waits (at most waiter_max_attempts × waiter_delay) only when deferrable, and says so when it does not", () => {
    const r = liftStart();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.severity === "warning" && d.code === "lift-call").map((d) => formatDiagnostic(d))).toEqual([
      `${START}:11:5: warning: task 'start': the operator waits for the execution only when deferrable, and Airflow's operators.default_deferrable is false unless the environment sets it: lifted as a call that starts the execution and does not wait`,
    ]);
    const lit = (value: unknown) => ({ kind: "literal", value });
    const step = stripPositions(r.pipeline!.steps[0]) as Extract<Step, { kind: "aws" }>;
    expect(step).toMatchObject({ service: "stepfunctions", action: "StartExecution", request: { stateMachineArn: lit("arn:aws:states:eu-west-1:111122223333:stateMachine:train"), input: { kind: "map", entries: { model: lit("churn"), epochs: lit(3) } } } });
    expect(step.wait).toBeUndefined();
    const waiting = liftStart(START_TEXT.replace('region_name="eu-west-1",', 'region_name="eu-west-1",\n        name="train-{{ run_id }}",\n        deferrable=True,\n        waiter_delay=30,'));
    expect(errors(waiting)).toEqual([]);
    expect(stripPositions(waiting.pipeline!.steps[0])).toMatchObject({ wait: true, timeout: 900, request: { name: { kind: "join", parts: [lit("train-"), { kind: "ref", ref: { scope: "execution", name: "id" } }] } } });
    // Input given as JSON text is that data; other text, a redrive, are refused.
    expect(stripPositions(liftStart(START_TEXT.replace('{"model": "churn", "epochs": 3}', "'{\"model\": \"fraud\"}'")).pipeline!.steps[0])).toMatchObject({ request: { input: { kind: "map", entries: { model: lit("fraud") } } } });
    expect(errors(liftStart(START_TEXT.replace('{"model": "churn", "epochs": 3}', '"churn"').replace('region_name="eu-west-1",', 'region_name="eu-west-1",\n        is_redrive_execution=True,')))).toEqual([
      `${START}:14:29: error: task 'start': its state_machine_input is text that is not a JSON object or list; the execution's input is JSON data written out`,
      `${START}:16:30: error: task 'start': is_redrive_execution redrives an earlier execution (RedriveExecution), which is no step`,
    ]);
  });
});

const SENSOR = "s3_key_sensor.py";
const SENSOR_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", SENSOR), "utf8");
const liftSensor = (text = SENSOR_TEXT) => airflow.lift!({ file: SENSOR, text, given: GIVEN });
/** The key a run's date names. */
const DAY_SENSOR_TEXT = SENSOR_TEXT.replace('bucket_key="daily/_SUCCESS"', 'bucket_key="daily/{{ ds }}/_SUCCESS"').replace('dag_id="wait_for_drop"', 'dag_id="wait_for_day_drop"');

describe("S3KeySensor", () => {
  test("is a ListObjectsV2 from the key, one object at most, repeated every poke_interval until that object is the key, within the sensor's timeout", () => {
    const r = liftSensor();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "lift-call").map((d) => formatDiagnostic(d))).toEqual([
      `${SENSOR}:12:5: warning: task 'landed': the sensor's looks (HeadObject) are one ListObjectsV2 of the key each, which needs s3:ListBucket where HeadObject needs s3:GetObject`,
    ]);
    const step = r.pipeline!.steps.find((s) => s.id === "landed") as Extract<Step, { kind: "aws" }>;
    expect([step.service, step.action, step.timeout, step.repeat!.interval]).toEqual(["s3", "ListObjectsV2", 4, 1]);
    expect(printExpr(step.repeat!.until)).toBe("exists(steps.landed.response.Contents[0].Key) and steps.landed.response.Contents[0].Key == 'daily/_SUCCESS'");
    expect(stripPositions(step.request)).toEqual({ Bucket: { kind: "literal", value: "acme-landing", type: "string" }, Prefix: { kind: "literal", value: "daily/_SUCCESS", type: "string" }, MaxKeys: { kind: "literal", value: 1, type: "integer" } });
    // A whole s3:// URL names the bucket too; a pattern, a regular expression, a check function or a list of keys are refused.
    const url = liftSensor(SENSOR_TEXT.replace('        bucket_name="acme-landing",\n        bucket_key="daily/_SUCCESS",', '        bucket_key="s3://acme-landing/daily/_SUCCESS",'));
    expect(stripPositions((url.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>).request)).toEqual(stripPositions(step.request));
    expect(errors(liftSensor(SENSOR_TEXT.replace('bucket_key="daily/_SUCCESS",', 'bucket_key="daily/*.csv",\n        wildcard_match=True,')))).toEqual([
      `${SENSOR}:16:24: error: task 'landed': wildcard_match matches keys by a pattern, which a neutral condition does not`,
    ]);
  });

  test("a key computed at run time is compared with the listing's Prefix, the key as sent, which the pipeline's syntax writes and every target reads", async () => {
    const r = liftSensor(DAY_SENSOR_TEXT);
    expect(errors(r)).toEqual([]);
    const step = r.pipeline!.steps.find((s) => s.id === "landed") as Extract<Step, { kind: "aws" }>;
    expect(printTemplate(step.request.Prefix)).toBe("daily/${{ execution.logical_date }}/_SUCCESS");
    expect(printExpr(step.repeat!.until)).toBe("exists(steps.landed.response.Contents[0].Key) and steps.landed.response.Contents[0].Key == steps.landed.outputs.Prefix");
    expect(step.outputs).toEqual({ Prefix: "string" });
    // Printed and read again, the same pipeline.
    const { printYaml } = await import("../../../src/frontends/yaml/print.js");
    const again = loadYamlText(printYaml(r.pipeline!), "again.yaml");
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(stripPositions(again.pipeline!.steps)).toEqual(stripPositions(r.pipeline!.steps));
    // Step Functions: the listing's first key against its Prefix, compared as text; run, it waits for the key itself.
    const stepfunctions = (await import("../../../backends/stepfunctions/index.js")).default;
    const out = stepfunctions.lower(r.pipeline!, { baseDir: "." });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    expect(def.States["landed.until"].Choices[0].And[1]).toEqual({ Variable: "$.steps.landed.response.Contents[0].Key", StringEqualsPath: "$.steps.landed.outputs.Prefix" });
    const { aslValidator, run } = await import("../stepfunctions/support.js");
    expect(aslValidator(def).isValid).toBe(true);
    const prefixes: string[] = [];
    let looks = 0;
    const out2 = await run(def, {}, {
      landed: (i: { Prefix: string }) => {
        prefixes.push(i.Prefix);
        return { Prefix: i.Prefix, KeyCount: 1, Contents: [{ Key: ++looks < 3 ? `${i.Prefix}.tmp` : i.Prefix }] };
      },
      tell: () => ({ MessageId: "m-1" }),
    });
    expect(out2.status, out2.cause).toBe("SUCCEEDED");
    // The same key each look: the run's date (the runner's clock, as the execution's start).
    expect([looks, new Set(prefixes).size]).toEqual([3, 1]);
    expect(prefixes[0]).toMatch(/^daily\/\d{4}-\d{2}-\d{2}\/_SUCCESS$/);
  });
});

const EMR = "emr_serverless_job.py";
const EMR_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", EMR), "utf8");
const liftEmr = (text = EMR_TEXT) => airflow.lift!({ file: EMR, text, given: GIVEN });

describe("EmrServerlessStartJobOperator", () => {
  test("is an emr-serverless StartJobRun (its config's members beside its own) that waits for the run, at most waiter_max_attempts × waiter_delay; the application's start is said", () => {
    const r = liftEmr();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "lift-call").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `${EMR}:11:5: warning: task 'aggregate': the operator starts the EMR Serverless application first when it is not started; the lifted step starts the job run only, which starts an application created with auto-start (the default) by itself`,
      `${EMR}:11:5: warning: task 'aggregate': past its 750 s of waiting the operator cancels the job run; the lifted step's timeout fails the step, and only Step Functions' .sync integration cancels the run too`,
    ]);
    expect(r.diagnostics.filter((d) => d.code === "lift-aws-wait").map((d) => d.message)).toEqual([
      "task 'aggregate': it polls its job run every 30 s; the lifted pipeline polls every 60 s unless compiled with --check-interval 30",
    ]);
    const lit = (value: unknown) => ({ kind: "literal", value });
    const param = { kind: "ref", ref: { scope: "params", name: "day" } };
    const step = stripPositions(r.pipeline!.steps[0]) as Extract<Step, { kind: "aws" }>;
    expect(step).toMatchObject({ service: "emr-serverless", action: "StartJobRun", wait: true, timeout: 750 });
    expect(step.request).toEqual({
      applicationId: { kind: "ref", ref: { scope: "params", name: "app" } },
      executionRoleArn: { ...lit("arn:aws:iam::111122223333:role/emr-serverless-jobs"), type: "string" },
      jobDriver: {
        kind: "map",
        entries: {
          sparkSubmit: {
            kind: "map",
            entries: {
              entryPoint: { ...lit("s3://spark-jobs/aggregate.py"), type: "string" },
              entryPointArguments: { kind: "list", items: [{ ...lit("--day"), type: "string" }, param] },
              sparkSubmitParameters: { ...lit("--conf spark.executor.memory=4g"), type: "string" },
            },
          },
        },
      },
      name: { kind: "join", parts: [{ ...lit("aggregate-"), type: "string" }, param] },
      executionTimeoutMinutes: { ...lit(120), type: "integer" },
      configurationOverrides: { kind: "map", entries: { monitoringConfiguration: { kind: "map", entries: { s3MonitoringConfiguration: { kind: "map", entries: { logUri: { ...lit("s3://spark-jobs/logs/"), type: "string" } } } } } } },
    });
    // Not waiting: a call that starts the run; a config that is not a dict written out is refused.
    const started = liftEmr(EMR_TEXT.replace("        waiter_delay=30,", "        wait_for_completion=False,"));
    expect(errors(started)).toEqual([]);
    const once = stripPositions(started.pipeline!.steps[0]) as Extract<Step, { kind: "aws" }>;
    expect([once.wait, once.timeout]).toEqual([undefined, undefined]);
    expect(errors(liftEmr(EMR_TEXT.replace('config={"name": "aggregate-{{ params.day }}", "executionTimeoutMinutes": 120},', 'config="aggregate",')))).toEqual([
      `${EMR}:23:16: error: task 'aggregate': its config is not a dict written in the file`,
    ]);
  });

  test("lowers to Step Functions' startJobRun.sync and to an Airflow task that waits for the run; both read the request as lifted", async () => {
    const p = liftEmr().pipeline!;
    const sfn = (await import("../../../backends/stepfunctions/index.js")).default.lower(p, { baseDir: ".", options: {} });
    expect(sfn.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(sfn.files.find((f) => f.kind === "definition")!.contents);
    const task = Object.values<any>(def.States).find((st) => st.Type === "Task");
    expect(task.Resource).toBe("arn:aws:states:::emr-serverless:startJobRun.sync");
    expect(task.Parameters).toMatchObject({ "ApplicationId.$": "$.params.app", ExecutionRoleArn: "arn:aws:iam::111122223333:role/emr-serverless-jobs", ExecutionTimeoutMinutes: 120 });
    expect(task.TimeoutSeconds).toBe(750);
    const dag = dagText(p, { airflow: "2" });
    // One task starts the run and polls GetJobRun until it succeeds (or fails, or is cancelled).
    expect(dag).toContain('return sy_aws_wait(\n        "emr-serverless",\n        "StartJobRun",');
    expect(dag).toContain('"describe": "GetJobRun"');
    expect(dag).toContain('"succeeded": ["SUCCESS"],\n            "failed": ["FAILED", "CANCELLED"],');
    expect(dag).toContain('"entryPointArguments": ["--day", params["day"]],');
  });
});

const ECS = "ecs_run_task.py";
const ECS_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", ECS), "utf8");
const liftEcs = (text = ECS_TEXT) => airflow.lift!({ file: ECS, text, given: GIVEN });
/** The same task started without waiting for it (moto's Fargate tasks never report their containers stopped). */
const ECS_STARTED = ECS_TEXT.replace("        waiter_delay=30,\n", "        wait_for_completion=False,\n");

/** A request value as plain data, an expression where it reads something (printed). */
const plain = (v: Value): unknown =>
  v.kind === "map"
    ? Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, plain(x)]))
    : v.kind === "list"
      ? v.items.map(plain)
      : v.kind === "literal"
        ? v.value
        : v.kind === "join"
          ? v.parts.map((x) => (x.kind === "literal" ? String(x.value) : `\${{ ${printExpr(x)} }}`)).join("")
          : `\${{ ${printExpr(v)} }}`;

const APPS = "emr_serverless_app_lifecycle.py";
const APPS_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", APPS), "utf8");
const liftApps = (text = APPS_TEXT) => airflow.lift!({ file: APPS, text, given: GIVEN });

const DELETE = "emr_serverless_delete.py";
const DELETE_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", DELETE), "utf8");
const liftDelete = (text = DELETE_TEXT) => airflow.lift!({ file: DELETE, text, given: GIVEN });

describe("EMR Serverless application operators", () => {
  test("create is an emr-serverless CreateApplication that waits until CREATED (its start said); stop a StopApplication that waits until STOPPED", () => {
    const r = liftApps();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.message.includes("'create_app'")).map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `${APPS}:13:5: warning: task 'create_app': the operator also starts the application (StartApplication) once it is created; the lifted step creates it only, and a job run starts an application created with auto-start (the default) by itself`,
      `${APPS}:13:5: warning: task 'create_app': it looks at the application every 30 s; the lifted pipeline looks every 60 s unless compiled with --check-interval 30`,
    ]);
    const [create, , stop] = r.pipeline!.steps.map((s) => stripPositions(s) as Extract<Step, { kind: "aws" }>);
    // 25 looks 30 s apart; the provider's defaults (25 × 60) for the stop.
    expect(create).toMatchObject({ id: "create_app", service: "emr-serverless", action: "CreateApplication", wait: true, timeout: 750 });
    const lit = (value: string) => ({ kind: "literal", value, type: "string" });
    expect(create.request).toEqual({ releaseLabel: lit("emr-7.1.0"), type: lit("SPARK"), name: lit("nightly-features"), tags: { kind: "map", entries: { team: lit("ml") } } });
    expect(stop).toMatchObject({ id: "stop_app", service: "emr-serverless", action: "StopApplication", wait: true, timeout: 1500, depends_on: ["features"] });
    expect(printExpr(stop.request.applicationId)).toBe("params.app");
  });

  test("a delete is two steps: a StopApplication that waits until STOPPED, where the tasks before it and its trigger rule lead, then the DeleteApplication, which the tasks after it follow", () => {
    const r = liftDelete();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.message.includes("'delete_app")).map((d) => formatDiagnostic(d))).toEqual([
      `${DELETE}:21:5: warning: task 'delete_app': it looks at the application every 5 s; the lifted pipeline looks every 60 s unless compiled with --check-interval 5`,
      `${DELETE}:21:5: warning: task 'delete_app': the operator stops the application (StopApplication, waiting until it is STOPPED), then deletes it (DeleteApplication): lifted as two steps, 'delete_app_stop' then 'delete_app', each with the task's retries and execution_timeout; the tasks before it and its trigger rule lead to the stop`,
      `${DELETE}:21:5: warning: task 'delete_app': the operator then waits until the deleted application is TERMINATED (GetApplication, at most 125 s); the lifted delete step does not wait`,
    ]);
    const [job, stop, del] = r.pipeline!.steps.map((s) => stripPositions(s) as Extract<Step, { kind: "aws" }>);
    // all_done after the first task: the job's failure is let pass, and the stop follows it.
    expect(job).toMatchObject({ id: "job", on_failure: [{ steps: [], ends: "continues" }] });
    expect(stop).toMatchObject({ id: "delete_app_stop", service: "emr-serverless", action: "StopApplication", wait: true, timeout: 125, depends_on: ["job"] });
    expect(del).toMatchObject({ id: "delete_app", service: "emr-serverless", action: "DeleteApplication", depends_on: ["delete_app_stop"] });
    expect([del.wait, del.timeout, del.targets]).toEqual([undefined, undefined, {}]);
    expect([printExpr(stop.request.applicationId), printExpr(del.request.applicationId)]).toEqual(["params.app", "params.app"]);
    // Not waiting for the delete: nothing said of TERMINATED. A task after the delete follows the delete step; a trigger
    // rule the lift cannot place otherwise is kept on the stop's task.
    const after = liftDelete(
      DELETE_TEXT.replace("        trigger_rule=TriggerRule.ALL_DONE,\n", "        trigger_rule=TriggerRule.ALL_DONE,\n        wait_for_completion=False,\n")
        .replace("    job >> delete_app", '    done = EmrServerlessStartJobOperator(task_id="done", application_id="00other", execution_role_arn="arn:aws:iam::111122223333:role/emr-serverless-jobs", job_driver={}, region_name="eu-west-1")\n    start = EmrServerlessStartJobOperator(task_id="start", application_id="00other", execution_role_arn="arn:aws:iam::111122223333:role/emr-serverless-jobs", job_driver={}, region_name="eu-west-1")\n    start >> job >> delete_app >> done'),
    );
    expect(errors(after)).toEqual([]);
    expect(after.diagnostics.some((d) => d.message.includes("TERMINATED"))).toBe(false);
    const byId = new Map(after.pipeline!.steps.map((s) => [s.id, s]));
    expect(["job", "delete_app_stop", "delete_app", "done"].map((id) => byId.get(id)!.depends_on)).toEqual([["start"], ["job"], ["delete_app_stop"], ["delete_app"]]);
    expect(byId.get("delete_app_stop")!.targets).toMatchObject({ airflow: { settings: { trigger_rule: "all_done" } } });
    expect(byId.get("delete_app")!.targets).toEqual({});
    expect(after.diagnostics.filter((d) => d.code === "lift-airflow-setting").map((d) => d.message)).toEqual([
      "task 'delete_app_stop': trigger_rule is kept as Airflow settings (targets.airflow); other targets do not apply it",
    ]);
  });

  test("on Step Functions the stop waits (stopApplication.sync) before the delete; a failed job still leads to both, and the run succeeds as the DAG's does", async () => {
    const p = liftDelete().pipeline!;
    const stepfunctions = (await import("../../../backends/stepfunctions/index.js")).default;
    const out = stepfunctions.lower(p, { baseDir: "." });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    expect(def.States.delete_app_stop).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:stopApplication.sync", Next: "delete_app" });
    expect(def.States.delete_app).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:deleteApplication", Parameters: { "ApplicationId.$": "$.params.app" } });
    const { aslValidator, run } = await import("../stepfunctions/support.js");
    expect(aslValidator(def).isValid).toBe(true);
    const calls: string[] = [];
    const out2 = await run(def, {}, {
      job: () => {
        calls.push("job");
        throw Object.assign(new Error("the job run failed"), { name: "States.TaskFailed" });
      },
      delete_app_stop: (i: { ApplicationId: string }) => (calls.push(`stop ${i.ApplicationId}`), { ApplicationId: i.ApplicationId }),
      delete_app: (i: { ApplicationId: string }) => (calls.push(`delete ${i.ApplicationId}`), {}),
    });
    expect(out2.status, out2.cause).toBe("SUCCEEDED");
    expect(calls).toEqual(["job", "stop 00fabc123def4567", "delete 00fabc123def4567"]);
  });

  test("refused by name: a stop or delete that cancels the running jobs", () => {
    expect(errors(liftApps(APPS_TEXT.replace('        application_id="{{ params.app }}",\n        region_name="eu-west-1",\n    )\n    create_app', '        application_id="{{ params.app }}",\n        force_stop=True,\n        region_name="eu-west-1",\n    )\n    create_app')))).toEqual([
      `${APPS}:31:20: error: task 'stop_app': force_stop cancels the application's running job runs (ListJobRuns, CancelJobRun each) before it stops it, which no one call does`,
    ]);
  });

  test("the create's XCom, the application's id, is the final GetApplication response's; Step Functions then polls GetApplication too, and the job run gets the id", async () => {
    const r = liftApps(APPS_TEXT.replace('task_id="features",\n        application_id="{{ params.app }}"', 'task_id="features",\n        application_id=create_app.output'));
    expect(errors(r)).toEqual([]);
    const features = r.pipeline!.steps[1] as Extract<Step, { kind: "aws" }>;
    expect(printExpr(features.request.applicationId)).toBe("steps.create_app.response.application.applicationId");
    const stepfunctions = (await import("../../../backends/stepfunctions/index.js")).default;
    const def = JSON.parse(stepfunctions.lower(r.pipeline!, { baseDir: "." }).files.find((f) => f.kind === "definition")!.contents);
    // The .sync form returns CreateApplication's members in PascalCase, not GetApplication's response: the call, then GetApplication polled.
    expect(def.States.create_app.Resource).toBe("arn:aws:states:::aws-sdk:emrserverless:createApplication");
    expect(def.States["create_app.status"].Resource).toBe("arn:aws:states:::aws-sdk:emrserverless:getApplication");
    const { aslValidator, run } = await import("../stepfunctions/support.js");
    expect(aslValidator(def).isValid).toBe(true);
    let looks = 0;
    const out = await run(def, {}, {
      // The AWS SDK integration spells EMR Serverless's members in PascalCase, both ways; tag keys are data, kept.
      create_app: (i: { Name: string; Tags: Record<string, string> }) => (expect(i).toMatchObject({ Name: "nightly-features", ReleaseLabel: "emr-7.1.0", Type: "SPARK", Tags: { team: "ml" } }), { ApplicationId: "00app1", Name: i.Name, Arn: "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00app1" }),
      "create_app.status": (i: { ApplicationId: string }) => ({ Application: { ApplicationId: i.ApplicationId, State: ++looks < 2 ? "CREATING" : "CREATED" } }),
      features: () => ({ ApplicationId: "00app1", JobRunId: "run-1" }),
      stop_app: () => ({ ApplicationId: "00app1" }),
    });
    expect(out.status, out.cause).toBe("SUCCEEDED");
    expect(looks).toBe(2);
    expect(out.inputs.features[0].ApplicationId).toBe("00app1");
    // The stop still names the application the run's parameter gives.
    expect(out.inputs.stop_app[0].ApplicationId).toBe("00fabc123def4567");
  });

  test("lowers to Step Functions' createApplication.sync and stopApplication.sync, valid ASL", async () => {
    const p = liftApps().pipeline!;
    const stepfunctions = (await import("../../../backends/stepfunctions/index.js")).default;
    const out = stepfunctions.lower(p, { baseDir: "." });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    expect(def.States.create_app).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:createApplication.sync", Parameters: { ReleaseLabel: "emr-7.1.0", Type: "SPARK", Name: "nightly-features", Tags: { team: "ml" } }, TimeoutSeconds: 750 });
    expect(def.States.stop_app).toMatchObject({ Resource: "arn:aws:states:::emr-serverless:stopApplication.sync", Parameters: { "ApplicationId.$": "$.params.app" }, TimeoutSeconds: 1500 });
    const { aslValidator } = await import("../stepfunctions/support.js");
    expect(aslValidator(def).isValid).toBe(true);
  });
});

describe("EcsRunTaskOperator", () => {
  test("is an ecs RunTask that waits for the task, at most waiter_max_attempts × waiter_delay: the provider's request, startedBy the task's owner, the tags as key/value pairs", () => {
    const r = liftEcs();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `${ECS}:15:5: warning: task 'score': it looks at its ECS task every 30 s; the lifted pipeline looks every 60 s unless compiled with --check-interval 30`,
    ]);
    const step = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([step.service, step.action, step.wait, step.timeout]).toEqual(["ecs", "RunTask", true, 30 * 1000000]);
    expect(plain({ kind: "map", entries: step.request, pos: step.pos })).toEqual({
      cluster: "batch",
      taskDefinition: "score",
      overrides: { containerOverrides: [{ name: "main", command: ["python", "score.py", "--day", "${{ params.day }}"] }] },
      startedBy: "airflow",
      launchType: "FARGATE",
      group: "nightly-scoring",
      tags: [{ key: "team", value: "ml" }, { key: "job", value: "scoring" }],
    });
  });

  test("the provider's defaults and choices: launch type EC2 unless given (none with a capacity provider strategy, or None), the owner of default_args; without waiting, one call", () => {
    const request = (text: string) => {
      const r = liftEcs(text);
      expect(errors(r)).toEqual([]);
      const s = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
      return { ...Object.fromEntries(Object.entries(s.request).filter(([k]) => ["launchType", "capacityProviderStrategy", "startedBy"].includes(k)).map(([k, v]) => [k, plain(v)])), wait: s.wait ?? false };
    };
    expect(request(ECS_TEXT.replace('        launch_type="FARGATE",\n', ""))).toEqual({ launchType: "EC2", startedBy: "airflow", wait: true });
    expect(request(ECS_TEXT.replace('        launch_type="FARGATE",\n', '        capacity_provider_strategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],\n'))).toEqual({
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      startedBy: "airflow",
      wait: true,
    });
    expect(request(ECS_TEXT.replace('launch_type="FARGATE"', "launch_type=None"))).toEqual({ startedBy: "airflow", wait: true });
    expect(request(ECS_TEXT.replace('params={"day": "2025-01-01"},', 'params={"day": "2025-01-01"},\n    default_args={"owner": "ml-platform"},'))).toEqual({ launchType: "FARGATE", startedBy: "ml-platform", wait: true });
    expect(request(ECS_STARTED)).toEqual({ launchType: "FARGATE", startedBy: "airflow", wait: false });
    expect((liftEcs(ECS_STARTED).pipeline!.steps[0] as Step).timeout).toBeUndefined();
  });

  test("refused or said, naming the argument: tags not written as a dict, quota_retry (it starts the task again), reattach (a retried task follows the ECS task it started)", () => {
    expect(errors(liftEcs(ECS_TEXT.replace('tags={"team": "ml", "job": "scoring"}', 'tags=[{"key": "team", "value": "ml"}]')))).toEqual([
      `${ECS}:22:14: error: task 'score': its tags are not a dict written in the file`,
    ]);
    expect(errors(liftEcs(ECS_TEXT.replace("        waiter_delay=30,", '        waiter_delay=30,\n        quota_retry={"stop_max_attempt_number": 3},')))).toEqual([
      `${ECS}:24:21: error: task 'score': quota_retry starts the task again when RunTask fails for capacity or quota, which no neutral call does; give the step a retry rule instead`,
    ]);
    const re = liftEcs(ECS_TEXT.replace("        waiter_delay=30,", "        waiter_delay=30,\n        reattach=True,"));
    expect(errors(re)).toEqual([]);
    expect(re.diagnostics.filter((d) => d.code === "lift-call").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `${ECS}:24:18: warning: task 'score': with reattach, a retried task looks for the ECS task it started before (startedBy a UUID of the task instance) and follows it; the lifted step starts a new one each try, startedBy its owner`,
    ]);
  });

  test("lowers to Step Functions' runTask.sync (the integration's PascalCase members) and to an Airflow task that waits for the task", async () => {
    const p = liftEcs().pipeline!;
    const sfn = (await import("../../../backends/stepfunctions/index.js")).default.lower(p, { baseDir: ".", options: {} });
    expect(sfn.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const task = JSON.parse(sfn.files.find((f) => f.kind === "definition")!.contents).States.score;
    expect(task.Resource).toBe("arn:aws:states:::ecs:runTask.sync");
    expect(task.Parameters).toMatchObject({ Cluster: "batch", TaskDefinition: "score", StartedBy: "airflow", LaunchType: "FARGATE", Group: "nightly-scoring", Tags: [{ Key: "team", Value: "ml" }, { Key: "job", Value: "scoring" }] });
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain('return sy_aws_wait(\n        "ecs",\n        "RunTask",');
    expect(dag).toContain('"describe": "DescribeTasks"');
  });
});

const BATCH = "batch_job.py";
const BATCH_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", BATCH), "utf8");
const liftBatch = (text = BATCH_TEXT) => airflow.lift!({ file: BATCH, text, given: GIVEN });
const BATCH_SUBMITTED = BATCH_TEXT.replace("        submit_job_timeout=7200,\n", "        submit_job_timeout=7200,\n        wait_for_completion=False,\n");

describe("BatchOperator", () => {
  test("is a batch SubmitJob that waits for its job: the provider's request (parameters and tags always, the timeout as attemptDurationSeconds); how long the operator waits is said", () => {
    const r = liftBatch();
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `${BATCH}:15:5: warning: task 'rebuild': the operator gives up on its job after max_retries status checks (4,200 by default, a few seconds apart); the lifted step waits for the job until its timeout`,
    ]);
    const step = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([step.service, step.action, step.wait, step.timeout]).toEqual(["batch", "SubmitJob", true, 3 * 3600]);
    expect(plain({ kind: "map", entries: step.request, pos: step.pos })).toEqual({
      jobName: "rebuild-features",
      jobQueue: "features-queue",
      jobDefinition: "rebuild-features:1",
      parameters: { day: "${{ params.day }}" },
      tags: { team: "features" },
      containerOverrides: {
        command: ["python", "rebuild.py", "--day", "${{ params.day }}"],
        environment: [{ name: "STAGE", value: "prod" }],
        resourceRequirements: [{ type: "VCPU", value: "4" }, { type: "MEMORY", value: "16384" }],
      },
      retryStrategy: { attempts: 2 },
      timeout: { attemptDurationSeconds: 7200 },
    });
    // Without parameters or tags the provider still sends both, empty; without waiting, one call.
    const bare = liftBatch(BATCH_SUBMITTED.replace('        parameters={"day": "{{ params.day }}"},\n', "").replace('        tags={"team": "features"},\n', ""));
    expect(errors(bare)).toEqual([]);
    const once = bare.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([plain(once.request.parameters), plain(once.request.tags), once.wait]).toEqual([{}, {}, undefined]);
    expect(bare.diagnostics.filter((d) => d.code === "lift-aws-wait")).toEqual([]);
    expect(errors(liftBatch(BATCH_TEXT.replace('tags={"team": "features"}', 'tags="features"')))).toEqual([`${BATCH}:27:14: error: task 'rebuild': its tags are not a dict written in the file`]);
  });

  test("lowers to Step Functions' submitJob.sync (PascalCase members) and to an Airflow task that waits for the job", async () => {
    const p = liftBatch().pipeline!;
    const sfn = (await import("../../../backends/stepfunctions/index.js")).default.lower(p, { baseDir: ".", options: {} });
    expect(sfn.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const task = JSON.parse(sfn.files.find((f) => f.kind === "definition")!.contents).States.rebuild;
    expect(task.Resource).toBe("arn:aws:states:::batch:submitJob.sync");
    expect(task.Parameters).toMatchObject({ JobName: "rebuild-features", JobQueue: "features-queue", JobDefinition: "rebuild-features:1", Tags: { team: "features" }, RetryStrategy: { Attempts: 2 }, Timeout: { AttemptDurationSeconds: 7200 } });
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain('return sy_aws_wait(\n        "batch",\n        "SubmitJob",');
    expect(dag).toContain('"describe": "DescribeJobs"');
  });
});

const SQS = "sqs_publish.py";
const SQS_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", SQS), "utf8");
const liftSqs = (text = SQS_TEXT) => airflow.lift!({ file: SQS, text, given: GIVEN });

describe("SqsPublishOperator", () => {
  test("is an sqs SendMessage as the provider sends it: DelaySeconds 0 and MessageAttributes {} unless given, the FIFO ids when given", () => {
    const r = liftSqs();
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([]);
    const step = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([step.service, step.action, step.wait]).toEqual(["sqs", "SendMessage", undefined]);
    expect(plain({ kind: "map", entries: step.request, pos: step.pos })).toEqual({
      QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/scoring-requests",
      MessageBody: "score ${{ params.model }}",
      DelaySeconds: 0,
      MessageAttributes: { model: { DataType: "String", StringValue: "${{ params.model }}" } },
    });
    const fifo = liftSqs(SQS_TEXT.replace('        message_attributes={"model": {"DataType": "String", "StringValue": "{{ params.model }}"}},\n', '        delay_seconds=30,\n        message_group_id="scoring",\n        message_deduplication_id="{{ params.model }}",\n'));
    expect(errors(fifo)).toEqual([]);
    const f = fifo.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect(Object.fromEntries(Object.entries(f.request).filter(([k]) => k !== "QueueUrl" && k !== "MessageBody").map(([k, v]) => [k, plain(v)]))).toEqual({ DelaySeconds: 30, MessageAttributes: {}, MessageGroupId: "scoring", MessageDeduplicationId: "${{ params.model }}" });
    expect(errors(liftSqs(SQS_TEXT.replace('message_content="score {{ params.model }}"', 'message_content={"score": "churn"}')))).toEqual([`${SQS}:14:25: error: task 'request': its message_content is not text; SendMessage sends a message body as text`]);
  });
});

const WATCH = "emr_add_and_watch.py";
const WATCH_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", WATCH), "utf8");
const liftWatch = (text = WATCH_TEXT) => airflow.lift!({ file: WATCH, text, given: GIVEN });

describe("EmrAddStepsOperator watched by an EmrStepSensor", () => {
  test("the sensor that watches the step the operator added (xcom_pull(...)[0] or .output[0]) is lifted into that emr step, which waits for it within the sensor's timeout; the tasks after the sensor follow the step", () => {
    for (const text of [WATCH_TEXT, WATCH_TEXT.replace(`step_id="{{ task_instance.xcom_pull(task_ids='add_step', key='return_value')[0] }}",`, "step_id=add_step.output[0],")]) {
      const r = liftWatch(text);
      expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
        `${WATCH}:25:5: warning: task 'watch_step': the EmrStepSensor watching the step 'add_step' adds is lifted into that step, which waits for it (for at most 21600 s, the sensor's timeout); the tasks after the sensor follow the step`,
        `${WATCH}:25:5: warning: task 'watch_step': it looks at the step every 120 s; the lifted pipeline looks every 60 s unless compiled with --check-interval 120`,
      ]);
      expect(r.pipeline!.steps.map((s) => `${s.id}:${s.kind}:${s.depends_on}:${s.timeout ?? ""}`)).toEqual(["add_step:emr::21600", "done:aws:add_step:"]);
      // The step's Name, which is not its task's id, is the emr step's name.
      expect(plain((r.pipeline!.steps[0] as Extract<Step, { kind: "emr" }>).name!)).toBe("sessionize-${{ params.day }}");
    }
    // Lowered again for Airflow: the operator waits for its step itself, within the sensor's timeout.
    const dag = dagText(liftWatch().pipeline!, { airflow: "2" });
    expect(dag).toContain("        wait_for_completion=True,\n        waiter_delay=30,\n        waiter_max_attempts=720,\n");
    expect(dag).toContain(`"Name": "sessionize-{{ params['day'] }}",`);
    expect(dag).toContain("execution_timeout=datetime.timedelta(seconds=21600)");
    expect(dag).not.toContain("EmrStepSensor");
  });

  test("a sensor that watches anything else is still refused as before; soft_fail (a timed-out sensor skipped, not failed) is refused by name", () => {
    const refusedAsSensor = `${WATCH}:25:5: error: task 'watch_step': EmrStepSensor has no neutral step kind (it watches a job another task started; start that job with wait_for_completion=True instead), so the DAG cannot be lifted as a whole`;
    expect(errors(liftWatch(WATCH_TEXT.replace("        job_flow_id=CLUSTER,\n        step_id", '        job_flow_id="j-OTHERCLUSTER",\n        step_id')))).toEqual([refusedAsSensor]);
    expect(errors(liftWatch(WATCH_TEXT.replace("        poke_interval=120,", '        poke_interval=120,\n        target_states=["RUNNING"],')))).toEqual([refusedAsSensor]);
    expect(errors(liftWatch(WATCH_TEXT.replace("[0] }}", "[1] }}")))).toEqual([refusedAsSensor]);
    expect(errors(liftWatch(WATCH_TEXT.replace("        poke_interval=120,", "        poke_interval=120,\n        soft_fail=True,")))).toEqual([
      `${WATCH}:30:19: error: task 'watch_step': soft_fail skips the sensor (and what follows it) when the step it watches does not end in time, where the emr step it is lifted into fails`,
    ]);
  });
});

const CLUSTER = "emr_cluster_lifecycle.py";
const CLUSTER_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", CLUSTER), "utf8");
const liftCluster = (text = CLUSTER_TEXT) => airflow.lift!({ file: CLUSTER, text, given: GIVEN });
/** The same DAG that only starts the cluster and terminates it (moto never ends a step, so a run that waits for one never ends). */
const CLUSTER_START_STOP = CLUSTER_TEXT.replace(
  /    add_step = [\s\S]*?\n    \)\n(    terminate_cluster)/,
  "$1",
)
  .replace("create_cluster >> add_step >> watch_step >> terminate_cluster", "create_cluster >> terminate_cluster")
  .replace('job_flow_overrides=JOB_FLOW_OVERRIDES, region_name="us-east-1")', 'job_flow_overrides=JOB_FLOW_OVERRIDES, emr_conn_id=None, region_name="us-east-1")');

/** The Step Functions definition a pipeline lowers to (no errors). */
async function lowerSfn(p: Pipeline): Promise<any> {
  const r = (await import("../../../backends/stepfunctions/index.js")).default.lower(p, { baseDir: ".", options: {} });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return JSON.parse(r.files.find((f) => f.kind === "definition")!.contents);
}

const RETRAIN = "sagemaker_start_pipeline.py";
const RETRAIN_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", RETRAIN), "utf8");
const liftRetrain = (text = RETRAIN_TEXT) => airflow.lift!({ file: RETRAIN, text, given: GIVEN });

describe("SageMakerStartPipelineOperator", () => {
  test("is a sagemaker StartPipelineExecution: the pipeline, the display name ('airflow-triggered-execution' unless given), the parameters' dict as {Name, Value} items; its XCom result is the execution's ARN", async () => {
    const r = liftRetrain();
    expect(r.diagnostics).toEqual([]);
    const [retrain, tell] = r.pipeline!.steps as Array<Extract<Step, { kind: "aws" }>>;
    expect([retrain.service, retrain.action, retrain.wait]).toEqual(["sagemaker", "StartPipelineExecution", undefined]);
    expect(plain({ kind: "map", entries: retrain.request, pos: retrain.pos })).toEqual({
      PipelineName: "churn-training",
      PipelineExecutionDisplayName: "retrain-${{ params.day }}",
      PipelineParameters: [
        { Name: "InputDay", Value: "${{ params.day }}" },
        { Name: "InstanceType", Value: "ml.m5.xlarge" },
      ],
    });
    expect(plain(tell.request.Message)).toBe("started ${{ steps.retrain.response.PipelineExecutionArn }}");
    // The provider's defaults: its display name, no parameters.
    const bare = liftRetrain(RETRAIN_TEXT.replace('        display_name="retrain-{{ params.day }}",\n', "").replace('        pipeline_params={"InputDay": "{{ params.day }}", "InstanceType": "ml.m5.xlarge"},\n', ""));
    expect(errors(bare)).toEqual([]);
    expect(plain({ kind: "map", entries: (bare.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>).request, pos: retrain.pos })).toEqual({
      PipelineName: "churn-training",
      PipelineExecutionDisplayName: "airflow-triggered-execution",
      PipelineParameters: [],
    });
    // Lowered for Step Functions: the aws-sdk call, the ARN read from its response.
    const def = await lowerSfn(r.pipeline!);
    expect(def.States.retrain.Resource).toBe("arn:aws:states:::aws-sdk:sagemaker:startPipelineExecution");
    expect(def.States.tell.Parameters["Message.$"]).toBe("States.Format('started {}', $.steps.retrain.response.PipelineExecutionArn)");
  });

  test("refused, naming the argument: waiting for the execution, parameters that are not written out", () => {
    expect(errors(liftRetrain(RETRAIN_TEXT.replace('        region_name="us-east-1",\n    )\n    tell', '        region_name="us-east-1",\n        wait_for_completion=True,\n    )\n    tell')))).toEqual([
      `${RETRAIN}:17:29: error: task 'retrain': waiting for the pipeline execution (wait_for_completion, deferrable) is not lifted: no neutral call waits for StartPipelineExecution`,
    ]);
    expect(errors(liftRetrain(RETRAIN_TEXT.replace('pipeline_params={"InputDay": "{{ params.day }}", "InstanceType": "ml.m5.xlarge"},', 'pipeline_params="{{ var.json.retrain }}",')))).toEqual([
      `${RETRAIN}:15:25: error: task 'retrain': its pipeline_params is not a dict (or a list) written in the file`,
    ]);
  });
});

const MERGE = "glue_start_no_wait.py";
const MERGE_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", MERGE), "utf8");
const liftMerge = (text = MERGE_TEXT) => airflow.lift!({ file: MERGE, text, given: GIVEN });

describe("GlueJobOperator with wait_for_completion=False", () => {
  test("is a glue StartJobRun call that does not wait: the job, script_args as Arguments, run_job_kwargs beside them; its XCom result (.output) is the run's JobRunId", async () => {
    const r = liftMerge();
    expect(r.diagnostics).toEqual([]);
    const [merge, tell] = r.pipeline!.steps as Array<Extract<Step, { kind: "aws" }>>;
    expect([merge.kind, merge.service, merge.action, merge.wait]).toEqual(["aws", "glue", "StartJobRun", undefined]);
    expect(plain({ kind: "map", entries: merge.request, pos: merge.pos })).toEqual({
      JobName: "merge-events",
      Arguments: { "--day": "${{ params.day }}", "--target": "s3://acme-lake/events/" },
      WorkerType: "G.1X",
      NumberOfWorkers: 4,
    });
    expect(plain(tell.request.Message)).toBe("${{ steps.merge.response.JobRunId }}");
    // Step Functions: the request-response integration, which returns the API's response; the run id read from it.
    const def = await lowerSfn(r.pipeline!);
    expect(def.States.merge).toMatchObject({ Resource: "arn:aws:states:::glue:startJobRun", Parameters: { JobName: "merge-events", "Arguments": { "--day.$": "$.params.day", "--target": "s3://acme-lake/events/" }, WorkerType: "G.1X", NumberOfWorkers: 4 } });
    expect(def.States.tell.Parameters["Message.$"]).toBe("$.steps.merge.response.JobRunId");
  });

  test("a GlueJobOperator that waits (the default, or deferrable) or that creates or updates the job first stays a glue step", () => {
    const told = MERGE_TEXT.replace("message=merge.output,", 'message="merged",');
    const kindOf = (text: string) => liftMerge(text).pipeline?.steps[0].kind;
    expect(kindOf(told)).toBe("aws");
    expect(kindOf(told.replace("        wait_for_completion=False,\n", ""))).toBe("glue");
    expect(kindOf(told.replace("        wait_for_completion=False,", "        wait_for_completion=False,\n        deferrable=True,"))).toBe("glue");
    expect(kindOf(told.replace("        wait_for_completion=False,", '        wait_for_completion=False,\n        script_location="s3://acme-glue/merge.py",'))).toBe("glue");
    // Reading the run id of one that waits is refused: a glue step names no run.
    expect(errors(liftMerge(MERGE_TEXT.replace("        wait_for_completion=False,\n", "")))).toEqual([`${MERGE}:21:17: error: a glue step has no 'arn': steps.merge.arn`]);
  });
});

const SESSIONS = "glue_job_sensor.py";
const SESSIONS_TEXT = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", SESSIONS), "utf8");
const liftSessions = (text = SESSIONS_TEXT) => airflow.lift!({ file: SESSIONS, text, given: GIVEN });

describe("a GlueJobSensor watching the run a GlueJobOperator started", () => {
  test("is lifted into that glue step, which waits within the sensor's timeout; the STOPPED difference on Airflow is said; the tasks after the sensor follow the step", async () => {
    const r = liftSessions();
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      `${SESSIONS}:22:5: warning: task 'wait_for_run': the GlueJobSensor watching the job run 'submit' starts is lifted into that step, which waits for it (for at most 3600 s, the sensor's timeout); the tasks after the sensor follow the step`,
      `${SESSIONS}:22:5: warning: task 'wait_for_run': the GlueJobSensor fails when the run ends STOPPED; the lifted glue step fails so on Step Functions, but on Airflow it waits as GlueJobOperator does, which takes STOPPED as done`,
    ]);
    const [submit, tell] = r.pipeline!.steps;
    expect([submit.id, submit.kind, submit.timeout, submit.targets]).toEqual(["submit", "glue", 3600, {}]);
    expect(plain((submit as Extract<Step, { kind: "glue" }>).job)).toBe("sessionize-events");
    expect(tell.depends_on).toEqual(["submit"]);
    const def = await lowerSfn(r.pipeline!);
    expect(def.States.submit).toMatchObject({ Resource: "arn:aws:states:::glue:startJobRun.sync", TimeoutSeconds: 3600, Parameters: { JobName: "sessionize-events", Arguments: { "--day.$": "$.params.day" } } });
    // Deferred, the sensor looks max_retries times (60 by default), poke_interval apart.
    const deferred = liftSessions(SESSIONS_TEXT.replace("        timeout=3600,\n", "        deferrable=True,\n        max_retries=30,\n"));
    expect(errors(deferred)).toEqual([]);
    expect(deferred.pipeline!.steps[0].timeout).toBe(1800);
  });

  test("a sensor on another job, or that may skip (soft_fail), is refused as before", () => {
    const asSensor = `${SESSIONS}:22:5: error: task 'wait_for_run': GlueJobSensor has no neutral step kind (it watches a job another task started; start that job with wait_for_completion=True instead), so the DAG cannot be lifted as a whole`;
    expect(errors(liftSessions(SESSIONS_TEXT.replace("        job_name=JOB,\n        run_id", '        job_name="other-job",\n        run_id')))).toEqual([asSensor]);
    expect(errors(liftSessions(SESSIONS_TEXT.replace("        timeout=3600,", "        timeout=3600,\n        soft_fail=True,")))).toEqual([
      `${SESSIONS}:28:19: error: task 'wait_for_run': soft_fail skips the sensor (and what follows it) when the job run it watches does not end in time, where the glue step it is lifted into fails`,
    ]);
  });
});

describe("EmrCreateJobFlowOperator and EmrTerminateJobFlowOperator, around the steps an EmrAddStepsOperator adds", () => {
  test("create is an emr RunJobFlow of job_flow_overrides, its XCom result (.output, xcom_pull) the response's JobFlowId; terminate is a TerminateJobFlows of that one cluster", () => {
    const r = liftCluster();
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `${CLUSTER}:39:5: warning: task 'create_cluster': the operator starts from the extra of Airflow connection 'emr_default' where the environment has it, and sets job_flow_overrides over it; the lifted step sends job_flow_overrides alone`,
      `${CLUSTER}:41:5: warning: task 'watch_step': the EmrStepSensor watching the step 'add_step' adds is lifted into that step, which waits for it (for at most 7200 s, the sensor's timeout); the tasks after the sensor follow the step`,
    ]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}:${s.kind}:${s.depends_on}`)).toEqual(["create_cluster:aws:", "add_step:emr:create_cluster", "terminate_cluster:aws:add_step"]);
    const create = steps[0] as Extract<Step, { kind: "aws" }>;
    expect([create.service, create.action, create.wait]).toEqual(["emr", "RunJobFlow", undefined]);
    expect(plain({ kind: "map", entries: create.request, pos: create.pos })).toEqual({
      Name: "features-${{ params.day }}",
      ReleaseLabel: "emr-7.1.0",
      Applications: [{ Name: "Spark" }],
      Instances: {
        InstanceGroups: [
          { Name: "primary", Market: "ON_DEMAND", InstanceRole: "MASTER", InstanceType: "m5.xlarge", InstanceCount: 1 },
          { Name: "core", Market: "SPOT", InstanceRole: "CORE", InstanceType: "m5.xlarge", InstanceCount: 2 },
        ],
        KeepJobFlowAliveWhenNoSteps: true,
        TerminationProtected: false,
      },
      JobFlowRole: "EMR_EC2_DefaultRole",
      ServiceRole: "EMR_DefaultRole",
      Tags: [{ Key: "team", Value: "features" }],
    });
    // `create_cluster.output` (the add step's and the sensor's cluster) and xcom_pull(task_ids='create_cluster') (terminate's) read the same member.
    expect(plain((steps[1] as Extract<Step, { kind: "emr" }>).cluster_id)).toBe("${{ steps.create_cluster.response.JobFlowId }}");
    const terminate = steps[2] as Extract<Step, { kind: "aws" }>;
    expect([terminate.service, terminate.action]).toEqual(["emr", "TerminateJobFlows"]);
    expect(plain({ kind: "map", entries: terminate.request, pos: terminate.pos })).toEqual({ JobFlowIds: ["${{ steps.create_cluster.response.JobFlowId }}"] });
    // Without a connection to start from, nothing is said.
    const none = liftCluster(CLUSTER_TEXT.replace('JOB_FLOW_OVERRIDES, region_name="us-east-1")', 'JOB_FLOW_OVERRIDES, emr_conn_id=None, region_name="us-east-1")'));
    expect(none.diagnostics.filter((d) => d.code === "lift-call")).toEqual([]);
    expect(errors(none)).toEqual([]);
    // The examples' terminate that runs whatever the step did (all_done): Airflow's own setting, said for the other targets.
    const always = liftCluster(CLUSTER_TEXT.replace('        region_name="us-east-1",\n    )', '        region_name="us-east-1",\n        trigger_rule="all_done",\n    )'));
    expect(errors(always)).toEqual([]);
    expect(always.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toContain(
      `${CLUSTER}:48:5: warning: task 'terminate_cluster': trigger_rule is kept as Airflow settings (targets.airflow); other targets do not apply it`,
    );
    expect(stripPositions(always.pipeline!.steps[2].targets)).toEqual({ airflow: { settings: { trigger_rule: "all_done" } } });
  });

  test("refused, naming the argument: waiting for the cluster to start or to end, overrides that are not a dict written in the file", () => {
    expect(errors(liftCluster(CLUSTER_TEXT.replace('job_flow_overrides=JOB_FLOW_OVERRIDES, region_name="us-east-1")', 'job_flow_overrides=JOB_FLOW_OVERRIDES, wait_for_completion=True, region_name="us-east-1")')))).toEqual([
      `${CLUSTER}:39:132: error: task 'create_cluster': waiting for the cluster (wait_for_completion, wait_policy, deferrable) is not lifted: the provider's waiter takes RUNNING and TERMINATED as done, where a neutral RunJobFlow that waits takes WAITING alone`,
    ]);
    expect(errors(liftCluster(CLUSTER_TEXT.replace("job_flow_overrides=JOB_FLOW_OVERRIDES,", 'job_flow_overrides="{{ var.value.cluster }}",')))).toEqual([
      `${CLUSTER}:39:92: error: task 'create_cluster': its job_flow_overrides is not a dict written in the file (a text is read as a Python literal when the task runs)`,
    ]);
    expect(errors(liftCluster(CLUSTER_TEXT.replace("        region_name=\"us-east-1\",\n    )", "        region_name=\"us-east-1\",\n        wait_for_completion=True,\n    )")))).toEqual([
      `${CLUSTER}:52:29: error: task 'terminate_cluster': wait_for_completion is no argument of EmrTerminateJobFlowOperator, which waits when deferrable`,
    ]);
  });

  test("a deferrable terminate waits until the cluster is TERMINATED, at most waiter_max_attempts × waiter_delay: Step Functions' terminateCluster.sync, Airflow polling DescribeCluster", async () => {
    const deferred = (extra: string) => liftCluster(CLUSTER_TEXT.replace("        region_name=\"us-east-1\",\n    )", `        region_name="us-east-1",\n${extra}    )`));
    const r = deferred("        deferrable=True,\n");
    expect(errors(r)).toEqual([]);
    const terminate = r.pipeline!.steps[2] as Extract<Step, { kind: "aws" }>;
    expect([terminate.action, terminate.wait, terminate.timeout]).toEqual(["TerminateJobFlows", true, 1200]);
    expect((deferred("        deferrable=True,\n        waiter_delay=30,\n        waiter_max_attempts=10,\n").pipeline!.steps[2] as Extract<Step, { kind: "aws" }>).timeout).toBe(300);
    expect(errors(deferred("        deferrable=DEFER,\n"))).toEqual([`${CLUSTER}:52:20: error: task 'terminate_cluster': deferrable is not True or False written in the file`]);
    const def = await lowerSfn(r.pipeline!);
    expect(def.States.terminate_cluster).toMatchObject({ Resource: "arn:aws:states:::elasticmapreduce:terminateCluster.sync", TimeoutSeconds: 1200, Parameters: { "ClusterId.$": "$.steps.create_cluster.response.JobFlowId" } });
    const dag = dagText(r.pipeline!, { airflow: "2" });
    expect(dag).toContain('"DescribeCluster"');
    expect(dag).toContain('"TERMINATED_WITH_ERRORS"');
  });

  test("lowered to Step Functions: the cluster started with aws-sdk:emr:runJobFlow (createCluster returns {ClusterId}, and its JobFlowId is read), the step added to it and the same cluster terminated", async () => {
    const p = liftCluster().pipeline!;
    const sfn = (await import("../../../backends/stepfunctions/index.js")).default.lower(p, { baseDir: ".", options: {} });
    expect(sfn.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(sfn.files.find((f) => f.kind === "definition")!.contents);
    expect(def.States.create_cluster.Resource).toBe("arn:aws:states:::aws-sdk:emr:runJobFlow");
    expect(def.States.add_step.Resource).toBe("arn:aws:states:::elasticmapreduce:addStep.sync");
    expect(def.States.terminate_cluster).toMatchObject({ Resource: "arn:aws:states:::elasticmapreduce:terminateCluster", Parameters: { "ClusterId.$": "$.steps.create_cluster.response.JobFlowId" } });
    const { aslValidator, run } = await import("../stepfunctions/support.js");
    expect(aslValidator(def).errors).toEqual([]);
    // Executed: the cluster the call returns is the one the step is added to and the one terminated.
    const out = await run(def, { day: "2025-03-04" }, {
      create_cluster: (i) => (i.Name === "features-2025-03-04" ? { JobFlowId: "j-2AXXXXXXGAPLF", ClusterArn: "arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-2AXXXXXXGAPLF" } : { JobFlowId: "wrong name" }),
      add_step: () => ({}),
      terminate_cluster: () => ({}),
    });
    expect(out.status).toBe("SUCCEEDED");
    expect([out.inputs.add_step[0].ClusterId, out.inputs.terminate_cluster[0]]).toEqual(["j-2AXXXXXXGAPLF", { ClusterId: "j-2AXXXXXXGAPLF" }]);
    // Lowered again for Airflow: one call each, the terminate reading the cluster the start returned.
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain('return sy_aws(\n        "emr",\n        "RunJobFlow",');
    expect(dag).toContain('"TerminateJobFlows"');
    expect(dag).not.toContain("EmrCreateJobFlowOperator");
  });
});

interface OperatorCase {
  file: string;
  text: string;
  p: Pipeline;
}

/**
 * Airflow 2 and moto for these cases' lifted DAGs; the function returned runs a case's original file, then its
 * lifted DAG (dag.test()), against moto seeded as `spec` says. (An environment runs 14 at most: more have hung.)
 */
function originalAndLiftedRuns(cases: OperatorCase[]) {
  const env = airflowWithMoto("2", () => Object.fromEntries(cases.map((c) => [`${c.p.name}.py`, dagText(c.p, { airflow: "2" })])), 10 * 60 * 1000);
  return (c: OperatorCase, spec: () => Record<string, unknown>, state = "success"): any[] => {
    mkdirSync(join(env.af.home, "original"), { recursive: true });
    writeFileSync(join(env.af.home, "original", c.file), c.text);
    return [join(env.af.home, "original", c.file), join(env.af.home, "dags", `${c.p.name}.py`)].map((dag) => {
      const file = join(env.af.home, "spec.json");
      writeFileSync(file, JSON.stringify({ endpoint: env.moto.url, region: c.p.region, line: "2", logical_date: "2026-02-03T04:05:06+00:00", ...spec() }));
      const r = env.af.check(["run", dag, file], motoEnv(env.moto.url, c.p.region));
      expect(r.state, JSON.stringify(r.tasks)).toBe(state);
      return r;
    });
  };
}

/** The original DAG file and the lifted pipeline's DAG, each run in the same Airflow and moto: what each run gives. */
describe("Airflow 2 against moto: each original DAG and its lifted DAG", () => {
  const cases = {
    sns: { file: FILE, text: TEXT, p: lift().pipeline! },
    athena: { file: ATHENA, text: ATHENA_TEXT, p: liftAthena().pipeline! },
    start: { file: START, text: START_TEXT, p: liftStart().pipeline! },
    sensor: { file: SENSOR, text: SENSOR_TEXT, p: liftSensor().pipeline! },
    emr: { file: EMR, text: EMR_TEXT, p: liftEmr().pipeline! },
    cluster: { file: CLUSTER, text: CLUSTER_START_STOP, p: liftCluster(CLUSTER_START_STOP).pipeline! },
    retrain: { file: RETRAIN, text: RETRAIN_TEXT, p: liftRetrain().pipeline! },
    // Lifted from a deferrable terminate, which waits; the original run is the same DAG not deferred (deferring needs a triggerer and aiobotocore).
    clusterWait: { file: CLUSTER, text: CLUSTER_START_STOP, p: { ...liftCluster(CLUSTER_START_STOP.replace("        region_name=\"us-east-1\",\n    )", "        region_name=\"us-east-1\",\n        deferrable=True,\n    )")).pipeline!, name: "emr_cluster_wait" } },
  };
  const runBoth = originalAndLiftedRuns(Object.values(cases));

  test(
    "SnsPublishOperator: both publish the same messages to the topic (the provider's MessageStructure json carries the one message a plain Publish does)",
    () => {
      // A queue of its own each run: each run reads only its own messages.
      const runs = runBoth(cases.sns, () => ({ topics: [{ name: "model-events", queue: `seen-${Math.random().toString(36).slice(2)}` }] }));
      const [before, after] = runs.map((r) => (r.published["model-events"] as Array<{ Message: string; Subject: string }>).map(({ Message, Subject }) => ({ Message, Subject })));
      expect(before).toEqual([
        { Message: "scoring", Subject: null },
        { Message: "scored churn in manual__2026-02-03T04:05:06+00:00", Subject: "scores" },
      ]);
      expect(after).toEqual(before);
    },
    10 * 60 * 1000,
  );

  test(
    "AthenaOperator: both run the same query, in the same database and catalog, to the same output location and workgroup, and wait for it to succeed",
    () => {
      // moto keeps every query: each run's are those the run before did not list.
      const [before, after] = runBoth(cases.athena, () => ({ athena: true })).map((r) => r.athena as Array<{ id: string }>);
      const strip = (qs: Array<{ id: string }>) => qs.map(({ id: _id, ...q }) => q);
      expect(strip(before)).toEqual([
        { query: "SELECT region, count(*) FROM scores GROUP BY region", context: { Database: "analytics", Catalog: "AwsDataCatalog" }, output: "s3://acme-athena/results/", workgroup: "primary", state: "SUCCEEDED" },
      ]);
      expect(strip(after.filter((q) => !before.some((b) => b.id === q.id)))).toEqual(strip(before));
    },
    10 * 60 * 1000,
  );

  test(
    "StepFunctionStartExecutionOperator: each starts one execution of the machine with the same input",
    () => {
      const [before, after] = runBoth(cases.start, () => ({ state_machines: ["train"] })).map((r) => (r.executions.train as Array<{ input: unknown }>).map((e) => e.input));
      expect(before).toEqual([{ model: "churn", epochs: 3 }]);
      // moto keeps the first run's execution beside the second's.
      expect(after).toEqual([...before, { model: "churn", epochs: 3 }]);
    },
    10 * 60 * 1000,
  );

  test(
    "EmrServerlessStartJobOperator: each starts one job run on the application, with the same driver, name, role and overrides, and waits for it to succeed",
    () => {
      // A new application each run (the run's conf names it), so each run's job runs are its own.
      const runs = runBoth(cases.emr, () => ({ emr_applications: [{ name: "spark", conf: "app" }] }));
      for (const r of runs) expect(r.tasks).toEqual({ aggregate: "success" });
      const [before, after] = runs.map((r) => r.emr_job_runs);
      expect(before).toEqual([
        {
          name: "aggregate-2025-01-01",
          executionRole: "arn:aws:iam::111122223333:role/emr-serverless-jobs",
          jobDriver: { sparkSubmit: { entryPoint: "s3://spark-jobs/aggregate.py", entryPointArguments: ["--day", "2025-01-01"], sparkSubmitParameters: "--conf spark.executor.memory=4g" } },
          configurationOverrides: { monitoringConfiguration: { s3MonitoringConfiguration: { logUri: "s3://spark-jobs/logs/" } } },
          state: "SUCCESS",
        },
      ]);
      expect(after).toEqual(before);
    },
    10 * 60 * 1000,
  );

  test(
    "EmrCreateJobFlowOperator and EmrTerminateJobFlowOperator: each starts one cluster as job_flow_overrides says, and terminates that cluster",
    () => {
      // moto keeps every cluster: each run's is the one the run before did not list.
      const [before, after] = runBoth(cases.cluster, () => ({ emr_clusters: true })).map((r) => r.emr_clusters as Array<{ id: string }>);
      const strip = (cs: Array<{ id: string }>) => cs.map(({ id: _id, ...c }) => c);
      expect(strip(before)).toEqual([
        {
          name: "features-2025-01-01",
          release: "emr-7.1.0",
          applications: ["Spark"],
          groups: [
            { name: "core", role: "CORE", type: "m5.xlarge", count: 2, market: "SPOT" },
            { name: "primary", role: "MASTER", type: "m5.xlarge", count: 1, market: "ON_DEMAND" },
          ],
          roles: ["EMR_DefaultRole", "EMR_EC2_DefaultRole"],
          tags: [["team", "features"]],
          state: "TERMINATED",
        },
      ]);
      expect(strip(after.filter((c) => !before.some((b) => b.id === c.id)))).toEqual(strip(before));
    },
    10 * 60 * 1000,
  );

  test(
    "a deferrable EmrTerminateJobFlowOperator lifted: the lifted task terminates the cluster and waits until DescribeCluster says TERMINATED, then succeeds",
    () => {
      expect((cases.clusterWait.p.steps.find((x) => x.id === "terminate_cluster") as Extract<Step, { kind: "aws" }>).wait).toBe(true);
      const [before, after] = runBoth(cases.clusterWait, () => ({ emr_clusters: true })).map((r) => r.emr_clusters as Array<{ id: string; state: string }>);
      expect(after.filter((c) => !before.some((b) => b.id === c.id)).map((c) => c.state)).toEqual(["TERMINATED"]);
    },
    10 * 60 * 1000,
  );

  test(
    "SageMakerStartPipelineOperator: each starts one execution of the pipeline, with the same display name and parameters, and the next task reads that execution's ARN",
    () => {
      const runs = runBoth(cases.retrain, () => ({ sagemaker_pipelines: ["churn-training"], topics: [{ name: "model-events", queue: `seen-${Math.random().toString(36).slice(2)}` }] }));
      // moto keeps every execution: each run's is the one the run before did not list.
      const [before, after] = runs.map((r) => r.pipeline_executions["churn-training"] as Array<{ arn: string; display: string; parameters: unknown }>);
      const started = [before, after.filter((e) => !before.some((b) => b.arn === e.arn))];
      for (const [i, mine] of started.entries()) {
        expect(mine.map(({ arn: _arn, ...e }) => e)).toEqual([
          { display: "retrain-2025-01-01", parameters: [{ Name: "InputDay", Value: "2025-01-01" }, { Name: "InstanceType", Value: "ml.m5.xlarge" }] },
        ]);
        expect((runs[i].published["model-events"] as Array<{ Message: string }>).map((m) => m.Message)).toEqual([`started ${mine[0].arn}`]);
      }
    },
    10 * 60 * 1000,
  );

  test(
    "S3KeySensor: while only a longer key starts with the marker both wait out their timeout and fail; once the marker is there both go on",
    () => {
      const topic = () => [{ name: "model-events", queue: `seen-${Math.random().toString(36).slice(2)}` }];
      const waiting = runBoth(cases.sensor, () => ({ objects: [{ uri: "s3://acme-landing/daily/_SUCCESS.tmp", body: "" }], topics: topic() }), "failed");
      for (const r of waiting) expect(r.tasks).toEqual({ landed: "failed", tell: "upstream_failed" });
      const landed = runBoth(cases.sensor, () => ({ objects: [{ uri: "s3://acme-landing/daily/_SUCCESS", body: "" }], topics: topic() }));
      for (const r of landed) expect([r.tasks, r.published["model-events"].map((m: { Message: string }) => m.Message)]).toEqual([{ landed: "success", tell: "success" }, ["landed"]]);
    },
    10 * 60 * 1000,
  );
});

/** Glue jobs started from Airflow, with a moto server of their own (its job runs and topic subscriptions apart from the other operators'). */
describe("Airflow 2 against moto: Glue, the original DAG and its lifted DAG", () => {
  const cases = {
    merge: { file: MERGE, text: MERGE_TEXT, p: liftMerge().pipeline! },
    sessions: { file: SESSIONS, text: SESSIONS_TEXT, p: liftSessions().pipeline! },
  };
  const runBoth = originalAndLiftedRuns(Object.values(cases));

  test(
    "GlueJobOperator that does not wait: each starts one run of the job with the same arguments and workers, and the next task publishes that run's id",
    () => {
      const runs = runBoth(cases.merge, () => ({ glue_jobs: ["merge-events"], topics: [{ name: "model-events", queue: `seen-${Math.random().toString(36).slice(2)}` }] }));
      // moto keeps every run: each DAG run's is the one the run before did not list.
      const [before, after] = runs.map((r) => r.glue_job_runs["merge-events"] as Array<{ id: string }>);
      const started = [before, after.filter((e) => !before.some((b) => b.id === e.id))];
      for (const [i, mine] of started.entries()) {
        expect(mine.map(({ id: _id, ...e }) => e)).toEqual([{ arguments: { "--day": "2025-01-01", "--target": "s3://acme-lake/events/" }, worker_type: "G.1X", workers: 4 }]);
        expect((runs[i].published["model-events"] as Array<{ Message: string }>).map((m) => m.Message)).toEqual([mine[0].id]);
      }
    },
    10 * 60 * 1000,
  );

  test(
    "GlueJobOperator watched by a GlueJobSensor: each starts one run of the job with the same arguments, waits for it to succeed, then publishes",
    () => {
      const runs = runBoth(cases.sessions, () => ({ glue_jobs: ["sessionize-events"], topics: [{ name: "model-events", queue: `seen-${Math.random().toString(36).slice(2)}` }] }));
      expect(runs.map((r) => r.tasks)).toEqual([
        { submit: "success", wait_for_run: "success", tell: "success" },
        { submit: "success", tell: "success" },
      ]);
      const [before, after] = runs.map((r) => r.glue_job_runs["sessionize-events"] as Array<{ id: string }>);
      const started = [before, after.filter((e) => !before.some((b) => b.id === e.id))];
      for (const [i, mine] of started.entries()) {
        expect(mine.map(({ id: _id, ...e }) => e)).toEqual([{ arguments: { "--day": "2025-01-01" }, worker_type: null, workers: null }]);
        expect((runs[i].published["model-events"] as Array<{ Message: string }>).map((m) => m.Message)).toEqual(["sessions rebuilt for 2025-01-01"]);
      }
    },
    10 * 60 * 1000,
  );
});

/** Operators that start a task or a job without waiting for it (moto never ends them): the same start, each way; and a message sent to a queue. */
describe("Airflow 2 against moto: ECS, Batch, SQS and an EMR Serverless delete, the original DAG and its lifted DAG", () => {
  const jobs = {
    emrDelete: { file: DELETE, text: DELETE_TEXT, p: liftDelete().pipeline! },
    daySensor: { file: "s3_day_sensor.py", text: DAY_SENSOR_TEXT, p: liftSensor(DAY_SENSOR_TEXT).pipeline! },
    ecs: { file: ECS, text: ECS_STARTED, p: liftEcs(ECS_STARTED).pipeline! },
    batch: { file: BATCH, text: BATCH_SUBMITTED, p: liftBatch(BATCH_SUBMITTED).pipeline! },
    sqs: { file: SQS, text: SQS_TEXT, p: liftSqs().pipeline! },
  };
  const runBoth = originalAndLiftedRuns(Object.values(jobs));

  test(
    "EcsRunTaskOperator: each runs one task of the same definition on the cluster, with the same overrides, startedBy, launch type, group and tags",
    () => {
      const spec = () => ({ ecs: { cluster: "batch", family: "score", container: "main" } });
      const [before, after] = runBoth(jobs.ecs, spec).map((r) => r.ecs_tasks as Array<Record<string, unknown>>);
      const strip = (ts: Array<Record<string, unknown>>) => ts.map(({ taskArn: _a, ...t }) => t);
      expect(strip(before)).toEqual([
        {
          taskDefinitionArn: "arn:aws:ecs:eu-west-1:111122223333:task-definition/score:1",
          overrides: { containerOverrides: [{ name: "main", command: ["python", "score.py", "--day", "2025-01-01"] }] },
          startedBy: "airflow",
          launchType: "FARGATE",
          group: "nightly-scoring",
          tags: [{ key: "job", value: "scoring" }, { key: "team", value: "ml" }],
        },
      ]);
      // moto keeps the first run's task beside the second's.
      expect(strip(after.filter((t) => !before.some((b) => b.taskArn === t.taskArn)))).toEqual(strip(before));
    },
    10 * 60 * 1000,
  );

  test(
    "BatchOperator: each submits one job to the queue, of the same definition, name, parameters, tags, timeout and command",
    () => {
      const spec = () => ({ batch: { queue: "features-queue", definition: "rebuild-features" } });
      const [before, after] = runBoth(jobs.batch, spec).map((r) => r.batch_jobs as Array<Record<string, unknown>>);
      const strip = (js: Array<Record<string, unknown>>) => js.map(({ jobId: _j, ...x }) => x);
      expect(strip(before)).toEqual([
        {
          jobName: "rebuild-features",
          jobQueue: "arn:aws:batch:eu-west-1:111122223333:job-queue/features-queue",
          jobDefinition: "arn:aws:batch:eu-west-1:111122223333:job-definition/rebuild-features:1",
          parameters: { day: "2025-01-01" },
          tags: { team: "features" },
          timeout: { attemptDurationSeconds: 7200 },
          command: ["python", "rebuild.py", "--day", "2025-01-01"],
        },
      ]);
      expect(strip(after.filter((j) => !before.some((b) => b.jobId === j.jobId)))).toEqual(strip(before));
    },
    10 * 60 * 1000,
  );

  test(
    "EmrServerlessDeleteApplicationOperator: each runs the job, then stops the application and deletes it (moto deletes only a stopped one)",
    () => {
      // A new application each run (the run's conf names it).
      const runs = runBoth(jobs.emrDelete, () => ({ emr_applications: [{ name: "spark", conf: "app" }] }));
      expect(runs.map((r) => r.tasks)).toEqual([
        { job: "success", delete_app: "success" },
        { job: "success", delete_app_stop: "success", delete_app: "success" },
      ]);
      for (const r of runs) expect([r.emr_job_runs.map((j: { state: string }) => j.state), r.emr_application_state]).toEqual([["SUCCESS"], "TERMINATED"]);
    },
    10 * 60 * 1000,
  );

  test(
    "S3KeySensor of a key the run's date names: while only a longer key starts with it both wait out their timeout and fail; once the key is there both go on",
    () => {
      const topic = () => [{ name: "model-events", queue: `seen-${Math.random().toString(36).slice(2)}` }];
      const waiting = runBoth(jobs.daySensor, () => ({ objects: [{ uri: "s3://acme-landing/daily/2026-02-03/_SUCCESS.tmp", body: "" }], topics: topic() }), "failed");
      for (const r of waiting) expect(r.tasks).toEqual({ landed: "failed", tell: "upstream_failed" });
      const landed = runBoth(jobs.daySensor, () => ({ objects: [{ uri: "s3://acme-landing/daily/2026-02-03/_SUCCESS", body: "" }], topics: topic() }));
      for (const r of landed) expect([r.tasks, r.published["model-events"].map((m: { Message: string }) => m.Message)]).toEqual([{ landed: "success", tell: "success" }, ["landed"]]);
    },
    10 * 60 * 1000,
  );

  test(
    "SqsPublishOperator: each sends the same message, with the same attributes, to the queue",
    () => {
      const spec = () => ({ queues: ["scoring-requests"], read_queues: ["scoring-requests"] });
      const [before, after] = runBoth(jobs.sqs, spec).map((r) => r.received["scoring-requests"]);
      expect(before).toEqual([{ body: "score churn", attributes: { model: { DataType: "String", StringValue: "churn" } }, group: null }]);
      expect(after).toEqual(before);
    },
    10 * 60 * 1000,
  );
});
