/**
 * JSONata machines (`QueryLanguage: JSONata`), as Workflow Studio now writes
 * them, lifted: Arguments, Assign and Output, Choice Conditions, `{% %}` Wait
 * seconds and Fail causes; variables read where a single state of their scope
 * assigns them. The lifted pipeline is checked by hand against what the
 * original does (aws-local-stepfunctions runs JSONPath only), and the machine
 * lowered from it is validated and executed: the same calls with the same
 * requests as the original makes. What has no IR form is refused by name.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import type { Step, Value } from "../../../src/ir/types.js";
import { aslValidator, awsError, lower, run } from "./support.js";

function lift(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2), given: { region: "eu-west-1", artifacts: "s3://ocr-artifacts/runs" } });
  return { ...r, text: r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]) };
}
const errorsOf = (def: unknown) => lift(def).text.filter((x) => x.includes(" error: "));
/** A value as the YAML would show it: maps member by member, text with its parts. */
const show = (v: Value | undefined): unknown => (v === undefined ? undefined : v.kind === "map" ? Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, show(x)])) : v.kind === "join" ? printTemplate(v) : printExpr(v));
const aws = (steps: Step[], id: string) => steps.find((s) => s.id === id) as Extract<Step, { kind: "aws" }>;

/**
 * A scanned document read with Textract, written as JSONata machines are: the event's location kept in
 * variables, the job id assigned from the start call's result, a Wait then a status check until the
 * job ends, the text's summary saved under a key built with `&`, the put's ETag passed on as the Output.
 */
const OCR = {
  Comment: "Read a scanned document with Textract and keep a summary",
  QueryLanguage: "JSONata",
  StartAt: "Configure",
  States: {
    Configure: {
      Type: "Pass",
      Assign: { bucket: "{% $states.input.detail.bucket.name %}", key: "{% $states.input.detail.object.key %}", resultsBucket: "ocr-results-example", prefix: "summaries" },
      Next: "Start Detection",
    },
    "Start Detection": {
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:textract:startDocumentTextDetection",
      Arguments: { DocumentLocation: { S3Object: { Bucket: "{% $bucket %}", Name: "{% $key %}" } }, JobTag: "scan" },
      Assign: { jobId: "{% $states.result.JobId %}" },
      Next: "Wait",
    },
    Wait: { Type: "Wait", Seconds: 20, Next: "Get Detection" },
    "Get Detection": {
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:textract:getDocumentTextDetection",
      Arguments: { JobId: "{% $jobId %}", MaxResults: 1000 },
      Next: "Done?",
    },
    "Done?": {
      Type: "Choice",
      Choices: [
        { Condition: "{% $states.input.JobStatus = 'SUCCEEDED' %}", Next: "Save Summary" },
        { Condition: "{% $states.input.JobStatus = 'FAILED' or $states.input.JobStatus = 'PARTIAL_SUCCESS' %}", Next: "Detection Failed" },
      ],
      Default: "Wait",
    },
    "Save Summary": {
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:s3:putObject",
      Arguments: { Bucket: "{% $resultsBucket %}", Key: "{% $prefix & '/' & $key & '.json' %}", Body: { job: "{% $jobId %}", pages: "{% $states.input.DocumentMetadata.Pages %}" } },
      Output: "{% $states.result.ETag %}",
      Next: "Notify",
    },
    Notify: {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:ocr-done", Message: "{% 'saved ' & $key & ' as ' & $states.input %}" },
      End: true,
    },
    "Detection Failed": { Type: "Fail", Error: "TextDetectionFailed", Cause: "{% 'Textract job ' & $jobId & ' ended ' & $states.input.JobStatus %}" },
  },
};

const event = { detail: { bucket: { name: "scans-example" }, object: { key: "in/contract.pdf" } } };

describe("a JSONata machine", () => {
  test("lifts: variables read where they were assigned, the polling loop a repeat, the Output the next state's input", () => {
    const r = lift(OCR);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}:${s.kind}`)).toEqual(["Start_Detection:aws", "Wait:wait", "Get_Detection:aws", "Done:condition", "Save_Summary:aws", "Notify:aws", "Detection_Failed:fail"]);
    const start = aws(steps, "Start_Detection");
    expect([start.service, start.action, show(start.request.DocumentLocation), show(start.request.JobTag)]).toEqual([
      "textract",
      "StartDocumentTextDetection",
      { S3Object: { Bucket: "execution.input.detail.bucket.name", Name: "execution.input.detail.object.key" } },
      "'scan'",
    ]);
    const get = aws(steps, "Get_Detection");
    // $jobId, assigned from the start call's result.
    expect(show(get.request.JobId)).toBe("steps.Start_Detection.outputs.JobId");
    expect([show(get.repeat!.until), get.repeat!.interval]).toEqual(["steps.Get_Detection.response.JobStatus == 'SUCCEEDED' or (steps.Get_Detection.response.JobStatus == 'FAILED' or steps.Get_Detection.response.JobStatus == 'PARTIAL_SUCCESS')", 20]);
    const done = steps.find((s) => s.id === "Done") as Extract<Step, { kind: "condition" }>;
    expect([show(done.if), done.then, done.else]).toEqual(["steps.Get_Detection.response.JobStatus == 'SUCCEEDED'", ["Save_Summary", "Notify"], ["Detection_Failed"]]);
    const save = aws(steps, "Save_Summary");
    expect([show(save.request.Bucket), show(save.request.Key), show(save.request.Body)]).toEqual([
      "'ocr-results-example'",
      "summaries/${{ execution.input.detail.object.key }}.json",
      { job: "steps.Start_Detection.outputs.JobId", pages: "steps.Get_Detection.response.DocumentMetadata.Pages" },
    ]);
    // The put's ETag (its Output) is what Notify reads as $states.input.
    expect(show(aws(steps, "Notify").request.Message)).toBe("saved ${{ execution.input.detail.object.key }} as ${{ steps.Save_Summary.outputs.ETag }}");
    const fail = steps.find((s) => s.id === "Detection_Failed") as Extract<Step, { kind: "fail" }>;
    expect([show(fail.error), show(fail.message)]).toEqual(["'TextDetectionFailed'", "Textract job ${{ steps.Start_Detection.outputs.JobId }} ended ${{ steps.Get_Detection.response.JobStatus }}"]);
  });

  const textract = (statuses: string[]) => {
    const left = [...statuses];
    return {
      Start_Detection: () => ({ JobId: "job-42" }),
      Get_Detection: (i: any) => ({ JobStatus: left.shift() ?? "IN_PROGRESS", DocumentMetadata: { Pages: 3 }, Echo: i.JobId }),
      Save_Summary: () => ({ ETag: '"e-1"' }),
      Notify: () => ({ MessageId: "m-1" }),
    };
  };

  test("the machine lowered from it is valid and runs as the original does: the start call's job polled, the summary saved under the key built, the ETag in the message", async () => {
    const def = lower(lift(OCR).pipeline!).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const r = await run(def, event, textract(["IN_PROGRESS", "SUCCEEDED"]));
    expect(r.status).toBe("SUCCEEDED");
    // What the original sends, read from its Arguments by hand.
    expect(r.inputs.Start_Detection).toEqual([{ DocumentLocation: { S3Object: { Bucket: "scans-example", Name: "in/contract.pdf" } }, JobTag: "scan" }]);
    expect(r.inputs.Get_Detection).toEqual([
      { JobId: "job-42", MaxResults: 1000 },
      { JobId: "job-42", MaxResults: 1000 },
    ]);
    expect(r.inputs.Save_Summary).toEqual([{ Bucket: "ocr-results-example", Key: "summaries/in/contract.pdf.json", Body: { job: "job-42", pages: 3 } }]);
    expect(r.inputs.Notify).toEqual([{ TopicArn: "arn:aws:sns:eu-west-1:111122223333:ocr-done", Message: 'saved in/contract.pdf as "e-1"' }]);
  });

  test("a failed job fails the run with the error and the cause built from the variable and the status", async () => {
    const def = lower(lift(OCR).pipeline!).definition;
    const r = await run(def, event, textract(["FAILED"]));
    expect(r).toMatchObject({ status: "FAILED", error: "TextDetectionFailed", cause: "Textract job job-42 ended FAILED" });
  });
});

/** A function's Payload as the Output, a Map over a list in it with each item and a member handed in, a Condition on how many results. */
const REGIONS = {
  QueryLanguage: "JSONata",
  StartAt: "Score",
  States: {
    Score: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:score", Payload: "{% $states.input %}" },
      Output: "{% $states.result.Payload %}",
      Next: "Each Region",
    },
    "Each Region": {
      Type: "Map",
      Items: "{% $states.input.regions %}",
      ItemSelector: { region: "{% $states.context.Map.Item.Value %}", model: "{% $states.input.model %}" },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Publish",
        States: {
          Publish: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:scores", Message: "{% $states.input.model & ' in ' & $states.input.region %}" }, End: true },
        },
      },
      Next: "Many?",
    },
    "Many?": { Type: "Choice", Choices: [{ Condition: "{% $count($states.input) > 2 %}", Next: "Alert" }], Default: "Done" },
    Alert: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:alerts", Message: "many regions" }, End: true },
    Done: { Type: "Succeed" },
  },
};

describe("a JSONata machine with a function and a Map", () => {
  test("lifts: the Payload the Map reads, the item and a member of the Map's input in each iteration, the count of its results", () => {
    const r = lift(REGIONS);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    const steps = r.pipeline!.steps;
    const map = steps.find((s) => s.id === "Each_Region") as Extract<Step, { kind: "map" }>;
    expect(show(map.items)).toBe("steps.Score.response.regions");
    expect(show(aws(steps, "Publish").request.Message)).toBe("${{ steps.Score.outputs.model }} in ${{ item }}");
    expect(show((steps.find((s) => s.id === "Many") as Extract<Step, { kind: "condition" }>).if)).toBe("length(steps.Each_Region.results) > 2");
  });

  test.each([
    ["three regions: three messages, then the alert", ["eu-west-1", "us-east-1", "ap-south-1"], 1],
    ["two regions: two messages, no alert", ["eu-west-1", "us-east-1"], 0],
  ])("the machine lowered from it runs as the original does: %s", async (_, regions, alerts) => {
    const def = lower(lift(REGIONS).pipeline!).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const r = await run(def, { customer: "c-9" }, { Score: () => ({ Payload: { model: "m-3", regions } }), Publish: () => ({ MessageId: "x" }), Alert: () => ({ MessageId: "y" }) });
    expect(r.status).toBe("SUCCEEDED");
    // The function is given the run's input, as the original's Payload is.
    expect(r.inputs.Score.map((i: { Payload: unknown }) => i.Payload)).toEqual([{ customer: "c-9" }]);
    expect(r.inputs.Publish.map((i: { Message: string }) => i.Message).sort()).toEqual(regions.map((x) => `m-3 in ${x}`).sort());
    expect(r.inputs.Alert ?? []).toHaveLength(alerts);
  });
});

describe("a JSONata Output that keeps the input and sets members ($merge, the form of a ResultPath)", () => {
  const KEEP = {
    QueryLanguage: "JSONata",
    StartAt: "Start",
    States: {
      Start: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:textract:startDocumentTextDetection",
        Arguments: { DocumentLocation: { S3Object: { Bucket: "{% $states.input.detail.bucket.name %}", Name: "{% $states.input.detail.object.key %}" } } },
        Output: "{% $merge([$states.input, {'detection': $states.result, 'note': 'started ' & $states.input.detail.object.key}]) %}",
        Next: "Tell",
      },
      Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:ocr-done", Message: "{% $states.input.note & ' as ' & $states.input.detection.JobId & ' in ' & $states.input.detail.bucket.name %}" }, End: true },
    },
  };

  test("later states read the input's members, the result under its key and the member built; run, the message is the original's", async () => {
    const r = lift(KEEP);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    expect(show(aws(r.pipeline!.steps, "Tell").request.Message)).toBe("started ${{ execution.input.detail.object.key }} as ${{ steps.Start.outputs.JobId }} in ${{ execution.input.detail.bucket.name }}");
    const out = await run(lower(r.pipeline!).definition, event, { Start: () => ({ JobId: "job-7" }), Tell: () => ({ MessageId: "m" }) });
    expect(out.inputs.Tell).toEqual([{ TopicArn: "arn:aws:sns:eu-west-1:111122223333:ocr-done", Message: "started in/contract.pdf as job-7 in scans-example" }]);
  });
});

describe("a JSONata SageMaker machine", () => {
  const IMAGE = "683313688378.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1";
  const ROLE = "arn:aws:iam::111122223333:role/SageMakerRole";
  const TRAIN = {
    QueryLanguage: "JSONata",
    StartAt: "Train",
    States: {
      Train: {
        Type: "Task",
        Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
        Arguments: {
          TrainingJobName: "{% 'churn-' & $states.context.Execution.Name %}",
          AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: "File" },
          RoleArn: ROLE,
          HyperParameters: { max_depth: "{% $string($states.input.depth) %}", objective: "binary:logistic" },
          InputDataConfig: [{ ChannelName: "train", DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "{% $states.input.train %}", S3DataDistributionType: "FullyReplicated" } }, ContentType: "text/csv" }],
          OutputDataConfig: { S3OutputPath: "s3://churn-models-example/output" },
          ResourceConfig: { InstanceType: "ml.m5.xlarge", InstanceCount: 1, VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        },
        Assign: { modelData: "{% $states.result.ModelArtifacts.S3ModelArtifacts %}" },
        Next: "Create Model",
      },
      "Create Model": {
        Type: "Task",
        Resource: "arn:aws:states:::sagemaker:createModel",
        Arguments: { ModelName: "{% 'churn-' & $states.context.Execution.Name %}", PrimaryContainer: { Image: IMAGE, ModelDataUrl: "{% $modelData %}" }, ExecutionRoleArn: ROLE },
        End: true,
      },
    },
  };

  test("a training job and a model step, as from JSONPath: a list of channels with computed members inside, $string() of a number, the model's data the variable the training assigned", () => {
    const r = lift(TRAIN);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    const [train, model] = r.pipeline!.steps as [Extract<Step, { kind: "training" }>, Extract<Step, { kind: "model" }>];
    expect([train.kind, show(train.inputs.train.source), show(train.hyperparameters.max_depth), show(train.hyperparameters.objective), train.timeout]).toEqual(["training", "params.train", "params.depth", "'binary:logistic'", 3600]);
    expect([model.kind, show(model.model)]).toEqual(["model", "steps.Train.model"]);
    expect(aslValidator(lower(r.pipeline!).definition)).toMatchObject({ isValid: true, errors: [] });
  });
});

test("a JSONata distributed Map reads the objects its ItemReader's Arguments list", () => {
  const r = lift({
    QueryLanguage: "JSONata",
    StartAt: "Each Object",
    States: {
      "Each Object": {
        Type: "Map",
        ItemReader: { Resource: "arn:aws:states:::s3:listObjectsV2", Arguments: { Bucket: "{% $states.input.bucket %}", Prefix: "incoming/" } },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Tag",
          States: { Tag: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:objects", Message: "{% $states.input.Key %}" }, End: true } },
        },
        End: true,
      },
    },
  });
  expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
  const map = r.pipeline!.steps.find((s) => s.id === "Each_Object") as Extract<Step, { kind: "map" }>;
  expect([show(map.read!.bucket), show(map.read!.prefix), show(aws(r.pipeline!.steps, "Tag").request.Message)]).toEqual(["params.bucket", "'incoming/'", "item.Key"]);
});

test("$exists() of a member of the input: the input's own (it may be missing), not a parameter that must be given; run either way", async () => {
  const def = {
    QueryLanguage: "JSONata",
    StartAt: "Flagged?",
    States: {
      "Flagged?": { Type: "Choice", Choices: [{ Condition: "{% $exists($states.input.flag) %}", Next: "Tell" }], Default: "Done" },
      Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:flags", Message: "flagged" }, End: true },
      Done: { Type: "Succeed" },
    },
  };
  const r = lift(def);
  expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
  expect(show((r.pipeline!.steps.find((s) => s.id === "Flagged") as Extract<Step, { kind: "condition" }>).if)).toBe("exists(execution.input.flag)");
  const lowered = lower(r.pipeline!).definition;
  const tell = { Tell: () => ({ MessageId: "m" }) };
  expect((await run(lowered, { flag: "on" }, tell)).inputs.Tell).toHaveLength(1);
  const plain = await run(lowered, {}, tell);
  expect([plain.status, plain.inputs.Tell ?? []]).toEqual(["SUCCEEDED", []]);
});

test("a JSONata Map over a list written out, an item an expression", () => {
  const r = lift({
    QueryLanguage: "JSONata",
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        Items: ["eu-west-1", "{% $states.input.home %}"],
        ItemProcessor: { StartAt: "Tell", States: { Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:regions", Message: "{% $states.input %}" }, End: true } } },
        End: true,
      },
    },
  });
  expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
  expect(show((r.pipeline!.steps.find((s) => s.id === "Each") as Extract<Step, { kind: "map" }>).items)).toBe("['eu-west-1', execution.input.home]");
});

test("$parse() of a message's JSON text is parse(); $split() is split(), with a warning that the IR's drops empty parts", () => {
  const r = lift({
    QueryLanguage: "JSONata",
    StartAt: "Tell",
    States: {
      Tell: {
        Type: "Task",
        Resource: "arn:aws:states:::sns:publish",
        Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Subject: "{% $parse($states.input.detail.body).title %}", Message: "{% $count($split($states.input.detail.path, '/')) > 2 %}" },
        End: true,
      },
    },
  });
  expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
  expect(r.text.filter((x) => x.includes("$split()"))).toEqual([expect.stringContaining("$.States.Tell.Arguments.Message: $split() in JSONata \"{% $count($split($states.input.detail.path, '/')) > 2 %}\" is read as split(), which drops empty parts")]);
  const tell = aws(r.pipeline!.steps, "Tell");
  expect([show(tell.request.Subject), show(tell.request.Message)]).toEqual(["get(parse(execution.input.detail.body), 'title')", "length(split(execution.input.detail.path, '/')) > 2"]);
});

test("a JSONPath machine that names its language, the machine's or a state's, lifts as any JSONPath machine; a JSONata state inside one is read as JSONata", () => {
  const def = {
    QueryLanguage: "JSONPath",
    StartAt: "Tell",
    States: {
      Tell: { Type: "Task", QueryLanguage: "JSONPath", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", "Message.$": "$.detail.text" }, Next: "Again" },
      Again: { Type: "Task", QueryLanguage: "JSONata", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: "{% 'sent ' & $states.input.MessageId %}" }, End: true },
    },
  };
  const r = lift(def);
  expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
  expect([show(aws(r.pipeline!.steps, "Tell").request.Message), show(aws(r.pipeline!.steps, "Again").request.Message)]).toEqual(["execution.input.detail.text", "sent ${{ steps.Tell.outputs.MessageId }}"]);
  expect(lift({ ...def, States: { Tell: { ...def.States.Tell, Next: undefined, End: true } } }).text.filter((x) => x.includes(" error: "))).toEqual([]);
});

describe("a JSONata catcher", () => {
  /** The input with the error under `error` (the JSONata form of ResultPath `$.error`), then a notice of its cause; the run ends well. */
  const CAUGHT = {
    ...OCR,
    States: {
      ...OCR.States,
      "Start Detection": { ...OCR.States["Start Detection"], Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", Next: "Report" }] },
      Report: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Arguments: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:ocr-failed", Message: "{% $states.input.detail.object.key & ': ' & $states.input.error.Cause %}" }, End: true },
    },
  };

  test("with the error under a key lifts as a failure handler reading failure.Cause and the input beside it; run, it reports the cause and ends well", async () => {
    const r = lift(CAUGHT);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    const steps = r.pipeline!.steps;
    expect(show(aws(steps, "Report").request.Message)).toBe("${{ execution.input.detail.object.key }}: ${{ failure.Cause }}");
    expect(aws(steps, "Start_Detection").on_failure).toMatchObject([{ steps: ["Report"], ends: "succeeded" }]);
    const def = lower(r.pipeline!).definition;
    const out = await run(def, event, {
      Start_Detection: () => {
        throw awsError("Textract.InvalidS3ObjectException", "Unable to get object metadata from S3");
      },
      Report: () => ({ MessageId: "m-2" }),
    });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.Report).toEqual([{ TopicArn: "arn:aws:sns:eu-west-1:111122223333:ocr-failed", Message: "in/contract.pdf: Unable to get object metadata from S3" }]);
  });

  test("a variable the failed state would have assigned is not there in the handler: refused where read", () => {
    const r = lift({ ...CAUGHT, States: { ...CAUGHT.States, Report: { ...CAUGHT.States.Report, Arguments: { ...CAUGHT.States.Report.Arguments, Message: "{% $jobId %}" } } } });
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([expect.stringContaining("$.States.Report.Arguments.Message: variable $jobId is read before any state assigns it")]);
  });
});

describe("what a JSONata machine holds that the IR cannot is refused, by name and place", () => {
  const withStates = (states: Record<string, unknown>) => ({ ...OCR, States: { ...OCR.States, ...states } });

  test("functions with no IR form, an index from the end, a filter", () => {
    expect(errorsOf(withStates({ Configure: { ...OCR.States.Configure, Assign: { ...OCR.States.Configure.Assign, prefix: "{% $lowercase($states.input.kind) %}" } } }))).toEqual([
      expect.stringMatching(/^m\.asl\.json:\d+:\d+: error: \$\.States\.Configure\.Assign\.prefix: function \$lowercase\(\) in JSONata "\{% \$lowercase\(\$states\.input\.kind\) %\}" has no IR equivalent$/),
    ]);
    expect(errorsOf(withStates({ Configure: { ...OCR.States.Configure, Assign: { ...OCR.States.Configure.Assign, key: "{% $split($states.input.detail.object.key, '/')[-1] %}" } } }))).toEqual([
      expect.stringContaining("$.States.Configure.Assign.key: the JSONata expression \"{% $split($states.input.detail.object.key, '/')[-1] %}\" has an index from the end ([-n]), which the IR cannot hold"),
    ]);
    expect(errorsOf(withStates({ "Get Detection": { ...OCR.States["Get Detection"], Arguments: { JobId: "{% $states.input.jobs[status = 'open'].id %}" } } }))).toEqual([expect.stringContaining("has a filter ([...]), which the IR cannot hold")]);
  });

  test("a variable two states of one scope assign is refused where read (the value depends on the way taken); Catch and Choice-rule Assign/Output", () => {
    const twice = withStates({ Wait: { ...OCR.States.Wait, Assign: { key: "{% $states.input.other %}" } } });
    expect(errorsOf(twice)).toEqual([
      expect.stringContaining("$.States['Start Detection'].Arguments.DocumentLocation.S3Object.Name: variable $key is assigned by 2 states, so what a state reads depends on the way the run took, is read here"),
      expect.stringContaining("$.States['Save Summary'].Arguments.Key: variable $key is assigned by 2 states"),
      expect.stringContaining("$.States.Notify.Arguments.Message: variable $key is assigned by 2 states"),
    ]);
    const caught = withStates({ "Start Detection": { ...OCR.States["Start Detection"], Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $states.errorOutput.Cause %}", Assign: { failed: true }, Next: "Detection Failed" }] } });
    const caughtErrors = errorsOf(caught);
    expect(caughtErrors).toContainEqual(expect.stringContaining("$.States['Start Detection'].Catch[0].Assign: Assign on a catcher has no IR equivalent"));
    expect(caughtErrors).toContainEqual(expect.stringContaining("$.States['Start Detection'].Catch[0].Output: Output on a catcher has no IR equivalent but the error itself"));
    const rule = withStates({ "Done?": { ...OCR.States["Done?"], Choices: [{ ...OCR.States["Done?"].Choices[0], Assign: { ok: true } }, OCR.States["Done?"].Choices[1]] } });
    expect(errorsOf(rule)).toEqual([expect.stringContaining("$.States['Done?'].Choices[0].Assign: Assign on a Choice rule has no IR equivalent")]);
  });

  test("the last state's Output is the execution's, which is not kept: not read, so nothing in it is refused", () => {
    const r = lift(withStates({ Notify: { ...OCR.States.Notify, Output: "{% {'done': $now()} %}" } }));
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    expect(errorsOf(withStates({ "Save Summary": { ...OCR.States["Save Summary"], Output: "{% $now() %}" } }))).toEqual([expect.stringContaining("$.States['Save Summary'].Output: function $now() in JSONata")]);
  });

  test("$states.result outside the Assign and Output of a Task, a Map or a Parallel state", () => {
    expect(errorsOf(withStates({ Configure: { ...OCR.States.Configure, Output: "{% $states.result %}" } }))).toContainEqual(expect.stringContaining("$.States.Configure.Output: $states.result is read only in the Assign and Output of a Task, a Map or a Parallel state"));
  });

  test("variables are their scope's: each Parallel branch may assign its own of one name", () => {
    const branch = (n: number) => ({
      StartAt: `Start ${n}`,
      States: {
        [`Start ${n}`]: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:textract:startDocumentTextDetection", Arguments: { DocumentLocation: { S3Object: { Bucket: "scans-example", Name: `page-${n}.png` } } }, Assign: { jobId: "{% $states.result.JobId %}" }, Next: `Get ${n}` },
        [`Get ${n}`]: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:textract:getDocumentTextDetection", Arguments: { JobId: "{% $jobId %}" }, End: true },
      },
    });
    const r = lift({ QueryLanguage: "JSONata", StartAt: "Both", States: { Both: { Type: "Parallel", Branches: [branch(1), branch(2)], End: true } } });
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    expect([show(aws(r.pipeline!.steps, "Get_1").request.JobId), show(aws(r.pipeline!.steps, "Get_2").request.JobId)]).toEqual(["steps.Start_1.outputs.JobId", "steps.Start_2.outputs.JobId"]);
  });
});
