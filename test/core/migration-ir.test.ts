/**
 * The IR shapes migration needs: several retry rules, failure handlers, wait,
 * Glue and EMR steps, portable job request fields and fixed-rate schedules;
 * each read from YAML exactly, checked, and refused by a target that lacks it.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { refusals } from "../../src/backend/refusals.js";
import { outputLocation } from "../../src/ir/dataflow.js";
import { featuresUsed } from "../../src/ir/features.js";
import airflow from "../../backends/airflow/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import type { Pipeline, Step } from "../../src/ir/types.js";

const HEADER = `version: 1
pipeline: demo
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/demo
`;

function load(body: string) {
  const r = loadYamlText(HEADER + body, "p.yaml", "/tmp");
  return { p: r.pipeline as Pipeline, errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]) };
}
const step = (p: Pipeline, id: string) => p.steps.find((s) => s.id === id) as Step;

describe("several retry rules", () => {
  it("a list keeps its order, each rule with its own attempts, delay cap and jitter", () => {
    const { p, errors } = load(`steps:
  etl:
    type: glue
    job: nightly
    retry:
      - { attempts: 3, interval: 10s, backoff: 2, on: [throttling] }
      - { attempts: 2, interval: 1m, backoff: 1, max_delay: 5m, jitter: true }
`);
    expect(errors).toEqual([]);
    expect(step(p, "etl").retry).toMatchObject([
      { attempts: 3, interval: 10, backoff: 2, on: ["throttling"] },
      { attempts: 2, interval: 60, backoff: 1, on: ["any"], max_delay: 300, jitter: true },
    ]);
    const used = featuresUsed(p).map((u) => u.feature);
    expect(used).toContain("retry.rules");
    expect(used).toContain("retry.jitter");
  });

  it("a single map is one rule, and a pipeline default counts at every step it reaches", () => {
    const { p } = load(`defaults: { retry: { attempts: 2 }, timeout: 1h }
steps:
  w: { type: wait, seconds: 30 }
  etl: { type: glue, job: nightly }
`);
    expect(p.defaults.retry).toHaveLength(1);
    const uses = featuresUsed(p).filter((u) => u.feature === "retry" || u.feature === "timeout").map((u) => `${u.feature}@${u.step}`);
    // A wait step takes neither retry nor timeout.
    expect(uses).toEqual(["retry@etl", "timeout@etl"]);
  });

  it("Airflow refuses several rules, naming the step and why", () => {
    const { p } = load(`steps:
  etl:
    type: glue
    job: nightly
    retry: [{ attempts: 3, on: [throttling] }, { attempts: 2 }]
`);
    const msgs = refusals(airflow, p).map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(msgs).toContain("p.yaml:10:48: error: step 'etl': several retry rules on one step is not supported by Apache Airflow on Amazon MWAA: an Airflow task has one retry policy (retries, retry_delay, backoff) for every error");
  });
});

describe("failure handlers", () => {
  const body = `steps:
  train: { type: glue, job: train, on_failure: [notify, failed] }
  notify: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:n" }
  failed: { type: fail, message: training failed, depends_on: [notify] }
`;
  it("are read and checked", () => {
    const { p, errors } = load(body);
    expect(errors).toEqual([]);
    expect(step(p, "train").on_failure?.[0].steps).toEqual(["notify", "failed"]);
    expect(featuresUsed(p).some((u) => u.feature === "on-failure" && u.step === "train")).toBe(true);
  });

  it("refuse unknown handlers, normal steps waiting for a handler, and handlers waiting for normal steps", () => {
    const { errors } = load(`steps:
  train: { type: glue, job: train, on_failure: [notfy] }
  notify: { type: lambda, function: f }
`);
    expect(errors).toEqual(["p.yaml:7:48: error: step 'train' names unknown step 'notfy' in 'on_failure'; did you mean 'notify'?"]);
    const two = load(`steps:
  prep: { type: glue, job: prep }
  train: { type: glue, job: train, on_failure: [notify], depends_on: [prep] }
  notify: { type: lambda, function: f, depends_on: [prep] }
  after: { type: glue, job: after, depends_on: [notify] }
`);
    expect(two.errors).toEqual([
      "p.yaml:9:3: error: failure handler 'notify' depends on 'prep', which is not a failure handler",
      "p.yaml:10:3: error: step 'after' depends on 'notify', which runs only when 'train' fails",
    ]);
  });

  it("SageMaker refuses them with the reason", () => {
    const { p } = load(body);
    const msgs = refusals(sagemaker, p).map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(msgs).toContain("p.yaml:7:48: error: step 'train': steps that run when a step fails (failure handler) is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines runs no step when another fails");
  });
  it("an option of a step kind a target refuses is not refused again: one error for the aws step, one for what its condition calls", () => {
    const { p } = load(`steps:
  poll:
    type: aws
    service: athena
    action: GetQueryExecution
    request: { QueryExecutionId: q-1 }
    repeat: { until: "\${{ exists(steps.poll.response.QueryExecution.Status.CompletionDateTime) }}", interval: 10s }
`);
    const msgs = refusals(sagemaker, p).map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(msgs).toEqual([
      "p.yaml:7:3: error: step 'poll': aws step is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines calls no AWS API itself; wrap the call in a Lambda step",
      "p.yaml:12:27: error: step 'poll': exists(): whether the run's input or a step's response has a value at a path is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines expressions are Get, Std:Join and Std:JsonGet only: compute the value in a step (e.g. a lambda step)",
    ]);
  });
});

describe("new step kinds and portable request fields", () => {
  it("wait, glue and emr read every field", () => {
    const { p, errors } = load(`parameters: { pause: { type: integer, default: 60 } }
steps:
  w: { type: wait, seconds: "\${{ params.pause }}" }
  g: { type: glue, job: etl, arguments: { --day: "2026-01-01", --n: 3 }, worker_type: G.1X, workers: 2 }
  e:
    type: emr
    cluster_id: j-ABC
    jar: command-runner.jar
    args: [spark-submit, s3://b/job.py]
    properties: { spark.x: "1" }
    action_on_failure: CONTINUE
`);
    expect(errors).toEqual([]);
    expect(step(p, "w")).toMatchObject({ kind: "wait", seconds: { kind: "ref", ref: { scope: "params", name: "pause" } } });
    expect(step(p, "g")).toMatchObject({ kind: "glue", arguments: { "--day": { value: "2026-01-01" }, "--n": { value: 3 } }, worker_type: { value: "G.1X" }, workers: { value: 2 } });
    expect(step(p, "e")).toMatchObject({ kind: "emr", jar: { value: "command-runner.jar" }, args: [{ value: "spark-submit" }, { value: "s3://b/job.py" }], action_on_failure: "CONTINUE" });
  });

  it("an AWS API call keeps its service, operation, request and declared outputs", () => {
    const { p, errors } = load(`steps:
  n:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: done }
    outputs: { MessageId: string }
  after: { type: fail, message: "sent \${{ steps.n.outputs.MessageId }}" }
`);
    expect(errors).toEqual([]);
    expect(step(p, "n")).toMatchObject({ kind: "aws", service: "sns", action: "Publish", request: { Message: { value: "done" } }, outputs: { MessageId: "string" } });
    expect(load(`steps:\n  n: { type: aws, service: SNS, action: publish }\n`).errors).toHaveLength(2);
  });

  it("a wait of text is a type error at its place", () => {
    expect(load(`steps:\n  w: { type: wait, seconds: "\${{ 'soon' }}" }\n`).errors).toEqual(["p.yaml:7:34: error: seconds of step 'w' must be an integer, not string"]);
  });

  it("job fields: network, KMS, entry point, manifest input and explicit destinations", () => {
    const { p, errors } = load(`steps:
  prep:
    type: processing
    image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/p:1
    instance: ml.m5.xlarge
    command: [python3, /opt/ml/code/run.py]
    inputs: { m: { source: s3://b/manifest.json, data_type: ManifestFile } }
    outputs: { out: { path: /opt/ml/processing/out, destination: s3://b/fixed/out } }
    network: { isolation: true, vpc: { subnets: [subnet-1], security_groups: [sg-1] } }
    kms: { volume: alias/v, output: alias/o }
  train:
    type: training
    image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/t:1
    instance: ml.m5.xlarge
    entrypoint: [python3, train.py]
    container_arguments: [--epochs, 3]
    output_path: s3://b/models
    inputs: { train: "\${{ steps.prep.outputs.out }}" }
`);
    expect(errors).toEqual([]);
    const prep = step(p, "prep");
    expect(prep).toMatchObject({ inputs: { m: { data_type: "ManifestFile" } }, network: { isolation: true, vpc: { subnets: [{ value: "subnet-1" }] } }, kms: { volume: { value: "alias/v" } } });
    // A reference to an output with a destination is that destination.
    expect(outputLocation(p, "prep", "out", prep.pos)).toMatchObject({ kind: "literal", value: "s3://b/fixed/out" });
    expect(step(p, "train")).toMatchObject({ entrypoint: [{ value: "python3" }, { value: "train.py" }], container_arguments: [{ value: "--epochs" }, { value: 3 }], output_path: { value: "s3://b/models" } });
  });

  it("a fixed-rate schedule", () => {
    const { p, errors } = load(`schedule: { every: 6h }\nsteps:\n  w: { type: wait, seconds: 1 }\n`);
    expect(errors).toEqual([]);
    expect(p.schedule).toMatchObject({ every: 21600 });
    expect(p.schedule?.cron).toBeUndefined();
  });
});

describe("settings for another target", () => {
  it("are said to be left out, with their keys", () => {
    const { p } = load(`steps:
  g:
    type: glue
    job: etl
    targets: { sagemaker: { NetworkConfig: {}, Environment: {} } }
`);
    const msgs = refusals(airflow, p).map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(msgs).toContain("p.yaml:10:16: warning: step 'g': sagemaker settings (NetworkConfig, Environment) are not applied on Apache Airflow on Amazon MWAA");
  });
});
