/**
 * `switchyard diff`: two pipelines are equal when they do the same thing,
 * however each was written; every real difference is named, step by step.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { diffPipelines } from "../../src/diff/compare.js";
import { loadYamlText } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const HEADER = `version: 1
pipeline: demo
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/demo
`;
const load = (body: string, name = "p.yaml"): Pipeline => {
  const r = loadYamlText(HEADER + body, name, "/tmp");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
};

const BASE = `steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    outputs: { train: /opt/ml/processing/train }
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.xlarge
    hyperparameters: { eta: 0.2 }
    inputs: { train: "\${{ steps.prep.outputs.train }}" }
    retry: { attempts: 3, interval: 30s }
  deploy:
    type: model
    image: xgboost:1.7-1
    model: "\${{ steps.train.model }}"
`;

describe("semantic diff", () => {
  it("a pipeline equals itself", () => {
    expect(diffPipelines(load(BASE), load(BASE))).toEqual([]);
  });

  it("ignores how it is written: defaults vs per-step values, shorthands vs image URIs, redundant orderings, service defaults", () => {
    const other = load(`defaults: { instance: ml.m5.xlarge }
steps:
  prep:
    type: processing
    image: 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3
    instance: { type: ml.m5.xlarge, count: 1, volume_gb: 30 }
    outputs: { train: { path: /opt/ml/processing/train, upload: EndOfJob } }
  train:
    type: training
    image: xgboost:1.7-1
    hyperparameters: { eta: "0.2" }
    inputs: { train: { source: "\${{ steps.prep.outputs.train }}", mode: File, distribution: FullyReplicated } }
    retry: [{ attempts: 3, interval: 30 }]
  deploy:
    type: model
    image: xgboost:1.7-1
    model: "\${{ steps.train.model }}"
    depends_on: [prep, train]
`);
    expect(diffPipelines(load(BASE), other)).toEqual([]);
  });

  it("names each real difference: a request field, a retry, an ordering, a step on one side only", () => {
    const other = load(`steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    outputs: { train: /opt/ml/processing/train }
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.xlarge
    hyperparameters: { eta: 0.3 }
    inputs: { train: "\${{ steps.prep.outputs.train }}" }
    retry: { attempts: 2, interval: 30s }
  check:
    type: wait
    seconds: 10
    depends_on: [train]
  deploy:
    type: model
    image: xgboost:1.7-1
    model: "\${{ steps.train.model }}"
    depends_on: [check]
`);
    expect(diffPipelines(load(BASE), other)).toEqual([
      { step: "train", path: "hyperparameters.eta", a: '"0.2"', b: '"0.3"' },
      { step: "train", path: "retry[0].attempts", a: "3", b: "2" },
      { step: "deploy", path: "after", a: "train", b: "check" },
      { step: "check", path: "step", b: "wait" },
    ]);
  });

  it("condition branches and failure handlers are compared as such", () => {
    const a = load(`steps:
  g: { type: glue, job: etl, on_failure: [alert] }
  alert: { type: fail, message: etl failed }
  gate: { type: condition, if: "\${{ 1 < 2 }}", then: [w], depends_on: [g] }
  w: { type: wait, seconds: 5 }
`);
    const b = load(`steps:
  g: { type: glue, job: etl }
  alert: { type: fail, message: etl failed }
  gate: { type: condition, if: "\${{ 1 < 2 }}", else: [w], depends_on: [g] }
  w: { type: wait, seconds: 5 }
`);
    expect(diffPipelines(a, b)).toEqual([
      { step: "g", path: "on_failure", a: '["alert"]' },
      { step: "alert", path: "handles", a: "g" },
      { step: "w", path: "branch", a: "gate.then", b: "gate.else" },
    ]);
  });

  it("a failure handler's error classes and how it ends the run are compared; defaults are not rows of their own", () => {
    const steps = (handler: string) => load(`steps:
  g: { type: glue, job: etl, on_failure: ${handler} }
  tell: { type: wait, seconds: 1 }
`);
    expect(diffPipelines(steps("[tell]"), steps("{ steps: [tell], on: [any], ends: failed }"))).toEqual([]);
    expect(diffPipelines(steps("[tell]"), steps("{ steps: [tell], on: [timeout, job], ends: succeeded }"))).toEqual([
      { step: "g", path: "on_failure.ends", b: "succeeded" },
      { step: "g", path: "on_failure.on", b: '["job","timeout"]' },
    ]);
  });
});

describe("switchyard diff", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-diff-"));
  const a = join(dir, "a.yaml");
  const b = join(dir, "b.yaml");
  writeFileSync(a, HEADER + BASE);
  writeFileSync(b, HEADER + BASE.replace("eta: 0.2", "eta: 0.25"));

  it("exits 0 and says so when equal", () => {
    const r = run(["diff", a, a]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("equal: 3 steps with the same requests, dependencies, branches, retries and schedule\n");
  });

  it("exits 1 with the differences, as text or JSON", () => {
    const r = run(["diff", a, b]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`--- ${a}\n+++ ${b}\nstep 'train':\n  hyperparameters.eta: "0.2" -> "0.25"\n1 difference\n`);
    const j = run(["diff", a, b, "--json"]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toEqual({ equal: false, a, b, differences: [{ step: "train", path: "hyperparameters.eta", a: '"0.2"', b: '"0.25"' }] });
  });

  it("compares a pipeline with the Airflow DAG compiled from it: only the cache Airflow cannot keep differs", () => {
    const out = join(dir, "out");
    expect(run(["compile", "fixtures/abalone.yaml", "--target", "airflow", "--out", out]).code).toBe(0);
    const r = run(["diff", "fixtures/abalone.yaml", join(out, "airflow", "dags", "abalone.py"), "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).differences).toEqual([{ step: "preprocess", path: "cache", a: "604800" }]);
  });

  it("a DAG of Lambda calls names no artifacts location: --artifacts gives it, only to the file that says none", () => {
    const yaml = join(dir, "calls.yaml");
    writeFileSync(yaml, "version: 1\npipeline: calls\nregion: eu-west-1\nartifacts: s3://acme-calls/p\nsteps:\n  a:\n    type: lambda\n    function: arn:aws:lambda:eu-west-1:111122223333:function:a\n");
    const out = join(dir, "calls-out");
    expect(run(["compile", yaml, "--target", "airflow", "--out", out]).code).toBe(0);
    const dag = join(out, "airflow", "dags", "calls.py");
    const without = run(["diff", yaml, dag]);
    expect(without.code).toBe(1);
    expect(without.err).toContain("error: the DAG gives no artifacts location: give --artifacts");
    const same = run(["diff", yaml, dag, "--artifacts", "s3://acme-calls/p"]);
    expect([same.code, same.out]).toEqual([0, "equal: 1 step with the same requests, dependencies, branches, retries and schedule\n"]);
    // The pipeline file keeps its own: a different location given is a difference, not a fix.
    const other = run(["diff", yaml, dag, "--artifacts", "s3://acme-other/p"]);
    expect(other.code).toBe(1);
    expect(other.out).toContain('artifacts: "s3://acme-calls/p" -> "s3://acme-other/p"');
    expect(run(["diff", yaml, dag, "--artifacts", "not-s3"]).code).toBe(2);
  });

  it("a file it cannot read is an error of that file", () => {
    const r = run(["diff", a, join(dir, "missing.json")]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`${join(dir, "missing.json")}:1:1: error: cannot read the file: no such file`);
  });
});
