/**
 * A held-out DAG that lifts, run: `glue_feature_tables_athena.py` (four Glue jobs given `{{ ds }}` under
 * `schedule_interval`, a crawl, two Athena queries) lifted as `import --role --artifacts --region` does,
 * lowered again, and run with dag.test() in real Airflow 2 and 3 against moto. Each Glue job runs once
 * with the original's arguments, the run's date among them; the crawl runs; each query runs on the
 * original's database and output location, from its default_args, which stay the DAG's (Airflow gives
 * them only to the operators that take them). (The original cannot run against moto: GlueCrawlerOperator
 * calls GetCrawlerMetrics, which moto lacks.)
 */
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText } from "./support/fixtures.js";
import { liftHeldOutFile } from "./support/held-out.js";

const FILE = "glue_feature_tables_athena.py";
const TABLES = ["accounts", "subscriptions", "invoices", "support_tickets"];
const lifted = liftHeldOutFile(FILE);

describe("the lifted held-out Glue DAG", () => {
  test("lifts with no error; the schedule has intervals, as Airflow 2 reads schedule_interval", () => {
    expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    expect(lifted.pipeline!.name).toBe("glue_feature_tables_athena");
    expect(lifted.pipeline!.schedule).toMatchObject({ cron: "30 2 * * *", intervals: true });
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: the lifted held-out Glue DAG in real Airflow against moto", (line) => {
  const p = lifted.pipeline!;
  // GetCrawler every second: moto ends the crawl a moment after it starts (airflow_check.py lists its crawls).
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line, "check-interval": "1" }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test() at 2026-02-03: each Glue job runs with the original's arguments and the date, the crawl runs, then both queries",
    () => {
      const r = runDag(env, p, line, { glue_jobs: TABLES.map((t) => `acme-curate-${t}`), glue_crawlers: ["acme-curated-telemetry-crawler"], athena: true });
      expect(r.state).toBe("success");
      expect(r.tasks).toEqual({ ...Object.fromEntries(TABLES.map((t) => [`curate_${t}`, "success"])), crawl_curated: "success", ctas_customer_features: "success", ctas_plan_features: "success" });
      for (const t of TABLES) {
        expect(r.glue_job_runs[`acme-curate-${t}`].map((x: { arguments: unknown }) => x.arguments)).toEqual([{ "--source_table": t, "--target_path": `s3://acme-telemetry-lake/curated/${t}/`, "--run_date": "2026-02-03" }]);
      }
      expect(r.glue_crawls["acme-curated-telemetry-crawler"]).toEqual(["COMPLETED"]);
      // AthenaOperator's own catalog (AwsDataCatalog) and the default_args' database and output location.
      const queries = (r.athena as Array<{ query: string; context: unknown; output: string }>).map((q) => ({ table: /CREATE TABLE IF NOT EXISTS (\w+)/.exec(q.query)?.[1], context: q.context, output: q.output }));
      expect(queries.sort((a, b) => String(a.table).localeCompare(String(b.table)))).toEqual(
        ["feat_customer_daily", "feat_plan_mix"].map((table) => ({ table, context: { Catalog: "AwsDataCatalog", Database: "acme_curated" }, output: "s3://acme-athena-results/feature-refresh/" })),
      );
    },
    DAG_RUN_TIMEOUT,
  );
});
