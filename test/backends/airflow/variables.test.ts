/**
 * Variables on Airflow: Airflow Variables, read when the task runs: `{{ var.value.x }}` in a
 * templated field (its `get` for a name that is not an attribute), the helper that calls
 * Variable.get in Python. The DAG lifts back to the same reads, and `var.json.x` lifts as the text
 * parsed. In real Airflow 2 and 3 against moto, with Variables kept in SSM Parameter Store (the
 * provider's secrets backend, where the Step Functions machine reads the same parameters), the
 * values reach the Glue job, the branch and the message.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Pipeline, Step, Value } from "../../../src/ir/types.js";
import { walkStepValues, walkValue } from "../../../src/ir/walk.js";
import { PARAMETER_PREFIX, VARIABLE_VALUES, VARIABLES_YAML } from "../variables-pipeline.js";
import { airflowWithMoto, parameterStoreVariables, runDag } from "./support/airflow.js";
import { dagText } from "./support/fixtures.js";
import { liftHeldOutFile } from "./support/held-out.js";

const tmp = mkdtempSync(join(tmpdir(), "sy-variables-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const P: Pipeline = (() => {
  const r = loadYamlText(VARIABLES_YAML, join(tmp, "variables.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
})();

/** Every variable read in a step's values, as the expression language writes it. */
function reads(s: Step): string[] {
  const out: string[] = [];
  walkStepValues(s, (v) => walkValue(v, (n: Value) => void (n.kind === "ref" && n.ref.scope === "variables" && out.push(printExpr(n)))));
  return out;
}

const lift = (text: string) => airflow.lift!({ file: "variables_read.py", text, given: { role: "arn:aws:iam::111122223333:role/Pipelines", artifacts: "s3://variables-artifacts/runs", region: "eu-west-1" } });

describe("variables in the DAG", () => {
  test.each(["2", "3"])("Airflow %s: var.value in Jinja, its get for a name that is not an attribute, Variable.get in Python", (line) => {
    const dag = dagText(P, { airflow: line });
    expect(dag).toContain('"--source": "s3://{{ var.value.acme_bucket }}/raw/"');
    expect(dag).toContain(`"--mode": "{{ var.value.get('run-mode') }}"`);
    // A branch callable and an aws call's request are Python.
    expect(dag).toContain('operator.eq(sy_variable("get"), "on")');
    expect(dag).toMatch(/"Message": sy_cat\(\s*"curated s3:\/\/",\s*sy_variable\("acme_bucket"\),\s*"\/raw\/ \(",\s*sy_variable\("run-mode"\),\s*"\)",\s*\)/);
    const helpers = airflow.lower(P, { baseDir: tmp, options: { airflow: line } }).files.find((f) => f.path.includes("switchyard_helpers"))!.contents;
    expect(helpers).toMatch(line === "2" ? /^from airflow\.models import Variable$/m : /^from airflow\.sdk import .*\bVariable$/m);
  });

  test.each(["2", "3"])("Airflow %s: the DAG lifts back to the same reads", (line) => {
    const r = lift(dagText(P, { airflow: line }));
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s]));
    expect(reads(byId.get("curate")!)).toEqual(["variables.acme_bucket", "variables['run-mode']"]);
    expect(reads(byId.get("gate")!)).toEqual(["variables.get"]);
    expect(reads(byId.get("announce")!)).toEqual(["variables.acme_bucket", "variables['run-mode']"]);
  });

  test("var.json lifts as the text parsed; var.value.get with a default as default()", () => {
    const dag = (arg: string) => `from datetime import datetime
from airflow import DAG
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

with DAG("variables_read", start_date=datetime(2024, 1, 1), schedule=None, catchup=False):
    GlueJobOperator(task_id="curate", job_name="curate", script_args={"--config": ${arg}}, region_name="eu-west-1")
`;
    const json = lift(dag(`"{{ var.json.curate_config }}"`));
    expect(json.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const glue = json.pipeline!.steps[0] as Extract<Step, { kind: "glue" }>;
    expect(printExpr(glue.arguments["--config"])).toBe("parse(variables.curate_config)");
    // With a default: default() of the variable (input-default.test.ts reads its other forms).
    const dflt = lift(dag(`"{{ var.value.get('curate_config', 'x') }}"`));
    expect(dflt.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(printExpr((dflt.pipeline!.steps[0] as Extract<Step, { kind: "glue" }>).arguments["--config"])).toBe("default(variables.curate_config, 'x')");
  });
});

describe("the held-out EMR DAG", () => {
  const r = liftHeldOutFile("emr_spark_features_then_train.py");
  const byId = new Map(r.pipeline?.steps.map((s) => [s.id, s]));

  test("lifts: its {{ var.value.X }} reads are variables, where the file has them", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
    expect(reads(byId.get("launch_cluster")!)).toEqual(["variables.emr_release_label", "variables.emr_instance_profile"]);
    expect(reads(byId.get("add_spark_steps")!)).toEqual(["variables.acme_code_bucket"]);
  });

  test("the cluster id, a module constant holding Jinja, is the launched cluster's id (not its text); 4 * 3600 is a number", () => {
    const add = byId.get("add_spark_steps") as Extract<Step, { kind: "emr" }>;
    expect(printExpr(add.cluster_id)).toBe("steps.launch_cluster.response.JobFlowId");
    const stop = byId.get("terminate_cluster") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(stop.request.JobFlowIds)).toBe("[steps.launch_cluster.response.JobFlowId]");
    expect(JSON.stringify(byId.get("train_ranker")!.targets)).toContain('"MaxRuntimeInSeconds":14400');
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;
const PARAMETERS = Object.fromEntries(Object.entries(VARIABLE_VALUES).map(([k, v]) => [PARAMETER_PREFIX + k, v]));

describe.each(["2", "3"] as const)("Airflow %s: variables kept in SSM Parameter Store, in real Airflow against moto", (line) => {
  const env = airflowWithMoto(line, () => ({ [`${P.name}.py`]: dagText(P, { airflow: line }) }), DAG_RUN_TIMEOUT);
  const spec = (values: Record<string, string>) => ({ glue_jobs: ["variables-curate"], topics: [{ name: "variables-read", queue: "variables-read-seen" }], ssm_parameters: values });

  test(
    "the values reach the Glue job's arguments, the branch and the message",
    () => {
      const r = runDag(env, P, line, spec(PARAMETERS), parameterStoreVariables(env.moto.url, P.region));
      expect(r.tasks).toMatchObject({ curate: "success", announce: "success" });
      expect(r.glue_job_runs["variables-curate"].map((x: { arguments: unknown }) => x.arguments)).toEqual([{ "--source": "s3://acme-lake-eu/raw/", "--mode": "full" }]);
      expect(r.published["variables-read"].map((m: { Message: string }) => m.Message)).toEqual(["curated s3://acme-lake-eu/raw/ (full)"]);
    },
    DAG_RUN_TIMEOUT,
  );
});
