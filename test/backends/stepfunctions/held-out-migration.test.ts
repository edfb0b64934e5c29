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
