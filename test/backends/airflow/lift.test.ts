/**
 * Lifting DAG files back to the IR (Python's ast reads them; nothing is
 * imported): our own output re-lowers to the same file, and a hand-written
 * SageMaker DAG lifts with its params, schedule, retries and edges.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { dependencies } from "../../../src/ir/graph.js";
import type { Pipeline, Step, Value } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { ROOT } from "../../support/python-env.js";
import { loadFixture, lowerFor, withoutHash } from "./support/fixtures.js";

const HERE = join(ROOT, "test", "backends", "airflow");

/** Every step kind's environment, arguments and hyperparameters with text that breaks quoting and Jinja, and a training script. */
function hostile(p: Pipeline): Pipeline {
  const q = JSON.parse(JSON.stringify(p)) as Pipeline;
  const text = (value: string): Value => ({ kind: "literal", value, type: "string", pos: q.pos });
  for (const s of q.steps) {
    if (["processing", "training", "transform", "model", "endpoint"].includes(s.kind)) {
      s.environment = { ...s.environment, TEMPLATE: text("a {{ b }} {% raw %} %} \n 'q\"\\ {# c #}"), PLAIN: text("x") };
    }
    if (s.kind === "processing") s.arguments.push(text("{{ 7*7 }}"), text("--title='it''s' \"q\" {%"), text("\u2028\u0000é"));
    if (s.kind === "training") {
      s.hyperparameters = { ...s.hyperparameters, note: text("{{ params }} }}{{") };
      s.code = { path: "scripts/train.py", sha256: "ab".repeat(32), pos: q.pos };
    }
  }
  return q;
}

describe.each(["2", "3"])("our own Airflow %s output", (line) => {
  test.each(["abalone", "churn"])("%s (and a copy with hostile text) lifts to a checked IR that lowers back to the same DAG file", async (name) => {
    const original = await loadFixture(name);
    for (const p of [original, hostile(original)]) {
      const text = lowerFor(p, { airflow: line }).files[0].contents;
      expect(airflow.canLift!({ file: `${name}.py`, text })).toBe(true);
      const r = airflow.lift!({ file: `${name}.py`, text });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      // Scripts come back as S3 references (the local file is not in the DAG); nothing else is said.
      expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(["lift-code"]));
      const lifted = r.pipeline!;
      expect(checkPipeline(lifted).filter((d) => d.severity === "error")).toEqual([]);
      const again = lowerFor(lifted, { airflow: line }).files[0].contents;
      expect(withoutHash(again)).toBe(withoutHash(text));
      expect(lifted.parameters.map((x) => [x.name, x.type, x.default, x.enum])).toEqual(p.parameters.map((x) => [x.name, x.type, x.default, x.enum]));
      expect(lifted.schedule?.cron).toBe(p.schedule?.cron);
      for (const s of p.steps) {
        const l = lifted.steps.find((x) => x.id === s.id || x.id === `${s.id}_0`)!;
        expect(stripPositions(l.environment)).toEqual(stripPositions(s.environment));
      }
    }
  });
});

test.each(["2", "3"])("tuning and notebook steps (Airflow %s) lift back to the same DAG file", async (line) => {
  const p = JSON.parse(JSON.stringify(await loadFixture("abalone"))) as Pipeline;
  const train = p.steps.find((s) => s.id === "train") as Extract<Step, { kind: "training" }>;
  const lit = (value: string): Value => ({ kind: "literal", value, type: "string", pos: p.pos });
  // The training step's settings but for `eta`, which the tuning job searches (a value both fixed and searched is refused).
  const { eta: _searched, ...fixed } = train.hyperparameters;
  p.steps.push(
    {
      ...JSON.parse(JSON.stringify(train)),
      hyperparameters: JSON.parse(JSON.stringify(fixed)),
      id: "tune",
      kind: "tuning",
      ranges: { eta: { type: "continuous", min: 0.1, max: 0.5, scaling: "Logarithmic", pos: p.pos }, depth: { type: "integer", min: 3, max: 9, pos: p.pos }, booster: { type: "categorical", values: ["gbtree", "dart"], pos: p.pos } },
      objective: { metric: "validation:rmse", type: "Minimize", pos: p.pos },
      strategy: "Bayesian",
      max_jobs: 6,
      parallel_jobs: 2,
      early_stopping: "Auto",
    } as Step,
    {
      id: "report",
      kind: "notebook",
      depends_on: ["tune"],
      tags: {},
      environment: {},
      targets: {},
      pos: p.pos,
      notebook: { path: "report.ipynb", sha256: "ab".repeat(32), pos: p.pos },
      image: lit("sklearn:1.2-1"),
      instance: { type: lit("ml.m5.large"), pos: p.pos },
      kernel: "python3",
      parameters: { model: { kind: "ref", ref: { scope: "steps", step: "tune", attr: "model" }, pos: p.pos }, title: lit("{{ not jinja }}") },
    } as Step,
  );
  const text = lowerFor(p, { airflow: line }).files[0].contents;
  const r = airflow.lift!({ file: "kinds.py", text });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(["lift-code"]));
  expect(r.pipeline!.steps.filter((s) => ["tune", "report"].includes(s.id)).map((s) => s.kind)).toEqual(["tuning", "notebook"]);
  expect(withoutHash(lowerFor(r.pipeline!, { airflow: line }).files[0].contents)).toBe(withoutHash(text));
});

test("a lifted abalone has the fixture's steps, kinds and dependencies", async () => {
  const p = airflow.lift!({ file: "abalone.py", text: readFileSync(join(HERE, "golden", "abalone.af2.py"), "utf8") }).pipeline!;
  const original = await loadFixture("abalone");
  expect(p.steps.map((s) => [s.id, s.kind])).toEqual(original.steps.map((s) => [s.id, s.kind]));
  expect(dependencies(p)).toEqual(dependencies(original));
  const gate = p.steps.find((s) => s.kind === "condition")!;
  expect(gate.kind === "condition" && [gate.then, gate.else]).toEqual([["register", "model", "batch_score"], ["mse_too_high"]]);
});

describe("hand-written DAGs", () => {
  const text = readFileSync(join(HERE, "lift", "handwritten_processing.py"), "utf8");

  test("a @dag-decorated SageMaker DAG lifts with params, schedule preset, retries and chain() edges", () => {
    const r = airflow.lift!({ file: "handwritten_processing.py", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["lift-artifacts", "lift-param", "lift-job-name", "lift-job-name"]);
    const p = r.pipeline!;
    expect(p.name).toBe("sagemaker_processing_example");
    expect(p.region).toBe("eu-west-1");
    expect(p.role).toBe("arn:aws:iam::111122223333:role/SageMakerRole");
    expect(p.artifacts).toBe("s3://my-ml-bucket");
    expect(p.schedule?.cron).toBe("0 0 * * *");
    expect(p.defaults.retry?.[0]).toMatchObject({ attempts: 3, interval: 300, backoff: 1 });
    // DAG tags are labels in the Airflow UI, not job tags: they stay a DAG setting.
    expect(p.defaults.tags).toBeUndefined();
    expect(p.targets.airflow?.settings.tags).toEqual(["team:ml"]);
    expect(p.parameters.map((x) => [x.name, x.type, x.default, x.enum])).toEqual([
      ["instance_type", "string", "ml.m5.large", ["ml.m5.large", "ml.m5.xlarge"]],
      ["epochs", "integer", 10, undefined],
    ]);
    expect(p.steps.map((s) => [s.id, s.kind, s.depends_on])).toEqual([
      ["prepare", "processing", []],
      ["fit", "training", ["prepare"]],
    ]);
    const fit = p.steps[1];
    expect(fit.kind === "training" && fit.hyperparameters.epochs).toMatchObject({ kind: "ref", ref: { scope: "params", name: "epochs" } });
    expect(checkPipeline(p).filter((d) => d.severity === "error")).toEqual([]);
  });

  test("retries without a retry_delay wait Airflow's 5 minutes, lifted and written out; an alerting on_failure_callback is refused by name", () => {
    const dag = (args: string) => `import pendulum
from airflow import DAG
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator


def alert(context):
    print("failed", context["task_instance"].task_id)


with DAG("nightly", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None, default_args={${args}}) as dag:
    score = LambdaInvokeFunctionOperator(task_id="score", function_name="arn:aws:lambda:eu-west-1:111122223333:function:score", payload="{}", region_name="eu-west-1")
`;
    const given = { artifacts: "s3://example-bucket/nightly" };
    const r = airflow.lift!({ file: "nightly.py", text: dag('"retries": 2'), given });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.defaults.retry?.[0]).toMatchObject({ attempts: 3, interval: 300, backoff: 1 });
    const alerting = airflow.lift!({ file: "nightly.py", text: dag('"retries": 2, "on_failure_callback": alert'), given });
    expect(alerting.diagnostics.filter((d) => d.severity === "error").map((d) => [d.message, d.hint])).toEqual([
      [
        "task 'score': on_failure_callback is the name alert, Python that Airflow runs when the task fails, which a pipeline cannot hold",
        "a failure handler (on_failure) with a step that notifies is the pipeline's form of an alert; write it, then lift the DAG without the callback",
      ],
    ]);
  });

  test("a task with no neutral kind is refused by name, every one at once", () => {
    const more = text.replace(
      "    chain(prepare, fit)",
      '    notify = BashOperator(task_id="notify", bash_command="echo done")\n    check = PythonOperator(task_id="check", python_callable=print)\n    chain(prepare, fit, notify)',
    );
    const r = airflow.lift!({ file: "dag.py", text: more });
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.pos?.line}: ${d.message}`)).toEqual([
      "57: task 'notify': BashOperator has no neutral step kind (it runs a shell command in the worker), so the DAG cannot be lifted as a whole",
      "58: task 'check': a PythonOperator is lifted when it calls a function of the file with arguments written out (op_args, op_kwargs), or fails the run with a message (raise AirflowFailException(...))",
    ]);
  });

  describe("a register-model operator whose extras hold the inference specification", () => {
    const container = `{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/serve:1", "ModelDataUrl": "s3://my-ml-bucket/models/model.tar.gz", "Environment": {"MODE": "fast"}}`;
    const withRegister = (containers: string) =>
      text
        .replace("    SageMakerTrainingOperator,\n", "    SageMakerTrainingOperator,\n    SageMakerRegisterModelVersionOperator,\n")
        .replace(
          "    chain(prepare, fit)",
          `    register = SageMakerRegisterModelVersionOperator(
        task_id="register",
        region_name="eu-west-1",
        image_uri="123456789012.dkr.ecr.eu-west-1.amazonaws.com/not-sent:1",
        model_url="s3://my-ml-bucket/not-sent.tar.gz",
        package_group_name="my-models",
        extras={"InferenceSpecification": {"Containers": [${containers}], "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}},
    )
    chain(prepare, fit, register)`,
        );

    test("lifts what the operator sends: the image, model and environment of the extras' container (they replace image_uri and model_url)", () => {
      const r = airflow.lift!({ file: "dag.py", text: withRegister(container) });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const reg = r.pipeline!.steps.find((s) => s.id === "register")!;
      expect(reg.kind).toBe("register-model");
      if (reg.kind !== "register-model") return;
      expect([reg.image, reg.model].map((v) => v.kind === "literal" && v.value)).toEqual(["123456789012.dkr.ecr.eu-west-1.amazonaws.com/serve:1", "s3://my-ml-bucket/models/model.tar.gz"]);
      expect(stripPositions(reg.environment)).toEqual({ MODE: { kind: "literal", value: "fast", type: "string" } });
    });

    test("two containers (an inference pipeline) are refused at the task", () => {
      const r = airflow.lift!({ file: "dag.py", text: withRegister(`${container}, ${container}`) });
      expect(r.pipeline).toBeUndefined();
      expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.pos?.line}: ${d.message}`)).toEqual([
        "58: task 'register': a model version of 2 containers (an inference pipeline) has no neutral form: register-model serves one image",
      ]);
    });
  });

  test("values the file computes from what it writes out: f-strings of module constants and loop values, str.format(), operator arguments and the region in default_args", () => {
    const text = `from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.amazon.aws.operators.athena import AthenaOperator
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

LAKE = "acme-telemetry-lake"
TABLES = ["accounts", "invoices"]
RESULTS = "s3://{0}/{1}/".format("acme-athena-results", "refresh")

DEFAULT_ARGS = {
    "retries": 1,
    "retry_delay": timedelta(minutes=5),
    "region_name": "eu-west-1",
    "database": "acme_curated",
    "output_location": RESULTS,
}

with DAG(dag_id="computed", schedule=None, start_date=datetime(2025, 1, 1), catchup=False, default_args=DEFAULT_ARGS) as dag:
    for table in TABLES:
        curate = GlueJobOperator(task_id=f"curate_{table}", job_name=f"acme-curate-{table}", script_args={"--target": f"s3://{LAKE}/curated/{table}/"})
        count = AthenaOperator(task_id=f"count_{table}", query="SELECT count(*) FROM {}".format(table))
        curate >> count
`;
    const r = airflow.lift!({ file: "computed.py", text, given: { role: "arn:aws:iam::111122223333:role/Refresh", artifacts: "s3://acme-refresh-artifacts/p" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const p = r.pipeline!;
    expect(p.region).toBe("eu-west-1");
    const step = (id: string) => stripPositions(p.steps.find((s) => s.id === id)!) as any;
    expect(step("curate_invoices").arguments).toEqual({ "--target": { kind: "literal", value: "s3://acme-telemetry-lake/curated/invoices/", type: "string" } });
    expect(step("count_invoices").request).toMatchObject({
      QueryString: { kind: "literal", value: "SELECT count(*) FROM invoices" },
      QueryExecutionContext: { kind: "map", entries: { Database: { kind: "literal", value: "acme_curated" } } },
      ResultConfiguration: { kind: "map", entries: { OutputLocation: { kind: "literal", value: "s3://acme-athena-results/refresh/" } } },
    });
    // The task's own argument wins over default_args'.
    const own = airflow.lift!({ file: "computed.py", text: text.replace('.format(table))', '.format(table), database=f"acme_{table}")'), given: { role: "arn:aws:iam::111122223333:role/Refresh", artifacts: "s3://acme-refresh-artifacts/p" } });
    expect(stripPositions(own.pipeline!.steps.find((s) => s.id === "count_accounts")! as never)).toMatchObject({ request: { QueryExecutionContext: { entries: { Database: { value: "acme_accounts" } } } } });
    // A value the file decides by a condition is not one written out: refused at its argument, not guessed.
    const conditional = airflow.lift!({ file: "computed.py", text: text.replace('.format(table))', '.format(table), database="acme_{0}".format("raw") if table == "accounts" else "acme_curated")'), given: { role: "arn:aws:iam::111122223333:role/Refresh", artifacts: "s3://acme-refresh-artifacts/p" } });
    expect(conditional.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      `task 'count_accounts': cannot read its database: \`"acme_{0}".format("raw") if table == "accounts" else "acme_curated"\``,
      `task 'count_invoices': cannot read its database: \`"acme_{0}".format("raw") if table == "accounts" else "acme_curated"\``,
    ]);
  });

  test("without Python on PATH the import says so, in one error line", () => {
    const before = process.env.SWITCHYARD_PYTHON;
    process.env.SWITCHYARD_PYTHON = "python3-not-installed-here";
    try {
      const r = airflow.lift!({ file: "dag.py", text });
      expect(r.pipeline).toBeUndefined();
      expect(r.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col}: ${d.message}`)).toEqual([
        "1:1: python3-not-installed-here is not on PATH: importing an Airflow DAG needs Python 3 to read the file (it is parsed, never run)",
      ]);
    } finally {
      if (before === undefined) delete process.env.SWITCHYARD_PYTHON;
      else process.env.SWITCHYARD_PYTHON = before;
    }
  });

  test("a Python syntax error is reported at its line", () => {
    const r = airflow.lift!({ file: "dag.py", text: text.replace("    chain(prepare, fit)", "    chain(prepare, fit") });
    expect(r.diagnostics.map((d) => [d.pos?.line, d.message.split(":")[0]])).toEqual([[57, "Python syntax error"]]);
  });

  test("canLift accepts DAG files only", () => {
    expect(airflow.canLift!({ file: "x.yaml", text })).toBe(false);
    expect(airflow.canLift!({ file: "x.py", text: "print('hello')" })).toBe(false);
  });
});

/** Lowers YAML text for Airflow, lifts the DAG and lowers that again: the same file (but its hash line), no errors. */
function sameAfterLift(yamlText: string, line = "2", base = join(ROOT, "fixtures")): Pipeline {
  const r0 = loadYamlText(yamlText, join(base, "focused.yaml"), base);
  expect(r0.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const text = lowerFor(r0.pipeline!, { airflow: line }).files[0].contents;
  const r = airflow.lift!({ file: "focused.py", text, given: { artifacts: "s3://bucket/focused", role: "arn:aws:iam::111122223333:role/R" } });
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  expect(withoutHash(lowerFor(r.pipeline!, { airflow: line }).files[0].contents)).toBe(withoutHash(text));
  return r.pipeline!;
}

const HEAD = `version: 1
pipeline: focused
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/focused
`;
const LAMBDA = `type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { a: 1 }
    outputs: { ok: boolean }`;

describe("what the fuzzed round trip found, each alone", () => {
  test("step descriptions (doc_md), Jinja-like or empty, on every kind of task", () => {
    const p = sameAfterLift(`${HEAD}steps:
  call:
    ${LAMBDA}
    description: "{{ 7*7 }} and {% raw %}"
  gate:
    type: condition
    if: \${{ steps.call.outputs.ok == true }}
    description: "'"
    then: [stop]
  stop:
    type: fail
    message: no
    description: why it stops
`);
    expect(p.steps.map((s) => s.description)).toEqual(["{{ 7*7 }} and {% raw %}", "'", "why it stops"]);
  });

  test("a schedule that is not enabled (the DAG is created paused)", () => {
    const p = sameAfterLift(`${HEAD}schedule: { cron: "0 6 * * 1", enabled: false }
steps:
  call:
    ${LAMBDA}
`);
    expect(p.schedule?.enabled).toBe(false);
    expect(p.targets.airflow).toBeUndefined();
  });

  test("the pipeline's description and a DAG description setting, empty or Jinja-like", () => {
    for (const [description, setting] of [["{{ ds }}", ""], ["%s", "{{ x }}"]]) {
      const p = sameAfterLift(`${HEAD}description: ${JSON.stringify(description)}
targets: { airflow: { description: ${JSON.stringify(setting)} } }
steps:
  call:
    ${LAMBDA}
`);
      expect([p.description, p.targets.airflow?.settings]).toEqual([description, { description: setting }]);
    }
  });

  test("Jinja-like parameter descriptions, default tags, owner and pool", () => {
    const p = sameAfterLift(`${HEAD}parameters:
  n: { type: integer, default: 1, description: "{{ n }}" }
defaults:
  tags: { "{{k}}": "{% v", project: x }
steps:
  call:
    ${LAMBDA}
    targets: { airflow: { owner: "{{ o }}", pool: "p{{" } }
`);
    expect(p.parameters[0].description).toBe("{{ n }}");
    const q = sameAfterLift(`${HEAD}parameters:
  s: { type: string, default: "{{ a }}", enum: ["{{ a }}", "{% b", plain] }
steps:
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { s: "\${{ params.s }}" }
`);
    expect([q.parameters[0].default, q.parameters[0].enum]).toEqual(["{{ a }}", ["{{ a }}", "{% b", "plain"]]);
    expect(p.steps[0].targets.airflow?.settings).toEqual({ owner: "{{ o }}", pool: "p{{" });
  });

  test("a step's retry without the defaults' backoff and maximum delay does not take them from default_args", () => {
    const p = sameAfterLift(`${HEAD}defaults:
  retry: { attempts: 2, backoff: 3, max_delay: 1h }
steps:
  call:
    ${LAMBDA}
    retry: { attempts: 3, interval: 5, backoff: 1 }
  other:
    ${LAMBDA}
`);
    expect(p.steps[0].retry?.map((r) => [r.attempts, r.interval, r.backoff, r.max_delay])).toEqual([[3, 5, 1, undefined]]);
  });
});

test.each(["2", "3"])("the run's start time and the pipeline's name, in templated fields, computed text and a fail message (Airflow %s), lift back", (line) => {
  const p = sameAfterLift(
    `${HEAD}steps:
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { at: "\${{ execution.start_time }}", text: "from \${{ execution.start_time }} on", dag: "\${{ execution.pipeline_name }}", in: "s3://b/\${{ execution.pipeline_name }}/x" }
  stop:
    type: fail
    depends_on: [call]
    message: "started \${{ execution.start_time }} in \${{ execution.pipeline_name }}"
`,
    line,
  );
  const text = JSON.stringify(p.steps.map((s) => stripPositions(s)));
  expect(text).toContain('"scope":"execution","name":"start_time"');
  expect(text).toContain('"scope":"execution","name":"pipeline_name"');
});

test("managed spot training (training and tuning) lifts back as the step's spot wait", () => {
  const p = sameAfterLift(`${HEAD}steps:
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.large
    spot: { max_wait: 2h }
    timeout: 1h
  tune:
    type: tuning
    image: xgboost:1.7-1
    instance: ml.m5.large
    spot: { max_wait: 7200.5 }
    ranges: { lr: { type: continuous, min: 0.01, max: 0.5 } }
    objective: { metric: m0, type: minimize }
    metric_definitions: [{ name: m0, regex: "loss=([0-9.]+)" }]
    max_jobs: 2
    parallel_jobs: 1
`);
  expect(p.steps.map((s) => [s.id, (s as Extract<Step, { kind: "training" }>).spot?.max_wait, s.targets.airflow])).toEqual([
    ["train", 7200, undefined],
    ["tune", 7201, undefined],
  ]);
});

test("text joined from literal parts (a foreach item in text) stays text joined at run time", () => {
  const text = `${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    foreach: [{ tag: "%}" }, { tag: "\\u2028" }]
    environment: { T: "a\${{ item.tag }}" }
    arguments: ["\${{ item.tag }}b"]
`;
  for (const line of ["2", "3"]) sameAfterLift(text, line);
});

test("a condition that negates a `not in` keeps both negations", () => {
  const p = sameAfterLift(`${HEAD}parameters:
  n: { type: integer, default: 1 }
steps:
  gate:
    type: condition
    if: \${{ not (params.n not in [1, 2]) and params.n not in [3] }}
    then: [stop]
  stop:
    type: fail
    message: no
`);
  expect(p.steps[0].kind).toBe("condition");
});

test("a processing output uploaded continuously lifts back as such", () => {
  const p = sameAfterLift(`${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { o0: { path: /opt/ml/processing/o0, upload: Continuous }, o1: /opt/ml/processing/o1 }
`);
  const prep = p.steps[0] as Extract<Step, { kind: "processing" }>;
  expect([prep.outputs.o0.upload, prep.outputs.o1.upload, prep.targets.airflow]).toEqual(["Continuous", undefined, undefined]);
});

test("a default retry of one attempt (retries=0 with a delay in default_args) lifts back", () => {
  const p = sameAfterLift(`${HEAD}defaults:
  retry: { attempts: 1, interval: 30s, backoff: 2 }
steps:
  call:
    ${LAMBDA}
  other:
    ${LAMBDA}
    retry: { attempts: 3 }
`);
  expect(p.defaults.retry?.map((r) => [r.attempts, r.interval, r.backoff])).toEqual([[1, 30, 2]]);
});

test("arithmetic in a templated field ({{ params['n'] + 1 }}) lifts back", () => {
  const p = sameAfterLift(`${HEAD}parameters:
  n: { type: float, default: 1.5 }
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    environment: { SUM: "\${{ params.n + 1 }}", HALF: "\${{ params.n / 2 - 1 }}" }
`);
  expect(stripPositions(p.steps[0].environment.SUM)).toMatchObject({ kind: "arith", op: "+" });
});

test("an endpoint step's name read by a later step is the endpoint's name (from the operator's result), and lifts back", () => {
  const yamlText = `${HEAD}parameters:
  env: { type: string, default: prod }
steps:
  serve:
    type: endpoint
    name: "ep-\${{ params.env }}"
    model: s3://bucket/model.tar.gz
    image: xgboost:1.7-1
    instance: ml.m5.large
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { endpoint: "\${{ steps.serve.name }}", text: "at \${{ steps.serve.name }}" }
`;
  const p = sameAfterLift(yamlText);
  expect(JSON.stringify(stripPositions(p.steps[1]))).toContain('{"kind":"ref","ref":{"scope":"steps","step":"serve","attr":"name"}}');
  const dag = lowerFor(p).files[0].contents;
  expect(dag).toContain('sy_xcom(ti, "serve", "Endpoint", "EndpointName")');
  expect(dag).not.toContain('"endpoint": "serve"');
});

test("a report of an output written to its own destination, read by a condition, lifts back", () => {
  const p = sameAfterLift(`${HEAD}parameters:
  n: { type: integer, default: 1 }
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { o0: { path: /opt/ml/processing/o0, destination: "s3://elsewhere/b/c" } }
    reports: { metrics: { output: o0, file: evaluation.json } }
  gate:
    type: condition
    if: \${{ (steps.prep.reports.metrics.mse < 0.2) or (params.n == 5) }}
    then: [stop]
  stop:
    type: fail
    message: no
`);
  const prep = p.steps[0] as Extract<Step, { kind: "processing" }>;
  expect(Object.values(prep.reports).map((r) => [r.output, r.file])).toEqual([["o0", "evaluation.json"]]);
});

test("a report of an output whose own destination is built on another step's output location, read by a condition, lifts back", () => {
  const p = sameAfterLift(`${HEAD}steps:
  base:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { out: /opt/ml/processing/out }
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { o0: { path: /opt/ml/processing/o0, destination: "s3://elsewhere/\${{ steps.base.outputs.out }}" } }
    reports: { metrics: { output: o0, file: evaluation.json } }
  gate:
    type: condition
    if: \${{ steps.prep.reports.metrics.mse < 0.2 }}
    then: [stop]
  stop:
    type: fail
    message: no
`);
  const prep = p.steps.find((s) => s.id === "prep") as Extract<Step, { kind: "processing" }>;
  expect(Object.values(prep.reports).map((r) => [r.output, r.file])).toEqual([["o0", "evaluation.json"]]);
});

test("a step's retry that Airflow writes as default_args already do (another backoff factor) is left to them, and lifts back", () => {
  const yamlText = `${HEAD}defaults:
  retry: { attempts: 7, interval: 1s, backoff: 2 }
steps:
  call:
    ${LAMBDA}
    retry: { attempts: 7, interval: 1s, backoff: 3, on: [job] }
`;
  sameAfterLift(yamlText);
  const dag = lowerFor(loadYamlText(yamlText, join(ROOT, "fixtures", "focused.yaml"), join(ROOT, "fixtures")).pipeline!).files[0].contents;
  expect([dag.includes('"retries": 6'), dag.includes("retries=6")]).toEqual([true, false]);
});

test("a notebook step's output location inside other text (a fail message, an approval message) lifts back", () => {
  const base = mkdtempSync(join(tmpdir(), "sy-lift-"));
  writeFileSync(join(base, "explore.ipynb"), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  sameAfterLift(
    `${HEAD}steps:
  nb:
    type: notebook
    notebook: explore.ipynb
    image: sklearn:1.2-1
    instance: ml.m5.large
  ask:
    type: approval
    queue: https://sqs.eu-west-1.amazonaws.com/111122223333/q
    message: { at: "\${{ steps.nb.outputs.output }}caller" }
  stop:
    type: fail
    depends_on: [ask]
    message: "\${{ steps.nb.outputs.output }}"
`,
    "2",
    base,
  );
  rmSync(base, { recursive: true, force: true });
});


test("an output's own destination inside other text (next to text) lifts back as that output, not merged text", () => {
  const p = sameAfterLift(`${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { o0: { path: /opt/ml/processing/o0, destination: "s3://elsewhere/b/{c" } }
  stop:
    type: fail
    message: "a\${{ steps.prep.outputs.o0 }}"
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { a: "{%\${{ steps.prep.outputs.o0 }}", b: "x\${{ steps.prep.outputs.o0 }}\${{ execution.id }}" }
`);
  expect(JSON.stringify(stripPositions(p.steps.find((s) => s.id === "stop")))).toContain('{"kind":"ref","ref":{"scope":"steps","step":"prep","attr":"outputs","name":"o0"}}');
});

test("an output's own destination made at run time, inside other text, lifts back as that output", () => {
  const p = sameAfterLift(`${HEAD}steps:
  score:
    type: transform
    instance: ml.m5.xlarge
    model: model-1
    input: { source: s3://bucket/in/a }
    output: { destination: "s3://out/\${{ execution.start_time }}/{{ x" }
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    environment: { AT: "\${{ steps.score.outputs.output }}{%", AT2: "x\${{ steps.score.outputs.output }}" }
    arguments: ["\${{ steps.score.outputs.output }}/{{ y"]
  stop:
    type: fail
    message: "at \${{ steps.score.outputs.output }}"
`);
  expect(JSON.stringify(stripPositions(p.steps.find((s) => s.id === "prep")))).toContain('{"kind":"ref","ref":{"scope":"steps","step":"score","attr":"outputs","name":"output"}}');
});

test("a whole value that is an output's own destination made from another step's name lifts back as that output, waiting for it alone", () => {
  const p = sameAfterLift(`${HEAD}steps:
  first:
    type: model
    image: xgboost:1.7-1
    model: s3://bucket/model.tar.gz
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { o0: { path: /opt/ml/processing/o0, destination: "s3://elsewhere/\${{ steps.first.name }}" } }
  use:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    environment: { AT: "\${{ steps.prep.outputs.o0 }}" }
`);
  const use = p.steps.find((s) => s.id === "use")!;
  expect(stripPositions(use.environment.AT)).toEqual({ kind: "ref", ref: { scope: "steps", step: "prep", attr: "outputs", name: "o0" } });
});

describe.each(["2", "3"])("failure handlers of foreach steps (Airflow %s)", (line) => {
  const r = loadYamlText(
    `version: 1
pipeline: handlers
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/handlers
steps:
  first: { type: lambda, function: f }
  fan:
    type: lambda
    function: f
    foreach: [{ n: 1 }, { n: 2 }, { n: 3 }]
    payload: { n: "\${{ item.n }}" }
    on_failure: [stop]
  stop: { type: fail, message: fan failed }
  later:
    type: lambda
    function: f
    depends_on: [first]
    foreach: [{ n: 1 }]
    payload: { n: "\${{ item.n }}" }
    on_failure: [notify]
  notify: { type: lambda, function: g }
`,
    "handlers.yaml",
  );
  const dag = lowerFor(r.pipeline!, { airflow: line }).files[0].contents;

  test("a handler of every copy waits on each (one_failed); one behind a step with ancestors waits on a check named after its first copy", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(dag).toMatch(/stop = PythonOperator\([^)]*trigger_rule="one_failed"/s);
    for (const c of ["fan_0", "fan_1", "fan_2"]) expect(dag).toContain(`    ${c} >> stop\n`);
    expect(dag).toContain("first >> later_0 >> later_0_failed_check >> notify >> later_failed\n");
    expect(dag).toContain('task_id="later_0_failed_check"');
    expect(dag).toContain('sy_failed(ti, ["later_0"])'.replace("ti,", line === "3" ? "ti, run_id," : "ti,"));
  });

  test("the DAG lifts (copies as steps of their own) to a pipeline that lowers to the same file", () => {
    const back = airflow.lift!({ file: "handlers.py", text: dag, given: { artifacts: "s3://bucket-demo/handlers" } });
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const lifted = back.pipeline!;
    expect(lifted.steps.filter((s) => s.on_failure).map((s) => [s.id, s.on_failure![0].steps])).toEqual([
      ["fan_0", ["stop"]],
      ["fan_1", ["stop"]],
      ["fan_2", ["stop"]],
      // The task that fails the run after the handler is lifted as a fail step of the handler.
      ["later_0", ["notify", "later_failed"]],
    ]);
    expect(withoutHash(lowerFor(lifted, { airflow: line }).files[0].contents)).toBe(withoutHash(dag));
  });
});

describe("a job output's location, written as text wherever it is read", () => {
  const yamlText = `${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs:
      train: /opt/ml/processing/train
      elsewhere: { path: /opt/ml/processing/e, destination: "s3://other-bucket/\${{ steps.named.job_name }}" }
  named:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
  score:
    type: transform
    instance: ml.m5.xlarge
    model: model-1
    input: { source: "s3://mirror/\${{ steps.prep.outputs.train }}" }
  again:
    type: transform
    instance: ml.m5.xlarge
    model: model-1
    input: { source: "s3://mirror/\${{ steps.prep.outputs.elsewhere }}" }
  stop:
    type: fail
    depends_on: [score, again]
    message: "\${{ item(split(steps.prep.outputs.elsewhere, '/'), 3) }}"
`;
  const r0 = loadYamlText(yamlText, join(ROOT, "fixtures", "focused.yaml"), join(ROOT, "fixtures"));
  const dag = lowerFor(r0.pipeline!).files[0].contents;

  test("is the location itself in the DAG, not a sy_cat(...) call", () => {
    expect(dag).toContain('"S3Uri": "s3://mirror/s3://bucket/focused/{{ run_id }}/prep/train"');
    // An own destination built at run time stays one value inside other text.
    expect(dag).toContain(`"S3Uri": "s3://mirror/{{ sy_cat('s3://other-bucket/', sy_xcom(ti, 'named', 'Processing', 'ProcessingJobName')) }}"`);
  });

  test("lifts back as a reference to that output, anywhere in the text and inside a function's argument", () => {
    const p = sameAfterLift(yamlText);
    const out = (name: string) => ({ kind: "ref", ref: { scope: "steps", step: "prep", attr: "outputs", name } });
    const score = p.steps.find((s) => s.id === "score")!;
    expect(score.kind === "transform" && stripPositions(score.input.source)).toEqual({ kind: "join", parts: [{ kind: "literal", value: "s3://mirror/", type: "string" }, out("train")] });
    const again = p.steps.find((s) => s.id === "again")!;
    expect(again.kind === "transform" && stripPositions(again.input.source)).toEqual({ kind: "join", parts: [{ kind: "literal", value: "s3://mirror/", type: "string" }, out("elsewhere")] });
    expect(JSON.stringify(stripPositions(p.steps.find((s) => s.id === "stop")))).toContain(JSON.stringify(out("elsewhere")));
  });
});

test("a role given with --role replaces the DAG's in every SageMaker config, said once", () => {
  const file = join(ROOT, "fixtures", "corpus", "airflow", "dags", "branch_train_or_tune.py");
  const given = { role: "arn:aws:iam::111122223333:role/Given", artifacts: "s3://bucket-demo/branch" };
  const r = airflow.lift!({ file, text: readFileSync(file, "utf8"), given });
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  expect(r.pipeline!.role).toBe(given.role);
  expect(r.diagnostics.filter((d) => /role/i.test(d.message)).map((d) => d.message)).toEqual([
    "the pipeline's IAM role is arn:aws:iam::111122223333:role/Given (--role); the file gives arn:aws:iam::111122223333:role/reviews-sagemaker (the RoleArn of its SageMaker configs)",
  ]);
  const dag = lowerFor(r.pipeline!).files[0].contents;
  expect(dag).toContain('"RoleArn": "arn:aws:iam::111122223333:role/Given"');
  expect(dag).not.toContain("reviews-sagemaker");
});
