/** Lifting ASL into the IR: the corpus, hand-written machines, and lowering what was lifted. */
import { readFileSync } from "node:fs";
import { CORPUS as CORPUS_ROOT } from "../../support/corpus.js";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printTemplate } from "../../../src/ir/expr/print.js";
import { dependencies } from "../../../src/ir/graph.js";
import type { Step } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { lambdaInvoke, sagemaker } from "./services.js";
import { aslValidator, awsError, languageService, lower, run } from "./support.js";

const CORPUS = `${CORPUS_ROOT}/stepfunctions`;
const corpus = (f: string) => ({ file: f, text: readFileSync(`${CORPUS}/${f}`, "utf8") });
/** A corpus machine without its first state (a Lambda given the run's input), to look at the SageMaker steps alone. */
const withoutFirst = (f: string) => {
  const m = JSON.parse(corpus(f).text);
  const first = m.StartAt;
  m.StartAt = m.States[first].Next;
  delete m.States[first];
  return { file: f, text: JSON.stringify(m, null, 2) };
};
const errors = (r: ReturnType<NonNullable<typeof backend.lift>>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
const show = (s: Step, field: string) => printTemplate((s as unknown as Record<string, never>)[field]);

describe("the corpus", () => {
  test("canLift recognises state machines only", () => {
    expect(backend.canLift!(corpus("awsdocs-sample-train-xgboost-batch-transform.asl.json"))).toBe(true);
    expect(backend.canLift!({ file: "x.json", text: '{"Version": "1.0", "Steps": []}' })).toBe(false);
    expect(backend.canLift!({ file: "x.yaml", text: "steps: {}" })).toBe(false);
  });

  test("train -> model -> batch transform lifts, and the model name the transform used becomes the model step's name", () => {
    const r = backend.lift!(withoutFirst("awsdocs-sample-train-xgboost-batch-transform.asl.json"));
    expect(errors(r)).toEqual([]);
    const p = r.pipeline!;
    expect(p.steps.map((s) => [s.kind, s.id, s.display_name])).toEqual([
      ["training", "Train_model_XGBoost", "Train model (XGBoost)"],
      ["model", "Save_Model", "Save Model"],
      ["transform", "Batch_transform", "Batch transform"],
    ]);
    expect(Object.fromEntries(dependencies(p))).toEqual({
      Train_model_XGBoost: [],
      Save_Model: ["Train_model_XGBoost"],
      Batch_transform: ["Save_Model"],
    });
    const [train, model, transform] = p.steps;
    expect(show(model, "model")).toBe("${{ steps.Train_model_XGBoost.model }}");
    expect(show(transform, "model")).toBe("${{ steps.Save_Model.name }}");
    expect(train.kind === "training" && Object.keys(train.hyperparameters)).toEqual(["objective", "eval_metric", "num_round"]);
    expect(train.kind === "training" && train.inputs.train.distribution).toBe("ShardedByS3Key");
    // A StoppingCondition of SageMaker's own default (one day) is no timeout.
    expect(train.timeout).toBeUndefined();
    expect([p.region, p.role, p.artifacts]).toEqual([
      "us-west-2",
      "arn:aws:iam::123456789012:role/TrainAndBatchTransform-SageMakerAPIExecutionRole-Y9IX3DLF6EUO",
      "s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/switchyard",
    ]);
    // Output locations are kept as written; what is not kept (resource names) is said, with the place.
    expect(train.kind === "training" && printTemplate(train.output_path!)).toBe("s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/models");
    expect(transform.kind === "transform" && printTemplate(transform.output.destination!)).toBe("s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/output");
    const warnings = r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message);
    expect(warnings).toContain("$.States['Train model (XGBoost)'].Parameters['TrainingJobName.$']: TrainingJobName is not kept: Switchyard names the jobs and models it creates");
  });

  test("what was lifted lowers again to a machine both validators accept", async () => {
    for (const f of ["awsdocs-sample-train-xgboost-batch-transform.asl.json", "awsdocs-sample-processing-feature-transform-train.asl.json"]) {
      const out = lower(backend.lift!(withoutFirst(f)).pipeline!);
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
    // '$.data' goes only to the function, whole: the run's input member of any type, not a (string) parameter.
    expect(p.parameters.map((x) => [x.name, x.type])).toEqual([["min", "float"], ["mode", "string"]]);
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
    // The message as the machine laid it out: its fields, the token under the key it chose.
    expect(seen).toEqual([{ token: "local-task-token", score: 0.8 }]);
    const low = await run(out.definition, { data: "d", min: 0.5, mode: "live" }, handlers(0.1));
    expect([low.status, low.error, low.cause]).toEqual(["FAILED", "TooLow", "score below the minimum"]);
  });

  test("a Map whose iterations run no step is refused by path; a Wait and a Catch to a notify-then-Fail handler lift", () => {
    const m = structuredClone(MACHINE) as Record<string, any>;
    m.States.Score.Catch = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Notify" }];
    m.States.Notify = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "notify", Payload: { "data.$": "$.data" } }, ResultPath: null, Next: "Failed" };
    m.States.Failed = { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" };
    m.States.Gate.Choices[0].Next = "Pause";
    m.States.Pause = { Type: "Wait", Seconds: 5, Next: "Ask" };
    const ok = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    expect(errors(ok)).toEqual([]);
    const byId = new Map(ok.pipeline!.steps.map((s) => [s.id, s]));
    expect(byId.get("Score")!.on_failure?.[0].steps).toEqual(["Notify"]);
    expect(byId.get("Pause")).toMatchObject({ kind: "wait", seconds: { value: 5 } });
    m.States.Both = { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, ResultPath: null, Next: "Gate" };
    const res = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    expect(res.pipeline).toBeUndefined();
    expect(errors(res).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual(["$.States.Both: its iterations run no step (only Pass, Choice, Succeed or Fail states), and a map step runs at least one"]);
  });
});

const TRAIN_PARAMS = {
  "TrainingJobName.$": "$$.Execution.Name",
  AlgorithmSpecification: { TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", TrainingInputMode: "File" },
  RoleArn: "arn:aws:iam::111122223333:role/SageMaker",
  InputDataConfig: [{ ChannelName: "train", DataSource: { S3DataSource: { S3DataType: "S3Prefix", "S3Uri.$": "$.train_data", S3DataDistributionType: "FullyReplicated" } } }],
  OutputDataConfig: { S3OutputPath: "s3://bucket/models" },
  ResourceConfig: { InstanceCount: 1, InstanceType: "ml.m5.large", VolumeSizeInGB: 10 },
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
};

describe("hand-written idioms", () => {
  test("an error caught into where the state goes on success is let pass (ends: continues), later Catches and all; both ways run the same calls again", async () => {
    const def = {
      StartAt: "StartCrawler",
      States: {
        StartCrawler: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:startCrawler", Parameters: { Name: "raw" }, Catch: [{ ErrorEquals: ["Glue.CrawlerRunningException"], Next: "Transform" }], Next: "Transform" },
        Transform: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { JobName: "etl" }, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }], Next: "Done" },
        Done: { Type: "Succeed" },
        Failed: { Type: "Fail", Error: "EtlFailed" },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps.map((x) => `${x.id}:${x.kind}`)).toEqual(["StartCrawler:aws", "Transform:glue", "Failed:fail"]);
    expect(stripPositions(r.pipeline!.steps[0].on_failure)).toEqual([{ steps: [], errors: ["Glue.CrawlerRunningException"], ends: "continues" }]);
    const again = lower(r.pipeline!).definition;
    expect(again.States.StartCrawler.Catch).toEqual([{ ErrorEquals: ["Glue.CrawlerRunningException"], ResultPath: null, Next: "Transform" }]);
    // The crawler already running, or started: the job runs after it either way; another error fails the run at once.
    for (const crawler of ["Glue.CrawlerRunningException", "Glue.EntityNotFoundException", undefined]) {
      const answers = () => ({
        StartCrawler: () => {
          if (crawler) throw awsError(crawler);
          return {};
        },
        Transform: () => ({ JobRunState: "SUCCEEDED" }),
      });
      const [a, b] = [await run(def, {}, answers()), await run(again, {}, answers())];
      expect([b.status, b.error, Object.keys(b.inputs)]).toEqual([a.status, a.error, Object.keys(a.inputs)]);
      expect(a.status).toBe(crawler === "Glue.EntityNotFoundException" ? "FAILED" : "SUCCEEDED");
    }
  });

  test("a Parallel's Catch into where it goes on success is refused: the IR lets one step's failure pass, not a group's", () => {
    const def = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: ["a", "b"].map((n) => ({ StartAt: n, States: { [n]: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: n }, End: true } } })),
          ResultPath: null,
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "After" }],
          Next: "After",
        },
        After: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "after" }, End: true },
      },
    };
    expect(errors(backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) }))).toEqual([
      "m.asl.json:43:19: error: $.States.Both.Catch[0].Next: the Catch of Parallel state 'Both' goes on to 'After', where it goes when it succeeds: a failure in one branch would skip the rest of every branch, and the IR lets the failure of one step pass, not of a group\n  hint: put the Catch on the states inside, each letting its own failure pass",
    ]);
  });

  test("a member of the run's input a list intrinsic takes is a list of the input, not a (scalar) parameter; the runs send the same", async () => {
    const def = {
      StartAt: "Fan",
      States: {
        Fan: {
          Type: "Map",
          ItemsPath: "$.regions",
          Parameters: { "region.$": "$$.Map.Item.Value" },
          Iterator: { StartAt: "Score", States: { Score: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "score", "Payload.$": "$" }, End: true } } },
          ResultPath: null,
          Next: "Tell",
        },
        Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "States.Format('first: {}', States.ArrayGetItem($.regions, 0))" }, End: true },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.parameters).toEqual([]);
    const tell = r.pipeline!.steps.find((s) => s.id === "Tell") as Extract<Step, { kind: "aws" }>;
    expect(printTemplate(tell.request.Message)).toBe("first: ${{ item(execution.input.regions, 0) }}");
    const again = lower(r.pipeline!).definition;
    const answers = () => ({ Score: () => ({ Payload: {} }), Tell: (i: any) => ({ MessageId: i.Message }) });
    const [a, b] = [await run(def, { regions: ["eu", "us"] }, answers()), await run(again, { regions: ["eu", "us"] }, answers())];
    expect(b.inputs).toEqual(a.inputs);
    expect(a.inputs.Tell).toEqual([{ TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "first: eu" }]);
  });

  test("a member of the run's input tested with IsPresent may be missing: it is read there (exists()), not as a parameter; the runs route alike with and without it", async () => {
    const def = {
      StartAt: "Score",
      States: {
        Score: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sagemakerruntime:invokeEndpoint", Parameters: { EndpointName: "e", Body: "{}", ContentType: "application/json" }, ResultSelector: { "score.$": "$.Body" }, ResultPath: "$.model", Next: "Route" },
        Route: {
          Type: "Choice",
          Choices: [{ And: [{ Variable: "$.threshold", IsPresent: true }, { Variable: "$.model.score", NumericGreaterThanPath: "$.threshold" }], Next: "High" }],
          Default: "Low",
        },
        High: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:high", "Message.$": "States.Format('over {}', $.threshold)" }, End: true },
        Low: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:low", Message: "low" }, End: true },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.parameters).toEqual([]);
    const route = r.pipeline!.steps.find((s) => s.id === "Route") as Extract<Step, { kind: "condition" }>;
    expect(printTemplate(route.if)).toBe("${{ exists(execution.input.threshold) and steps.Score.outputs.Body > execution.input.threshold }}");
    const again = lower(r.pipeline!).definition;
    const answers = () => ({ Score: () => ({ Body: 10 }), High: (i: any) => ({ MessageId: i.Message }), Low: (i: any) => ({ MessageId: i.Message }) });
    for (const [input, sent] of [[{ threshold: 5 }, "High"], [{ threshold: 50 }, "Low"], [{}, "Low"]] as const) {
      const runs = [await run(def, input, answers()), await run(again, input, answers())];
      for (const x of runs) expect([x.status, x.started], JSON.stringify(input)).toEqual(["SUCCEEDED", ["Score", sent]]);
      expect(runs[1].inputs[sent]).toEqual(runs[0].inputs[sent]);
    }
  });

  test("a Map that runs no step is dropped, with a warning, only when it and all after it make no call and cannot end the execution failed", () => {
    const call = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f", Payload: { a: 1 } } };
    const machine = (after: object) => ({
      StartAt: "Call",
      States: {
        Call: { ...call, Next: "Shape" },
        Shape: { Type: "Map", ItemsPath: "$.Payload.items", Iterator: { StartAt: "Same", States: { Same: { Type: "Pass", End: true } } }, ResultPath: "$.shaped", Next: "Which" },
        ...after,
      },
    });
    const lift = (m: object) => backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    const kept = lift(machine({ Which: { Type: "Choice", Choices: [{ Variable: "$.shaped[0]", IsPresent: true, Next: "Yes" }], Default: "No" }, Yes: { Type: "Pass", End: true }, No: { Type: "Succeed" } }));
    expect(errors(kept)).toEqual([]);
    expect(kept.pipeline!.steps.map((s) => s.id)).toEqual(["Call"]);
    expect(kept.diagnostics.some((d) => d.severity === "warning" && d.message.includes("states 'Shape', 'Which', 'Yes', 'No' make no call"))).toBe(true);
    // A call, a Fail state, or a Choice that can match nothing after it: the Map is refused as before.
    for (const after of [
      { Which: { ...call, End: true } },
      { Which: { Type: "Choice", Choices: [{ Variable: "$.shaped[0]", IsPresent: true, Next: "No" }], Default: "Stop" }, No: { Type: "Succeed" }, Stop: { Type: "Fail", Error: "NoItems" } },
      { Which: { Type: "Choice", Choices: [{ Variable: "$.shaped[0]", IsPresent: true, Next: "No" }] }, No: { Type: "Succeed" } },
    ]) {
      expect(errors(lift(machine(after)))).toContainEqual(expect.stringContaining("its iterations run no step"));
    }
  });

  test("a function's payload is its own data: keys named like request members (Payload, Tags) taken from paths lift, and lift again once lowered", () => {
    const m = {
      StartAt: "List",
      States: {
        List: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "list", Payload: { "Input.$": "$" } }, Next: "Batch" },
        Batch: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "batch", Payload: { Input: { "Payload.$": "$.Payload", "Tags.$": "$.Payload.tags" } } }, End: true },
      },
    };
    const r = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    const again = backend.lift!({ file: "again.json", text: JSON.stringify(lower(r.pipeline!).definition, null, 2) });
    expect(errors(again)).toEqual([]);
    const batch = again.pipeline!.steps.find((s) => s.id === "Batch")!;
    expect(batch.kind === "lambda" && Object.keys(batch.payload)).toEqual(["Input"]);
  });

  test("createTrainingJob without .sync and a Wait / Describe / Choice loop is one training step, said in a warning", async () => {
    const m = {
      StartAt: "Start training",
      States: {
        "Start training": { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob", Parameters: TRAIN_PARAMS, ResultPath: "$.started", Next: "Wait 60" },
        "Wait 60": { Type: "Wait", Seconds: 60, Next: "Describe" },
        Describe: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:sagemaker:describeTrainingJob", Parameters: { "TrainingJobName.$": "$$.Execution.Name" }, ResultPath: "$.job", Next: "Done?" },
        "Done?": {
          Type: "Choice",
          Choices: [
            { Variable: "$.job.TrainingJobStatus", StringEquals: "Completed", Next: "Register" },
            { Variable: "$.job.TrainingJobStatus", StringEquals: "Failed", Next: "Training failed" },
          ],
          Default: "Wait 60",
        },
        "Training failed": { Type: "Fail", Error: "TrainingFailed" },
        Register: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "register", Payload: { "model.$": "$.job.ModelArtifacts.S3ModelArtifacts" } }, End: true },
      },
    };
    const r = backend.lift!({ file: "poll.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "$.States['Start training']: the polling loop 'Wait 60', 'Describe', 'Done?', 'Training failed' is read as one job step that waits for its job (.sync): the describeTrainingJob calls, the poll interval and the loop's own failure states are not kept",
    );
    const [train, register] = r.pipeline!.steps;
    expect([train.kind, register.kind]).toEqual(["training", "lambda"]);
    // The model the loop's Describe result held is the training step's model.
    expect(register.kind === "lambda" && printTemplate(register.payload.model)).toBe("${{ steps.Start_training.model }}");
    const out = lower(r.pipeline!);
    expect(out.diagnostics).toEqual([]);
    const ran = await run(out.definition, { train_data: "s3://bucket/train" }, { Start_training: sagemaker.training(), Register: lambdaInvoke((x) => x) });
    expect(ran.status).toBe("SUCCEEDED");
    expect(ran.inputs.Start_training[0].InputDataConfig[0].DataSource.S3DataSource.S3Uri).toBe("s3://bucket/train");
    expect(ran.inputs.Register[0].Payload.model).toMatch(/^s3:\/\/bucket\/models\/.+\/output\/model\.tar\.gz$/);
  });

  test("the whole object a ResultSelector built, written at a key, is the map of what it picked", async () => {
    const m = {
      StartAt: "Get",
      States: {
        Get: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:getObject", Parameters: { Bucket: "b", Key: "k" }, ResultSelector: { "type.$": "$.ContentType", "size.$": "$.ContentLength" }, ResultPath: "$.got", Next: "Send" },
        Send: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f", "Payload.$": "$.got" }, End: true },
      },
    };
    const r = backend.lift!({ file: "sel.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    const send = r.pipeline!.steps.find((x) => x.id === "Send")!;
    // A map written out is the payload's named fields, as lowering writes them.
    expect(send.kind === "lambda" && send.payload_value).toBe(undefined);
    expect(send.kind === "lambda" && Object.fromEntries(Object.entries(send.payload).map(([k, x]) => [k, printTemplate(x)]))).toEqual({
      type: "${{ steps.Get.outputs.ContentType }}",
      size: "${{ steps.Get.outputs.ContentLength }}",
    });
    // The function is sent the same object before and after.
    const handlers = () => ({ Get: () => ({ ContentType: "text/csv", ContentLength: 12, Body: "a,b" }), Send: lambdaInvoke((x) => x) });
    const before = await run(m, {}, handlers());
    const after = await run(lower(r.pipeline!).definition, {}, handlers());
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(after.inputs.Send[0].Payload).toEqual({ type: "text/csv", size: 12 });
    expect(after.inputs.Send[0].Payload).toEqual(before.inputs.Send[0].Payload);
  });

  test("createEndpointConfig then createEndpoint is one endpoint step, with a warning that it also waits and updates", () => {
    const m = {
      StartAt: "Save model",
      States: {
        "Save model": {
          Type: "Task",
          Resource: "arn:aws:states:::sagemaker:createModel",
          Parameters: { "ModelName.$": "$$.Execution.Name", ExecutionRoleArn: "arn:aws:iam::111122223333:role/SageMaker", PrimaryContainer: { Image: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", "ModelDataUrl.$": "$.model" } },
          ResultPath: null,
          Next: "Config",
        },
        Config: {
          Type: "Task",
          Resource: "arn:aws:states:::sagemaker:createEndpointConfig",
          Parameters: { "EndpointConfigName.$": "$$.Execution.Name", ProductionVariants: [{ VariantName: "AllTraffic", "ModelName.$": "$$.Execution.Name", InstanceType: "ml.t2.medium", InitialInstanceCount: 1 }] },
          ResultPath: null,
          Next: "Deploy",
        },
        Deploy: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createEndpoint", Parameters: { "EndpointConfigName.$": "$$.Execution.Name", EndpointName: "churn" }, End: true },
      },
    };
    const r = backend.lift!({ file: "ep.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "$.States.Config: 'Config' and 'Deploy' are read as one endpoint step, which also waits until the endpoint is InService (DescribeEndpoint every 30 s) and updates an endpoint of that name that already exists",
    );
    expect(r.diagnostics.map((d) => d.message)).toContain("$.States.Config.Parameters['EndpointConfigName.$']: EndpointConfigName is not kept: Switchyard names the endpoint configurations it creates");
    const ep = r.pipeline!.steps[1];
    expect(ep.kind === "endpoint" && [printTemplate(ep.name), printTemplate(ep.model)]).toEqual(["churn", "${{ steps.Save_model.name }}"]);
    expect(lower(r.pipeline!).diagnostics).toEqual([]);

    // After the rollout the data is what its states' ResultPaths leave: the endpoint's response over it (the default), the data
    // as it was (null), or the data with the response in a key: the parameter `$.model` reads is still there in the last two.
    const after = (deploy: Record<string, unknown>) => {
      const states = { ...m.States, Deploy: { ...m.States.Deploy, ...deploy, End: undefined, Next: "Notify" }, Notify: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "notify", "Payload.$": "$.model" }, End: true } };
      const lifted = backend.lift!({ file: "ep.json", text: JSON.stringify({ ...m, States: states }, null, 2) });
      const notify = lifted.pipeline?.steps.find((x) => x.id === "Notify");
      if (notify) expect(notify.kind === "lambda" && notify.payload_value && printTemplate(notify.payload_value)).toBe("${{ params.model }}");
      return errors(lifted).map((e) => e.replace(/^ep\.json:\d+:\d+: /, ""));
    };
    expect(after({})).toEqual(["error: $.States.Notify.Parameters['Payload.$']: path '$.model' reads '$.model', which the response of state 'Deploy' (CreateEndpoint answers with EndpointArn alone) does not hold (a run fails there)"]);
    expect(after({ ResultPath: null })).toEqual([]);
    expect(after({ ResultPath: "$.endpoint" })).toEqual([]);
  });

  test("$$.Execution.Input fields are the pipeline's parameters, from any state; deeper paths read the run's input", () => {
    const params = { ...TRAIN_PARAMS, HyperParameters: { "eta.$": "$$.Execution.Input.eta", "depth.$": "$$.Execution.Input['depth']" } };
    const m = { StartAt: "Train", States: { Train: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: params, InputPath: "$", End: true } } };
    const r = backend.lift!({ file: "in.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.parameters.map((x) => x.name)).toEqual(["train_data", "eta", "depth"]);
    const deep = { ...TRAIN_PARAMS, HyperParameters: { "eta.$": "$$.Execution.Input.tuning.eta", "gamma.$": "$$.Execution.Input.tuning['min gamma']" } };
    const ok = backend.lift!({ file: "in.json", text: JSON.stringify({ StartAt: "Train", States: { Train: { ...m.States.Train, Parameters: deep } } }, null, 2) });
    expect(errors(ok)).toEqual([]);
    const hp = (ok.pipeline!.steps[0] as Step & { hyperparameters: Record<string, never> }).hyperparameters;
    expect(Object.values(hp).map((v) => printTemplate(v))).toEqual(["${{ execution.input.tuning.eta }}", "${{ execution.input.tuning['min gamma'] }}"]);
    const again = lower(ok.pipeline!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(again.definition.States.Train.Parameters.HyperParameters).toEqual({
      "eta.$": "States.Format('{}', $$.Execution.Input.tuning.eta)",
      "gamma.$": "States.Format('{}', $$.Execution.Input.tuning['min gamma'])",
    });
    // A key lowering could not write back into a path is refused where it is read.
    const odd = { ...TRAIN_PARAMS, HyperParameters: { "eta.$": "$$.Execution.Input['a,b']" } };
    const bad = backend.lift!({ file: "in.json", text: JSON.stringify({ StartAt: "Train", States: { Train: { ...m.States.Train, Parameters: odd } } }, null, 2) });
    expect(errors(bad).map((e) => e.replace(/^in\.json:\d+:\d+: error: /, ""))).toEqual([
      "$.States.Train.Parameters.HyperParameters['eta.$']: key \"a,b\" cannot be written back as a JSONPath member safely (only letters, digits, spaces and _ . : / -)",
    ]);
  });

  test("an input member some path reads below is an object: passed whole, it is the run's input there, not a (scalar) parameter", () => {
    const m = {
      StartAt: "Submit",
      States: {
        Submit: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:f", Payload: { "settings.$": "$.params", "queue.$": "$.params.queue" } },
          End: true,
        },
      },
    };
    const r = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.parameters).toEqual([]);
    const payload = (r.pipeline!.steps[0] as Extract<Step, { kind: "lambda" }>).payload;
    expect(stripPositions(payload.settings)).toEqual({ kind: "ref", ref: { scope: "execution", name: "input", path: ["params"] } });
    expect(lower(r.pipeline!).definition.States.Submit.Parameters.Payload["settings.$"]).toBe("$$.Execution.Input.params");
  });

  test("a processing input read from a nested input path reads the run's input there", () => {
    const m = {
      StartAt: "Prep",
      States: {
        Prep: {
          Type: "Task",
          Resource: "arn:aws:states:::sagemaker:createProcessingJob.sync",
          Parameters: {
            AppSpecification: { ImageUri: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3", ContainerEntrypoint: ["python3", "/opt/prep.py"] },
            ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: "ml.m5.large", VolumeSizeInGB: 30 } },
            ProcessingInputs: [{ InputName: "raw", S3Input: { "S3Uri.$": "$.detail.raw", LocalPath: "/opt/ml/processing/input", S3DataType: "S3Prefix", S3InputMode: "File" } }],
            RoleArn: "arn:aws:iam::111122223333:role/SageMaker",
          },
          End: true,
        },
      },
    };
    const r = backend.lift!({ file: "p.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r)).toEqual([]);
    const prep = r.pipeline!.steps[0];
    expect(prep.kind === "processing" && printTemplate(prep.inputs.raw.source)).toBe("${{ execution.input.detail.raw }}");
  });
});

describe("images, entry points and catchers", () => {
  const training = (image: string) => ({
    StartAt: "Train",
    States: { Train: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: { ...TRAIN_PARAMS, AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: "File" } }, End: true } },
  });
  const lifted = (m: unknown) => backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2) });
  const messages = (r: ReturnType<NonNullable<typeof backend.lift>>, severity: string) => r.diagnostics.filter((d) => d.severity === severity).map((d) => d.message);

  test("an image that is no registry URI is kept as written with a warning, and re-lowered as the same text", () => {
    for (const [image, why] of [
      ["not_an_image", "image 'not_an_image' is neither a registry image URI nor a shorthand like xgboost:1.7-1: it is kept as written"],
      ["${regionalTrainingImage}", "image '${regionalTrainingImage}' is a deployment-time substitution (AWS SAM / CloudFormation): it is kept as written, for the template to fill in"],
    ]) {
      const r = lifted(training(image));
      expect(errors(r)).toEqual([]);
      expect(messages(r, "warning")).toContain(`$.States.Train.Parameters.AlgorithmSpecification.TrainingImage: ${why}`);
      const again = lower(r.pipeline!);
      expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(messages(again as never, "warning")).toContain(why);
      expect(again.definition.States.Train.Parameters.AlgorithmSpecification.TrainingImage).toBe(image);
    }
  });

  test("an image without a registry that reads as a shorthand is refused: the IR would send another image", () => {
    expect(errors(lifted(training("xgboost:1.7-1"))).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual([
      "$.States.Train.Parameters.AlgorithmSpecification.TrainingImage: image 'xgboost:1.7-1' has no registry, so the IR would read it as an image shorthand and send another image",
    ]);
  });

  test("a processing job without ContainerEntrypoint runs the image's own: neither code nor command, and none when lowered", () => {
    const image = "737474898029.dkr.ecr.sa-east-1.amazonaws.com/sagemaker-scikit-learn:0.20.0-cpu-py3";
    const m = {
      StartAt: "Check",
      States: {
        Check: {
          Type: "Task",
          Resource: "arn:aws:states:::sagemaker:createProcessingJob.sync",
          Parameters: { AppSpecification: { ImageUri: image }, ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: "ml.t3.medium", VolumeSizeInGB: 10 } }, RoleArn: "arn:aws:iam::111122223333:role/SageMaker" },
          End: true,
        },
      },
    };
    const r = lifted(m);
    expect(errors(r)).toEqual([]);
    const s = r.pipeline!.steps[0];
    expect(s.kind === "processing" && [s.code, s.command]).toEqual([undefined, undefined]);
    expect(lower(r.pipeline!).definition.States.Check.Parameters.AppSpecification).toEqual({ ImageUri: image });
    // An entry point taken from a path is not the image's own: refused, not dropped.
    const fromPath = structuredClone(m);
    Object.assign(fromPath.States.Check.Parameters.AppSpecification, { "ContainerEntrypoint.$": "$.entry" });
    expect(errors(lifted(fromPath)).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual([
      "$.States.Check.Parameters.AppSpecification['ContainerEntrypoint.$']: ContainerEntrypoint must be a list of literal strings: the IR's command is fixed text",
    ]);
  });

  /** The training Task without its End, for a Next or an End to be added. */
  const train = () => {
    const { End: _end, ...t } = training("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1").States.Train;
    return t;
  };
  const notify = (message: string, next: object) => ({ Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: message }, ...next });

  test("catchers of some errors into states that end well are one handler for those error classes, without steps", () => {
    const m = {
      StartAt: "Train",
      States: {
        Train: { ...train(), End: true, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Timed out" }, { ErrorEquals: ["States.TaskFailed"], Next: "Failed" }] },
        "Timed out": { Type: "Pass", Result: "caught", End: true },
        Failed: { Type: "Succeed" },
      },
    };
    const r = lifted(m);
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps[0].on_failure).toMatchObject([{ steps: [], on: ["timeout", "job"], ends: "succeeded" }]);
  });

  test("a Catch into a notice that ends the execution well is a handler that ends succeeded; one into a Fail re-raising the error is no handler", () => {
    const m = {
      StartAt: "Train",
      States: {
        Train: { ...train(), Next: "Done", Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Tell" }] },
        Done: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: train().Parameters, End: true, Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.e", Next: "Again" }] },
        Tell: notify("training failed", { End: true }),
        Again: { Type: "Fail", ErrorPath: "$.e.Error", CausePath: "$.e.Cause" },
      },
    };
    const r = lifted(m);
    expect(errors(r)).toEqual([]);
    const [t, tell, done] = ["Train", "Tell", "Done"].map((id) => r.pipeline!.steps.find((s) => s.id === id)!);
    expect(t.on_failure).toMatchObject([{ steps: [tell.id], ends: "succeeded" }]);
    expect(t.on_failure![0].on).toBeUndefined();
    expect(done.on_failure).toBeUndefined();
  });

  test("a handler that ends both ways and Step Functions errors with no class are refused, each once; catchers into different handlers are not", () => {
    const m = {
      StartAt: "Train",
      States: {
        Train: { ...train(), Next: "Other", Catch: [{ ErrorEquals: ["States.Timeout"], Next: "A" }, { ErrorEquals: ["States.ALL"], Next: "B" }] },
        Other: { ...train(), End: true, Catch: [{ ErrorEquals: ["States.Permissions"], Next: "C" }] },
        A: notify("timed out", { End: true }),
        B: notify("failed", { Next: "Fail" }),
        Fail: { Type: "Fail", Error: "Failed" },
        C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a", Next: "Fail" }], Default: "A" },
      },
    };
    expect(errors(lifted(m)).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual([
      '$.States.Other.Catch[0].ErrorEquals: errors ["States.Permissions"] are not the names of any IR error classes on this service\n' +
        "  hint: the IR's error classes are, on this service: throttling (SageMaker.AmazonSageMakerException); capacity (SageMaker.ResourceLimitExceededException); service (SageMaker.AmazonSageMakerException); job (States.TaskFailed); timeout (States.Timeout); any (States.ALL); other Step Functions errors (States.*) have none",
      "$.States.C: the failure handler of 'Other' ends the execution failed on one path and succeeded on another; an IR failure handler ends it one way",
      "$.States.C: the failure handler of 'Other' branches at Choice state 'C'; an IR failure handler is the steps it lists, run in order, and its conditions cannot branch",
      // Without a ResultPath the error replaced the data: '$.x' is no longer the input's.
      "$.States.C.Choices[0].Variable: path '$.x' reads 'x' of the error the Catch of state 'Other' caught, which has only Error and Cause",
    ]);
  });

  const withParams = (params: object) => ({ StartAt: "Train", States: { Train: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: params, End: true } } });

  test("a job's MaxRuntimeInSeconds taken from a path makes it an aws step sending the request as written, never a job without its timeout", () => {
    const r = lifted(withParams({ ...TRAIN_PARAMS, StoppingCondition: { "MaxRuntimeInSeconds.$": "$.limit" } }));
    expect(errors(r)).toEqual([]);
    const s = r.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>;
    expect([s.kind, s.action]).toEqual(["aws", "CreateTrainingJob"]);
    expect(messages(r, "warning").filter((m) => m.includes("MaxRuntimeInSeconds"))).toEqual([
      "$.States.Train.Resource: the request takes MaxRuntimeInSeconds from the data at run time: lifted as an aws step that sends it as written (sagemaker:createTrainingJob.sync, waiting for the job), not as a job step; Switchyard does not name the resource, and SageMaker Pipelines cannot run it",
    ]);
    // `$.limit`, the execution's input, is the pipeline's parameter `limit`.
    expect(r.pipeline!.parameters.map((x) => x.name)).toEqual(["train_data", "limit"]);
    expect(lower(r.pipeline!).definition.States.Train.Parameters.StoppingCondition).toEqual({ "MaxRuntimeInSeconds.$": "$.params.limit" });
  });

  test("a StoppingCondition member the IR has no field for is refused, not dropped", () => {
    const r = lifted(withParams({ ...TRAIN_PARAMS, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxPendingTimeInSeconds: 7200 } }));
    expect(errors(r).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual(["$.States.Train.Parameters.StoppingCondition.MaxPendingTimeInSeconds: field 'MaxPendingTimeInSeconds' of StoppingCondition has no IR equivalent"]);
  });

  test("a role taken from a path is refused saying so, and replaced with a warning by the role given with --role", () => {
    const m = withParams({ ...TRAIN_PARAMS, RoleArn: undefined, "RoleArn.$": "$.role" });
    const without = lifted(m);
    expect(messages(without, "error")[0]).toBe("$.States.Train.Parameters['RoleArn.$']: RoleArn taken from '$.role' is no IAM role ARN written out: a pipeline runs every job as one literal role");
    const given = backend.lift!({ file: "m.json", text: JSON.stringify(m, null, 2), given: { role: "arn:aws:iam::111122223333:role/Given" } });
    expect(errors(given)).toEqual([]);
    expect(given.pipeline!.role).toBe("arn:aws:iam::111122223333:role/Given");
    expect(messages(given, "warning").filter((w) => w.includes("RoleArn"))).toEqual([
      "$.States.Train.Parameters['RoleArn.$']: RoleArn taken from '$.role' is replaced by the role given with --role (arn:aws:iam::111122223333:role/Given): a pipeline runs every job as one role",
    ]);
  });

  /** A Lambda invocation as CDK's LambdaInvoke writes it, with these retriers and catchers. */
  const invoke = (retry: string[][], caught?: string[]) => ({
    StartAt: "Invoke",
    States: {
      Invoke: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:fn", "Payload.$": "$" },
        OutputPath: "$.Payload",
        Retry: retry.map((ErrorEquals) => ({ ErrorEquals, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 })),
        ...(caught ? { Catch: [{ ErrorEquals: caught, Next: "Tell" }] } : {}),
        End: true,
      },
      ...(caught ? { Tell: notify("failed", { Next: "Failed" }), Failed: { Type: "Fail", Error: "Failed" } } : {}),
    },
  });
  const BEST_PRACTICE = ["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"];
  const changed = (r: ReturnType<typeof lifted>) => r.diagnostics.filter((d) => d.code === "lift-changed" && /ErrorEquals/.test(d.message)).map((d) => d.message);
  const retriedNames = (def: any) => def.States.Invoke.Retry.map((x: any) => x.ErrorEquals);

  test("CDK's default Lambda retrier (the Step Functions best practice) is the 'service' class, exactly", () => {
    const r = lifted(invoke([BEST_PRACTICE]));
    expect(errors(r)).toEqual([]);
    expect(changed(r)).toEqual([]);
    expect(r.pipeline!.steps[0].retry!.map((x) => x.on)).toEqual([["service"]]);
    expect(retriedNames(lower(r.pipeline!).definition)).toEqual([BEST_PRACTICE]);
  });

  test("a Lambda retrier or catcher naming part of a class is read as the class, with a warning naming what it adds", () => {
    const older = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"];
    const studio = [...older, "Lambda.TooManyRequestsException"];
    const r = lifted(invoke([older, studio], older));
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps[0].retry!.map((x) => x.on)).toEqual([["service"], ["service", "throttling"]]);
    expect(r.pipeline!.steps[0].on_failure?.[0].on).toEqual(["service"]);
    expect(changed(r)).toEqual([
      `$.States.Invoke.Retry[0].ErrorEquals: errors ${JSON.stringify(older)} are read as the IR's 'service' error class, which on this service also names Lambda.ClientExecutionTimeoutException: lowered again, the retrier retries that too`,
      `$.States.Invoke.Retry[1].ErrorEquals: errors ${JSON.stringify(studio)} are read as the IR's 'service' and 'throttling' error classes, which on this service also names Lambda.ClientExecutionTimeoutException: lowered again, the retrier retries that too`,
      `$.States.Invoke.Catch[0].ErrorEquals: errors ${JSON.stringify(older)} are read as the IR's 'service' error class, which on this service also names Lambda.ClientExecutionTimeoutException: lowered again, the handler catches that too`,
    ]);
    expect(retriedNames(lower(r.pipeline!).definition)).toEqual([BEST_PRACTICE, [...BEST_PRACTICE, "Lambda.TooManyRequestsException"]]);
  });

  test("HeartbeatSeconds is the step's Step Functions setting, and a catcher of States.HeartbeatTimeout is the 'timeout' class, said", () => {
    const m = invoke([]);
    const st = m.States.Invoke as Record<string, unknown>;
    delete st.Retry;
    Object.assign(st, { HeartbeatSeconds: 600, Catch: [{ ErrorEquals: ["States.HeartbeatTimeout"], Next: "Tell" }] });
    Object.assign(m.States, { Tell: notify("no heartbeat", { End: true }) });
    const r = lifted(m);
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps[0].targets.stepfunctions?.settings).toEqual({ HeartbeatSeconds: 600 });
    expect(r.pipeline!.steps[0].on_failure?.[0].on).toEqual(["timeout"]);
    expect(changed(r)).toEqual([
      `$.States.Invoke.Catch[0].ErrorEquals: errors ["States.HeartbeatTimeout"] are read as the IR's 'timeout' error class, which on this service also names States.Timeout: lowered again, the handler catches that too (States.Timeout matches a missed heartbeat as well as TimeoutSeconds)`,
    ]);
    const again = lower(r.pipeline!).definition.States.Invoke;
    expect([again.HeartbeatSeconds, again.Catch[0].ErrorEquals]).toEqual([600, ["States.Timeout"]]);
  });

  test("placeholders left in the text are named once, CloudFormation's ${!X} escape included", () => {
    const m = invoke([]);
    const st = m.States.Invoke as Record<string, unknown>;
    delete st.Retry;
    st.Parameters = { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:fn", Payload: { queue: "${JobQueue}", command: "echo ${!SAMPLE_ID}" } };
    const r = lifted(m);
    expect(errors(r)).toEqual([]);
    expect(messages(r, "warning").filter((w) => w.includes("kept as written text"))).toEqual([
      "$: ${JobQueue}, ${!SAMPLE_ID} are kept as written text (a deployment-time substitution, or CloudFormation's ${!...} escape): the lowered files need the same filling-in at deploy time, and another target receives the text as it is",
    ]);
  });

  test("an intrinsic the IR cannot hold is named as written, with what it computes", () => {
    const m = {
      StartAt: "Notify",
      States: { Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "States.Format('id {}', States.MathRandom(1, 9))" }, End: true } },
    };
    expect(errors(lifted(m)).map((e) => e.replace(/^m\.json:\d+:\d+: error: /, ""))).toEqual([
      "$.States.Notify.Parameters['Message.$']: States.MathRandom(1, 9): intrinsic States.MathRandom computes a random number at run time, which the IR cannot hold: its expressions call only the functions exists(), split(), item(), length(), uuid(), json(), parse(), set(), object(), matches(), get(), add_days(), default()",
    ]);
  });
});
