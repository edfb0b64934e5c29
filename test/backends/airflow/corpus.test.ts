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
import type { LiftGiven } from "../../../src/backend/types.js";
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
    `jinja_config_refused.py:27:38: error: task 'partition': cannot read the location of output out: the Jinja template "s3://acme-events/curated/{% if dag_run.conf.get('full') %}full{% else %}dt={{ ds_nodash }}{% endif %}" (only {{ expression }} parts can be read)`,
  ],
  "sdk_helper_config_refused.py": [
    "sdk_helper_config_refused.py:17:16: error: task 'train': its config is a call to the SageMaker SDK helper training_config(...), which builds the request when the file is parsed; write the request as a dict in the file to lift it",
    "sdk_helper_config_refused.py:24:16: error: task 'batch': its config is a call to the SageMaker SDK helper transform_config_from_estimator(...), which builds the request when the file is parsed; write the request as a dict in the file to lift it",
  ],
  "mapped_tasks_refused.py": [
    'mapped_tasks_refused.py:34:15: error: `LambdaInvokeFunctionOperator.partial(task_id="reindex", function_name="reindex",...expand_kwargs(...)` maps a task over values known only at run time (dynamic task mapping); a task mapped with expand() over lists written in the file is lifted as a step a value, this one cannot be',
    'mapped_tasks_refused.py:35:15: error: `SageMakerProcessingOperator.partial(task_id="profile", region_name=REGION)...expand(...)` maps a task over values known only at run time (dynamic task mapping); a task mapped with expand() over lists written in the file is lifted as a step a value, this one cannot be',
  ],
  "taskflow_dataset_refused.py": [
    "taskflow_dataset_refused.py:26:5: error: task 'marker': S3CreateObjectOperator has no neutral step kind (S3 object operations are not pipeline steps), so the DAG cannot be lifted as a whole",
    "taskflow_dataset_refused.py:27:88: error: task 'train': its config is cfg, the result (XCom) of task 'build_training_config' at run time; write the request as a dict in the file to lift it",
    "taskflow_dataset_refused.py:28:25: error: task 'summarize': argument result is train.output, the whole result (XCom) of task 'train' (SageMakerTrainingOperator), which has no neutral form; only a TaskFlow function's (or a PythonOperator's function's) return value can be passed",
    `taskflow_dataset_refused.py:23:43: error: schedule [Dataset("s3://acme-clicks/landing/clicks.parquet")] is a dataset schedule (the DAG runs when datasets are updated), which has no neutral form`,
  ],
  "taskflow_worker_refused.py": [
    "taskflow_worker_refused.py:17:5: error: task 'show_context': a TaskFlow @task function (show_context, defined at line 17) takes **kwargs, which Airflow fills with the task's context; the processing job has no Airflow context",
    "taskflow_worker_refused.py:17:5: error: task 'show_context': a TaskFlow @task function (show_context, defined at line 17) takes the Airflow context variable ds, which the processing job does not have",
    "taskflow_worker_refused.py:23:16: error: task 'run_id_now': a TaskFlow @task function (run_id_now, defined at line 22) uses get_current_context, imported from airflow.operators.python (line 8); the processing job has no Airflow",
    "taskflow_worker_refused.py:27:9: error: task 'shout': a TaskFlow @task function (shout, defined at line 26) uses the module-level name log (line 11), which is neither an import nor a constant; only module imports, constants and plain functions can be carried with it",
    `taskflow_worker_refused.py:46:18: error: task 'shout': argument text is the Jinja template "day {{ ds }}", which Airflow renders on the worker before the call; pass a literal`,
    "taskflow_worker_refused.py:47:11: error: task 'colourful': a TaskFlow @task.virtualenv function (colourful, defined at line 31) has no neutral step kind: it runs in a virtualenv the worker builds for it",
    `taskflow_worker_refused.py:49:20: error: task 'double': argument x is first["first"], the XCom key "first" of task 'pick', which does not push one (it does not set multiple_outputs)`,
    "taskflow_worker_refused.py:50:12: error: task 'double__1': a TaskFlow @task function (double, defined at line 41) is mapped with .expand(...), which makes one task per item at run time; a function step runs once",
  ],
};

/** DAGs that name no region, role or bucket (TaskFlow functions and Lambda calls), lifted with what `import --region --role --artifacts` gives. */
const GIVEN: Record<string, LiftGiven> = {
  "factory_task_group_markets.py": { role: "arn:aws:iam::111122223333:role/MarketRefresh", artifacts: "s3://acme-markets/refresh" },
  "list_comprehension_regions.py": { role: "arn:aws:iam::111122223333:role/RegionalScoring", artifacts: "s3://acme-scoring/regional" },
  "python_operator_callables.py": { region: "eu-west-1", role: "arn:aws:iam::111122223333:role/ScoringPrep", artifacts: "s3://acme-scoring/prep" },
  "taskflow_lambda_no_region.py": { region: "eu-central-1", role: "arn:aws:iam::111122223333:role/BatchVerdict", artifacts: "s3://acme-scoring/batch-verdict" },
  "taskflow_branch_on_result.py": { role: "arn:aws:iam::111122223333:role/ScoringDrift", artifacts: "s3://acme-scoring/drift" },
};

function liftFile(file: string) {
  const text = readFileSync(join(DIR, file), "utf8");
  return { text, result: airflow.lift!({ file, text, ...(GIVEN[file] ? { given: GIVEN[file] } : {}) }) };
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

/** The tasks without the EmptyOperators, each one's downstream tasks waiting for its upstream ones (lift-empty.ts). */
function withoutEmpty(tasks: Record<string, { operator: string; upstream: string[]; trigger_rule?: string }>): Record<string, any> {
  const out = JSON.parse(JSON.stringify(tasks)) as typeof tasks;
  for (const [id, t] of Object.entries(tasks)) {
    if (t.operator !== "EmptyOperator") continue;
    const before = out[id].upstream;
    // A join of branches (one_success where each branch gives it one task): the tasks after it wait as it did,
    // for the tasks before it that ran, which Airflow says with none_failed_min_one_success.
    const joins = ["none_failed_min_one_success", "one_success"].includes(t.trigger_rule ?? "");
    delete out[id];
    for (const o of Object.values(out)) {
      if (!o.upstream.includes(id)) continue;
      o.upstream = [...new Set([...o.upstream.filter((u) => u !== id), ...before])].sort();
      if (joins && o.trigger_rule === "all_success") o.trigger_rule = "none_failed_min_one_success";
    }
  }
  return out;
}

/** Airflow's `group.task` ids as the lifted pipeline's steps: the task id, or the whole id with underscores where two groups share it. */
function byStepIds(tasks: Record<string, { upstream: string[] }>, p: Pipeline): Record<string, any> {
  const ids = new Set(p.steps.map((s) => s.id));
  const step = (id: string) => (ids.has(id) ? id : ids.has(id.replace(/\./g, "_")) ? id.replace(/\./g, "_") : id.split(".").pop()!);
  return Object.fromEntries(Object.entries(tasks).map(([id, t]) => [step(id), { ...t, upstream: t.upstream.map(step) }]));
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
  // Invoked without a payload, a function receives {} (the Lambda service's documented behaviour), as the lifted task sends.
  if (operator === "LambdaInvokeFunctionOperator" && out.payload === null) out.payload = {};
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

/** A container argument of a function step as the call's argument: a literal, or another task's result (an XCom key of it). */
function callArgument(text: string): unknown {
  if (text.startsWith("json:")) return JSON.parse(text.slice(5));
  const [path, ...keys] = JSON.parse(text.slice(5)) as [string, ...string[]];
  const from = /^\/opt\/ml\/processing\/input\/(.+)_result\/result\.json$/.exec(path);
  return { xcom: from?.[1], key: keys.length ? keys.join(".") : "return_value" };
}

/**
 * A TaskFlow task lifted as a function step: the same settings, a processing job that calls the same
 * function with the same arguments, and every result it reads downloaded from where its task writes it.
 */
function sameFunctionCall(where: string, original: any, lifted: any, liftedTasks: Record<string, any>): void {
  const settings = (x: any) => ({ trigger_rule: x.trigger_rule, retries: x.retries, retry_delay: x.retries ? x.retry_delay : null, execution_timeout: x.execution_timeout });
  expect(settings(lifted), where).toEqual(settings(original));
  expect(lifted.operator, where).toBe("SageMakerProcessingOperator");
  const config = lifted.fields.config;
  const [fn, ...rest] = config.AppSpecification.ContainerArguments as string[];
  const args: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i += 2) args[rest[i]] = callArgument(rest[i + 1]);
  expect({ function: fn, arguments: args }, where).toEqual(original.call);
  const reads = (config.ProcessingInputs as any[]).filter((i) => i.InputName.endsWith("_result"));
  expect(reads.map((i) => i.InputName.replace(/_result$/, "")).sort(), where).toEqual(
    [...new Set(Object.values(original.call.arguments).flatMap((a: any) => (a && typeof a === "object" && "xcom" in a ? [a.xcom] : [])))].sort(),
  );
  for (const i of reads) {
    const up = liftedTasks[i.InputName.replace(/_result$/, "")].fields.config.ProcessingOutputConfig.Outputs.find((o: any) => o.OutputName === "result");
    expect(i.S3Input.S3Uri, where).toBe(up.S3Output.S3Uri);
  }
}

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
    // Every function step lifted from a @task or a PythonOperator is compared as a call (Airflow reports their calls); the
    // PythonOperators that wait or fail the run with a message are wait and fail steps, compared as operators.
    const NOT_CALLS = ["gate_and_publish.reject", "lake_aggregation.fail_run", "lake_aggregation.wait_for_catalog"];
    // A @task.branch is a condition step, which Airflow runs as a BranchPythonOperator: compared as one (its decision: lift-taskflow.test.ts).
    const branch = (t: any) => t.operator === "_BranchPythonDecoratedOperator";
    const asCall = (dagId: string, id: string, t: any) => t.call && !branch(t) && !(t.operator === "PythonOperator" && NOT_CALLS.includes(`${dagId}.${id}`));
    const calls = Object.entries(original as Record<string, any>).flatMap(([dagId, d]) => Object.keys(d.tasks).filter((id) => asCall(dagId, id, d.tasks[id])).map((id) => `${d.tasks[id].call.function}:${id}`));
    const operators = Object.entries(original as Record<string, any>).flatMap(([dagId, d]) => Object.keys(d.tasks).filter((id) => d.tasks[id].operator === "PythonOperator" && !asCall(dagId, id, d.tasks[id])).map((id) => `${dagId}.${id}`));
    expect(operators.sort()).toEqual(line === "2" ? NOT_CALLS : []);
    const functionSteps = Object.values(lifted).flatMap((p) => p.steps.flatMap((s) => (s.kind === "processing" && s.command?.[1] === "-c" ? [`${(s.arguments[0] as { value: string }).value}:${s.id}`] : [])));
    expect(calls.sort()).toEqual(functionSteps.sort());
    for (const [dagId, read] of Object.entries(original as Record<string, any>)) {
      const mine = again[dagId];
      // A task group's tasks are steps without the group (lift-ids.ts): the original's ids as the lifted DAG names them.
      const pipeline = Object.values(lifted).find((p) => p.name === dagId)!;
      const dag = { ...read, tasks: byStepIds(withoutEmpty(read.tasks), pipeline) };
      expect(Object.keys(mine.tasks).sort(), dagId).toEqual(Object.keys(dag.tasks).sort());
      expect(reduced(mine.tasks), dagId).toEqual(reduced(dag.tasks));
      for (const [id, t] of Object.entries(dag.tasks as Record<string, any>)) {
        const m = mine.tasks[id];
        if (asCall(dagId, id, t)) {
          sameFunctionCall(`${dagId}.${id}`, t, m, mine.tasks);
          continue;
        }
        const facts = (x: any) => ({
          operator: branch(x) ? "BranchPythonOperator" : x.operator,
          trigger_rule: x.trigger_rule,
          retries: x.retries,
          retry_delay: x.retries ? x.retry_delay : null,
          execution_timeout: x.execution_timeout,
          aws_conn_id: x.aws_conn_id,
          region_name: x.region_name,
          wait_for_completion: x.wait_for_completion,
        });
        // A task that uses its connection's region (said by a warning) names the region given to the lift.
        const given = Object.entries(lifted).find(([, p]) => p.name === dagId)?.[0];
        const region = t.region_name ?? (given && GIVEN[given]?.region) ?? null;
        expect(facts(m), `${dagId}.${id}`).toEqual({ ...facts(t), region_name: region });
        if (branch(t)) continue;
        expect(withoutNames(m.operator, m.fields), `${dagId}.${id}`).toEqual(withoutNames(t.operator, "region_name" in t.fields ? { ...t.fields, region_name: region } : t.fields));
      }
    }
  });
});
