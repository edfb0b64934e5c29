/**
 * A Glue crawl waited for, on Airflow: the task starts the crawl (StartCrawler), then polls GetCrawler until the
 * crawler is READY again, its last crawl FAILED or CANCELLED failing the task, as the Glue crawler_ready waiter
 * (which GlueCrawlerOperator uses) takes it. The DAG lifts back; a GlueCrawlerOperator lifts as the same step,
 * and what it also does (create or update the crawler from a fuller config) is refused by name. In real Airflow
 * against moto, the crawl runs and the run goes on.
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import stepfunctions from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { dagText, lowerFor, taskCalls } from "./support/fixtures.js";

const YAML = `
version: 1
pipeline: crawl-then-notify
region: eu-west-1
artifacts: s3://acme-ml/pipelines
steps:
  crawl:
    type: aws
    service: glue
    action: StartCrawler
    request: { Name: landing-orders }
    wait: true
    timeout: 2h
  after:
    type: aws
    service: sns
    action: Publish
    depends_on: [crawl]
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:crawled
      Message: "crawl \${{ steps.crawl.response.Crawler.LastCrawl.Status }}"
`;

function pipeline(): Pipeline {
  const r = loadYamlText(YAML, "crawl-then-notify.yaml", ".");
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
  return r.pipeline;
}

const errors = (ds: Array<{ severity: string }>) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never).split("\n")[0]);

describe("a crawl waited for, lowered for Airflow", () => {
  const dag = dagText(pipeline());

  test("the task calls sy_aws_wait: GetCrawler by the request's Name, READY ends it, a last crawl FAILED or CANCELLED fails it", () => {
    const { crawl_call } = taskCalls(dag);
    expect(crawl_call.fn).toBe("sy_aws_wait");
    expect(crawl_call.args.slice(0, 4)).toEqual(["glue", "StartCrawler", { Name: "landing-orders" }, {}]);
    expect(crawl_call.args[4]).toEqual({
      describe: "GetCrawler",
      request: { Name: ["request", "Name"] },
      status: ["Crawler", "State"],
      succeeded: ["READY"],
      failed: [],
      outcome: { path: ["Crawler", "LastCrawl", "Status"], failed: ["FAILED", "CANCELLED"] },
      // Every 60 s, the first at once, for the step's two hours.
      interval: 60,
      polls: 121,
    });
  });

  test("the DAG lifts back to the same step, which lowers to the same file", () => {
    const back = airflow.lift!({ file: "crawl-then-notify.py", text: dag, given: { artifacts: "s3://acme-ml/pipelines" } });
    expect(errors(back.diagnostics)).toEqual([]);
    const crawl = stripPositions(back.pipeline!.steps.find((s) => s.id === "crawl")) as Extract<Step, { kind: "aws" }>;
    expect(crawl).toMatchObject({ service: "glue", action: "StartCrawler", request: { Name: { kind: "literal", value: "landing-orders" } }, wait: true, timeout: 7200 });
    expect(dagText(back.pipeline!).replace(/^# IR sha256:.*$/m, "")).toBe(dag.replace(/^# IR sha256:.*$/m, ""));
  });
});

const OPERATOR = (args: string) => `"""Crawl the landing zone, then count what arrived."""
from datetime import datetime

from airflow import DAG
from airflow.providers.amazon.aws.operators.athena import AthenaOperator
from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerOperator

with DAG(dag_id="crawl_then_count", schedule=None, start_date=datetime(2025, 1, 1), catchup=False) as dag:
    crawl = GlueCrawlerOperator(
        task_id="crawl_landing",
${args}
        region_name="eu-west-1",
    )
    count = AthenaOperator(
        task_id="count_rows",
        query="SELECT count(*) FROM landing.orders",
        database="landing",
        output_location="s3://acme-athena/results/",
        region_name="eu-west-1",
    )
    crawl >> count
`;
const liftOperator = (args: string) => airflow.lift!({ file: "crawl_then_count.py", text: OPERATOR(args), given: { artifacts: "s3://acme-ml/pipelines" } });

describe("GlueCrawlerOperator", () => {
  test("with a config of the crawler's Name: a glue StartCrawler that waits, bounded as the waiter is (1,000 looks poll_interval apart)", () => {
    const r = liftOperator(`        config={"Name": "landing-orders"},`);
    expect(errors(r.diagnostics)).toEqual([]);
    const crawl = stripPositions(r.pipeline!.steps[0]) as Extract<Step, { kind: "aws" }>;
    expect(crawl).toMatchObject({ id: "crawl_landing", kind: "aws", service: "glue", action: "StartCrawler", request: { Name: { kind: "literal", value: "landing-orders" } }, wait: true, timeout: 5000 });
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toContain(
      "crawl_then_count.py:9:5: warning: task 'crawl_landing': it looks at its crawler every 5 s; the lifted pipeline looks every 60 s unless compiled with --check-interval 5",
    );
    // Deferred, the trigger looks 1,500 times; not waiting, it only starts the crawl.
    expect((liftOperator(`        config={"Name": "landing-orders"},\n        deferrable=True,\n        poll_interval=60,`).pipeline!.steps[0] as Extract<Step, { kind: "aws" }>).timeout).toBe(90000);
    const started = liftOperator(`        config={"Name": "landing-orders"},\n        wait_for_completion=False,`).pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([started.wait, started.timeout]).toEqual([undefined, undefined]);
  });

  test("a config that would create or update the crawler, and waiting for a crawl already running, are refused by name", () => {
    const r = liftOperator(`        config={"Name": "landing-orders", "Role": "arn:aws:iam::111122223333:role/glue", "Targets": {"S3Targets": [{"Path": "s3://landing/orders/"}]}},\n        fail_on_already_running=False,`);
    expect(errors(r.diagnostics)).toEqual([
      "crawl_then_count.py:11:16: error: task 'crawl_landing': its config also gives Role, Targets: the operator creates the crawler from it, or updates the crawler where it differs, before it starts a crawl, which no neutral call does",
      "crawl_then_count.py:12:33: error: task 'crawl_landing': fail_on_already_running is not True: the operator then waits for a crawl already running instead of failing, which a neutral call does not do",
    ]);
  });

  test("migrates to Step Functions as the call and its GetCrawler loop, every 30 s for the operator's 1,000 looks", () => {
    const r = liftOperator(`        config={"Name": "landing-orders"},\n        poll_interval=30,`);
    const lowered = stepfunctions.lower(r.pipeline!, { baseDir: ".", options: {} });
    expect(errors(lowered.diagnostics)).toEqual([]);
    const def = JSON.parse(lowered.files.find((f) => f.kind === "definition")!.contents);
    expect(def.States.crawl_landing).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:glue:startCrawler", Parameters: { Name: "landing-orders" }, Next: "crawl_landing.status" });
    expect(def.States["crawl_landing.status"]).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:glue:getCrawler", Parameters: { Name: "landing-orders" } });
    expect(def.States["crawl_landing.check"].Choices[1].NumericGreaterThanEquals).toBe(1001);
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: a crawl waited for, in real Airflow against moto", (line) => {
  const p = pipeline();
  // GetCrawler every second: moto ends the crawl a moment after it starts (airflow_check.py lists its crawls).
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line, "check-interval": "1" }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test() starts the crawl, waits until the crawler is READY again, and the step after it reads how the crawl ended",
    () => {
      const spec = join(env.af.home, "spec.json");
      writeFileSync(spec, JSON.stringify({ endpoint: env.moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", glue_crawlers: ["landing-orders"], topics: [{ name: "crawled", queue: `crawled-seen-${line}` }] }));
      const r = env.af.check(["run", join(env.af.home, "dags", `${p.name}.py`), spec], motoEnv(env.moto.url, p.region));
      expect(r.tasks, JSON.stringify(r.errors ?? r)).toEqual({ crawl: "success", after: "success" });
      expect(r.state).toBe("success");
      // The task's result is the final GetCrawler response (moto says COMPLETED where AWS says SUCCEEDED).
      expect(r.xcom.crawl.Crawler).toMatchObject({ Name: "landing-orders", State: "READY", LastCrawl: { Status: "COMPLETED" } });
      expect(r.published.crawled.map((m: { Message: string }) => m.Message)).toEqual(["crawl COMPLETED"]);
      expect(r.glue_crawls["landing-orders"].at(-1)).toBe("COMPLETED");
    },
    DAG_RUN_TIMEOUT,
  );
});
