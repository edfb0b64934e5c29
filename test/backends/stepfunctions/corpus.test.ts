/**
 * Every public state machine in fixtures/corpus/stepfunctions: it lifts, and
 * the original and the re-lowered machine make the same service calls (same
 * resource, same request fields) when executed with the same task results; or
 * it is refused with exactly the refusals in golden/corpus-refusals.json
 * (checked by hand: each names the JSON path, line:col and the construct).
 * A template whose placeholders a deployment tool fills in has a sidecar,
 * `<name>.substitutions.json`, with the values (our own, listed in SOURCE.md):
 * it is lifted with them, and the original it is compared with is filled in alike.
 */
import { withoutDefaults } from "../../../src/aws/api-defaults.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { CORPUS } from "../../support/corpus.js";
import { corpusText, deployed, FILES, liftCorpusFile } from "./corpus-files.js";
import { lambdaInvoke, sagemaker } from "./services.js";
import { aslValidator, awsError, lower, run, type Handler } from "./support.js";
import { inlineDistributed, READER_SUFFIX, readerAnswer, WRITER_SUFFIX, writerAnswer } from "./distributed.js";

const REFUSED: Record<string, string[]> = JSON.parse(readFileSync(new URL("./golden/corpus-refusals.json", import.meta.url), "utf8"));
const read = (f: string) => ({ file: f, text: corpusText(f) });

/** A corpus file lifted as `switchyard import` does, with its sidecar's values filled in; every value given is used. */
function lift(f: string) {
  const r = liftCorpusFile(f);
  expect(r.unused, f).toEqual([]);
  return r;
}

/** Request fields whose values the IR decides itself (resource names): compared only for presence. */
const NAMED = ["TrainingJobName", "ProcessingJobName", "TransformJobName", "HyperParameterTuningJobName", "ModelName", "EndpointConfigName"];
/** The same for nested fields: an EMR step is named after its step id (lifting warns). */
const NAMED_NESTED = [["Step", "Name"]];

/**
 * Each Task state's service call (`glue:startJobRun`, `sagemaker:createTrainingJob`, ...), whatever the partition is written as.
 * A function ARN as the resource is lambda:invoke of that function with the
 * state's input as Payload, answering with the Payload alone: `function` names it.
 */
function calls(def: any, out = new Map<string, { call: string; function?: string }>()): Map<string, { call: string; function?: string }> {
  for (const [name, st] of Object.entries<any>(def.States)) {
    const r = String(st.Resource);
    if (st.Type === "Task" && r.startsWith("arn:aws:lambda:")) out.set(name, { call: "lambda:invoke", function: r });
    // EMR Serverless is `emrserverless` in aws-sdk resources, `emr-serverless` in its optimized integration's: one service.
    // EventBridge is `eventbridge` in aws-sdk resources, `events` in its optimized integration's.
    // A resource may name the Region and account (`arn:aws:states:us-east-1:111122223333:aws-sdk:...`).
    else if (st.Type === "Task") out.set(name, { call: r.replace(/^arn:(aws|<PARTITION>|\$\{[^}]*\}):states:(?:[a-z0-9-]+:[0-9]{12}:|::)(aws-sdk:)?/, "").replace(/\.sync(:2)?$/, "").replace(/^emrserverless:/, "emr-serverless:").replace(/^eventbridge:/, "events:") });
    for (const b of [...(st.Branches ?? []), ...(st.ItemProcessor ?? st.Iterator ? [st.ItemProcessor ?? st.Iterator] : [])]) calls(b, out);
  }
  return out;
}

const STAND_INS: Record<string, () => Handler> = {
  "sagemaker:createTrainingJob": sagemaker.training,
  // The approver's answer (SendTaskSuccess output): approved.
  "lambda:invoke.waitForTaskToken": () => () => ({ decision: "approved" }),
  // `.sync`: the tuning job's final Describe response, naming its best training job.
  "sagemaker:createHyperParameterTuningJob": () => (i) => ({
    HyperParameterTuningJobName: i.HyperParameterTuningJobName,
    HyperParameterTuningJobStatus: "Completed",
    BestTrainingJob: { TrainingJobName: `${i.HyperParameterTuningJobName}-002-5f1e2d3c`, TrainingJobStatus: "Completed", FinalHyperParameterTuningJobObjectiveMetric: { MetricName: "validation:rmse", Value: 2.1 } },
  }),
  // `.sync`: the job's final DescribeJobs entry.
  "batch:submitJob": () => (i) => ({ JobId: "4f2d8c1e-0000-4000-8000-000000000001", JobName: i.JobName, JobQueue: i.JobQueue, JobDefinition: i.JobDefinition, Status: "SUCCEEDED", Parameters: i.Parameters }),
  "glue:startJobRun": () => (i) => ({ Id: "jr_0001", JobName: i.JobName, JobRunState: "SUCCEEDED" }),
  "comprehend:detectSentiment": () => () => ({ Sentiment: "POSITIVE", SentimentScore: { Positive: 0.98, Negative: 0.01, Neutral: 0.01, Mixed: 0 } }),
  // A model's answer in both the Anthropic (`content`) and the Nova (`output.message.content`) shapes, quoting the prompt's last message;
  // asked to categorize a customer's message, the category it reads there (a complaint, a bill, or neither).
  "bedrock:invokeModel": () => (i) => {
    const asked = JSON.stringify(i.Body?.messages?.at(-1)?.content ?? null);
    const category = /broken|refund/i.test(asked) ? "COMPLAINT" : /invoice|charged/i.test(asked) ? "BILLING" : "UNKNOWN";
    const text = /categoriz/.test(asked) ? category : `Answer to: ${asked}`;
    return { Body: { content: [{ type: "text", text }], output: { message: { role: "assistant", content: [{ text }] } } }, ContentType: "application/json" };
  },
  // Polled jobs: in progress at the first look, done at the second (one stand-in a run).
  "bedrock:createModelCustomizationJob": () => (i) => ({ JobArn: `arn:aws:bedrock:us-east-1:111122223333:model-customization-job/${i.JobName}` }),
  "bedrock:getModelCustomizationJob": () => {
    const states = ["InProgress", "Completed"];
    return (i) => ({ JobArn: i.JobIdentifier, Status: states.shift() ?? "Completed", OutputModelArn: "arn:aws:bedrock:us-east-1:111122223333:custom-model/m-1", OutputModelName: "m-1" });
  },
  "bedrock:createProvisionedModelThroughput": () => () => ({ ProvisionedModelArn: "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/p-1" }),
  // An application is created, started and stopped (`.sync`: once in that state); a job run's `.sync` answer is its start's.
  "emr-serverless:createApplication": () => (i) => ({ ApplicationId: "00fabc0001", Name: i.Name, Arn: "arn:aws:emr-serverless:us-east-1:111122223333:/applications/00fabc0001" }),
  "emr-serverless:startApplication": () => (i) => ({ ApplicationId: i.ApplicationId }),
  "emr-serverless:stopApplication": () => (i) => ({ ApplicationId: i.ApplicationId }),
  "emr-serverless:startJobRun": () => (i) => ({ ApplicationId: i.ApplicationId, JobRunId: "00f1abcd", Arn: "arn:aws:emr-serverless:us-east-1:111122223333:/applications/a/jobruns/00f1abcd" }),
  "emr-serverless:getJobRun": () => {
    const states = ["PENDING", "RUNNING", "SUCCESS"];
    return (i) => ({ JobRun: { ApplicationId: i.ApplicationId, JobRunId: i.JobRunId, State: states.shift() ?? "SUCCESS" } });
  },
  "sns:publish": () => () => ({ MessageId: "m-0001" }),
  // `.sync`: the stopped task's description, every container exited 0.
  "ecs:runTask": () => (i) => ({
    TaskArn: "arn:aws:ecs:us-east-1:111122223333:task/recap/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    ClusterArn: i.Cluster,
    TaskDefinitionArn: i.TaskDefinition,
    LastStatus: "STOPPED",
    StopCode: "EssentialContainerExited",
    Containers: (i.Overrides?.ContainerOverrides ?? [{ Name: "main" }]).map((c: any) => ({ Name: c.Name, ExitCode: 0, LastStatus: "STOPPED" })),
  }),
  "sqs:sendMessage": () => () => ({ MessageId: "5fea7756-0ea4-451a-a703-a558b933e274", MD5OfMessageBody: "fafb00f5732ab283681e124bf8747ed1" }),
  // A Glue crawler: StartCrawler answers nothing; GetCrawler finds it running at the first look and ready at the second.
  "glue:startCrawler": () => () => ({}),
  "glue:getCrawler": () => {
    const states = ["RUNNING", "READY"];
    return (i) => ({ Crawler: { Name: i.Name, State: states.shift() ?? "READY", LastCrawl: { Status: "SUCCEEDED" } } });
  },
  // The request-response answer (QueryExecutionId) and `.sync`'s final GetQueryExecution response, in one.
  "athena:startQueryExecution": () => (i) => ({
    QueryExecutionId: "a1b2c3d4-5678-90ab-cdef-111122223333",
    QueryExecution: {
      QueryExecutionId: "a1b2c3d4-5678-90ab-cdef-111122223333",
      Query: i.QueryString,
      StatementType: "DML",
      WorkGroup: i.WorkGroup ?? "primary",
      ResultConfiguration: { OutputLocation: "s3://athena-results-111122223333/a1b2c3d4-5678-90ab-cdef-111122223333.csv" },
      Status: { State: "SUCCEEDED", SubmissionDateTime: "2026-12-01T08:00:00.000Z", CompletionDateTime: "2026-12-01T08:00:04.000Z" },
    },
  }),
  // A polled query: running at the first look, succeeded at the second (one stand-in a run).
  "athena:getQueryExecution": () => {
    const states = ["RUNNING", "SUCCEEDED"];
    return (i) => ({
      QueryExecution: {
        QueryExecutionId: i.QueryExecutionId,
        StatementType: "DML",
        ResultConfiguration: { OutputLocation: `s3://athena-results-111122223333/${i.QueryExecutionId}.csv` },
        Status: { State: states.shift() ?? "SUCCEEDED", SubmissionDateTime: "2026-12-01T08:00:00.000Z" },
      },
    });
  },
  "athena:getQueryResults": () => () => ({
    ResultSet: {
      Rows: [{ Data: [{ VarCharValue: "year" }, { VarCharValue: "grade" }] }, { Data: [{ VarCharValue: "2017" }, { VarCharValue: "B" }] }],
      ResultSetMetadata: { ColumnInfo: [{ Name: "year", Type: "varchar" }, { Name: "grade", Type: "varchar" }] },
    },
    UpdateCount: 0,
  }),
  // Two faces found, one of them with low confidence: the map's Choice takes both ways.
  "rekognition:recognizeCelebrities": () => () => ({
    CelebrityFaces: [
      { Id: "1a2b3c", Name: "Ada Lovelace", MatchConfidence: 99.1 },
      { Id: "4d5e6f", Name: "Alan Turing", MatchConfidence: 61.5 },
    ],
    UnrecognizedFaces: [],
  }),
  "dynamodb:putItem": () => () => ({}),
  // A record written with the task token; the video analysis's notification sends the token back when the job is done.
  "dynamodb:putItem.waitForTaskToken": () => () => ({ status: "SUCCEEDED" }),
  // What the export container sends back with the task token (SendTaskSuccess output).
  "ecs:runTask.waitForTaskToken": () => () => ({ exported: true, location: "s3://exports-1/c-1.tar.gz" }),
  // Amazon Rekognition Video: each analysis starts a job and, once done, gives its results.
  ...Object.fromEntries(["ContentModeration", "LabelDetection", "SegmentDetection"].map((a): [string, () => Handler] => [`rekognition:start${a}`, () => (i) => ({ JobId: `job-${a}-${String(i.Video?.S3Object?.Name ?? "")}` })])),
  "rekognition:getContentModeration": () => (i) => ({ JobStatus: "SUCCEEDED", JobId: i.JobId, ModerationLabels: [{ Timestamp: 1000, ModerationLabel: { Name: "Violence", Confidence: 96.1, ParentName: "" } }] }),
  "rekognition:getLabelDetection": () => (i) => ({ JobStatus: "SUCCEEDED", JobId: i.JobId, Labels: [{ Timestamp: 0, Label: { Name: "Person", Confidence: 99.0 } }] }),
  "rekognition:getSegmentDetection": () => (i) => ({ JobStatus: "SUCCEEDED", JobId: i.JobId, Segments: [{ Type: "SHOT", StartTimestampMillis: 0, EndTimestampMillis: 4000 }] }),
  "dynamodb:updateItem": () => () => ({}),
  // An image is flagged when its key says so: both ways of the moderation Choice are taken.
  "rekognition:detectModerationLabels": () => (i) =>
    /flagged/.test(String(i.Image?.S3Object?.Name)) ? { ModerationLabels: [{ Name: "Violence", Confidence: 91.2, ParentName: "" }], ModerationModelVersion: "7.0" } : { ModerationLabels: [], ModerationModelVersion: "7.0" },
  // An image under pets/ shows a cat too.
  "rekognition:detectLabels": () => (i) => ({
    Labels: [
      { Name: "Bicycle", Confidence: 97.5, Instances: [], Parents: [{ Name: "Vehicle" }] },
      ...(String(i.Image?.S3Object?.Name).startsWith("pets/") ? [{ Name: "Cat", Confidence: 99.1, Instances: [], Parents: [{ Name: "Animal" }] }] : []),
    ],
    LabelModelVersion: "3.0",
  }),
  "rekognition:detectText": () => () => ({ TextDetections: [{ DetectedText: "OPEN", Type: "LINE", Id: 0, Confidence: 99.2 }], TextModelVersion: "3.0" }),
  // Rekognition Custom Labels: a project, its datasets (being created at the first look, created at the second),
  // a model version in training at the first look and trained at the second, with an F1 score over the deployment gate.
  "rekognition:createProject": () => (i) => ({ ProjectArn: `arn:aws:rekognition:us-east-1:111122223333:project/${i.ProjectName}/1690000000000` }),
  "rekognition:createDataset": () => (i) => ({ DatasetArn: `${String(i.ProjectArn).replace(/\/[0-9]+$/, "")}/dataset/${String(i.DatasetType).toLowerCase()}/1690000000100` }),
  "rekognition:describeDataset": () => {
    const states = ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"];
    return (i) => ({ DatasetDescription: { Status: states.shift() ?? "CREATE_COMPLETE", DatasetArn: i.DatasetArn } });
  },
  "rekognition:createProjectVersion": () => (i) => ({ ProjectVersionArn: `${String(i.ProjectArn).replace(/\/[0-9]+$/, "")}/version/${i.VersionName}/1690000000200` }),
  "rekognition:describeProjectVersions": () => {
    const states = ["TRAINING_IN_PROGRESS", "TRAINING_COMPLETED"];
    return (i) => ({ ProjectVersionDescriptions: [{ ProjectVersionArn: `${String(i.ProjectArn).replace(/\/[0-9]+$/, "")}/version/version1/1690000000200`, Status: states.shift() ?? "TRAINING_COMPLETED", EvaluationResult: { F1Score: 0.91 } }] });
  },
  "rekognition:startProjectVersion": () => () => ({ Status: "STARTING" }),
  // A fraud prediction: an order over 500 goes to review, any other is approved (both ways of the Choice are taken).
  "frauddetector:getEventPrediction": () => (i) => {
    const review = Number(i.EventVariables?.order_price) > 500;
    return {
      ModelScores: [{ ModelVersion: { ModelId: "transaction_model", ModelType: "ONLINE_FRAUD_INSIGHTS", ModelVersionNumber: "1.0" }, Scores: { transaction_model_insightscore: review ? 912 : 18 } }],
      RuleResults: [{ RuleId: review ? "investigate" : "approve", Outcomes: [review ? "review" : "approve"] }],
    };
  },
  "events:putEvents": () => (i) => ({ Entries: (i.Entries ?? []).map((_: unknown, n: number) => ({ EventId: `e-000${n + 1}` })), FailedEntryCount: 0 }),
  "s3:putObject": () => () => ({ ETag: '"9b2cf535f27731c974343645a3985328"' }),
  "s3:copyObject": () => () => ({ CopyObjectResult: { ETag: '"5d41402abc4b2a76b9719d911017c592"', LastModified: "2026-12-01T10:00:00Z" } }),
  // The object read is the transcript Amazon Transcribe wrote (its JSON layout), as text.
  "s3:getObject": () => () => ({
    Body: JSON.stringify({ jobName: "exec-1", results: { transcripts: [{ transcript: "Hello and welcome to the quarterly review." }], items: [] }, status: "COMPLETED" }),
    ContentType: "application/json",
    ContentLength: 130,
  }),
  // A distributed Map's items (see distributed.ts): three objects under the prefix (as the ItemReader lists
  // them: Etag, LastModified in epoch seconds), or three records of the object.
  [`s3:listObjectsV2${READER_SUFFIX}`]: () =>
    readerAnswer(["a", "b", "c"].map((n, k) => ({ Etag: `"etag-${n}"`, Key: `raw_source/${n}.json.gz`, LastModified: 1796119200, Size: 1024 * (k + 1), StorageClass: "STANDARD" }))),
  [`s3:putObject${WRITER_SUFFIX}`]: writerAnswer,
  [`s3:getObject${READER_SUFFIX}`]: () => readerAnswer([1, 2, 3].map((n) => ({ id: String(n), name: `row ${n}` }))),
  "translate:translateText": () => (i) => ({ TranslatedText: `[${i.TargetLanguageCode}] ${i.Text}`, SourceLanguageCode: i.SourceLanguageCode, TargetLanguageCode: i.TargetLanguageCode }),
  // Amazon Forecast: each create answers its resource's ARN, named as asked; the import job is in progress at the first look, active at the second.
  ...Object.fromEntries(
    ["Dataset", "DatasetImportJob", "DatasetGroup", "Predictor", "PredictorBacktestExportJob", "Forecast", "ForecastExportJob"].flatMap((r): Array<[string, () => Handler]> => [
      [`forecast:create${r}`, () => (i) => ({ [`${r}Arn`]: `arn:aws:forecast:us-east-1:111122223333:${r.replace(/[A-Z]/g, (c, n) => (n ? "-" : "") + c.toLowerCase())}/${i[`${r}Name`]}` })],
      [`forecast:delete${r}`, () => () => ({})],
    ]),
  ),
  "forecast:describeDatasetImportJob": () => {
    const states = ["CREATE_IN_PROGRESS", "ACTIVE"];
    return (i) => ({ DatasetImportJobArn: i.DatasetImportJobArn, Status: states.shift() ?? "ACTIVE" });
  },
  // A transcription job, in progress at the first look and completed at the second.
  "transcribe:startTranscriptionJob": () => (i) => ({ TranscriptionJob: { TranscriptionJobName: i.TranscriptionJobName, TranscriptionJobStatus: "IN_PROGRESS" } }),
  "transcribe:getTranscriptionJob": () => {
    const states = ["IN_PROGRESS", "COMPLETED"];
    return (i) => ({ TranscriptionJob: { TranscriptionJobName: i.TranscriptionJobName, TranscriptionJobStatus: states.shift() ?? "COMPLETED" } });
  },
  // A Glue workflow run, running at the first look and completed at the second; its response names the run asked for.
  "glue:startWorkflowRun": () => () => ({ RunId: "wr_0001" }),
  "glue:getWorkflowRun": () => {
    const states = ["RUNNING", "COMPLETED"];
    return (i) => ({ Run: { Name: i.Name, WorkflowRunId: i.RunId, Status: states.shift() ?? "COMPLETED", Statistics: { TotalActions: 2, SucceededActions: 2, FailedActions: 0 } } });
  },
  // `.sync`: the labeling job's final DescribeLabelingJob response.
  "sagemaker:createLabelingJob": () => (i) => ({ LabelingJobName: i.LabelingJobName, LabelingJobArn: `arn:aws:sagemaker:us-west-2:123456789012:labeling-job/${i.LabelingJobName}`, LabelingJobStatus: "Completed" }),
  "elasticmapreduce:createCluster": () => () => ({ ClusterId: "j-1ABCDEFGHIJKL" }),
  "elasticmapreduce:addStep": () => () => ({ StepId: "s-1ABCDEFGHIJKL" }),
  "elasticmapreduce:terminateCluster": () => () => ({}),
  "sagemaker:createModel": sagemaker.createModel,
  "sagemaker:createEndpointConfig": sagemaker.createEndpointConfig,
  "sagemaker:createEndpoint": sagemaker.createEndpoint,
  "sagemaker:updateEndpoint": sagemaker.createEndpoint,
  // A lifted endpoint step waits for its endpoint: in service at the first look.
  "sagemaker:describeEndpoint": () => sagemaker.describeEndpoint(["InService"]),
  // Each function answers by its name: the meter forecast's parameter loader, and an endpoint check that finds none.
  "sagemaker:createProcessingJob": sagemaker.processing,
  "sagemaker:createTransformJob": sagemaker.transform,
  "cloudwatch:putMetricAlarm": () => () => ({}),
  "cloudwatch:deleteAlarms": () => () => ({}),
  "sagemaker:deleteEndpoint": () => () => ({}),
  // `.sync:2`: the started execution, ended, its output parsed.
  "states:startExecution": () => (i) => ({
    ExecutionArn: `${String(i.StateMachineArn).replace(":stateMachine:", ":execution:")}:run-1`,
    StateMachineArn: i.StateMachineArn,
    Input: i.Input,
    Output: { done: true },
    Status: "SUCCEEDED",
  }),
  // Each function answers by what it is sent, or by its name: the meter forecast's parameter loader and its batch
  // splitter, the meter pipeline's first-run check (no initial run yet), an endpoint check that finds none, the
  // Terraform pipeline's configuration function (a job name from its prefix), or an echo.
  "lambda:invoke": () => {
    const looks = new Map<string, number>();
    return (i) =>
      lambdaInvoke((payload) =>
        REKOGNITION_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-east-1:111122223333:function:/, "")]?.(payload, looks) ??
        IDP_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-east-1:111122223333:function:/, "")]?.(payload) ??
        XGBOOST_SAMPLE[String(i.FunctionName).replace(/^.*:function:StepFunctionsSample-[A-Za-z-]*?-(Lambda[A-Za-z]+)-[A-Z0-9]+$/, "$1")]?.(payload) ??
        ATHENA_SAMPLE[String(i.FunctionName).replace(/^.*:function:start-athena-query-([a-z-]+)-[a-z0-9]+$/, "$1")]?.() ??
        (i.FunctionName === "arn:aws:lambda:us-east-1:111122223333:function:kptn-decider" ? kptnDecision(payload) : undefined) ??
        (i.FunctionName === "LambdaFunction" ? describeAssets(payload) : undefined) ??
        SDLF_TOPIC_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-east-1:111122223333:function:/, "")]?.(payload, looks) ??
        DOCUMENT_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-east-1:111122223333:function:/, "")]?.(payload) ??
        BEDROCK_CHAIN_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:ap-northeast-1:111122223333:function:step-functions-bedrock-dev-/, "")]?.(payload) ??
        MARKET_DATA_SAMPLE[String(i.FunctionName)]?.(payload) ??
        MONTE_CARLO_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-east-1:111122223333:function:/, "")]?.(payload) ??
        ENSEMBLE_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-west-2:111122223333:function:/, "")]?.(payload, looks) ??
        MACIE_SAMPLE[String(i.FunctionName).replace(/^arn:aws:lambda:us-east-1:288195736164:function:/, "")]?.(payload, looks) ??
        BATCH4_SAMPLE[String(i.FunctionName)]?.(payload) ??
        (i.FunctionName === "${CheckInitialPipelineRun}"
          ? { initial_pipeline_passed: false }
          : i.FunctionName === "${LoadPipelineParameter}" || payload?.train_model
            ? METER_PARAMETERS
            : i.FunctionName === "${LambdaSplitFunctionName}"
              ? METER_BATCHES
              : payload?.endpoint_name !== undefined
                ? { has_endpoint: false }
                : typeof payload?.PrefixName === "string"
                  ? `${payload.PrefixName}-training-0001`
                  : { statusCode: 200, body: { received: payload } }),
      )(i);
  },
};

/** The asset describer: one text for its batch, each object named by the bucket and listing the selector handed it. */
const describeAssets = (p: any) => ({
  text: p.Items.map((x: { Bucket: string; Data: { Key: string } }) => `${x.Bucket}/${x.Data.Key}`).join("; "),
  bucket: p.Items[0].Bucket,
  key: `descriptions/${p.Items[0].Data.Key}.txt`,
});

/**
 * The SDLF topic-modelling stage's functions: the job started and running,
 * still running at the first look (the record it was given, as the lift's
 * warning about later calls requires) and done at the second; two metadata files to write; each other step
 * says what it was given, so a change in the data it is handed shows in the
 * calls compared.
 */
const SDLF_TOPIC_SAMPLE: Record<string, (payload: any, looks: Map<string, number>) => unknown> = {
  lStep1: (p) => ({ jobName: `topics-${p.body.team}`, jobDetails: { jobStatus: "IN_PROGRESS" } }),
  lCheckJob: (p, looks) => {
    const n = (looks.get("sdlf") ?? 0) + 1;
    looks.set("sdlf", n);
    return { jobName: p.body.job.jobName, jobDetails: { jobStatus: n < 2 ? "IN_PROGRESS" : "COMPLETED" } };
  },
  lStep4: (p) => ({ enriched: p.body.job.jobName }),
  lStep5: () => ({ jobList: [{ key: "meta/a.json" }, { key: "meta/b.json" }] }),
  lStep6: (p) => ({ written: p.key }),
  lStep7: (p) => ({ classifier: p.body.job.jobName, status: p.statusCode.length }),
  lStep2: (p) => ({ crawled: p.statusCode.classifier }),
  lStep3: (p) => ({ tables: [p.body.team] }),
  lError: (p) => ({ reported: p.body.team }),
};

/**
 * The Monte Carlo sample's functions: the samples written under a prefix of a
 * bucket (which its Map lists), a revenue for each object listed, their sum.
 */
const MONTE_CARLO_SAMPLE: Record<string, (payload: any) => unknown> = {
  "montecarlo-sampling": () => ({ bucket_name: "montecarlo-samples", inputprefix: "input/" }),
  "montecarlo-calculator": (p) => ({ revenue: String(p.Key).length }),
  "montecarlo-aggregator": (p) => ({ total: p.MapOutput.length }),
};

/**
 * The market-data machine's functions: the symbols listed, then cut into
 * batches of at most two, each batch holding what it was handed so a change
 * in that shows in the calls compared.
 */
const MARKET_DATA_SAMPLE: Record<string, (payload: any) => unknown> = {
  "get-symbols:$LATEST": () => ({ symbols: ["AAPL", "MSFT", "IBM"] }),
  "batch-symbols:$LATEST": (p) => {
    const symbols: string[] = p.Input.Payload.symbols;
    return { batches: [symbols.slice(0, 2), symbols.slice(2)] };
  },
};

/**
 * The Bedrock chain's functions: the text upper-cased with its length (which
 * picks the short or the detailed answer), then the answer formatted with what
 * it was given.
 */
const BEDROCK_CHAIN_SAMPLE: Record<string, (payload: any) => unknown> = {
  "step1-transform": (p) => ({ transformed: String(p.text).toUpperCase(), length: String(p.text).length }),
  "step2-format": (p) => ({ result: `[${p.answer_type}] ${p.bedrock_answer}` }),
};

/**
 * kptn's decider: task 'a' runs on ECS (its reason read back into the
 * container's environment); task 'b' is cached, unless the run forces it. The
 * state it is handed (the whole data, the last decision in it) is echoed, so a
 * change in what it is given shows in the calls compared.
 */
function kptnDecision(payload: any): unknown {
  const run = payload.task_name === "a" || payload.ignore_cache === true;
  return { should_run: run, execution_mode: "ecs", reason: run ? `task ${payload.task_name} is stale` : "cached", last_seen: payload.state?.last_decision?.Payload?.reason ?? null };
}

/**
 * The AWS tuning sample's functions: a job name for the data set, the best
 * training job's model from the tuning job's Describe response, and the
 * model's name from CreateModel's answer (its ARN).
 */
/**
 * The Rekognition Custom Labels functions: each says in its result which task
 * comes next. Training and starting the model are in progress at the first
 * look and done at the second (looks counted per phase, one count a run).
 */
/**
 * The EC2 ensemble's functions (our own answers): the server created is an instance id, found pending at the
 * first status look and running at the second; success and failure each leave a message for the web socket.
 */
const ENSEMBLE_SAMPLE: Record<string, (payload: any, looks: Map<string, number>) => unknown> = {
  "ensemble-create-server": () => "i-0a1b2c3d4e5f60718",
  "ensemble-get-server-status": (p, looks) => {
    const n = (looks.get(p.instanceId) ?? 0) + 1;
    looks.set(p.instanceId, n);
    return { status: n < 2 ? "pending" : "running", instanceId: p.instanceId };
  },
  "ensemble-run-jacktrip": () => ({ commandId: "c-0001" }),
  "ensemble-terminate-server": () => ({ terminated: true }),
  "ensemble-handle-success": (p) => ({ message: `${p.action} done` }),
  "ensemble-handle-fail": (p) => ({ message: `${p.action} failed` }),
  "ensemble-contact-websocket": () => ({ sent: true }),
};

/**
 * The PII scan's functions (our own answers): a Macie job started on the bucket, running at the first status
 * look and complete at the second; sensitive data found in a bucket whose name says "pii"; each transfer says
 * what it moved.
 */
/** The fourth held-out batch's functions, by their full names (the sidecars' values): what each returns that a later state reads. */
const BATCH4_SAMPLE: Record<string, (payload: any) => unknown> = {
  "arn:aws:lambda:ap-southeast-2:111122223333:function:fpl-data-fetcher-dev": () => ({ gameweek: 14, season: "2026-27" }),
  "arn:aws:lambda:ap-southeast-2:111122223333:function:fpl-feature-processor-dev": (p) => ({ gameweek: p.gameweek, season: p.season, features_file: "features/gw14.parquet" }),
  "arn:aws:lambda:ap-southeast-2:111122223333:function:fpl-inference-dev": (p) => ({ gameweek: p.gameweek, season: p.season, predictions_key: "predictions/gw14.csv" }),
  "arn:aws:lambda:ap-southeast-2:111122223333:function:fpl-prediction-loader-dev": (p) => ({ gameweek: p.gameweek, loaded: 600 }),
  // No index yet: the run creates it.
  "NewsRAG-IndexManager": (p) => (p.mode === "check" ? { indexExists: false } : { created: true }),
  "arn:aws:lambda:ca-central-1:897722668847:function:ResizeImageFunction:$LATEST": (p) => ({ status: "success", key: p.key }),
};

const MACIE_SAMPLE: Record<string, (payload: any, looks: Map<string, number>) => unknown> = {
  macie_scan: (p) => ({ job_id: `mj-${p.bucket}`, bucket: p.bucket }),
  macie_status: (p, looks) => {
    const n = (looks.get(p.job_id) ?? 0) + 1;
    looks.set(p.job_id, n);
    return { job_id: p.job_id, bucket: p.bucket, job_status: n < 2 ? "RUNNING" : "COMPLETE" };
  },
  macie_findings: (p) => ({ job_id: p.job_id, bucket: p.bucket, sensitive_data_detected: p.bucket.includes("pii") }),
  macie_xfer_clean: (p) => ({ moved: p.bucket }),
  macie_xfer_sensitive: (p) => ({ quarantined: p.bucket }),
};

/**
 * What a JSONata original does for each of its INPUTS, which aws-local-stepfunctions cannot run (it runs
 * JSONPath): its calls, state by state, worked out by hand from the file and the stand-ins' answers above.
 */
const MACIE = "arn:aws:lambda:us-east-1:288195736164:function:";
const JSONATA_RUNS: Record<string, Array<Array<[string, string, unknown]>>> = {
  // One call with the event as its payload; the function answers status success (BATCH4_SAMPLE), which the Choice ends at Success with.
  "oanh-image-resize-jsonata-choice.asl.json": [
    [["ResizeImage", "lambda:invoke", { FunctionName: "arn:aws:lambda:ca-central-1:897722668847:function:ResizeImageFunction:$LATEST", Payload: { bucket: "images-1", key: "photos/cat.jpg" } }]],
  ],
  "macie-pii-scan-poller-jsonata.asl.json": ["uploads-inbox", "uploads-pii"].map((bucket) => {
    const job = { job_id: `mj-${bucket}`, bucket };
    const pii = bucket.includes("pii");
    return [
      ["macie_scan", "lambda:invoke", { FunctionName: `${MACIE}macie_scan`, Payload: { bucket } }],
      ["macie_status", "lambda:invoke", { FunctionName: `${MACIE}macie_status`, Payload: job }],
      // After the Wait the status is asked again with what the last look answered ($states.input).
      ["macie_status", "lambda:invoke", { FunctionName: `${MACIE}macie_status`, Payload: { ...job, job_status: "RUNNING" } }],
      ["macie_findings", "lambda:invoke", { FunctionName: `${MACIE}macie_findings`, Payload: { ...job, job_status: "COMPLETE" } }],
      pii
        ? ["xfer_sensitive_files", "lambda:invoke", { FunctionName: `${MACIE}macie_xfer_sensitive`, Payload: { ...job, sensitive_data_detected: true } }]
        : ["xfer_clean_files", "lambda:invoke", { FunctionName: `${MACIE}macie_xfer_clean`, Payload: { ...job, sensitive_data_detected: false } }],
    ];
  }),
};

const REKOGNITION_SAMPLE: Record<string, (payload: any, looks: Map<string, number>) => unknown> = {
  LambdaUpdateEventRules: () => ({ updated: true }),
  LambdaCheckAutoTraining: () => ({ message: { NextTask: "CreateManifest", project: "bikes" } }),
  LambdaCreateTrainingManifest: (p) => ({ message: { NextTask: "CreateProjectVersion", project: p.message.project } }),
  LambdaTrainDeployModel: (p, looks) => {
    const { NextTask: task, project, phase } = p.message;
    if (task === "CreateProjectVersion") return { message: { NextTask: "DescribeProjectVersions", phase: "training", project } };
    if (task === "StartProjectVersion") return { message: { NextTask: "DescribeProjectVersions", phase: "starting", project } };
    if (task === "ModelRunning") return { message: { NextTask: "End", project } };
    const n = (looks.get(phase) ?? 0) + 1;
    looks.set(phase, n);
    const done = phase === "training" ? "StartProjectVersion" : "ModelRunning";
    return { message: { NextTask: n < 2 ? "DescribeProjectVersions" : done, phase, project } };
  },
  LambdaRekognitionDetectLabel: (p) => ({ message: { NextTask: p.confidence >= 80 ? "End" : "Review", Task: { UserSettings: { EnableA2IWorkflow: p.confidence >= 50 } } } }),
  LambdaA2ICreateHumanLoop: (p) => ({ humanLoop: `loop-${p.message.NextTask}` }),
  LambdaA2IHumanLoopData: (p) => ({ added: p.detail?.key ?? null }),
};

/**
 * The document-processing functions: OCR, a classification into sections, an
 * extraction per section (the Map), and the processing of all extractions.
 */
const IDP_SAMPLE: Record<string, (payload: any) => unknown> = {
  OCRFunctionArn: (p) => ({ document: { id: String(p.document).replace(/^.*\//, ""), pages: 2, ocr: `${p.document}.ocr.json` } }),
  ClassificationFunctionArn: (p) => ({
    document: { ...p.OCRResult.document, sections: [{ id: "1", classification: "invoice", pages: [1] }, { id: "2", classification: "letter", pages: [2] }] },
  }),
  ExtractionFunctionArn: (p) => ({ section_id: p.section.id, fields: { total: p.section.classification === "invoice" ? "42.00" : null } }),
  ProcessResultsLambdaArn: (p) => ({ processed: p.ExtractionResults.map((r: any) => r.section_id) }),
};

const XGBOOST_SAMPLE: Record<string, (payload: any) => unknown> = {
  LambdaForDataGeneration: () => ({ body: { jobName: "xgb-tune-0001" } }),
  LambdaToExtractModelPath: (p) => ({ body: { bestTrainingJobName: p.BestTrainingJob.TrainingJobName, modelDataUrl: `s3://models-1/${p.BestTrainingJob.TrainingJobName}/output/model.tar.gz` } }),
  LambdaToExtractModelName: (p) => ({ body: { jobName: String(p.ModelArn).split("/").pop() } }),
};

/** The Athena query sample's functions, as its source returns them: the log file written, the crawler run. */
/**
 * The pathology reports' functions (a report classified by its name, its text
 * read with the class it was given) and the Textract app's analysis (its
 * answer's body is the text written to S3).
 */
const DOCUMENT_SAMPLE: Record<string, (payload: any) => unknown> = {
  // The API usage billing sample: two customers' usage, a report each, a summary of the reports it is given.
  QueryUsageFunction: () => ({ customers: [{ id: "c-1", plan: "basic" }, { id: "c-2", plan: "pro" }], billingPeriod: "2026-11" }),
  GenerateReportFunction: (p) => ({ reportId: `r-${p.customer.id}`, customerId: p.customer.id, pricingModel: p.customer.plan, estimatedTotal: p.customer.plan === "pro" ? 120 : 20, period: p.billingPeriod }),
  CompileReportFunction: (p) => ({ billingPeriod: p.billingPeriod, totalCustomers: p.reportSummaries.length, grandTotal: p.reportSummaries.reduce((t: number, r: any) => t + r.estimatedTotal, 0), files: p.reportSummaries.map((r: any) => `${r.reportId}.csv`) }),
  // The workshop's sentiment function: what Comprehend would say of the message.
  DetectSentimentFunction: (p) => ({ caseId: p.caseId, sentimentResponse: /great|thanks/i.test(String(p.message)) ? { Sentiment: "POSITIVE", SentimentScore: { Positive: 0.97 } } : { Sentiment: "NEGATIVE", SentimentScore: { Negative: 0.91 } } }),
  ClassifyDocumentFunction: (p) => ({ class: /colon/.test(String(p.document)) ? "colonoscopy-train" : "mammogram-train" }),
  DetectDocumentTextFunction: (p) => ({ text: `text of ${p.document}`, class: p.InputforNext.Payload.class }),
  TextractFunction: (p) => ({ statusCode: 200, body: JSON.stringify({ document: p.Document, blocks: 12 }) }),
};

const ATHENA_SAMPLE: Record<string, () => unknown> = {
  "data-generation": () => ({ statusCode: 200, body: JSON.stringify({ log: "log/log.csv" }) }),
  "invoke-crawler": () => ({ statusCode: 200, body: JSON.stringify("Crawler completes") }),
};

/** The meter forecast's batches, as its split function returns them: one Map iteration each. */
const METER_BATCHES = [1, 26].map((start) => ({
  Batch_start: start, Batch_end: start + 24, Batch_job: `batch-${start}`,
  Batch_input: `s3://meter-data/input/${start}/`, Batch_output: `s3://meter-data/output/${start}/`,
}));

const METER_PARAMETERS = {
  Training_samples: 50, Data_start: "2013-06-01", Data_end: "2014-01-01", Forecast_period: 7, ModelName: "ml-model-1",
  Meter_start: 1, Meter_end: 100, Batch_size: 25, Endpoint_instance_type: "ml.m5.xlarge", Training_instance_type: "ml.c5.2xlarge",
  ML_endpoint_name: "ml-endpoint-1", Training_job_name: "training-job-1",
};

/** A card transaction as the fraud detection samples receive it. */
function transaction(price: number) {
  return { transaction_id: `t-${price}`, transaction_timestamp: "2026-12-01T08:00:00Z", customer_email: "buyer@example.com", order_price: price, product_category: "books", ip_address: "192.0.2.10", card_bin: 411111 };
}

/** A lambda:invoke result anywhere in a request, as its Payload alone. */
function payloadOnly(v: any): any {
  if (Array.isArray(v)) return v.map(payloadOnly);
  if (v === null || typeof v !== "object") return v;
  if (["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"].every((k) => k in v)) return { Payload: payloadOnly(v.Payload) };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, payloadOnly(x)]));
}


/** Execution inputs (one run each) for the files whose requests or choices read it. */
const INPUTS: Record<string, unknown[]> = {
  // A bucket without sensitive data and one with.
  "macie-pii-scan-poller-jsonata.asl.json": [{ bucket: "uploads-inbox" }, { bucket: "uploads-pii" }],
  // The tables to compact, each query with its database and where Athena writes its results.
  "iceberg-optimizer-athena-queries-map.asl.json": [
    {
      jobs: [
        { query: "OPTIMIZE orders REWRITE DATA USING BIN_PACK", database: "lake", output_location: "s3://athena-results-1/optimize/" },
        { query: "OPTIMIZE customers REWRITE DATA USING BIN_PACK", database: "lake", output_location: "s3://athena-results-1/optimize/" },
      ],
    },
  ],
  // The image the upload event names.
  "oanh-image-resize-jsonata-choice.asl.json": [{ bucket: "images-1", key: "photos/cat.jpg" }],
  // Each action the entry Choice routes: a server created (its status looked at until it runs), one terminated, the audio restarted.
  // Each gives waitTime, which only the create path reads: the lifted pipeline needs it in every run, as the lift warns.
  "ubc-ec2ensemble-server-lifecycle.asl.json": [
    { action: "create", waitTime: 10 },
    { action: "terminate", instanceId: "i-0a1b2c3d4e5f60718", waitTime: 10 },
    { action: "restart_jacktrip", instanceId: "i-0a1b2c3d4e5f60718", waitTime: 10 },
  ],
  // The bucket whose objects are described (each item of the listing is handed on with it).
  "sfn-collection-bedrock-describe-assets.asl.json": [{ Bucket: "assets-1" }],
  // The S3 event of a video put in the bucket: its key and bucket.
  "sfn-collection-distributed-map-gif-generator.asl.json": [{ detail: { requestParameters: { key: "clips/launch.mp4", bucketName: "gif-source" } } }],
  // The S3 event that starts the import: the prefix is the key's first segment.
  "sfn-collection-dynamodb-import-json-distributed-map.asl.yaml": [{ detail: { bucket: { name: "import-bucket-1" }, object: { key: "orders/2026-12-01.json" } } }],
  // The records as one JSON text, which the machine parses before its Map cuts them into batches of one.
  "templates/sdlf-ecs-fargate-stage/template.yaml": [JSON.stringify([{ transform: { ecsfargate_cluster: "c1", transform: "t1" } }, { transform: { ecsfargate_cluster: "c1", transform: "t2" } }])],
  // Each processing job's settings under the name its state's InputPath reads.
  "aws-samples-sm-migrate-custom-code-processing-chain.asl.json": [
    Object.fromEntries(
      (["PreProcessing", "Inference", "PostProcessing"] as const).map((stage, i) => [
        stage,
        {
          InputUri: { S3Uri: `s3://migrate-1/stage${i}/in` },
          CodeUri: { S3Uri: "s3://migrate-1/code" },
          OutputUri: { S3Uri: `s3://migrate-1/stage${i}/out` },
          ProcessingJobName: `migrate-${stage.toLowerCase()}-1`,
          RoleArn: "arn:aws:iam::111122223333:role/Processing",
          ImageUri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/custom:1",
          InstanceType: "ml.m5.xlarge",
          VolumeSizeInGB: 30,
          MaxRuntimeInSeconds: 3600,
        },
      ]),
    ),
  ],
  "serverless-patterns-sfn-comprehend-sentiment.asl.json": [{ message: "The service was quick and friendly." }],
  // A team's stage run in which the job completes (a failing one is run in parallel-catch.test.ts's shape).
  "sdlf-topic-modelling-comprehend-poll-map.asl.json": [{ body: { team: "marketing" } }],
  // A short text (the short answer) and a long one (the detailed answer).
  "bedrock-lambda-chain-choice-catch.asl.json": [{ text: "hello" }, { text: "a text of more than twenty characters" }],
  // The task list and whether to ignore the cache: once with it (both tasks run on ECS), once without (b is skipped).
  "kptn-lambda-decider-ecs-runtask.asl.json": [
    { tasks: ["a", "b"], force: true },
    { tasks: ["a", "b"], force: false },
  ],
  // The execution input the repository's run script gives: every job name and S3 location.
  "mlmax-sagemaker-process-train-evaluate.asl.json": [
    {
      PreprocessingJobName: "preprocess-1",
      PreprocessingCodeURL: "s3://mlmax-1/code/preprocessing.py",
      InputDataURL: "s3://mlmax-1/input/census-income.csv",
      PreprocessedTrainDataURL: "s3://mlmax-1/preprocessed/train",
      PreprocessedTestDataURL: "s3://mlmax-1/preprocessed/test",
      PreprocessedModelURL: "s3://mlmax-1/preprocessed/model",
      TrainingJobName: "train-1",
      SMSubmitDirURL: "s3://mlmax-1/code/train/sourcedir.tar.gz",
      SMRegion: "us-east-1",
      SMOutputDataURL: "s3://mlmax-1/output",
      SMDebugOutputURL: "s3://mlmax-1/debug",
      EvaluationProcessingJobName: "evaluate-1",
      EvaluationCodeURL: "s3://mlmax-1/code/evaluation.py",
      EvaluationResultURL: "s3://mlmax-1/evaluation",
    },
  ],
  // Each tool's Batch job parameters (a string map), its job name among them.
  "batch-genomics-parallel-sync-heartbeat.asl.json": [
    Object.fromEntries(
      ["isaac", "strelka", "samtools", "snpeff"].map((tool) => [
        tool,
        { JobName: `${tool}-NA12878`, working_dir: "/scratch", cmd_args: `--sample NA12878`, input_prefix: "s3://genomics-in/NA12878/", output_prefix: `s3://genomics-out/NA12878/${tool}/` },
      ]),
    ),
  ],
  // The workflow's documented input: a queue, the chromosomes the Map runs over, each job's environment.
  "aws-samples-genomics-batch-variant-calling-map.asl.json": [
    {
      params: {
        queue: "arn:aws:batch:us-east-1:111122223333:job-queue/genomics",
        chromosomes: ["chr19", "chr20", "chr21"],
        environment: {
          REFERENCE_NAME: "Homo_sapiens_assembly38",
          SAMPLE_ID: "NIST7035",
          SOURCE_DATA_PREFIX: "s3://genomics-in/fastq",
          JOB_OUTPUT_PREFIX: "s3://genomics-out/NIST7035",
          JOB_AWS_CLI_PATH: "/opt/miniconda/bin",
        },
      },
    },
  ],
  "serverless-patterns-stepfunctions-bedrock.asl.json": [{ prompt: "Say hello." }],
  "serverless-patterns-bedrock-prompt-chain.asl.json": [{ prompt_one: "Describe a lighthouse." }],
  "sfn-collection-bedrock-model-customisation.asl.json": [
    { BaseModelIdentifier: "cohere.command-light-text-v14:7:4k", CustomModelName: "m-1", JobName: "tune-1", OutputDataConfigS3Uri: "s3://b/out/", RoleArn: "arn:aws:iam::111122223333:role/r", TrainingDataConfigS3Uri: "s3://b/train.jsonl" },
  ],
  "serverless-patterns-emr-serverless-poll-tf.asl.json": [{ InputDate: "2026-12-01" }],
  "emr-serverless-tf-sdk-lambda-catch.asl.json": [{ InputDate: "2026-12-01" }],
  // The EventBridge event of a statement uploaded under the prefix the rule listens to.
  "finance-parser-textract-lambda-chain.asl.json": [
    { source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "finance-parser-docs" }, object: { key: "unprocessed/statement-2026-11.pdf" } } },
  ],
  // An intercepted product event, as the stream processor's tests put on the bus.
  "serverless-python-demo-dynamodb-store-events.asl.json": [
    {
      id: "3f1c6a52-7d0e-4c1b-9a55-0e2f6b8d1a01",
      detail: {
        metadata: { event_source: "myapp.products", event_name: "ProductCreated", event_version: "v1", created_at: "2026-12-01T08:00:00.000Z" },
        data: { product_id: "p-17", name: "kettle", price: 25 },
      },
    },
  ],
  // The EventBridge event of an uploaded image.
  "sfn-collection-celebrity-identifier.asl.json": [{ time: "2026-12-01T08:00:00Z", detail: { bucket: { name: "photos-1" }, object: { key: "party.jpg" } } }],
  "sfn-collection-glue-workflow-poll.asl.json": [{ workflow_name: "nightly-etl" }],
  // The Data Science SDK's execution input: each state's request, whole, under the state's name.
  "sfn-ds-sdk-training-pipeline-pca.asl.json": [
    {
      Training: {
        TrainingJobName: "pca-2026-12-01-08-00-00",
        AlgorithmSpecification: { TrainingImage: "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1", TrainingInputMode: "File" },
        HyperParameters: { feature_dim: "50000", num_components: "10", subtract_mean: "True", algorithm_mode: "randomized", mini_batch_size: "200" },
        InputDataConfig: [{ ChannelName: "train", DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://sagemaker-us-east-1-111122223333/pca/train" } } }],
        OutputDataConfig: { S3OutputPath: "s3://sagemaker-us-east-1-111122223333/pca/models" },
        ResourceConfig: { InstanceCount: 1, InstanceType: "ml.m5.large", VolumeSizeInGB: 30 },
        RoleArn: "arn:aws:iam::111122223333:role/StepFunctionsWorkflowExecutionRole",
        StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      },
      "Create Model": {
        ModelName: "pca-2026-12-01-08-00-00",
        ExecutionRoleArn: "arn:aws:iam::111122223333:role/StepFunctionsWorkflowExecutionRole",
        PrimaryContainer: { Image: "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1", ModelDataUrl: "s3://sagemaker-us-east-1-111122223333/pca/models/pca-2026-12-01-08-00-00/output/model.tar.gz" },
      },
      "Configure Endpoint": {
        EndpointConfigName: "pca-2026-12-01-08-00-00",
        ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "pca-2026-12-01-08-00-00", InitialInstanceCount: 1, InstanceType: "ml.m5.large" }],
      },
      Deploy: { EndpointName: "pca-endpoint", EndpointConfigName: "pca-2026-12-01-08-00-00" },
    },
  ],
  "sfn-collection-athena-query-poll.asl.json": [{ Database: "storm_events", Table: "details_2017", Workgroup: "primary" }],
  // A commit of the model's container and its image: the training job is named after the commit.
  "samsf-sagemaker-train-transform-approve-deploy.asl.json": [{ commitID: "3f9c2ab", imageUri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/blazingtext-iris:latest" }],
  // Customer messages: a complaint, a billing question, and one that is neither.
  "sfn-collection-bedrock-categorize-sqs.asl.json": [
    { message: "The blender I ordered arrived broken and I would like a refund." },
    { message: "I was charged twice on my last invoice." },
    { message: "Do you ship to Iceland?" },
  ],
  // An S3 upload event's bucket and key: an image to catalogue and one the moderators are told about (the message is the whole state data).
  "sfn-collection-moderated-image-catalog.asl.json": [
    { bucket: "uploads-1", key: "street.jpg" },
    { bucket: "uploads-1", key: "flagged/crowd.jpg", uploader: "u-17" },
  ],
  // The EventBridge event of a failed pipeline execution.
  "sfn-collection-sagemaker-pipeline-failure-notify.asl.json": [
    { detail: { pipelineArn: "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-nightly", executionStartTime: "2026-12-01T02:30:00Z", executionEndTime: "2026-12-01T03:10:00Z" } },
  ],
  // Every event the machine routes but the sampling poll, whose later checks are given the previous check's result,
  // where the lifted step gives each check the event (as the lift warns).
  "rekognition-a2i-custom-labels-train-poll.asl.json": [
    { source: "aws.ssm", detail: { name: "/rekognition/min-confidence" } },
    { source: "s3-detection-event", confidence: 91 },
    { source: "s3-detection-event", confidence: 62 },
    { source: "s3-detection-event", confidence: 20 },
    { source: "s3-a2i-event", detail: { key: "labels/img-1.json" } },
    { source: "aws.events", resources: ["arn:aws:events:us-east-1:111122223333:rule/bikes-scheduled-poll"] },
  ],
  // The document as its S3 URI: the lift reads `$.document` as a string parameter and says so (an object there would be refused).
  "genai-idp-textract-udop-bedrock-map.asl.json": [{ document: "s3://idp-1/in/doc-1.pdf" }],
  // The weekly schedule's EventBridge event, handed to the task as JSON text.
  // A transcoding run: where the videos are and where they go, with ffmpeg's options.
  "batch-ffmpeg-distributed-map-batch-submitjob.asl.json": [
    {
      name: "transcode-1",
      compute: "intel",
      input: { s3_bucket: "media-in", s3_prefix: "raw/", file_options: "-y" },
      global: { options: "-hide_banner" },
      output: { s3_bucket: "media-out", s3_prefix: "h264/", s3_suffix: ".mp4", file_options: "-c:v libx264" },
    },
  ],
  // The S3 event of an upload to check.
  "second-look-rekognition-map-filter.asl.json": [{ detail: { bucket: { name: "uploads-1" }, object: { key: "pets/1.jpg" } } }],
  // The consignment to export: every request reads its id from the execution's input.
  "tdr-ecs-export-callback-sns-choice.asl.json": [{ consignmentId: "c-1" }],
  "feedutopia-ecs-runtask-weekly-recap.asl.json": [{ version: "0", id: "e-1", "detail-type": "Scheduled Event", source: "aws.events", time: "2026-11-30T09:00:00Z", detail: {} }],
  "awsdocs-sample-train-xgboost-batch-transform.asl.json": [{ rows: 100, seed: 7 }],
  "awsdocs-connect-sagemaker-processing-job-validate.asl.json": [{ id: "validate-0001" }],
  "awsdocs-sample-processing-feature-transform-train.asl.json": [{ rows: 100, seed: 7 }],
  // EventBridge events: an endpoint in service, tagged to be maintained; one deleted; an alarm on one.
  "pathology-idp-classify-extract-choice.asl.yaml": [{ document: "s3://reports/colon-0001.pdf" }, { document: "s3://reports/mammo-0002.pdf" }],
  "textract-app-analyze-document-to-s3.asl.yaml": [{ Document: "invoice-0001.png" }],
  // An approved order. One sent to review fails before and after lifting: the SNS publish has no ResultPath, so its
  // answer replaces the data and the next state's '$.detail' is not there (the lift keeps those reads as they are).
  "serverless-samples-frauddetector-eventbridge-prediction.asl.yaml": [{ "detail-type": "transaction", source: "com.example.shop", detail: transaction(40) }],
  "serverless-samples-frauddetector-kinesis-batch-map.asl.yaml": [[transaction(40), transaction(900)]],
  "templates/forecast-automation-pipeline/template.yaml": [{ ProjectName: "demand" }],
  "templates/transcribe-athena-you-know-counter/template.yaml": [{ detail: { bucket: { name: "talks-1" }, object: { key: "keynote.mp4" } } }],
  "templates/video-transcribe-translate/template.yml": [{ SampleDataBucketName: "sample-videos", SampleDataInputKey: "talks/keynote.mp4" }],
  "templates/workshop-comprehend-sentiment-ddb/module_12.yml": [{ caseId: "c-1", message: "Great service, thanks" }, { caseId: "c-2", message: "It broke again" }],
  // A high priority order is stored, a low one is not (the Choice has no Default: every order is one or the other).
  "templates/workshop-map-filter-ddb-load/module_5.yml": [{ Data: [{ orderId: "o-1", customerId: "u-1", priority: "HIGH" }, { orderId: "o-2", customerId: "u-2", priority: "LOW" }] }],
  "sfn-collection-sagemaker-endpoint-maintainer.asl.json": [
    { source: "aws.sagemaker", detail: { EndpointName: "ep-1", EndpointStatus: "IN_SERVICE", Tags: { "auto-maintain": "true" } } },
    { source: "aws.sagemaker", detail: { EndpointName: "ep-1", EndpointStatus: "DELETED", Tags: {} } },
    {
      source: "aws.cloudwatch",
      detail: { alarmName: "ep-1", state: { value: "ALARM" }, configuration: { metrics: [{ metricStat: { metric: { namespace: "AWS/SageMaker" } } }] } },
    },
  ],
};

/**
 * A request as compared: the names the IR decides blanked, in the named fields
 * and wherever a later request carries them (a model's S3 path holds its
 * training job's name); an empty map, which sets nothing, left out.
 */
function comparable(req: any, names: Set<string>): any {
  // A UUID is made anew in every run (States.UUID): compared as what it is.
  if (typeof req === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(req)) return "<a random UUID>";
  // An ARN spells the name in lower case; a name made from another (a model named after its job) goes first.
  if (typeof req === "string") return [...names].sort((a, b) => b.length - a.length).reduce((t, n) => t.replace(new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "<named by the pipeline>"), req);
  if (Array.isArray(req)) return req.map((x) => comparable(x, names));
  if (req === null || typeof req !== "object") return req;
  const out: any = {};
  for (const [k, v] of Object.entries(req)) {
    // A container's Mode SingleModel is the API's default: the same request without it.
    if (k === "Mode" && v === "SingleModel" && "Image" in req) continue;
    // The one production variant an endpoint step deploys takes all traffic, whatever weight it is given.
    if (k === "InitialVariantWeight" && "VariantName" in req) continue;
    // Where the engine has no ItemReader the harness puts the items beside the data (distributed.ts), which
    // a state handed the whole data after the Map then sends too: not the machine's own.
    if (k === "readerItems") continue;
    if (NAMED.includes(k) && typeof v === "string") {
      names.add(v);
      out[k] = "<named by the pipeline>";
    } else if (!(v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0)) out[k] = comparable(v, names);
  }
  return out;
}

/**
 * `ResultPath: "$"` written out means what leaving it out means (the result replaces the data), but the
 * engine writes the result under a key "$": the original is run without it.
 */
function resultPathWhole(def: any): any {
  const walk = (states: Record<string, any>) => {
    for (const st of Object.values(states)) {
      if (st.ResultPath === "$") delete st.ResultPath;
      for (const b of st.Branches ?? []) walk(b.States);
      if (st.ItemProcessor ?? st.Iterator) walk((st.ItemProcessor ?? st.Iterator).States);
    }
  };
  walk(def.States);
  return def;
}

/** The calls one execution makes, in order: service and request (names the IR decides blanked). */
async function execute(def: any, wrap: (call: string, h: Handler) => Handler = (_, h) => h, input: unknown = {}) {
  const byName = calls(def);
  const handlers: Record<string, Handler> = {};
  const seen: Array<[string, unknown]> = [];
  /** The state of each call seen. */
  const states: string[] = [];
  const names = new Set<string>();
  for (const [name, { call, function: fn }] of byName) {
    if (!STAND_INS[call]) throw new Error(`no stand-in for ${call} (state ${name})`);
    const h = wrap(call, STAND_INS[call]());
    handlers[name] = (input) => {
      const i = fn === undefined ? input : { FunctionName: fn, Payload: input };
      for (const k of NAMED) if (typeof i[k] === "string") names.add(i[k]);
      const req = comparable(structuredClone(i), names);
      for (const [a, b] of NAMED_NESTED) if (req[a] && typeof req[a] === "object" && b in req[a]) req[a][b] = "<named by the pipeline>";
      seen.push([call, req]);
      states.push(name);
      const out = h(i);
      return fn === undefined ? out : (out as { Payload: unknown }).Payload;
    };
  }
  const r = await run(def, input, handlers);
  return { status: r.status, error: r.error, cause: r.cause, seen, states };
}

describe("the Step Functions corpus", () => {
  test("every file is listed as lifted or refused", () => {
    const lifted = FILES.filter((f) => !REFUSED[f]);
    expect(lifted).toEqual([
      "auto-haaland-fpl-features-inference-sns-catch.asl.json",
      "aws-cdk-integ-sagemaker-train-model-endpoint.asl.json",
      "aws-samples-forecast-mlops-orchestrator-nested-sync.asl.json",
      "aws-samples-genomics-batch-variant-calling-map.asl.json",
      "aws-samples-sm-migrate-custom-code-processing-chain.asl.json",
      "awsdocs-connect-sagemaker-labeling-job-validate.asl.json",
      "awsdocs-connect-sagemaker-processing-job-validate.asl.json",
      "awsdocs-sample-emr-job.asl.json",
      "awsdocs-sample-processing-feature-transform-train.asl.json",
      "awsdocs-sample-train-xgboost-batch-transform.asl.json",
      "awsdocs-sample-tune-xgboost-hpo-batch-transform.asl.json",
      "batch-ffmpeg-distributed-map-batch-submitjob.asl.json",
      "batch-genomics-parallel-sync-heartbeat.asl.json",
      "battery-pipeline-validate-process-soc-chain.asl.json",
      "bedrock-lambda-chain-choice-catch.asl.json",
      "emr-serverless-tf-sdk-lambda-catch.asl.json",
      "feedutopia-ecs-runtask-weekly-recap.asl.json",
      "finance-parser-textract-lambda-chain.asl.json",
      "genai-idp-textract-udop-bedrock-map.asl.json",
      "glue-crawler-etl-poller.asl.json",
      "iceberg-optimizer-athena-queries-map.asl.json",
      "kptn-lambda-decider-ecs-runtask.asl.json",
      "macie-pii-scan-poller-jsonata.asl.json",
      "market-data-batch-create-predictions-map-catch.asl.json",
      "mlmax-sagemaker-process-train-evaluate.asl.json",
      "newsrag-scrape-embed-index-dedupe-choice.asl.json",
      "oanh-image-resize-jsonata-choice.asl.json",
      "pathology-idp-classify-extract-choice.asl.yaml",
      "quickstart-meter-batch-forecast-map.asl.json",
      "quickstart-meter-deepar-train-deploy.asl.json",
      "quickstart-meter-pipeline-orchestrator.asl.json",
      "rekognition-a2i-custom-labels-train-poll.asl.json",
      "rekognition-customlabels-train-deploy-poll.asl.yaml",
      "rss-generator-llm-extract-feeds-map.asl.json",
      "samsf-sagemaker-train-transform-approve-deploy.asl.json",
      "scones-image-classify-inference-threshold-chain.asl.json",
      "sdlf-emr-serverless-sync-chain.asl.json",
      "sdlf-topic-modelling-comprehend-poll-map.asl.json",
      "second-look-rekognition-map-filter.asl.json",
      "serverless-patterns-batch-job-notify.asl.json",
      "serverless-patterns-bedrock-prompt-chain.asl.json",
      "serverless-patterns-emr-serverless-poll-tf.asl.json",
      "serverless-patterns-glue-job-tf.asl.json",
      "serverless-patterns-sfn-comprehend-sentiment.asl.json",
      "serverless-patterns-sfn-glue-sam.asl.json",
      "serverless-patterns-stepfunctions-bedrock.asl.json",
      "serverless-python-demo-dynamodb-store-events.asl.json",
      "serverless-samples-frauddetector-eventbridge-prediction.asl.yaml",
      "serverless-samples-frauddetector-kinesis-batch-map.asl.yaml",
      "sfn-collection-athena-crawler-lambda-query.asl.json",
      "sfn-collection-athena-query-poll.asl.json",
      "sfn-collection-batch-lambda.asl.json",
      "sfn-collection-bedrock-blog-generator.asl.yaml",
      "sfn-collection-bedrock-categorize-sqs.asl.json",
      "sfn-collection-bedrock-describe-assets.asl.json",
      "sfn-collection-bedrock-model-customisation.asl.json",
      "sfn-collection-celebrity-identifier.asl.json",
      "sfn-collection-distributed-map-csv-iterator.asl.json",
      "sfn-collection-distributed-map-gif-generator.asl.json",
      "sfn-collection-distributed-map-montecarlo.asl.json",
      "sfn-collection-dynamodb-import-json-distributed-map.asl.yaml",
      "sfn-collection-glue-workflow-poll.asl.json",
      "sfn-collection-manage-emr-job.asl.json",
      "sfn-collection-moderated-image-catalog.asl.json",
      "sfn-collection-query-large-datasets.asl.json",
      "sfn-collection-rekognition-video-catalog.asl.json",
      "sfn-collection-sagemaker-endpoint-maintainer.asl.json",
      "sfn-collection-sagemaker-pipeline-failure-notify.asl.json",
      "sfn-collection-storm-events-ingest-athena.asl.json",
      "sfn-collection-train-ml-model-sam-substitutions.asl.json",
      "sfn-ds-sdk-catch-training-job.asl.json",
      "sfn-ds-sdk-retry-training-job-manifest.asl.json",
      "sfn-ds-sdk-training-pipeline-pca.asl.json",
      "sm-terraform-train-deploy-endpoint-tf.asl.json",
      "tdr-ecs-export-callback-sns-choice.asl.json",
      "templates/apigw-usage-billing-reports/template.yaml",
      "templates/forecast-automation-pipeline/template.yaml",
      "templates/glue-crawlers-create-dataset/template.yaml",
      "templates/monte-carlo-dmap-datagen/main.yml",
      "templates/sdlf-ecs-fargate-stage/template.yaml",
      "templates/transcribe-athena-you-know-counter/template.yaml",
      "templates/video-transcribe-translate/template.yml",
      "templates/workshop-comprehend-sentiment-ddb/module_12.yml",
      "templates/workshop-map-filter-ddb-load/module_5.yml",
      "textract-app-analyze-document-to-s3.asl.yaml",
      "ubc-ec2ensemble-server-lifecycle.asl.json",
    ]);
    expect(Object.keys(REFUSED).every((f) => FILES.includes(f))).toBe(true);
  });

  for (const f of FILES) {
    if (REFUSED[f]) {
      test(`${f} is refused construct by construct`, () => {
        const r = lift(f);
        expect(r.pipeline).toBeUndefined();
        expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual(REFUSED[f]);
      });
      continue;
    }
    test(`${f} lifts; original and re-lowered make the same calls`, async () => {
      const r = lift(f);
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const again = lower(r.pipeline!);
      expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
      // A hand-written rollout lifts to an endpoint step that also waits for InService, as the lift warns: those looks are the only calls added.
      const waits = r.diagnostics.some((d) => d.severity === "warning" && d.message.includes("also waits until the endpoint is InService"));
      // A polled call's later requests: the lifted step sends its first one's each time, as the lift warns (its state named first in the message).
      const polled = new Set(r.diagnostics.flatMap((d) => (d.severity === "warning" && d.message.includes("of later calls is read from the previous call's result") ? [[...d.message.split(":")[0].matchAll(/\.States(?:\.([A-Za-z0-9_-]+)|\['([^']+)'\])/g)].map((m) => m[1] ?? m[2]).at(-1)!] : [])));
      for (const [n, input] of (INPUTS[f] ?? [{}]).entries()) {
        const hand = JSONATA_RUNS[f]?.[n];
        const before = hand ? { status: "SUCCEEDED", error: undefined, cause: undefined, seen: hand.map(([, c, req]) => [c, req] as [string, unknown]), states: hand.map(([st]) => st) } : await execute(inlineDistributed(resultPathWhole(JSON.parse(deployed(f)))), undefined, input);
        const after = await execute(inlineDistributed(again.definition), undefined, input);
        // The lifted step of a polled state keeps its name, or is named after it (the name its display name).
        const polledAgain = new Set(r.pipeline!.steps.filter((x) => polled.has(x.id) || polled.has(x.display_name ?? "")).map((x) => x.id));
        for (const [run, named] of [[before, polled], [after, polledAgain]] as const) {
          const times = new Map<string, number>();
          run.seen = run.seen.map(([c, req], k) => {
            const st = run.states[k];
            times.set(st, (times.get(st) ?? 0) + 1);
            return named.has(st) && times.get(st)! > 1 ? [c, "<a later look, as the lift warns>"] : [c, req];
          });
        }
        expect([before.status, before.error, before.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
        expect(before.seen.length).toBeGreaterThan(0);
        const looks = (seen: typeof after.seen) => seen.filter(([c]) => c === "sagemaker:describeEndpoint").length;
        if (waits && looks(before.seen) === 0) {
          expect(looks(after.seen)).toBeGreaterThan(0);
          after.seen = after.seen.filter(([c]) => c !== "sagemaker:describeEndpoint");
        }
        // A hyperparameter read from where the job's name was read carries the old name after lifting, as the lift warns: blanked in both.
        const carried = r.diagnostics.flatMap((d) => /hyperparameter '([^']+)' is read from .*, as TrainingJobName was/.exec(d.message)?.[1] ?? []);
        for (const run of [before, after]) for (const [, req] of run.seen as Array<[string, any]>) for (const m of carried) if (req?.HyperParameters && m in req.HyperParameters) req.HyperParameters[m] = "<the job's old name>";
        if (f.startsWith("mlmax-")) expect(carried).toEqual(["sagemaker_job_name"]);
        // A whole lambda:invoke result passed on is its Payload alone after lifting, as the lift warns: the metadata around it dropped in both.
        if (r.diagnostics.some((d) => d.severity === "warning" && d.message.includes("passes on the whole lambda:invoke result"))) {
          for (const run of [before, after]) run.seen = run.seen.map(([c, req]) => [c, payloadOnly(req)]);
        }
        // The execution's ARN read as the run's id is sent as the execution's name after lifting, as the lift warns: the same run.
        if (r.diagnostics.some((d) => d.severity === "warning" && d.message.includes("'$$.Execution.Id' (the execution's ARN) is read as the run's id"))) {
          for (const run of [before, after]) run.seen = JSON.parse(JSON.stringify(run.seen).replaceAll('"arn:aws:states:us-east-1:111122223333:execution:machine:exec-1"', '"<the run>"').replaceAll('"exec-1"', '"<the run>"'));
        }
        // Re-lowering writes out the members whose absence means the API's default (as the SageMaker SDK does): the same calls.
        expect(withoutDefaults({ ...after, states: undefined })).toEqual(withoutDefaults({ ...before, states: undefined }));
      }
    });
    test(`${f}: the re-lowered machine lifts to the same pipeline (diff is empty)`, () => {
      const first = lift(f).pipeline!;
      const again = lower(first);
      const second = backend.lift!({ file: "relowered.asl.json", text: JSON.stringify(again.definition, null, 2) });
      expect(second.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(diffPipelines(first, second.pipeline!)).toEqual([]);
    });
  }

  test("two retriers keep two counters: a job that times out twice and then fails twice still succeeds, before and after", async () => {
    const f = "sfn-ds-sdk-retry-training-job-manifest.asl.json";
    const text = read(f).text;
    const r = backend.lift!({ file: f, text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    // The SDK's deliberate 'not_an_image' is kept as written, with a warning at its place.
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toContain(
      "sfn-ds-sdk-retry-training-job-manifest.asl.json:1:176: warning: $.States.RetryStateName.Parameters.AlgorithmSpecification.TrainingImage: image 'not_an_image' is neither a registry image URI nor a shorthand like xgboost:1.7-1: it is kept as written",
    );
    expect(p.steps[0].kind === "training" && p.steps[0].image).toMatchObject({ kind: "literal", value: "not_an_image" });
    expect(p.steps[0].retry?.map((x) => [x.on, x.attempts])).toEqual([[["timeout"], 3], [["job"], 3]]);
    // The manifest stays a manifest.
    expect(p.steps[0].kind === "training" && p.steps[0].inputs.train.data_type).toBe("ManifestFile");
    const flaky = (_: string, h: Handler): Handler => {
      const errors = ["States.Timeout", "States.Timeout", "States.TaskFailed", "States.TaskFailed"];
      return (i) => {
        const e = errors.shift();
        if (e) throw awsError(e);
        return h(i);
      };
    };
    const before = await execute(JSON.parse(text), flaky);
    const again = lower(p);
    // Re-lowered, the image is the same text, with the same warning.
    expect(again.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toContain("image 'not_an_image' is neither a registry image URI nor a shorthand like xgboost:1.7-1: it is kept as written");
    const after = await execute(again.definition, flaky);
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(after.seen).toEqual(before.seen);
    expect(before.seen.length).toBe(5);
  });

  test("a read the original gets wrong stays wrong: the review path of the fraud sample fails before and after lifting, after the same calls", async () => {
    const f = "serverless-samples-frauddetector-eventbridge-prediction.asl.yaml";
    const r = lift(f);
    const again = lower(r.pipeline!);
    const input = { "detail-type": "transaction", source: "com.example.shop", detail: transaction(900) };
    const before = await execute(JSON.parse(deployed(f)), undefined, input);
    const after = await execute(again.definition, undefined, input);
    // The SNS answer replaced the data, so '$.detail' is not there for the event sent next.
    expect([before.status, before.error]).toEqual(["FAILED", "States.Runtime"]);
    expect([after.status, after.error]).toEqual(["FAILED", "States.Runtime"]);
    expect(before.seen.map(([c]) => c)).toEqual(["frauddetector:getEventPrediction", "sns:publish"]);
    expect(after.seen).toEqual(before.seen);
  });

  test("a Map that runs no step, and the Choice after it, only shape the output: not lifted, with a warning naming them; a run that finds a cat makes the same call and succeeds", async () => {
    const f = "second-look-rekognition-map-filter.asl.json";
    const r = lift(f);
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toContain(
      `second-look-rekognition-map-filter.asl.json:18:12: warning: $.States.Map: states 'Map', 'Cat?', 'Cat', 'No cat' make no call and end the execution well on every way through: they only shape its output, which the lifted pipeline does not keep, so they are not lifted (where "$.Labels" is not a list, or a path they read is missing, the original fails with States.Runtime there and the lifted machine does not)`,
    );
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["DetectLabels"]);
    const again = lower(r.pipeline!);
    // A cat found: the original ends at 'Cat' after the one call, as the lifted machine ends after it.
    const event = { detail: { bucket: { name: "uploads-1" }, object: { key: "pets/1.jpg" } } };
    const before = await run(JSON.parse(read(f).text), event, { DetectLabels: () => ({ Labels: [{ Name: "Dog", Confidence: 98 }, { Name: "Cat", Confidence: 99 }] }) });
    expect([before.status, before.started]).toEqual(["SUCCEEDED", ["DetectLabels"]]);
    expect(before.output.ProcessResult).toEqual({ Labels: [{ Name: "Cat", Confidence: 99 }] });
    const after = await execute(again.definition, undefined, event);
    expect([after.status, after.seen.map(([c]) => c)]).toEqual(["SUCCEEDED", ["rekognition:detectLabels"]]);
    // No cat: Step Functions' filter gives an empty list and the Choice goes to 'No cat'; aws-local-stepfunctions
    // fails a filter that matches nothing instead, so that run is not executed here.
  });

  /** A stand-in that fails every call with this error. */
  const failing = (error: string) => (call: string, h: Handler): Handler => (call === "sns:publish" ? h : () => { throw awsError(error); });

  test("a failure handler that notifies and ends the execution well: the job fails, the failure notice is sent, the run succeeds, before and after", async () => {
    const f = "serverless-patterns-batch-job-notify.asl.json";
    const r = backend.lift!(read(f));
    const s = r.pipeline!.steps.find((x) => x.id === "Submit_Batch_Job")!;
    expect(s.on_failure).toMatchObject([{ steps: ["Notify_Failure"], ends: "succeeded" }]);
    expect(s.on_failure![0].on).toBeUndefined();
    const again = lower(r.pipeline!);
    const before = await execute(JSON.parse(read(f).text), failing("Batch.AWSBatchException"));
    const after = await execute(again.definition, failing("Batch.AWSBatchException"));
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    // Three attempts (two retries), then the failure notice; the success notice is never sent.
    expect(before.seen.map(([c, req]) => (c === "sns:publish" ? (req as { Message: string }).Message : c))).toEqual([
      "batch:submitJob", "batch:submitJob", "batch:submitJob", "Batch job submitted through Step Functions failed",
    ]);
    expect(after.seen).toEqual(before.seen);
  });

  test("a Catch into a Choice on the error's name is a handler per branch: a timed-out export and a failed one each send their own notice, before and after", async () => {
    const f = "tdr-ecs-export-callback-sns-choice.asl.json";
    const r = lift(f);
    const s = r.pipeline!.steps.find((x) => x.id === "Run_ECS_task")!;
    expect(s.on_failure).toMatchObject([
      { steps: ["Task_timed_out_notification", "Export_Status_Update", "Fail_State"], on: ["timeout"] },
      { steps: ["Task_failed_notification", "Export_Status_Update_2", "Fail_State_2"], on: ["job", "timeout"] },
    ]);
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toContain(
      "tdr-ecs-export-callback-sns-choice.asl.json:75:27: warning: $.States['Task failed choice']: Choice state 'Task failed choice' is read as catching error 'States.Timeout' apart: a missed heartbeat, which Step Functions reports as States.Timeout, takes its branch too",
    );
    const again = lower(r.pipeline!);
    expect(again.definition.States.Run_ECS_task.Catch.map((c: any) => [c.ErrorEquals, c.Next])).toEqual([
      [["States.Timeout"], "Task_timed_out_notification"],
      [["States.TaskFailed", "States.Timeout"], "Task_failed_notification"],
    ]);
    // Only the export task fails; the notices and the status update go through.
    const exportFails = (error: string) => (call: string, h: Handler): Handler => (call.startsWith("ecs:") ? () => { throw awsError(error); } : h);
    const notices = (seen: Array<[string, unknown]>) => seen.map(([c, req]) => (c === "sns:publish" ? (req as { Message: { failureCause?: unknown } }).Message.failureCause : c));
    const runs: Record<string, unknown[]> = {};
    for (const e of ["States.Timeout", "States.TaskFailed", "ExportFailed"]) {
      const before = await execute(JSON.parse(deployed(f)), exportFails(e), { consignmentId: "c-1" });
      const after = await execute(again.definition, exportFails(e), { consignmentId: "c-1" });
      expect([e, before.status, after.status]).toEqual([e, "FAILED", "FAILED"]);
      expect(after.seen).toEqual(before.seen);
      runs[e] = notices(before.seen);
    }
    // A timeout is retried three times, then the timed-out notice; another error goes to the failed notice with its cause.
    expect(runs["States.Timeout"]).toEqual(["ecs:runTask.waitForTaskToken", "ecs:runTask.waitForTaskToken", "ecs:runTask.waitForTaskToken", "ecs:runTask.waitForTaskToken", "The export task has timed out", "lambda:invoke"]);
    expect(runs["ExportFailed"]).toEqual(["ecs:runTask.waitForTaskToken", expect.any(String), "lambda:invoke"]);
    expect(runs["ExportFailed"][1]).not.toBe("The export task has timed out");
  });

  test("two catchers into states that end the execution well are one handler without steps for both error classes", async () => {
    const f = "sfn-ds-sdk-catch-training-job.asl.json";
    const r = backend.lift!(read(f));
    expect(r.pipeline!.steps[0].on_failure).toMatchObject([{ steps: [], on: ["timeout", "job"], ends: "succeeded" }]);
    const again = lower(r.pipeline!);
    expect(Object.values(again.definition.States).flatMap((st: any) => st.Catch ?? [])).toEqual([
      { ErrorEquals: ["States.Timeout", "States.TaskFailed"], ResultPath: "$.error", Next: "TaskWithCatchState.handled" },
    ]);
    for (const e of ["States.Timeout", "States.TaskFailed", "SageMaker.AmazonSageMakerException"]) {
      const before = await execute(JSON.parse(read(f).text), failing(e));
      const after = await execute(again.definition, failing(e));
      expect([e, before.status, after.status]).toEqual([e, "SUCCEEDED", "SUCCEEDED"]);
      expect(after.seen).toEqual(before.seen);
    }
  });
});
