/** Lifting ASL into the IR: the corpus, hand-written machines, and lowering what was lifted. */
import { readFileSync } from "node:fs";
import { CORPUS as CORPUS_ROOT } from "../../support/corpus.js";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printTemplate } from "../../../src/ir/expr/print.js";
import { dependencies } from "../../../src/ir/graph.js";
import type { Step } from "../../../src/ir/types.js";
import { lambdaInvoke, sagemaker } from "./services.js";
import { aslValidator, languageService, lower, run } from "./support.js";

const CORPUS = `${CORPUS_ROOT}/stepfunctions`;
const corpus = (f: string) => ({ file: f, text: readFileSync(`${CORPUS}/${f}`, "utf8") });
const errors = (r: ReturnType<NonNullable<typeof backend.lift>>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
const show = (s: Step, field: string) => printTemplate((s as unknown as Record<string, never>)[field]);

describe("the corpus", () => {
  test("canLift recognises state machines only", () => {
    expect(backend.canLift!(corpus("awsdocs-sample-train-xgboost-batch-transform.asl.json"))).toBe(true);
    expect(backend.canLift!({ file: "x.json", text: '{"Version": "1.0", "Steps": []}' })).toBe(false);
    expect(backend.canLift!({ file: "x.yaml", text: "steps: {}" })).toBe(false);
  });

  test("train -> model -> batch transform lifts, and the model name the transform used becomes the model step's name", () => {
    const r = backend.lift!(corpus("awsdocs-sample-train-xgboost-batch-transform.asl.json"));
    expect(errors(r)).toEqual([]);
    const p = r.pipeline!;
    expect(p.steps.map((s) => [s.kind, s.id, s.display_name])).toEqual([
      ["lambda", "Generate_dataset", "Generate dataset"],
      ["training", "Train_model_XGBoost", "Train model (XGBoost)"],
      ["model", "Save_Model", "Save Model"],
      ["transform", "Batch_transform", "Batch transform"],
    ]);
    expect(Object.fromEntries(dependencies(p))).toEqual({
      Generate_dataset: [],
      Train_model_XGBoost: ["Generate_dataset"],
      Save_Model: ["Train_model_XGBoost"],
      Batch_transform: ["Save_Model"],
    });
    const [, train, model, transform] = p.steps;
    expect(show(model, "model")).toBe("${{ steps.Train_model_XGBoost.model }}");
    expect(show(transform, "model")).toBe("${{ steps.Save_Model.name }}");
    expect(train.kind === "training" && Object.keys(train.hyperparameters)).toEqual(["objective", "eval_metric", "num_round"]);
    expect(train.kind === "training" && train.inputs.train.distribution).toBe("ShardedByS3Key");
    expect(train.timeout).toBe(86400);
    expect([p.region, p.role, p.artifacts]).toEqual([
      "us-west-2",
      "arn:aws:iam::123456789012:role/TrainAndBatchTransform-SageMakerAPIExecutionRole-Y9IX3DLF6EUO",
      "s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/switchyard",
    ]);
    // What is not kept is said, with the place: names, roles, output locations, the Lambda's input.
    const warnings = r.diagnostics.filter((d) => d.severity === "warning").map((d) => `${d.pos?.line}: ${d.message}`);
    expect(warnings).toContain("4: $.States['Generate dataset']: the function received the whole state input; the lifted step sends an empty payload");
    expect(warnings).toContain("46: $.States['Train model (XGBoost)'].Parameters['TrainingJobName.$']: TrainingJobName is not kept: Switchyard names resources and takes the role from the pipeline");
  });

  test("what was lifted lowers again to a machine both validators accept", async () => {
    for (const f of ["awsdocs-sample-train-xgboost-batch-transform.asl.json", "awsdocs-sample-processing-feature-transform-train.asl.json"]) {
      const out = lower(backend.lift!(corpus(f)).pipeline!);
      expect(out.diagnostics).toEqual([]);
      expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
      expect(await languageService(out.files[0].contents)).toEqual([]);
    }
  });

  test("the corpus tuning state alone lifts to a tuning step and lowers back to the same tuning configuration", async () => {
    const src = JSON.parse(corpus("awsdocs-sample-tune-xgboost-hpo-batch-transform.asl.json").text);
    const state = { ...src.States["HyperparameterTuning (XGBoost)"], End: true };
    delete state.Next;
    const r = backend.lift!({ file: "tune.asl.json", text: JSON.stringify({ StartAt: "Tune", States: { Tune: state } }, null, 2) });
    expect(errors(r)).toEqual([]);
    const t = r.pipeline!.steps[0];
    expect(t.kind).toBe("tuning");
    const out = lower(r.pipeline!);
    expect(out.diagnostics).toEqual([]);
    expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
    const lowered = out.definition.States.Tune.Parameters;
    expect(lowered.HyperParameterTuningJobConfig).toEqual(state.Parameters.HyperParameterTuningJobConfig);
    expect(lowered.TrainingJobDefinition.StaticHyperParameters).toEqual(state.Parameters.TrainingJobDefinition.StaticHyperParameters);
    expect(lowered.TrainingJobDefinition.AlgorithmSpecification).toEqual(state.Parameters.TrainingJobDefinition.AlgorithmSpecification);
  });

  test("machines with constructs the IR lacks are refused, each construct named with its JSON path and line", () => {
    expect(errors(backend.lift!(corpus("sfn-collection-sagemaker-pipeline-failure-notify.asl.json")))).toEqual([
      "sfn-collection-sagemaker-pipeline-failure-notify.asl.json:7:19: error: $.States['Notify that a SageMaker Pipeline execution has failed'].Resource: resource 'arn:aws:states:::sns:publish' has no IR step kind",
    ]);
    expect(errors(backend.lift!(corpus("sfn-collection-train-ml-model-sam-substitutions.asl.json")))).toEqual([
      "sfn-collection-train-ml-model-sam-substitutions.asl.json:6:19: error: $.States['Generate dataset'].Resource: resource '${DataGenerationJobArn}' is a deployment-time substitution, so which service it calls is unknown",
    ]);
    const maint = errors(backend.lift!(corpus("sfn-collection-sagemaker-endpoint-maintainer.asl.json")));
    expect(maint).toContain("sfn-collection-sagemaker-endpoint-maintainer.asl.json:69:13: error: $.States.Wait: a Wait state has no IR equivalent");
    expect(maint).toContain("sfn-collection-sagemaker-endpoint-maintainer.asl.json:115:19: error: $.States.DeleteEndpoint.Resource: resource 'arn:aws:states:::aws-sdk:sagemaker:deleteEndpoint' has no IR step kind");
    // The tuning job itself lifts; the Lambda results the later states read (body.*) have no IR reference.
    expect(errors(backend.lift!(corpus("awsdocs-sample-tune-xgboost-hpo-batch-transform.asl.json")))).toEqual([
      "awsdocs-sample-tune-xgboost-hpo-batch-transform.asl.json:110:39: error: $.States['HyperparameterTuning - Save Model'].Parameters.PrimaryContainer['ModelDataUrl.$']: 'body.modelDataUrl' of the result of lambda step 'Extract_Model_Path' has no IR reference",
      "awsdocs-sample-tune-xgboost-hpo-batch-transform.asl.json:128:32: error: $.States['Batch transform'].Parameters['ModelName.$']: 'body.jobName' of the result of lambda step 'Extract_Model_Name' has no IR reference",
    ]);
    const proc = errors(backend.lift!(corpus("awsdocs-connect-sagemaker-processing-job-validate.asl.json")));
    expect(proc).toEqual([
      "awsdocs-connect-sagemaker-processing-job-validate.asl.json:3:21: error: $.TimeoutSeconds: top-level field 'TimeoutSeconds' has no IR equivalent",
      "awsdocs-connect-sagemaker-processing-job-validate.asl.json:29:25: error: $.States.ValidateOutput.Choices[0].Not.Variable: 'ProcessingJobArn' of the result of processing step 'SageMaker_CreateProcessingJob_Sync' has no IR reference",
    ]);
  });
});

const MACHINE = {
  Comment: "hand-written",
  StartAt: "Score",
  States: {
    Score: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:score", Payload: { "data.$": "$.data", fixed: "x" } },
      Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"], IntervalSeconds: 5, MaxAttempts: 4, BackoffRate: 1.5 }],
      TimeoutSeconds: 300,
      ResultSelector: { "score.$": "$.Payload.score" },
      ResultPath: "$.scored",
      Next: "Both",
    },
    Both: {
      Type: "Parallel",
      ResultPath: null,
      Branches: [
        { StartAt: "Left", States: { Left: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "left", Payload: { "s.$": "$.scored.score" } }, End: true } } },
        { StartAt: "Right", States: { Right: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "right", Payload: {} }, End: true } } },
      ],
      Next: "Gate",
    },
    Gate: {
      Type: "Choice",
      Choices: [{ And: [{ Variable: "$.scored.score", NumericGreaterThanEqualsPath: "$.min" }, { Not: { Variable: "$.mode", StringEquals: "dry" } }], Next: "Ask" }],
      Default: "TooLow",
    },
    Ask: {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/q", MessageBody: { "token.$": "$$.Task.Token", "score.$": "$.scored.score" } },
      TimeoutSeconds: 3600,
      End: true,
    },
    TooLow: { Type: "Fail", Error: "TooLow", Cause: "score below the minimum" },
  },
};

describe("a hand-written machine", () => {
  const r = backend.lift!({ file: "hand.asl.json", text: JSON.stringify(MACHINE, null, 2) });

  test("lifts to the IR with its retry, timeout, parallel shape and condition", () => {
    expect(errors(r)).toEqual([]);
    const p = r.pipeline!;
    expect(p.parameters.map((x) => [x.name, x.type])).toEqual([["data", "string"], ["min", "float"], ["mode", "string"]]);
    expect(Object.fromEntries(dependencies(p))).toEqual({ Score: [], Left: ["Score"], Right: ["Score"], Gate: ["Score", "Left", "Right"], Ask: ["Score", "Gate"], TooLow: ["Gate"] });
    const [score, , , gate] = p.steps;
    expect(score.retry).toMatchObject([{ attempts: 5, interval: 5, backoff: 1.5, on: ["throttling"] }]);
    expect(score.timeout).toBe(300);
    expect(gate.kind === "condition" && [printTemplate(gate.if), gate.then, gate.else]).toEqual([
      "${{ steps.Score.outputs.score >= params.min and not params.mode == 'dry' }}",
      ["Ask"],
      ["TooLow"],
    ]);
  });

  test("lowered again, it runs: the approval gets the score, a low score fails", async () => {
    const out = lower(r.pipeline!);
    expect(out.diagnostics).toEqual([]);
    const seen: unknown[] = [];
    const handlers = (score: number) => ({
      Score: lambdaInvoke(() => ({ score })),
      Left: lambdaInvoke((x) => x),
      Right: lambdaInvoke(() => ({})),
      Ask: (i: { MessageBody: unknown }) => {
        seen.push(i.MessageBody);
        return {};
      },
    });
    const ok = await run(out.definition, { data: "d", min: 0.5, mode: "live" }, handlers(0.8));
    expect(ok.status).toBe("SUCCEEDED");
    expect(ok.inputs.Left[0].Payload).toEqual({ s: 0.8 });
    expect(seen).toEqual([{ token: "local-task-token", execution: "arn:aws:states:us-east-1:111122223333:execution:machine:exec-1", step: "Ask", message: { score: 0.8 } }]);
    const low = await run(out.definition, { data: "d", min: 0.5, mode: "live" }, handlers(0.1));
    expect([low.status, low.error, low.cause]).toEqual(["FAILED", "TooLow", "score below the minimum"]);
  });

  test("a Map, a Wait and a Catch are each refused by path", () => {
    const m = structuredClone(MACHINE) as Record<string, any>;
    m.States.Score.Catch = [{ ErrorEquals: ["States.ALL"], Next: "TooLow" }];
    m.States.Both = { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, Next: "Gate" };
    m.States.Gate.Choices[0].Next = "Pause";
    m.States.Pause = { Type: "Wait", Seconds: 5, Next: "Ask" };
    const res = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    expect(res.pipeline).toBeUndefined();
    expect(errors(res).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual([
      "$.States.Score.Catch: field 'Catch' of a Task state has no IR equivalent",
      "$.States.Both: a Map state has no IR equivalent",
      "$.States.Pause: a Wait state has no IR equivalent",
    ]);
  });
});
