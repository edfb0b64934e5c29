/** Test pipelines shared by several test files (lowering, execution, and lifting back). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const KINDS_DIR = mkdtempSync(join(tmpdir(), "sfn-kinds-"));
writeFileSync(join(KINDS_DIR, "report.ipynb"), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));

export const KINDS = `version: 1
pipeline: kinds
role: arn:aws:iam::111122223333:role/R
region: us-west-2
artifacts: s3://bucket/kinds
parameters:
  stage: { type: string, default: dev }
  tries: { type: integer }
defaults:
  instance: { type: ml.m5.large }
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    outputs: { out: /opt/ml/processing/out }
    reports: { stats: { output: out, file: stats.json } }
  tune:
    type: tuning
    image: xgboost:1.7-1
    inputs: { train: { source: "\${{ steps.prep.outputs.out }}/train" } }
    hyperparameters: { objective: "binary:logistic" }
    ranges:
      eta: { type: continuous, min: 0.1, max: 0.3 }
      max_depth: { type: integer, min: 3, max: 9 }
    objective: { metric: "validation:auc", type: Maximize }
    max_jobs: 4
    parallel_jobs: 2
    spot: { max_wait: 2h }
    environment: { STAGE: "\${{ params.stage }}" }
  nb:
    type: notebook
    foreach: [ { n: 1 }, { n: 2 } ]
    notebook: report.ipynb
    image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/papermill:1
    parameters: { n: "\${{ item.n }}", model: "\${{ steps.tune.model }}", tries: "\${{ params.tries }}" }
  mdl:
    type: model
    image: xgboost:1.7-1
    model: \${{ steps.tune.model }}
  gate:
    type: condition
    if: \${{ steps.prep.reports.stats.score > 0.5 and params.stage in ['dev', 'prod'] }}
    then: [inner]
    else: [bad]
  inner:
    type: condition
    if: \${{ not (params.stage == 'prod') }}
    then: [ep]
  ep:
    type: endpoint
    name: "\${{ params.stage }}-ep"
    model: \${{ steps.mdl.name }}
    timeout: 10m
  bad:
    type: fail
    message: low score
`;


/** Written inline in intrinsics, escaped. */
export const INLINE = `It's {odd} "quoted" $.params.p States.Format('x') } {}`;
/** Kept as plain JSON under $.const (a backslash and a newline cannot be written in an intrinsic). */
export const TEXT = `back\\slash\nnew line`;

export const ESCAPING = `
version: 1
pipeline: escaping
region: us-east-1
artifacts: s3://bucket/prefix
parameters:
  p: { type: string, default: "it's {p}" }
steps:
  call:
    type: lambda
    function: "fn"
    payload:
      plain: ${JSON.stringify(TEXT)}
      joined: ${JSON.stringify(`${INLINE} \${{ params.p }} ${INLINE}`)}
      consts: ${JSON.stringify(`${TEXT} \${{ params.p }}`)}
      "$.key": ${JSON.stringify(TEXT)}
    outputs: { ok: boolean }
  gate:
    type: condition
    if: \${{ steps.call.outputs.ok == true }}
    then: []
    else: [stop]
  stop:
    type: fail
    message: ${JSON.stringify(`${INLINE} \${{ params.p }}`)}
`;


/** The constructs migration added: retry rules, failure handlers, wait, Glue, EMR and the portable job request fields. */
export const MIGRATION = `version: 1
pipeline: migration
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/migration
parameters:
  pause: { type: integer, default: 5 }
steps:
  etl:
    type: glue
    job: nightly-etl
    arguments: { "--day": "\${{ execution.id }}" }
    worker_type: G.1X
    workers: 4
    retry:
      - { attempts: 3, interval: 10s, on: [throttling] }
      - { attempts: 2, interval: 1m, max_delay: 5m, jitter: true }
    on_failure: [alert, stop]
  alert:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:alert
    payload: { step: etl }
  stop:
    type: fail
    message: the nightly ETL failed
  pause:
    type: wait
    seconds: \${{ params.pause }}
    depends_on: [etl]
  prep:
    type: processing
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/prep:1
    command: [python3, /opt/prep.py]
    instance: ml.m5.large
    inputs: { rows: { source: s3://bucket/in/rows.manifest, data_type: ManifestFile, destination: /opt/ml/processing/input/rows } }
    outputs: { clean: { path: /opt/ml/processing/clean, destination: s3://bucket/clean/ } }
    network: { isolation: true, encrypt_traffic: true, vpc: { subnets: [subnet-1, subnet-2], security_groups: [sg-1] } }
    kms: { volume: alias/vol, output: alias/out }
    depends_on: [pause]
  train:
    type: training
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1
    instance: ml.m5.xlarge
    entrypoint: [python3, /opt/train.py]
    container_arguments: [--epochs, "10"]
    inputs: { train: { source: "\${{ steps.prep.outputs.clean }}" } }
    output_path: s3://bucket/models/
    network: { isolation: true }
    kms: { volume: alias/vol }
    on_failure: [alert, stop]
  spark:
    type: emr
    cluster_id: j-EXAMPLE
    jar: command-runner.jar
    args: [spark-submit, s3://bucket/job.py]
    properties: { mode: batch }
    action_on_failure: CONTINUE
    depends_on: [train]
`;

/**
 * The run's input and step responses as references, a payload that is one
 * value, a foreach step's responses. The steps run in sequence: aws-local-stepfunctions
 * gives a Parallel branch the branch's input as $$.Execution.Input (Step Functions
 * gives the run's), so the run's input is read outside branches where tests execute it.
 */
export const DATAFLOW = `version: 1
pipeline: dataflow
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/dataflow
defaults:
  instance: ml.m5.large
steps:
  gen:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:gen
    payload: \${{ execution.input }}
  train:
    type: training
    image: xgboost:1.7-1
    inputs: { train: { source: "\${{ steps.gen.response.body['train uri'] }}" } }
    hyperparameters: { bucket: "\${{ execution.input.detail.bucket.name }}", tag: "\${{ execution.input.detail.Tags['auto-maintain'] }}" }
  note:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:note
    payload: \${{ steps.train.response }}
  each:
    type: lambda
    depends_on: [note]
    foreach: [{ which: a }, { which: b }]
    function: arn:aws:lambda:eu-west-1:111122223333:function:each
    payload: { which: "\${{ item.which }}" }
  report:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:report
    payload: { counts: "\${{ steps.each.response.count }}" }
  gate:
    type: condition
    depends_on: [report]
    if: \${{ execution.input.detail.state.value == "ALARM" }}
    then: [call, confirm]
    else: []
  call:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:t
      Message: "\${{ steps.note.response.body.text }}"
      Subject: "\${{ steps.train.response.AlgorithmSpecification.TrainingImage }}"
  confirm:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:confirm
    payload: \${{ steps.call.response.MessageId }}
`;
