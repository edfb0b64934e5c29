/**
 * default() on Airflow: the run's input read with a fallback (sy_input_or, which gives the fallback
 * where dag_run.conf has no such part) and a variable with one (`var.value.get(name, fallback)` in
 * templated fields, Variable.get's default in Python). The DAG lifts back to the same calls, and the
 * hand-written forms lift as them: `dag_run.conf.get('k', ds)`, `Variable.get("x", default_var=...)`.
 * In real Airflow 2 and 3 against moto (Variables in SSM Parameter Store), a run started without
 * the conf key or the variable gets the fallbacks, one started with them their values.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import type { Pipeline, Step, Value } from "../../../src/ir/types.js";
import { airflowWithMoto, parameterStoreVariables, runDag } from "./support/airflow.js";
import { dagText, taskCalls } from "./support/fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "sy-input-default-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const YAML = `
version: 1
pipeline: input-defaults
region: eu-west-1
artifacts: s3://example-defaults-artifacts/runs
schedule:
  cron: "30 2 * * *"
steps:
  curate:
    type: glue
    job: input-defaults-curate
    arguments:
      --day: \${{ default(execution.input.run_date, execution.logical_date) }}
      --bucket: \${{ default(variables.acme_bucket, "acme-default-bucket") }}
      --mode: \${{ default(execution.input.options.mode, "incremental") }}
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:input-defaults
      Message: "curated \${{ default(execution.input.run_date, execution.logical_date) }} from \${{ default(variables.acme_bucket, 'acme-default-bucket') }} (\${{ default(execution.input.options.mode, 'incremental') }})"
    depends_on: [curate]
`;

const P: Pipeline = (() => {
  const r = loadYamlText(YAML, join(tmp, "input-defaults.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
})();

const given = { role: "arn:aws:iam::111122223333:role/Pipelines", artifacts: "s3://example-defaults-artifacts/runs", region: "eu-west-1" };
const lift = (text: string, file = "input_defaults.py") => airflow.lift!({ file, text, given });
/** Every default() call in a step's values, as the expression language writes it. */
const defaults = (s: Step): string[] => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== "object") return;
    if ((v as { kind?: string; fn?: string }).kind === "call" && (v as { fn?: string }).fn === "default") out.push(printExpr(v as never));
    for (const x of Object.values(v)) walk(x);
  };
  walk(s);
  return out;
};

describe("default() in the DAG", () => {
  test.each(["2", "3"] as const)("Airflow %s: sy_input_or and var.value.get in Jinja; sy_input_or and sy_variable's default in Python", (line) => {
    const dag = dagText(P, { airflow: line });
    const time = line === "3" ? "dag_run.run_after" : "data_interval_end";
    expect(dag).toContain(`"--day": "{{ sy_input_or(dag_run, ${time} | ds, 'run_date') }}"`);
    expect(dag).toContain(`"--bucket": "{{ var.value.get('acme_bucket', 'acme-default-bucket') }}"`);
    expect(dag).toContain(`"--mode": "{{ sy_input_or(dag_run, 'incremental', 'options', 'mode') }}"`);
    expect(taskCalls(dag).tell_call.args[2]).toBe(
      `{'TopicArn': 'arn:aws:sns:eu-west-1:111122223333:input-defaults', 'Message': sy_cat('curated ', sy_input_or(dag_run, ${time}.strftime('%Y-%m-%d'), 'run_date'), ' from ', sy_variable('acme_bucket', 'acme-default-bucket'), ' (', sy_input_or(dag_run, 'incremental', 'options', 'mode'), ')')}`,
    );
  });

  test.each(["2", "3"] as const)("Airflow %s: the DAG lifts back to the same calls", (line) => {
    const r = lift(dagText(P, { airflow: line }));
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s]));
    const expected = ["default(execution.input.run_date, execution.logical_date)", "default(variables.acme_bucket, 'acme-default-bucket')", "default(execution.input.options.mode, 'incremental')"];
    expect(defaults(byId.get("curate")!)).toEqual(expected);
    expect(defaults(byId.get("tell")!)).toEqual(expected);
  });

  test("hand-written: dag_run.conf.get with and without a fallback, Variable.get's default_var and default, var.value.get's second argument", () => {
    const r = lift(`import pendulum
from airflow import DAG
from airflow.models import Variable
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.operators.sns import SnsPublishOperator

with DAG("conf_defaults", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule="30 2 * * *", catchup=False):
    curate = GlueJobOperator(
        task_id="curate",
        job_name="curate",
        script_args={
            "--day": "{{ dag_run.conf.get('run_date', ds) }}",
            "--mode": "{{ dag_run.conf.get('mode') }}",
            "--bucket": "{{ var.value.get('acme_bucket', 'acme-lake') }}",
        },
        region_name="eu-west-1",
    )
    tell = SnsPublishOperator(
        task_id="tell",
        target_arn="arn:aws:sns:eu-west-1:111122223333:conf-defaults",
        message="{{ dag_run.conf.get('note', 'no note') }}",
        subject=Variable.get("acme_subject", default_var="curated"),
        region_name="eu-west-1",
    )
    curate >> tell
`);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s]));
    expect(defaults(byId.get("curate")!)).toEqual(["default(execution.input.run_date, execution.logical_date)", "default(execution.input.mode, null)", "default(variables.acme_bucket, 'acme-lake')"]);
    expect(defaults(byId.get("tell")!)).toEqual(["default(execution.input.note, 'no note')", "default(variables.acme_subject, 'curated')"]);
    // An operator's argument is worked out when the file is parsed: said; the templates' reads are not.
    expect(r.diagnostics.filter((d) => d.code === "lift-variable").map((d) => d.message.split(" runs ")[0])).toEqual(['Variable.get("acme_subject")']);
  });

  test("read when the file is parsed: Variable.get with defaults in module constants, f-strings of them, a JSON variable's member, lists joined", () => {
    const r = lift(`from airflow import DAG
from airflow.models import Variable
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

SPARK_CONF = Variable.get("acme_spark_conf", deserialize_json=True, default_var={"executor_memory": "8g"})
BUCKET = Variable.get("acme_bucket", default_var="acme-data")


def job(task_id, script, extra):
    return GlueJobOperator(
        task_id=task_id,
        job_name=task_id,
        script_args={
            "--entry": f"s3://{BUCKET}/jobs/{script}",
            "--args": ["--mem", f"{SPARK_CONF['executor_memory']}"] + extra,
            "--conf": "{{ var.json.get('spark_conf', {'a': 1}) }}",
        },
        region_name="eu-west-1",
    )


with DAG("parsed_variables", schedule=None):
    job("usage", "usage.py", ["--window", "28"])
`);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    const args = (r.pipeline!.steps[0] as Extract<Step, { kind: "glue" }>).arguments;
    expect(printTemplate(args["--entry"])).toBe("s3://${{ default(variables.acme_bucket, 'acme-data') }}/jobs/usage.py");
    const list = args["--args"] as Extract<Value, { kind: "list" }>;
    expect(list.items.map((x) => printTemplate(x))).toEqual(["--mem", `\${{ get(parse(default(variables.acme_spark_conf, '{"executor_memory":"8g"}')), 'executor_memory') }}`, "--window", "28"]);
    // A JSON variable's default is its JSON text, parsed as the variable's text would be.
    expect(printExpr(args["--conf"])).toBe(`parse(default(variables.spark_conf, '{"a":1}'))`);
    // Each Variable.get is said once, where it is written: it runs when the file is parsed (the Jinja read, when the task runs, is not).
    const said = "runs when the file is parsed (each time the scheduler parses it), not when a task runs; the lifted pipeline reads the variable when its step runs: the same value unless the variable changes between a parse and the run";
    expect(r.diagnostics.filter((d) => d.code === "lift-variable").map((d) => formatDiagnostic(d))).toEqual([
      `input_defaults.py:6:10: warning: Variable.get("acme_bucket") ${said}\n  hint: Airflow reads a variable when the task runs in a template: {{ var.value.acme_bucket }}`,
      `input_defaults.py:5:14: warning: Variable.get("acme_spark_conf") ${said}\n  hint: Airflow reads a variable when the task runs in a template: {{ var.json.acme_spark_conf }}`,
    ]);
  });

  test("refused by name: a JSON variable's default that is not data written out", () => {
    const r = lift(`import pendulum
from airflow import DAG
from airflow.models import Variable
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

with DAG("conf_defaults", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None, catchup=False):
    GlueJobOperator(
        task_id="curate",
        job_name="curate",
        script_args={"--conf": "{{ var.json.get('spark_conf', dag_run.conf) }}"},
        region_name="eu-west-1",
    )
`);
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `input_defaults.py:10:32: error: task 'curate': cannot read the job arguments: the Jinja expression {{ var.json.get("spark_conf", dag_run.conf) }} in "{{ var.json.get('spark_conf', dag_run.conf) }}", which has no neutral form`,
    ]);
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: default() in real Airflow against moto", (line) => {
  const env = airflowWithMoto(line, () => ({ [`${P.name}.py`]: dagText(P, { airflow: line }) }), DAG_RUN_TIMEOUT);
  const spec = (extra: Record<string, unknown>) => ({ glue_jobs: ["input-defaults-curate"], topics: [{ name: "input-defaults", queue: "input-defaults-seen" }], ...extra });

  test(
    "without the conf's keys and the variable: the fallbacks (the run's date, the texts written out)",
    () => {
      const r = runDag(env, P, line, spec({ ssm_parameters: {} }), parameterStoreVariables(env.moto.url, P.region));
      expect(r.tasks).toEqual({ curate: "success", tell: "success" });
      expect(r.glue_job_runs["input-defaults-curate"].map((x: { arguments: unknown }) => x.arguments)).toEqual([{ "--day": "2026-02-03", "--bucket": "acme-default-bucket", "--mode": "incremental" }]);
      expect(r.published["input-defaults"].map((m: { Message: string }) => m.Message)).toEqual(["curated 2026-02-03 from acme-default-bucket (incremental)"]);
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "with them: the conf's values and the variable's",
    () => {
      const r = runDag(env, P, line, spec({ ssm_parameters: { "/airflow/variables/acme_bucket": "acme-lake-eu" }, conf: { run_date: "2025-12-31", options: { mode: "full" } }, logical_date: "2026-02-10T04:05:06+00:00" }), parameterStoreVariables(env.moto.url, P.region));
      expect(r.tasks).toEqual({ curate: "success", tell: "success" });
      // The moto server keeps the earlier test's run of the same job and message.
      expect(r.glue_job_runs["input-defaults-curate"].map((x: { arguments: unknown }) => x.arguments)).toContainEqual({ "--day": "2025-12-31", "--bucket": "acme-lake-eu", "--mode": "full" });
      expect(r.published["input-defaults"].map((m: { Message: string }) => m.Message)).toContain("curated 2025-12-31 from acme-lake-eu (full)");
    },
    DAG_RUN_TIMEOUT,
  );
});
