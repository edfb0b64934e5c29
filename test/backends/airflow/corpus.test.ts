/**
 * Hand-written DAGs in the idioms of public SageMaker/MWAA DAGs
 * (fixtures/corpus/airflow/dags, provenance in SOURCE.md). Each one either
 * lifts, re-lowers, and loads in real Airflow with the same tasks, edges,
 * trigger rules, operator arguments and rendered requests as the original;
 * or is refused with exactly the listed `file:line:col: error:` lines.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { ROOT } from "../../support/python-env.js";
import { startAirflow, type Airflow } from "./support/airflow.js";
import { lowerFor } from "./support/fixtures.js";
import { isDefault } from "../../../backends/airflow/verify.js";

const DIR = join(ROOT, "fixtures", "corpus", "airflow", "dags");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".py")).sort();
const lineOf = (text: string): "2" | "3" => (/\bairflow\.sdk\b/.test(text) ? "3" : "2");

/** The refused DAGs and every error line each must give (nothing else lifts them). */
const REFUSED: Record<string, string[]> = {
  "jinja_config_refused.py": [
    `jinja_config_refused.py:19:42: error: task 'partition': cannot read input day: the Jinja expression {{ ds }} in "s3://acme-events/raw/dt={{ ds }}/", which has no neutral form`,
    `jinja_config_refused.py:27:38: error: task 'partition': cannot read the location of output out: the Jinja template "s3://acme-events/curated/{% if dag_run.conf.get('full') %}full{% else %}dt={{ ds_nodash }}{% endif %}" (only {{ expression }} parts can be read)`,
  ],
  "sdk_helper_config_refused.py": [
    "sdk_helper_config_refused.py:17:16: error: task 'train': its config is a call to the SageMaker SDK helper training_config(...), which builds the request when the file is parsed; write the request as a dict in the file to lift it",
    "sdk_helper_config_refused.py:24:16: error: task 'batch': its config is a call to the SageMaker SDK helper transform_config_from_estimator(...), which builds the request when the file is parsed; write the request as a dict in the file to lift it",
  ],
  "taskflow_dataset_refused.py": [
    "taskflow_dataset_refused.py:25:11: error: task 'build_training_config': a TaskFlow @task function (build_training_config, defined at line 14) runs Python code in the worker, which has no neutral step kind",
    "taskflow_dataset_refused.py:26:5: error: task 'marker': S3CreateObjectOperator has no neutral step kind (S3 object operations are not pipeline steps), so the DAG cannot be lifted as a whole",
    "taskflow_dataset_refused.py:27:88: error: task 'train': its config is cfg, the result (XCom) of task 'build_training_config' at run time; write the request as a dict in the file to lift it",
    "taskflow_dataset_refused.py:28:15: error: task 'summarize': a TaskFlow @task function (summarize, defined at line 19) runs Python code in the worker, which has no neutral step kind",
    `taskflow_dataset_refused.py:23:43: error: schedule [Dataset("s3://acme-clicks/landing/clicks.parquet")] is a dataset schedule (the DAG runs when datasets are updated), which has no neutral form`,
  ],
};

function liftFile(file: string) {
  const text = readFileSync(join(DIR, file), "utf8");
  return { text, result: airflow.lift!({ file, text }) };
}

describe("the DAG corpus", () => {
  test("has at least 12 DAGs, and at least 80% of them lift", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    const lifted = FILES.filter((f) => liftFile(f).result.pipeline);
    expect(lifted.length / FILES.length).toBeGreaterThanOrEqual(0.8);
    expect(FILES.filter((f) => !lifted.includes(f))).toEqual(Object.keys(REFUSED).sort());
  });

  test.each(Object.keys(REFUSED))("%s is refused construct by construct", (file) => {
    const { result } = liftFile(file);
    expect(result.pipeline).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual(REFUSED[file]);
  });

  test.each(FILES.filter((f) => !REFUSED[f]))("%s lifts to a checked pipeline that lowers", (file) => {
    const { text, result } = liftFile(file);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(checkPipeline(result.pipeline!).filter((d) => d.severity === "error")).toEqual([]);
    const again = lowerFor(result.pipeline!, { airflow: lineOf(text) });
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

/** Task id -> upstream ids that no other path implies (a redundant edge changes nothing Airflow does). */
function reduced(tasks: Record<string, { upstream: string[] }>): Record<string, string[]> {
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const u of tasks[id].upstream) if (!seen.has(u)) ancestors(u, seen.add(u));
    return seen;
  };
  return Object.fromEntries(
    Object.entries(tasks).map(([id, t]) => [id, t.upstream.filter((u) => !t.upstream.some((o) => o !== u && ancestors(o).has(u))).sort()]),
  );
}

/** Where job and resource names sit in each operator's rendered request: replaced by names unique per run and try. */
const NAME_FIELDS: Record<string, string[][]> = {
  SageMakerProcessingOperator: [["ProcessingJobName"]],
  SageMakerTrainingOperator: [["TrainingJobName"]],
  SageMakerTransformOperator: [["TransformJobName"]],
  SageMakerTuningOperator: [["HyperParameterTuningJobName"]],
  SageMakerModelOperator: [["ModelName"]],
  SageMakerEndpointOperator: [["Model", "ModelName"], ["EndpointConfig", "EndpointConfigName"], ["Endpoint", "EndpointConfigName"]],
};

function withoutNames(operator: string, fields: Record<string, any>): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(fields));
  for (const path of NAME_FIELDS[operator] ?? []) {
    let cur = out.config;
    for (const k of path.slice(0, -1)) cur = cur?.[k];
    if (cur && path[path.length - 1] in cur) cur[path[path.length - 1]] = "<unique name>";
  }
  // The variant names the model the same section creates.
  if (operator === "SageMakerEndpointOperator" && out.config?.Model) out.config.EndpointConfig.ProductionVariants[0].ModelName = "<unique name>";
  if (typeof out.payload === "string") out.payload = JSON.parse(out.payload);
  return withoutDefaults(out, "") as Record<string, unknown>;
}

/** Fields written with the value their absence means (the API's or the operator's default) are left out on both sides. */
function withoutDefaults(x: unknown, path: string): unknown {
  if (Array.isArray(x)) return x.map((v, i) => withoutDefaults(v, `${path}.${i}`));
  if (x && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      const p = path ? `${path}.${k}` : k;
      if (isDefault(p, v) || (!path && v === null && k in DEFAULT_WHEN_NONE)) continue;
      out[k] = withoutDefaults(v, p);
    }
    return out;
  }
  return x;
}

/** Operator arguments whose None means the API default (boto3 leaves the field out). */
const DEFAULT_WHEN_NONE: Record<string, true> = { invocation_type: true };

describe.each(["2", "3"] as const)("lifted corpus DAGs in real Airflow %s", (line) => {
  const files = FILES.filter((f) => !REFUSED[f] && lineOf(readFileSync(join(DIR, f), "utf8")) === line);
  let af: Airflow;
  let tmp: string;
  const lifted: Record<string, Pipeline> = {};

  beforeAll(() => {
    af = startAirflow(line);
    tmp = mkdtempSync(join(tmpdir(), `sy-corpus${line}-`));
    mkdirSync(join(tmp, "original"));
    mkdirSync(join(tmp, "lifted"));
    for (const f of files) {
      const { text, result } = liftFile(f);
      lifted[f] = result.pipeline!;
      writeFileSync(join(tmp, "original", f), text);
      writeFileSync(join(tmp, "lifted", f), lowerFor(result.pipeline!, { airflow: line }).files[0].contents);
    }
  });

  afterAll(() => {
    af?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test(`${files.length} DAGs: same tasks, edges, trigger rules, operator arguments and rendered requests`, () => {
    expect(files.length).toBeGreaterThan(0);
    const original = af.check(["render_all", join(tmp, "original"), "2025-03-04T05:06:07+00:00"]);
    const again = af.check(["render_all", join(tmp, "lifted"), "2025-03-04T05:06:07+00:00"]);
    expect(original.import_errors).toBeUndefined();
    expect(again.import_errors).toBeUndefined();
    expect(Object.keys(again).sort()).toEqual(Object.keys(original).sort());
    for (const [dagId, dag] of Object.entries(original as Record<string, any>)) {
      const mine = again[dagId];
      expect(Object.keys(mine.tasks).sort(), dagId).toEqual(Object.keys(dag.tasks).sort());
      expect(reduced(mine.tasks), dagId).toEqual(reduced(dag.tasks));
      for (const [id, t] of Object.entries(dag.tasks as Record<string, any>)) {
        const m = mine.tasks[id];
        const facts = (x: any) => ({
          operator: x.operator,
          trigger_rule: x.trigger_rule,
          retries: x.retries,
          retry_delay: x.retries ? x.retry_delay : null,
          execution_timeout: x.execution_timeout,
          aws_conn_id: x.aws_conn_id,
          region_name: x.region_name,
          wait_for_completion: x.wait_for_completion,
        });
        expect(facts(m), `${dagId}.${id}`).toEqual(facts(t));
        expect(withoutNames(m.operator, m.fields), `${dagId}.${id}`).toEqual(withoutNames(t.operator, t.fields));
      }
    }
  });
});
