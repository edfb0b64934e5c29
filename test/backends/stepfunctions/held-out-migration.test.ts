/**
 * A held-out Airflow DAG moved to Step Functions: `glue_feature_tables_athena.py` gives four Glue
 * jobs `{{ ds }}` under `schedule_interval` (the start of the interval a run covers). Lifted as
 * `import --role --artifacts --region` does and lowered for Step Functions, the machine works the
 * date out in its JSONata Pass state from the scheduled time its schedule hands it, and runs in
 * aws-local-stepfunctions: the run scheduled at 2026-02-04T02:30Z sends each job the date Airflow
 * sends the run for 2026-02-03 (held-out-run.test.ts), then crawls and queries.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { liftHeldOutFile } from "../airflow/support/held-out.js";
import { aslValidator, run, type Handler } from "./support.js";

const TABLES = ["accounts", "subscriptions", "invoices", "support_tickets"];

describe("the held-out Glue DAG moved to Step Functions", () => {
  const lifted = liftHeldOutFile("glue_feature_tables_athena.py");
  const out = backend.lower(lifted.pipeline!, { baseDir: "." });
  const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);

  test("lowers with no error; its schedule hands each run the scheduled time", () => {
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const schedule = JSON.parse(out.files.find((f) => f.kind === "schedule")!.contents);
    expect(schedule).toMatchObject({ ScheduleExpression: "cron(30 2 * * ? *)", Target: { Input: '{"scheduled time":"<aws.scheduler.scheduled-time>"}' } });
    const v = aslValidator(def);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
  });

  test("the run scheduled at 2026-02-04T02:30Z gives each Glue job --run_date 2026-02-03, then crawls and runs both queries", async () => {
    const handlers: Record<string, Handler> = {
      ...Object.fromEntries(TABLES.map((t) => [`curate_${t}`, (i: { JobName: string }) => ({ Id: `jr_${t}`, JobName: i.JobName, JobRunState: "SUCCEEDED" })])),
      crawl_curated: () => ({}),
      "crawl_curated.status": () => ({ Crawler: { Name: "acme-curated-telemetry-crawler", State: "READY", LastCrawl: { Status: "SUCCEEDED" } } }),
      ctas_customer_features: () => ({ QueryExecution: { QueryExecutionId: "q-1", Status: { State: "SUCCEEDED" } } }),
      ctas_plan_features: () => ({ QueryExecution: { QueryExecutionId: "q-2", Status: { State: "SUCCEEDED" } } }),
    };
    const r = await run(def, { "scheduled time": "2026-02-04T02:30:00Z" }, handlers);
    expect(r.status, r.cause).toBe("SUCCEEDED");
    for (const t of TABLES) {
      expect(r.inputs[`curate_${t}`]).toEqual([{ JobName: `acme-curate-${t}`, Arguments: { "--source_table": t, "--target_path": `s3://acme-telemetry-lake/curated/${t}/`, "--run_date": "2026-02-03" } }]);
    }
    // The date is worked out first; the jobs run side by side, then the crawl, then the two queries.
    expect(r.started[0]).toBe("Work out run values");
    expect(r.started.slice(5)).toEqual(["crawl_curated", "crawl_curated.status", expect.stringMatching(/^ctas_/), expect.stringMatching(/^ctas_/)]);
  });
});

/**
 * The held-out EMR Serverless DAG moved to Step Functions: its parse-time `Variable.get` reads with
 * defaults are variables with fallbacks (a GetParameter state each, whose Catch of ParameterNotFound
 * keeps the fallback), `dag_run.conf.get('run_date', ds)` the run's input with the interval's date as
 * fallback, the sensor's key a listing compared with its Prefix, and the delete a stop, then a delete.
 */
describe("the held-out EMR Serverless DAG moved to Step Functions", () => {
  const lifted = liftHeldOutFile("emr_serverless_variables_daily.py");
  const out = backend.lower(lifted.pipeline!, { baseDir: "." });
  const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
  const ROLE = "arn:aws:iam::111122223333:role/AcmeEmrServerlessJob";

  test("lifts and lowers with no error; valid ASL", () => {
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const v = aslValidator(def);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
  });

  /** One run: the SSM parameters `set` holds (the others not set), the listing finding the marker at once. */
  const runWith = async (set: Record<string, string>, input: Record<string, unknown>) => {
    const calls: string[] = [];
    const handlers: Record<string, Handler> = {
      wait_for_export: (i: { Bucket: string; Prefix: string }) => (calls.push(`list s3://${i.Bucket}/${i.Prefix}`), { Prefix: i.Prefix, KeyCount: 1, Contents: [{ Key: i.Prefix }] }),
      // Through the AWS SDK integration, EMR Serverless's camelCase members are sent and answered in PascalCase.
      create_app: (i: { Name: string; ReleaseLabel: string }) => (calls.push(`create ${i.Name} ${i.ReleaseLabel}`), { ApplicationId: "00app1", Name: i.Name, Arn: "arn:aws:emr-serverless:eu-west-1:111122223333:/applications/00app1" }),
      "create_app.status": (i: { ApplicationId: string }) => ({ Application: { ApplicationId: i.ApplicationId, State: "CREATED" } }),
      usage_features: (i: { ApplicationId: string }) => (calls.push(`job usage ${i.ApplicationId}`), { ApplicationId: i.ApplicationId, JobRunId: "run-usage" }),
      billing_features: (i: { ApplicationId: string }) => (calls.push(`job billing ${i.ApplicationId}`), { ApplicationId: i.ApplicationId, JobRunId: "run-billing" }),
      delete_app_stop: (i: { ApplicationId: string }) => (calls.push(`stop ${i.ApplicationId}`), { ApplicationId: i.ApplicationId }),
      delete_app: (i: { ApplicationId: string }) => (calls.push(`delete ${i.ApplicationId}`), {}),
    };
    for (const name of Object.keys(def.States).filter((n) => n.startsWith("Read _variable_or_"))) {
      handlers[name] = (i: { Name: string }) => {
        const v = set[i.Name];
        if (v === undefined) throw Object.assign(new Error(`Parameter ${i.Name} not found.`), { name: "Ssm.ParameterNotFoundException" });
        return { Parameter: { Name: i.Name, Type: "String", Value: v } };
      };
    }
    const r = await run(def, input, handlers);
    expect(r.status, r.cause).toBe("SUCCEEDED");
    return { r, calls };
  };

  test("the run scheduled at 2026-02-04T04:00Z with no variable set: the DAG's defaults and the interval's date, 2026-02-03; the stop before the delete", async () => {
    const { r, calls } = await runWith({}, { "scheduled time": "2026-02-04T04:00:00Z" });
    expect(calls.slice(0, 2)).toEqual(["list s3://acme-scoring-data/exports/dt=2026-02-03/_SUCCESS", "create acme-scoring-features emr-7.1.0"]);
    expect(calls.slice(2, 4).sort()).toEqual(["job billing 00app1", "job usage 00app1"]);
    expect(calls.slice(4)).toEqual(["stop 00app1", "delete 00app1"]);
    expect(r.inputs.usage_features[0]).toEqual({
      ApplicationId: "00app1",
      ExecutionRoleArn: ROLE,
      JobDriver: {
        SparkSubmit: {
          EntryPoint: "s3://acme-scoring-data/jobs/usage_features.py",
          EntryPointArguments: ["--run-date", "2026-02-03", "--window", "28"],
          SparkSubmitParameters: "--conf spark.executor.memory=8g --conf spark.executor.cores=2",
        },
      },
      ConfigurationOverrides: { MonitoringConfiguration: { S3MonitoringConfiguration: { LogUri: "s3://acme-scoring-data/emr-serverless/logs/" } } },
    });
  });

  test("with the variables set and a run_date in the run's input: their values", async () => {
    const { r, calls } = await runWith(
      { "/airflow/variables/acme_scoring_bucket": "acme-scoring-prod", "/airflow/variables/acme_spark_conf": '{"executor_memory": "16g", "executor_cores": "4"}' },
      { "scheduled time": "2026-02-04T04:00:00Z", run_date: "2025-12-31" },
    );
    expect(calls[0]).toBe("list s3://acme-scoring-prod/exports/dt=2025-12-31/_SUCCESS");
    expect(r.inputs.billing_features[0].JobDriver.SparkSubmit).toEqual({
      EntryPoint: "s3://acme-scoring-prod/jobs/billing_features.py",
      EntryPointArguments: ["--run-date", "2025-12-31", "--currency", "EUR"],
      SparkSubmitParameters: "--conf spark.executor.memory=16g --conf spark.executor.cores=4",
    });
    expect(r.inputs.billing_features[0].ExecutionRoleArn).toBe(ROLE);
  });
});
