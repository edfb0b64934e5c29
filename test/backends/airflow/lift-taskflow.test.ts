/**
 * TaskFlow @task functions lifted as function steps: the file written beside
 * the pipeline, the chain of functions run by real Python through the
 * function-step entry point with the arguments every target sends (results
 * read back as JSON, types kept), the CLI writing code and pipeline together,
 * and the refusals that name the task and the line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { printTypeScript } from "../../../src/frontends/typescript/print.js";
import { printYaml } from "../../../src/frontends/yaml/print.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { ROOT } from "../../support/python-env.js";

const CLI = join(ROOT, "dist", "src", "cli.js");
const DAGS = join(ROOT, "fixtures", "corpus", "airflow", "dags");
const lift = (file: string, text = readFileSync(join(DAGS, file), "utf8")) => airflow.lift!({ file, text });
const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);

/** Runs every function step in order as its job would: arguments as sent, results where the next job's input puts them. */
function runFunctions(p: Pipeline, code: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "sy-taskflow-"));
  const script = join(dir, "tasks.py");
  writeFileSync(script, code);
  const results: Record<string, unknown> = {};
  for (const s of p.steps.filter((x): x is Extract<Step, { kind: "processing" }> => x.kind === "processing" && x.command?.[1] === "-c")) {
    const args = s.arguments.map((a) => {
      if (a.kind !== "literal" || typeof a.value !== "string") throw new Error(`step ${s.id}: an argument is not literal`);
      return a.value.replace(/\/opt\/ml\/processing\/input\/(.+?)_result\//, (_, step: string) => `${join(dir, step)}/`);
    });
    execFileSync(s.command![0], [...s.command!.slice(1), script, ...args], { env: { ...process.env, SWITCHYARD_RESULT_DIR: join(dir, s.id) } });
    results[s.id] = JSON.parse(readFileSync(join(dir, s.id, "result.json"), "utf8"));
  }
  return results;
}

describe("TaskFlow functions", () => {
  it("are written, as in the DAG, to one file with the imports and constants they read", () => {
    const r = lift("taskflow_etl_train.py");
    expect(errors(r)).toEqual([]);
    expect(r.files).toEqual([
      {
        path: "taskflow_etl_train_tasks.py",
        contents: `"""TaskFlow functions of an Airflow DAG, each run by a SageMaker processing job."""

import json

MIN_ORDERS = 3


def extract():
    # A day's orders, as the upstream system would hand them over.
    raw = '{"1001": 301.5, "1002": 433.25, "1003": 502.0}'
    return json.loads(raw)


def transform(orders: dict):
    total = 0.0
    for value in orders.values():
        total += value
    return {"total": round(total, 2), "count": len(orders)}


def load(total: float, count: int, currency="EUR"):
    if count < MIN_ORDERS:
        raise ValueError(f"only {count} orders")
    return {"summary": f"{count} orders, {total:.2f} {currency}", "ok": True}
`,
      },
    ]);
    const sha256 = createHash("sha256").update(r.files![0].contents).digest("hex");
    const fns = r.pipeline!.steps.filter((s) => s.kind === "processing" && s.code?.path === "taskflow_etl_train_tasks.py");
    expect(fns.map((s) => [s.id, s.kind === "processing" && s.code?.sha256])).toEqual([
      ["extract", sha256],
      ["transform", sha256],
      ["load", sha256],
    ]);
    // Each function's move off the worker is said, naming the task.
    expect(r.diagnostics.filter((d) => d.code === "lift-taskflow").map((d) => [d.severity, /^task '(\w+)': the TaskFlow function \1 now runs as a SageMaker processing job/.exec(d.message)?.[1]])).toEqual([
      ["warning", "extract"],
      ["warning", "transform"],
      ["warning", "load"],
    ]);
  });

  it("run in a chain with the arguments every target sends: results pass whole or by key, with their JSON types", () => {
    const r = lift("taskflow_etl_train.py");
    expect(runFunctions(r.pipeline!, r.files![0].contents)).toEqual({
      extract: { "1001": 301.5, "1002": 433.25, "1003": 502.0 },
      transform: { total: 1236.75, count: 3 },
      load: { summary: "3 orders, 1236.75 USD", ok: true },
    });
    const af3 = lift("taskflow_multiple_outputs_af3.py");
    expect(errors(af3)).toEqual([]);
    const out = runFunctions(af3.pipeline!, af3.files![0].contents) as Record<string, any>;
    expect(out.score_summary).toEqual({ mean: 0.855, worst: 0.79, n: 4 });
    expect(out.check).toEqual({ metric: "precision", value: 0.855, passed: true });
    expect(out.check_recall).toEqual({ metric: "recall", value: 0.79, passed: true });
    // The float 1.0 written in the DAG stays a float (Python would print 1, not 1.0, for an int).
    expect(out.report).toEqual({ checks: [out.check, out.check_recall], note: { source: "weekly", tags: ["af3", 1.0] } });
    // A plain helper function the task calls is carried with it.
    const clicks = lift("taskflow_clicks_cron.py");
    expect(runFunctions(clicks.pipeline!, clicks.files![0].contents)).toEqual({
      describe_landing: { bucket: "acme-clicks", key: "landing/2025/clicks.parquet", partitioned: true },
      summarize: "trained on acme-clicks/landing/2025/clicks.parquet for 20 epochs",
    });
    const note = af3.pipeline!.steps.find((s) => s.id === "report")!;
    expect(note.kind === "processing" && note.arguments.map((a) => (a.kind === "literal" ? a.value : a.kind)).at(-1)).toBe('json:{"source":"weekly","tags":["af3",1.0]}');
  });

  it("called inside another call, or twice, get Airflow's task ids and the edges of their data", () => {
    const text = `from airflow.decorators import dag, task
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator


@task
def extract():
    return [1, 2]


@task
def total(xs, scale=1.0):
    return sum(xs) * scale


@task
def double(x):
    return 2 * x


@dag(dag_id="nested", schedule=None)
def nested():
    p = SageMakerProcessingOperator(task_id="p", region_name="us-east-1", config={"ProcessingJobName": "p", "RoleArn": "arn:aws:iam::111122223333:role/r", "AppSpecification": {"ImageUri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"}, "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 30}}, "ProcessingOutputConfig": {"Outputs": [{"OutputName": "o", "S3Output": {"S3Uri": "s3://b/o", "LocalPath": "/opt/ml/processing/o", "S3UploadMode": "EndOfJob"}}]}})
    p >> double(total(extract()))
    total([4, 5], scale=0.5)


nested()
`;
    const r = lift("nested.py", text);
    expect(errors(r)).toEqual([]);
    const steps = Object.fromEntries(r.pipeline!.steps.map((s) => [s.id, s]));
    expect(Object.keys(steps).sort()).toEqual(["double", "extract", "p", "total", "total__1"]);
    expect(Object.fromEntries(Object.values(steps).map((s) => [s.id, s.depends_on]))).toEqual({ p: [], extract: [], total: ["extract"], double: ["total", "p"], total__1: [] });
    expect(runFunctions(r.pipeline!, r.files![0].contents)).toEqual({ extract: [1, 2], total: 3, double: 6, total__1: 4.5 });
  });

  it("are refused, naming the task and the line, when they need what only the worker has", () => {
    const head = `import os
from airflow.decorators import dag, task
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator

BUCKET = os.environ["BUCKET"]
`;
    const text = `${head}

@task.docker(image="python:3.12")
def in_docker():
    return 1


@task
def reads_bucket():
    return BUCKET


@task
def reads_missing():
    return missing_name + 1


@dag(dag_id="worker", schedule=None, params={"n": 3})
def worker():
    cut = 3

    @task
    def closure():
        return cut

    @task
    def use(n):
        return n

    p = SageMakerProcessingOperator(task_id="p", region_name="us-east-1", config={"ProcessingJobName": "p", "RoleArn": "arn:aws:iam::111122223333:role/r", "AppSpecification": {"ImageUri": "i"}, "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 30}}, "ProcessingOutputConfig": {"Outputs": [{"OutputName": "o", "S3Output": {"S3Uri": "s3://b/o", "LocalPath": "/opt/ml/processing/o", "S3UploadMode": "EndOfJob"}}]}})
    p >> [in_docker(), reads_bucket(), reads_missing(), closure(), use("{{ params.n }}"), use.override(task_id="use_run")(p.output)]


worker()
`;
    expect(errors(lift("worker.py", text))).toEqual([
      "worker.py:36:11: error: task 'in_docker': a TaskFlow @task.docker function (in_docker, defined at line 9) has no neutral step kind: it runs in a Docker container the worker starts",
      "worker.py:15:12: error: task 'reads_bucket': a TaskFlow @task function (reads_bucket, defined at line 14) uses the module-level name BUCKET (line 5), which is neither an import nor a constant; only module imports, constants and plain functions can be carried with it",
      "worker.py:20:12: error: task 'reads_missing': a TaskFlow @task function (reads_missing, defined at line 19) uses missing_name, which is not defined in the file",
      "worker.py:29:16: error: task 'closure': a TaskFlow @task function (closure, defined at line 28) uses cut from the function it is defined in (line 24); only module imports, constants and plain functions can be carried with it",
      `worker.py:36:72: error: task 'use': argument n is the Jinja template "{{ params.n }}", which Airflow renders on the worker before the call; pass a literal`,
      "worker.py:36:123: error: task 'use_run': argument n is p.output, the whole result (XCom) of task 'p' (SageMakerProcessingOperator), which has no neutral form; only a TaskFlow function's (or a PythonOperator's function's) return value can be passed",
    ]);
  });

  it("are refused when they set what only a Python task has", () => {
    const text = `from airflow.decorators import dag, task


@dag(dag_id="templated", schedule=None)
def templated():
    @task(task_id="log_sql_query", templates_dict={"query": "select 1"})
    def log_sql(templates_dict=None):
        return templates_dict["query"]

    log_sql()


templated()
`;
    expect(errors(lift("templated.py", text))).toEqual([
      `templated.py:6:51: error: task 'log_sql_query': a TaskFlow @task function (log_sql, defined at line 7) sets templates_dict, which renders templates into the Airflow context; a processing job has no counterpart`,
      "templated.py:7:5: error: task 'log_sql_query': a TaskFlow @task function (log_sql, defined at line 7) takes the Airflow context variable templates_dict, which the processing job does not have",
    ]);
  });

  it("are refused at the helper's line when a helper they call reads what cannot be carried", () => {
    const text = `import logging

from airflow.decorators import dag, task

log = logging.getLogger(__name__)


def note(x):
    log.info(x)
    return x


@dag(dag_id="helper", schedule=None)
def helper():
    @task
    def noted():
        return note(1)

    noted()


helper()
`;
    expect(errors(lift("helper.py", text))[0]).toBe(
      "helper.py:9:5: error: task 'noted': a TaskFlow @task function (noted, defined at line 16) uses the module-level name log (line 5), which is neither an import nor a constant; only module imports, constants and plain functions can be carried with it",
    );
  });

  it("are refused when their source cannot stand alone (a multi-line string less indented than the function)", () => {
    const text = `from airflow.decorators import dag, task


@dag(dag_id="ml", schedule=None)
def ml():
    @task
    def banner():
        return """first
second"""

    banner()


ml()
`;
    expect(errors(lift("ml.py", text))[0]).toBe(
      "ml.py:7:5: error: task 'banner': a TaskFlow @task function (banner, defined at line 7) cannot be written out on its own (unexpected indent: a multi-line string in it is less indented than the function)",
    );
  });
});

describe("PythonOperator tasks calling functions of the file", () => {
  const GIVEN = { region: "eu-west-1", role: "arn:aws:iam::111122223333:role/ScoringPrep", artifacts: "s3://acme-scoring/prep" };

  it("are function steps as @task calls are: op_args and op_kwargs are the arguments, a task's .output a result passed on, and the functions run give what Python gives", () => {
    const file = "python_operator_callables.py";
    const r = airflow.lift!({ file, text: readFileSync(join(DAGS, file), "utf8"), given: GIVEN });
    expect(errors(r)).toEqual([]);
    const deps = Object.fromEntries(r.pipeline!.steps.map((s) => [s.id, [...s.depends_on].sort()]));
    expect(deps).toEqual({ count_customers: [], check_orders: [], check_refunds: [], summarize: ["check_orders", "check_refunds", "count_customers"] });
    expect(r.files?.map((f) => f.path)).toEqual(["python_operator_callables_tasks.py"]);
    const code = r.files![0].contents;
    expect(code).toContain("THRESHOLD = 0.8");
    expect(code).toContain("def count_rows(table, limit=1000):");
    // By hand: min(500, 9 * 100); 6 and 7 letters times 100 against 300; the first result as sorted JSON text.
    expect(runFunctions(r.pipeline!, code)).toEqual({
      count_customers: { table: "customers", rows: 500 },
      check_orders: { table: "orders", ok: true, threshold: 0.8 },
      check_refunds: { table: "refunds", ok: true, threshold: 0.8 },
      summarize: '{"rows": 500, "table": "customers"}',
    });
    // The DAG's retries (default_args: the pipeline's defaults) and the task's own retries=0 are kept.
    expect(r.pipeline!.defaults.retry?.[0]?.attempts).toBe(2);
    expect(r.pipeline!.steps.map((s) => [s.id, s.retry?.[0]?.attempts])).toEqual([["count_customers", undefined], ["check_orders", undefined], ["check_refunds", undefined], ["summarize", 1]]);
  });

  it("are refused, naming the task and the line, when the function takes the context, its arguments are not written out, or the operator renders templates", () => {
    const text = `from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator


def with_context(**context):
    return context["ds"]


def plain(x):
    return x


def make_kwargs():
    return {"x": 1}


with DAG("refused", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    a = PythonOperator(task_id="a", python_callable=with_context)
    b = PythonOperator(task_id="b", python_callable=plain, op_kwargs=make_kwargs())
    c = PythonOperator(task_id="c", python_callable=plain, op_kwargs={"x": 1}, templates_dict={"day": "{{ ds }}"})
`;
    const r = airflow.lift!({ file: "refused.py", text, given: GIVEN });
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([
      "refused.py:6:1: error: task 'a': the function with_context (defined at line 6) a PythonOperator calls takes **context, which Airflow fills with the task's context; the processing job has no Airflow context",
      "refused.py:20:5: error: task 'b': a PythonOperator is lifted when it calls a function of the file with arguments written out (op_args, op_kwargs), or fails the run with a message (raise AirflowFailException(...))",
      "refused.py:21:95: error: task 'c': the function plain (defined at line 10) a PythonOperator calls sets templates_dict, which renders templates into the Airflow context; a processing job has no counterpart",
    ]);
  });
});

describe("a lifted TaskFlow function printed", () => {
  const comparable = (p: Pipeline | undefined) => p && stripPositions({ ...p, source: undefined });

  it("is `type: function` in YAML and pythonFunction() in TypeScript, and reads back to the same IR", async () => {
    for (const file of ["taskflow_clicks_cron.py", "taskflow_etl_train.py", "taskflow_multiple_outputs_af3.py"]) {
      const r = lift(file);
      expect(errors(r)).toEqual([]);
      const dir = mkdtempSync(join(tmpdir(), "sy-taskflow-print-"));
      writeFileSync(join(dir, r.files![0].path), r.files![0].contents);
      writeFileSync(join(dir, "pipeline.yaml"), printYaml(r.pipeline!));
      writeFileSync(join(dir, "pipeline.ts"), printTypeScript(r.pipeline!));
      for (const printed of ["pipeline.yaml", "pipeline.ts"]) {
        const back = await loadPipelineFile(join(dir, printed));
        expect(back.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d)), `${file} ${printed}`).toEqual([]);
        expect(comparable(back.pipeline), `${file} ${printed}`).toEqual(comparable(r.pipeline));
      }
    }
  });

  it("names the function and its arguments as written; one that reads another's result stays a processing step", () => {
    const r = lift("taskflow_clicks_cron.py");
    const yaml = printYaml(r.pipeline!);
    expect(yaml).toContain(`  describe_landing:
    type: function
    image: sklearn:1.4-2
    instance:
      type: ml.m5.large
    code: taskflow_clicks_cron_tasks.py
    function: describe_landing
    arguments:
      uri: s3://acme-clicks/landing/2025/clicks.parquet
`);
    // \`type: function\` has no way to pass another function's result with its JSON types (the \`file:\` argument).
    expect(yaml).toMatch(/ {2}summarize:\n {4}type: processing\n/);
    const ts = printTypeScript(r.pipeline!);
    expect(ts).toContain(`const describeLanding = pythonFunction("describe_landing", {
  image: "sklearn:1.4-2",
  instance: { type: "ml.m5.large" },
  code: "taskflow_clicks_cron_tasks.py",
  function: "describe_landing",
  arguments: { uri: "s3://acme-clicks/landing/2025/clicks.parquet" },
});`);
    expect(ts).toMatch(/const summarize = processing\("summarize"/);
  });
});

describe("switchyard import of a TaskFlow DAG", () => {
  it("writes the functions' file beside the pipeline, which then compiles for every target", () => {
    const out = mkdtempSync(join(tmpdir(), "sy-taskflow-import-"));
    const dag = join(DAGS, "taskflow_clicks_cron.py");
    const r = spawnSync(process.execPath, [CLI, "import", dag, "--out", join(out, "p", "pipeline.yaml")], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, "p", "taskflow_clicks_cron_tasks.py"), "utf8")).toBe(lift("taskflow_clicks_cron.py").files![0].contents);
    const c = spawnSync(process.execPath, [CLI, "compile", join(out, "p", "pipeline.yaml"), "--target", "all", "--out", join(out, "build")], { encoding: "utf8" });
    expect(c.stderr.split("\n").filter((l) => l.includes("error"))).toEqual([]);
    expect(c.status).toBe(0);
    // The code manifest names the functions' file, so deploying uploads it.
    expect(readFileSync(join(out, "build", "sagemaker", "code-manifest.json"), "utf8")).toContain("taskflow_clicks_cron_tasks.py");
  });

  it("of TaskFlow functions and a Lambda call takes the region, role and artifacts from --region, --role and --artifacts, and compiles for every target", () => {
    const out = mkdtempSync(join(tmpdir(), "sy-taskflow-given-"));
    const dag = join(DAGS, "taskflow_lambda_no_region.py");
    const given = ["--region", "eu-central-1", "--role", "arn:aws:iam::111122223333:role/BatchVerdict", "--artifacts", "s3://acme-scoring/batch-verdict/"];
    const r = spawnSync(process.execPath, [CLI, "import", dag, "--out", join(out, "p", "pipeline.yaml"), ...given], { encoding: "utf8" });
    expect(r.stderr.split("\n").filter((l) => l.includes("error"))).toEqual([]);
    expect(r.status).toBe(0);
    const yaml = readFileSync(join(out, "p", "pipeline.yaml"), "utf8");
    expect(yaml.split("\n").slice(0, 5)).toEqual(["version: 1", "pipeline: batch_verdict", "role: arn:aws:iam::111122223333:role/BatchVerdict", "region: eu-central-1", "artifacts: s3://acme-scoring/batch-verdict"]);
    const c = spawnSync(process.execPath, [CLI, "compile", join(out, "p", "pipeline.yaml"), "--target", "all", "--out", join(out, "build")], { encoding: "utf8" });
    expect(c.stderr.split("\n").filter((l) => l.includes("error"))).toEqual([]);
    expect(c.status).toBe(0);
    const sm = JSON.parse(readFileSync(join(out, "build", "sagemaker", "pipeline.json"), "utf8"));
    expect(sm.Steps.map((s: { Name: string; Type: string }) => [s.Name, s.Type])).toEqual([
      ["load_scores", "Processing"],
      ["verdict", "Processing"],
      ["notify_owners", "Lambda"],
    ]);
    expect(sm.Steps[0].Arguments.RoleArn).toBe("arn:aws:iam::111122223333:role/BatchVerdict");
    expect(readFileSync(join(out, "build", "stepfunctions", "state-machine.asl.json"), "utf8")).toContain('"FunctionName": "batch-verdict-notify"');
    expect(readFileSync(join(out, "build", "airflow", "dags", "batch_verdict.py"), "utf8")).toContain(`REGION = "eu-central-1"`);
    // The functions run as the jobs would, the comprehension's use of a parameter included.
    const withGiven = airflow.lift!({ file: "taskflow_lambda_no_region.py", text: readFileSync(dag, "utf8"), given: { region: "eu-central-1", role: "arn:aws:iam::111122223333:role/BatchVerdict", artifacts: "s3://acme-scoring/batch-verdict" } });
    expect(errors(withGiven)).toEqual([]);
    expect(withGiven.files![0].contents).toBe(readFileSync(join(out, "p", "taskflow_lambda_no_region_tasks.py"), "utf8"));
    expect(runFunctions(withGiven.pipeline!, withGiven.files![0].contents)).toEqual({
      load_scores: { batch: "2025-w01", scores: [0.91, 0.64, 0.88, 0.79] },
      verdict: { batch: "2025-w01", passed: 3, total: 4 },
    });
  });

  it("without them is one error naming what the DAG lacks and the options that give it, and writes nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "sy-taskflow-missing-"));
    const dag = join(DAGS, "taskflow_lambda_no_region.py");
    const r = spawnSync(process.execPath, [CLI, "import", dag, "--out", join(out, "pipeline.yaml")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n").filter((l) => !l.includes("warning:"))).toEqual([
      `${dag}:27:1: error: the DAG gives no AWS region, IAM role or artifacts location: give --region, --role and --artifacts`,
      "  hint: add --region <region> --role arn:aws:iam::<account>:role/<name> --artifacts s3://<bucket>/<prefix> to the command",
      "",
    ]);
    expect(existsSync(join(out, "pipeline.yaml"))).toBe(false);
    // Only what is missing is named.
    const some = spawnSync(process.execPath, [CLI, "import", dag, "--out", join(out, "pipeline.yaml"), "--region", "eu-central-1", "--artifacts", "s3://acme-scoring/v"], { encoding: "utf8" });
    expect(some.status).toBe(1);
    expect(some.stderr).toContain(`${dag}:27:1: error: the DAG gives no IAM role: give --role\n  hint: add --role arn:aws:iam::<account>:role/<name> to the command\n`);
  });

  it("migrates with the same options", () => {
    const out = join(mkdtempSync(join(tmpdir(), "sy-taskflow-migrate-")), "m");
    const dag = join(DAGS, "taskflow_lambda_no_region.py");
    const given = ["--region", "eu-central-1", "--role", "arn:aws:iam::111122223333:role/BatchVerdict", "--artifacts", "s3://acme-scoring/batch-verdict"];
    const without = spawnSync(process.execPath, [CLI, "migrate", dag, "--to", "stepfunctions", "--out", out], { encoding: "utf8" });
    expect(without.status).toBe(1);
    expect(without.stderr).toContain(`${dag}:27:1: error: the DAG gives no AWS region, IAM role or artifacts location: give --region, --role and --artifacts\n`);
    expect(existsSync(out)).toBe(false);
    const r = spawnSync(process.execPath, [CLI, "migrate", dag, "--to", "stepfunctions", "--out", out, ...given], { encoding: "utf8" });
    expect(r.stderr.split("\n").filter((l) => l.includes("error"))).toEqual([]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, "pipeline.yaml"), "utf8")).toContain("region: eu-central-1\n");
    expect(existsSync(join(out, "stepfunctions", "state-machine.asl.json"))).toBe(true);
  });

  it("with an option that differs from the DAG takes the option, and says so", () => {
    const r = airflow.lift!({ file: "taskflow_etl_train.py", text: readFileSync(join(DAGS, "taskflow_etl_train.py"), "utf8"), given: { region: "us-west-2", role: "arn:aws:iam::111122223333:role/OrdersTraining" } });
    expect(errors(r)).toEqual([]);
    expect([r.pipeline!.region, r.pipeline!.role]).toEqual(["us-west-2", "arn:aws:iam::111122223333:role/OrdersTraining"]);
    // The role given is the DAG's own: nothing to say of it.
    expect(r.diagnostics.filter((d) => d.code === "lift-region" || d.code === "lift-role").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "taskflow_etl_train.py:21:1: warning: the pipeline's AWS region is us-west-2 (--region); the file gives eu-west-1 (region_name)",
    ]);
    // The training task keeps the region it named, as its own Airflow setting.
    expect(r.pipeline!.steps.find((s) => s.id === "train")!.targets.airflow?.settings).toMatchObject({ region_name: "eu-west-1" });
  });

  it("refuses ill-formed values and values for a file that is not lifted (usage errors)", () => {
    const dag = join(DAGS, "taskflow_lambda_no_region.py");
    const bad = spawnSync(process.execPath, [CLI, "import", dag, "--role", "BatchVerdict"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.split("\n")[0]).toBe('switchyard: error: --role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not "BatchVerdict"');
    const yaml = spawnSync(process.execPath, [CLI, "import", join(ROOT, "fixtures", "abalone.yaml"), "--to", "ts", "--region", "us-west-2"], { encoding: "utf8" });
    expect(yaml.status).toBe(2);
    expect(yaml.stdout).toBe("");
    expect(yaml.stderr.split("\n")[0]).toBe(`switchyard: error: --region: ${join(ROOT, "fixtures", "abalone.yaml")} is a Switchyard pipeline, which says these itself; they are for a file being lifted`);
  });

  it("without --out is a usage error, and writes nothing", () => {
    const cwd = mkdtempSync(join(tmpdir(), "sy-taskflow-stdout-"));
    mkdirSync(join(cwd, "x"));
    const r = spawnSync(process.execPath, [CLI, "import", join(DAGS, "taskflow_clicks_cron.py")], { encoding: "utf8", cwd });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("the lifted pipeline runs code from taskflow_clicks_cron_tasks.py: give --out to write it beside the pipeline");
    expect(existsSync(join(cwd, "taskflow_clicks_cron_tasks.py"))).toBe(false);
  });
});

describe("TaskFlow branches", () => {
  const condition = (p: Pipeline, id: string) => stripPositions(p.steps.find((s) => s.id === id)) as Extract<Step, { kind: "condition" }>;

  it("a @task.branch is a condition step: on a @task function's result passed to it, or on a parameter in a conditional expression", () => {
    const r = airflow.lift!({ file: "taskflow_branch_on_result.py", text: readFileSync(join(DAGS, "taskflow_branch_on_result.py"), "utf8"), given: { role: "arn:aws:iam::111122223333:role/ScoringDrift", artifacts: "s3://acme-scoring/drift" } });
    expect(errors(r)).toEqual([]);
    const p = r.pipeline!;
    expect(condition(p, "refresh_or_keep")).toMatchObject({
      kind: "condition",
      depends_on: ["population_stability"],
      if: { kind: "ref", ref: { scope: "steps", step: "population_stability", attr: "reports", report: "result", path: ["drifted"] } },
      then: ["refresh_model", "tell_or_not"],
      else: ["keep_model"],
    });
    expect(condition(p, "tell_or_not")).toMatchObject({ depends_on: ["refresh_model"], if: { kind: "ref", ref: { scope: "params", name: "announce" } }, then: ["announce_refresh"], else: ["log_refresh"] });
    // The functions as written decide so: their if's true side returns the then branch's first task.
    const source = readFileSync(join(DAGS, "taskflow_branch_on_result.py"), "utf8");
    const body = (name: string) => {
      const lines = source.split("\n");
      const at = lines.findIndex((l) => l.trimStart().startsWith(`def ${name}(`));
      const end = lines.findIndex((l, i) => i > at && /^ {4}\S/.test(l) && !l.trimStart().startsWith("def"));
      return lines.slice(at, end).map((l) => l.slice(4)).join("\n");
    };
    const py = `${body("refresh_or_keep")}\n${body("tell_or_not")}\nimport json\nprint(json.dumps([refresh_or_keep({"drifted": True}), refresh_or_keep({"drifted": False}), tell_or_not({"announce": True}), tell_or_not({"announce": False})]))`;
    expect(JSON.parse(execFileSync("python3", ["-c", py], { encoding: "utf8" }))).toEqual(["refresh_model", "keep_model", "announce_refresh", "log_refresh"]);
  });

  it("a branch's locals, assigned before its if (with an else, or not), are read where the condition names them; `ti = kwargs[\"ti\"]` names ti", () => {
    const text = readFileSync(join(ROOT, "test", "backends", "airflow", "fixtures", "branch_locals.py"), "utf8");
    const r = airflow.lift!({ file: "branch_locals.py", text, given: { role: "arn:aws:iam::111122223333:role/G", artifacts: "s3://acme-g/runs" } });
    expect(errors(r)).toEqual([]);
    const ref = (step: string, attr: string, path: string[], extra: Record<string, string> = {}) => ({ kind: "ref", ref: { scope: "steps", step, attr, ...extra, path } });
    expect(condition(r.pipeline!, "gate")).toMatchObject({
      if: { kind: "compare", op: ">=", left: ref("evaluate", "reports", ["auc"], { report: "result" }), right: { kind: "literal", value: 0.9 } },
      then: ["deploy"],
      else: ["retrain"],
    });
    expect(condition(r.pipeline!, "choose")).toMatchObject({ if: { kind: "compare", op: "==", left: ref("probe", "response", ["status"]), right: { kind: "literal", value: "ok" } }, then: ["deploy2"], else: ["retrain2"] });
    const bad = text.replace('auc = metrics["auc"]', "auc = max(metrics)");
    expect(errors(airflow.lift!({ file: "branch_locals.py", text: bad, given: { role: "arn:aws:iam::111122223333:role/G", artifacts: "s3://acme-g/runs" } }))).toEqual([
      "branch_locals.py:21:11: error: task 'gate': a TaskFlow @task.branch function (gate, defined at line 20) can be lifted only when its locals read parameters or step results; auc is a call to max(...)",
    ]);
  });

  it("what a branch's decision cannot be read from is refused, naming the task", () => {
    const dag = (branch: string, call: string) => `from datetime import datetime

from airflow.decorators import dag, task
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator


@dag(dag_id="branchy", schedule=None, start_date=datetime(2025, 1, 1), catchup=False)
def branchy():
    @task
    def measure():
        return {"ok": True}

${branch}

    probe = LambdaInvokeFunctionOperator(task_id="probe", function_name="probe", region_name="eu-west-1")
    a = LambdaInvokeFunctionOperator(task_id="a", function_name="a", region_name="eu-west-1")
    b = LambdaInvokeFunctionOperator(task_id="b", function_name="b", region_name="eu-west-1")
    probe >> ${call} >> [a, b]


branchy()
`;
    const run = (branch: string, call: string) => errors(airflow.lift!({ file: "branchy.py", text: dag(branch, call), given: { role: "arn:aws:iam::111122223333:role/B", artifacts: "s3://acme-b/runs" } }));
    const decide = '    @task.branch\n    def decide(check):\n        if check["ok"]:\n            return "a"\n        return "b"';
    expect(run(decide, "decide(measure())")).toEqual([]);
    expect(run(decide, "decide(probe.output)")).toEqual([
      "branchy.py:22:21: error: task 'decide': a TaskFlow @task.branch function (decide, defined at line 14) takes check from probe.output, which is not a TaskFlow function's whole result (only such a result, or a value written in the file, is read)",
    ]);
    expect(run(decide, "decide()")).toEqual(["branchy.py:22:14: error: task 'decide': a TaskFlow @task.branch function (decide, defined at line 14) is called without check"]);
    expect(run(decide, "decide(measure(), extra=1)")).toEqual(["branchy.py:22:38: error: task 'decide': a TaskFlow @task.branch function (decide, defined at line 14) has no parameter extra"]);
    expect(run('    @task.branch\n    def decide(check):\n        print(check)\n        if check["ok"]:\n            return "a"\n        return "b"', "decide(measure())")).toEqual([
      "branchy.py:15:9: error: task 'decide': a TaskFlow @task.branch function (decide, defined at line 14) can be lifted only when it is an if/return function; its callable is not of the form 'if <condition>: return <task ids>' (then any 'elif <condition>: return <task ids>') then 'return <task ids>' or 'else: return <task ids>'",
    ]);
  });
});
