/**
 * One SageMaker request, three encodings: every SageMaker job and model step
 * of the bundled examples and of random portable pipelines (fixed seed) sends
 * the same request fields with the same written-out values from every target:
 * the SageMaker definition's Arguments, the Step Functions Task's Parameters
 * and the Airflow operator's `config` (read with Python's ast, never run).
 *
 * Decoding: a value known only at run time (SageMaker Get / Std:Join, a `.$`
 * member, Jinja) is compared as "computed" with anything, as a target may also
 * compute a constant it cannot write plainly; every other leaf must be equal,
 * and every member present on one target is present on the others (the
 * requests are built once, src/aws/requests). Named lists (inputs, outputs,
 * channels) are compared by name; resource names are not compared (SageMaker
 * Pipelines names the jobs itself, the other targets per run).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { compileAll } from "../../src/cli/commands.js";
import { loadPipelineFile, loadYamlText } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";
import { readDag } from "../../backends/airflow/lift.js";
import { FUZZ_FILES, fuzzPipeline } from "../support/fuzz-pipelines.js";
import { ROOT } from "../support/python-env.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const COMPUTED = "<computed>";
const TARGETS = ["sagemaker", "stepfunctions", "airflow"] as const;
type Target = (typeof TARGETS)[number];

const NAMES = new Set(["TrainingJobName", "ProcessingJobName", "TransformJobName", "HyperParameterTuningJobName", "ModelName", "EndpointConfigName"]);
const LIST_KEYS: Record<string, string> = { ProcessingInputs: "InputName", Outputs: "OutputName", InputDataConfig: "ChannelName" };

/** The request with named lists keyed by name, and without resource names. */
function canonical(v: Json, key = ""): Json {
  if (Array.isArray(v)) {
    const by = LIST_KEYS[key];
    if (by && v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x) && typeof x[by] === "string")) {
      return Object.fromEntries(v.map((x) => [(x as Record<string, Json>)[by] as string, canonical(x)]));
    }
    return v.map((x) => canonical(x));
  }
  if (v !== null && typeof v === "object") {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!NAMES.has(k)) out[k] = canonical(x, k);
    }
    return out;
  }
  return v;
}

/** Where two requests differ: paths with each side's value (computed values match anything). */
function differences(a: Json | undefined, b: Json | undefined, path = ""): string[] {
  if (a === COMPUTED || b === COMPUTED) return a === undefined || b === undefined ? [`${path}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`] : [];
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as Record<string, Json>)[k], (b as Record<string, Json>)[k], `${path}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`];
}

const sagemakerValue = (v: Json): Json =>
  Array.isArray(v) ? v.map(sagemakerValue) : v !== null && typeof v === "object" ? ("Get" in v || "Std:Join" in v || "Std:JsonGet" in v ? COMPUTED : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sagemakerValue(x)]))) : v;
const aslValue = (v: Json): Json =>
  Array.isArray(v) ? v.map(aslValue) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => (k.endsWith(".$") ? [k.slice(0, -2), COMPUTED] : [k, aslValue(x)]))) : v;

type PyJ = { const?: Json; jinja?: unknown; list?: PyJ[]; dict?: Array<[PyJ | null, PyJ]>; call?: string; args?: PyJ[] };
const pythonValue = (j: PyJ): Json => {
  if ("const" in j) return j.jinja ? COMPUTED : (j.const as Json);
  if (j.list) return j.list.map(pythonValue);
  if (j.dict) return Object.fromEntries(j.dict.map(([k, x]) => [String(k?.const), pythonValue(x)]));
  // literal(...) keeps its text from Jinja: the value itself.
  if (j.call === "literal" && j.args?.length === 1) return pythonValue(j.args[0]);
  return COMPUTED;
};

const JOB = /sagemaker:create(TrainingJob|ProcessingJob|TransformJob|HyperParameterTuningJob|Model|ModelPackage|EndpointConfig)(\.sync)?$/;
const SAGEMAKER_TYPES = new Set(["Processing", "Training", "Transform", "Tuning", "Model", "RegisterModel", "EndpointConfig"]);

/** Each target's job requests, by the step (and foreach copy) that sends them. */
async function requests(p: Pipeline, file: string): Promise<Record<Target, Map<string, Json>>> {
  const out = await compileAll(p, [...TARGETS], file, {});
  const got = Object.fromEntries(TARGETS.map((t) => [t, new Map<string, Json>()])) as Record<Target, Map<string, Json>>;
  const text = (t: Target, kind: string) => {
    const r = out.find((x) => x.target === t)!;
    expect(r.diagnostics.filter((d) => d.severity === "error"), t).toEqual([]);
    return r.files.find((f) => f.kind === kind)!.contents;
  };
  // A step's key in every target: its id, and the copy's index for a foreach step; an endpoint's model.
  // A notebook step is a SageMaker training job (as the SageMaker SDK runs one) and a processing job
  // running papermill elsewhere: two requests of different kinds, not compared.
  const copies = new Map<string, string>();
  for (const s of p.steps) {
    if (s.kind === "notebook") continue;
    copies.set(s.id, s.id);
    if (s.kind === "endpoint") {
      for (const n of [`${s.id}-CreateModel`, `${s.id}.model`]) copies.set(n, `${s.id}#model`);
      for (const n of [`${s.id}-EndpointConfig`, `${s.id}.config`]) copies.set(n, `${s.id}#config`);
    }
    // A foreach copy has one name on every target.
    s.foreach?.items.forEach((_, i) => copies.set(`${s.id}_${i}`, `${s.id}#${i}`));
  }
  const key = (name: string) => copies.get(name);

  const walkSagemaker = (steps: Array<{ Name: string; Type: string; Arguments?: Record<string, Json> }>) => {
    for (const s of steps) {
      const k = key(s.Name);
      if (k && SAGEMAKER_TYPES.has(s.Type) && s.Arguments) got.sagemaker.set(k, canonical(sagemakerValue(s.Arguments)));
      for (const k of ["IfSteps", "ElseSteps"]) walkSagemaker((s.Arguments?.[k] as never) ?? []);
    }
  };
  walkSagemaker(JSON.parse(text("sagemaker", "definition")).Steps);

  const walkAsl = (m: { States: Record<string, { Type: string; Resource?: string; Parameters?: Json; Branches?: never[]; ItemProcessor?: never }> }) => {
    for (const [name, st] of Object.entries(m.States)) {
      const k = key(name);
      if (k && st.Type === "Task" && JOB.test(st.Resource ?? "") && st.Parameters) got.stepfunctions.set(k, canonical(aslValue(st.Parameters)));
      for (const b of st.Branches ?? []) walkAsl(b);
    }
  };
  walkAsl(JSON.parse(text("stepfunctions", "definition")));

  const dag = readDag(text("airflow", "dag"), "dag.py");
  if ("severity" in dag) throw new Error(dag.message);
  for (const t of dag.dags[0].tasks as Array<{ kwargs: Record<string, PyJ> }>) {
    const k = t.kwargs.task_id && key(String(t.kwargs.task_id.const));
    if (!k) continue;
    // A model version: the operator takes the group by itself and the rest of the request as `extras`.
    if (t.kwargs.extras && t.kwargs.package_group_name) {
      got.airflow.set(k, canonical({ ModelPackageGroupName: pythonValue(t.kwargs.package_group_name), ...(pythonValue(t.kwargs.extras) as Record<string, Json>) }));
      continue;
    }
    if (!t.kwargs.config) continue;
    const config = pythonValue(t.kwargs.config) as Record<string, Json>;
    // An endpoint operator's config holds the model, endpoint config and endpoint requests.
    if (config.EndpointConfig) {
      if (config.Model) got.airflow.set(`${k}#model`, canonical(config.Model));
      got.airflow.set(`${k}#config`, canonical(config.EndpointConfig));
    } else got.airflow.set(k, canonical(config));
  }
  return got;
}

/** Every step's request compared between each pair of targets that send it; a job step sends one from all three. */
function mismatches(p: Pipeline, got: Record<Target, Map<string, Json>>): string[] {
  const out: string[] = [];
  const keys = new Set(TARGETS.flatMap((t) => [...got[t].keys()]));
  for (const k of keys) {
    const missing = TARGETS.filter((t) => !got[t].has(k));
    if (missing.length) out.push(`${k}: no request on ${missing.join(", ")}`);
    const [a, ...rest] = TARGETS.filter((t) => got[t].has(k));
    for (const b of rest) for (const d of differences(got[a].get(k), got[b].get(k))) out.push(`${k} ${a}/${b}${d}`);
  }
  expect(keys.size, `${p.name}: no job step compared`).toBeGreaterThan(0);
  return out;
}

describe("the bundled examples", () => {
  test.each(["abalone.yaml", "churn.yaml"])("%s: each job and model request is the same from every target", async (name) => {
    const file = join(ROOT, "fixtures", name);
    const loaded = await loadPipelineFile(file);
    const p = loaded.pipeline!;
    const got = await requests(p, file);
    expect(mismatches(p, got)).toEqual([]);
    // What is compared: the job steps of the example, from all three.
    const jobs = p.steps.filter((s) => ["processing", "training", "tuning", "transform", "model", "notebook"].includes(s.kind));
    expect(jobs.length).toBeGreaterThan(0);
    for (const t of TARGETS) expect([...got[t].keys()].length, t).toBeGreaterThanOrEqual(jobs.length);
  });
});

test("numbers and true/false written out are the same text from every target (as the SageMaker SDK writes them)", async () => {
  const file = join(ROOT, "fixtures", "scalars.yaml");
  const loaded = loadYamlText(
    `version: 1
pipeline: scalars
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/scalars
defaults:
  instance: ml.m5.large
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    arguments: [--flag, true, --rate, 6.0, --n, 3]
    environment: { ON: false, RATE: 0.5, BIG: 1.0e-7 }
  train:
    type: training
    image: xgboost:1.7-1
    inputs: { train: { source: "s3://bucket-demo/in" } }
    hyperparameters: { use_amp: true, eta: 2.0, rounds: 10 }
    container_arguments: [--verbose, false]
`,
    file,
  );
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const got = await requests(loaded.pipeline!, file);
  expect(mismatches(loaded.pipeline!, got)).toEqual([]);
  // The text itself: Python's str().
  const train = got.stepfunctions.get("train") as Record<string, Record<string, Json>>;
  expect(train.HyperParameters).toEqual({ use_amp: "True", eta: "2.0", rounds: "10" });
  expect(train.AlgorithmSpecification.ContainerArguments).toEqual(["--verbose", "False"]);
  const prep = got.airflow.get("prep") as Record<string, Record<string, Json>>;
  expect(prep.Environment).toEqual({ ON: "False", RATE: "0.5", BIG: "1e-07" });
  expect(prep.AppSpecification.ContainerArguments).toEqual(["--flag", "True", "--rate", "6.0", "--n", "3"]);
});

test("a model version's container environment, and endpoint and model requests, go out alike from every target", async () => {
  const file = join(ROOT, "fixtures", "hosting.yaml");
  const loaded = loadYamlText(
    `version: 1
pipeline: hosting
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/hosting
defaults:
  instance: ml.m5.large
steps:
  register:
    type: register-model
    model: s3://bucket-demo/model.tar.gz
    image: xgboost:1.7-1
    package_group: demo-models
    content_types: [text/csv]
    response_types: [text/csv]
    environment: { SAGEMAKER_PROGRAM: inference.py, THREADS: 4 }
  serve:
    type: endpoint
    model: s3://bucket-demo/model.tar.gz
    image: xgboost:1.7-1
    name: demo-endpoint
    environment: { MODE: fast }
`,
    file,
  );
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const got = await requests(loaded.pipeline!, file);
  expect(mismatches(loaded.pipeline!, got)).toEqual([]);
  // Compared on every target: the version (with its environment), the endpoint's model and its configuration.
  for (const t of TARGETS) expect([...got[t].keys()].sort(), t).toEqual(["register", "serve#config", "serve#model"]);
  const register = got.stepfunctions.get("register") as { InferenceSpecification: { Containers: Array<Record<string, Json>> } };
  expect(register.InferenceSpecification.Containers[0].Environment).toEqual({ SAGEMAKER_PROGRAM: "inference.py", THREADS: "4" });
  expect((got.airflow.get("serve#model") as { PrimaryContainer: Record<string, Json> }).PrimaryContainer.Environment).toEqual({ MODE: "fast" });
});

test("a hyperparameter key SageMaker would read as an expression is refused there, and sent as data elsewhere", async () => {
  const file = join(ROOT, "fixtures", "keys.yaml");
  const loaded = loadYamlText(
    `version: 1
pipeline: keys
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/keys
defaults:
  instance: ml.m5.large
steps:
  train:
    type: training
    image: xgboost:1.7-1
    inputs: { train: { source: "s3://bucket-demo/in" } }
    hyperparameters: { Get: Steps.Other.Name, "Std:Join": x, eta: 0.2 }
`,
    file,
  );
  const out = await compileAll(loaded.pipeline!, [...TARGETS], file, {});
  const errors = (t: Target) => out.find((r) => r.target === t)!.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  expect(errors("sagemaker")).toEqual([
    "the key 'Get' would make SageMaker Pipelines read this map as an expression, not as data; rename the key",
    "the key 'Std:Join' would make SageMaker Pipelines read this map as an expression, not as data; rename the key",
  ]);
  expect(errors("stepfunctions")).toEqual([]);
  expect(errors("airflow")).toEqual([]);
  const asl = JSON.parse(out.find((r) => r.target === "stepfunctions")!.files.find((f) => f.kind === "definition")!.contents);
  expect(asl.States.train.Parameters.HyperParameters).toEqual({ Get: "Steps.Other.Name", "Std:Join": "x", eta: "0.2" });
});

test("an EMR step is the same StepConfig on Step Functions and Airflow; ActionOnFailure goes out only where the step sets it", async () => {
  const file = join(ROOT, "fixtures", "emr.yaml");
  const loaded = loadYamlText(
    `version: 1
pipeline: emr
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/emr
steps:
  spark:
    type: emr
    cluster_id: j-1ABCDEFGHIJKL
    jar: command-runner.jar
    args: [spark-submit, s3://bucket-demo/job.py, 3]
    properties: { mode: batch }
  strict:
    type: emr
    cluster_id: j-1ABCDEFGHIJKL
    jar: s3://bucket-demo/app.jar
    main_class: demo.Main
    action_on_failure: CANCEL_AND_WAIT
    depends_on: [spark]
`,
    file,
  );
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = await compileAll(loaded.pipeline!, ["stepfunctions", "airflow"], file, {});
  for (const r of out) expect(r.diagnostics.filter((d) => d.severity === "error"), r.target).toEqual([]);
  const text = (t: string, kind: string) => out.find((r) => r.target === t)!.files.find((f) => f.kind === kind)!.contents;
  const asl = JSON.parse(text("stepfunctions", "definition")) as { States: Record<string, { Parameters: { Step: Json } }> };
  const dag = readDag(text("airflow", "dag"), "dag.py");
  if ("severity" in dag) throw new Error(dag.message);
  const steps = new Map((dag.dags[0].tasks as Array<{ kwargs: Record<string, PyJ> }>).filter((t) => t.kwargs.steps).map((t) => [String(t.kwargs.task_id.const), pythonValue(t.kwargs.steps)]));
  expect(steps.get("spark")).toEqual([asl.States.spark.Parameters.Step]);
  expect(steps.get("strict")).toEqual([asl.States.strict.Parameters.Step]);
  // Written out: EMR's own default applies to the first, on both targets.
  expect(asl.States.spark.Parameters.Step).toEqual({ Name: "spark", HadoopJarStep: { Args: ["spark-submit", "s3://bucket-demo/job.py", "3"], Jar: "command-runner.jar", Properties: [{ Key: "mode", Value: "batch" }] } });
  expect(asl.States.strict.Parameters.Step).toEqual({ Name: "strict", ActionOnFailure: "CANCEL_AND_WAIT", HadoopJarStep: { Jar: "s3://bucket-demo/app.jar", MainClass: "demo.Main" } });
});

describe("random portable pipelines (fixed seed)", () => {
  const dir = mkdtempSync(join(tmpdir(), "sy-requests-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(FUZZ_FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const file = join(dir, "fuzz.yaml");
  // Those with a job or model step (a notebook step is not compared).
  const JOBS = ["processing", "training", "tuning", "transform", "model", "endpoint"];
  const samples = fc.sample(fuzzPipeline("portable"), { seed: 20261202, numRuns: 16 }).filter((g) => g.kinds.some((k) => JOBS.includes(k)));

  test("the sample reaches every job kind", () => {
    expect(new Set(samples.flatMap((g) => g.kinds.filter((k) => JOBS.includes(k))))).toEqual(new Set(JOBS));
  });

  test.each(samples.map((g, i) => [i, g] as const))("pipeline %i: each job and model request is the same from every target", async (_i, g) => {
    const loaded = loadYamlText(g.yaml, file);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const got = await requests(loaded.pipeline!, file);
    expect(mismatches(loaded.pipeline!, got), g.yaml).toEqual([]);
  });
});

describe("lifted SageMaker corpus definitions (real files) compiled to every target", async () => {
  const { default: sagemaker } = await import("../../backends/sagemaker/index.js");
  const dir = join(ROOT, "fixtures", "corpus", "sagemaker");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  // Those that lift and compile everywhere; the others are refused somewhere, which the corpus tests check.
  const portable: Array<[string, Pipeline, Map<string, Set<string>>]> = [];
  for (const f of files) {
    const lifted = sagemaker.lift!({ file: join(dir, f), text: readFileSync(join(dir, f), "utf8") });
    if (!lifted.pipeline || lifted.diagnostics.some((d) => d.severity === "error")) continue;
    if (!lifted.pipeline.steps.some((s) => ["processing", "training", "tuning", "transform", "model", "register-model", "endpoint"].includes(s.kind))) continue;
    const out = await compileAll(lifted.pipeline, [...TARGETS], join(dir, f), {});
    if (out.some((r) => r.diagnostics.some((d) => d.severity === "error"))) continue;
    // Members kept exactly as written for SageMaker only, as the other targets say: "sagemaker settings (A, B) are not applied".
    const said = new Map<string, Set<string>>();
    for (const r of out) {
      for (const d of r.diagnostics) {
        const m = d.code === "foreign-settings" ? /^step '([^']+)': sagemaker settings \(([^)]*)\) are not applied/.exec(d.message) : null;
        if (m) for (const key of m[2].split(", ")) (said.get(m[1]) ?? said.set(m[1], new Set()).get(m[1])!).add(key);
      }
    }
    portable.push([f, lifted.pipeline, said]);
  }

  test("most of the corpus compiles to all three targets", () => {
    expect(portable.length).toBeGreaterThanOrEqual(10);
  });

  test.each(portable)("%s: every request member is sent alike by every target, or another target says it is not applied", async (f, p, said) => {
    const got = await requests(p, join(dir, f));
    const unsaid = mismatches(p, got).filter((m) => {
      const x = /^(\S+?)(?:#\w+)? \w+\/\w+\.([^.:]+)/.exec(m);
      return !(x && said.get(x[1])?.has(x[2]));
    });
    expect(unsaid).toEqual([]);
  });
});
