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

