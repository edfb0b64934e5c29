/**
 * One builder per step kind. A builder returns a handle: the step's id, kind and
 * options as written, plus typed references to what the step produces
 * (`preprocess.outputs.train`, `train.model`, `evaluate.reports.metrics.get(..)`).
 */
import type { ErrorClass, ScalarType } from "../ir/types.js";
import { Expr, ref, reportPath, type Condition, type Count, type Data, type NumberExpr, type Scalar, type Text } from "./expr.js";

/** `30s`, `10m`, `2h`, `7d`, `1h30m`, or a number of seconds. */
export type Duration = string | number;
export type InputMode = "File" | "Pipe" | "FastFile";

export interface RetryRule {
  attempts?: number;
  interval?: Duration;
  backoff?: number;
  on?: readonly ErrorClass[];
  /** Errors named as the function or service reports them (a Lambda function's own error type), beside `on`. */
  errors?: readonly string[];
  max_delay?: Duration;
  jitter?: boolean;
}
/** One rule, or rules tried in order (the first whose `on` matches applies; each counts its own attempts). */
export type Retry = RetryRule | readonly RetryRule[];

export interface Network {
  isolation?: boolean;
  encrypt_traffic?: boolean;
  vpc?: { subnets: readonly Text[]; security_groups: readonly Text[] };
}
export interface Kms {
  volume?: Text;
  output?: Text;
}
export type DataType = "S3Prefix" | "ManifestFile" | "AugmentedManifestFile";

export type Instance = Text | { type: Text; count?: Count; volume_gb?: Count };
export type Targets = { sagemaker?: Record<string, unknown>; stepfunctions?: Record<string, unknown>; airflow?: Record<string, unknown>; [target: string]: Record<string, unknown> | undefined };

/** One failure handler: its steps, the error classes (or names) that run it, how the execution ends. */
export interface FailureHandlerSpec {
  /** None with `ends: "succeeded"` or `ends: "continues"`. */
  steps?: ReadonlyArray<AnyStep | string>;
  on?: ReadonlyArray<ErrorClass>;
  errors?: readonly string[];
  ends?: "failed" | "succeeded" | "continues";
}

export interface CommonSpec {
  display_name?: string;
  description?: string;
  /** Steps that must finish first (handles or ids). */
  depends_on?: ReadonlyArray<AnyStep | string>;
  retry?: Retry;
  /**
   * Steps that run only when this one fails; the execution then ends failed.
   * As an object: which error classes run them (`on`) and how the execution
   * ends after them (`ends: "succeeded"` absorbs the failure; `ends: "continues"`,
   * with no steps, lets it pass and the steps after this one run). As a list of
   * objects: several handlers, tried in order; the first whose errors match runs.
   */
  on_failure?: ReadonlyArray<AnyStep | string> | FailureHandlerSpec | ReadonlyArray<FailureHandlerSpec>;
  timeout?: Duration;
  cache?: Duration;
  tags?: Record<string, string>;
  environment?: Record<string, Scalar>;
  /** Expected duration, for the cost report. */
  estimate?: Duration;
  targets?: Targets;
}

export type DataInput =
  | Text
  | {
      source: Text;
      destination?: string;
      content_type?: string;
      mode?: InputMode;
      distribution?: "FullyReplicated" | "ShardedByS3Key";
      compression?: "None" | "Gzip";
      data_type?: DataType;
    };
/** A training channel: like a processing input, without a container path. */
export type ChannelInput =
  | Text
  | {
      source: Text;
      content_type?: string;
      mode?: InputMode;
      distribution?: "FullyReplicated" | "ShardedByS3Key";
      compression?: "None" | "Gzip";
      data_type?: DataType;
    };
export type OutputSpec = string | { path: string; upload?: "EndOfJob" | "Continuous"; destination?: Text };
export interface ReportSpec<O extends string = string> {
  output: O;
  file: string;
}

/** A value read from a step's JSON report: `evaluate.reports.metrics.get("a.b")`. */
export interface ReportRef {
  get(path: string): Expr<"any">;
}

// --- handles --------------------------------------------------------------------

export interface StepHandle<K extends string = string, S = unknown> {
  readonly id: string;
  readonly type: K;
  /** The options as written. */
  readonly spec: S;
  /** `steps.<id>.name`: the model name of a `model` step, else the step's name. */
  readonly name: Expr<"string">;
}

type OutputRefs<O> = { readonly [K in keyof O]: Expr<"string"> };
type TypedOutputs<O extends Record<string, ScalarType>> = {
  readonly [K in keyof O]: Expr<O[K] extends "string" ? "string" : O[K] extends "boolean" ? "boolean" : "number">;
};

export interface ProcessingStep<O = Record<string, OutputSpec>, R = Record<string, ReportSpec>> extends StepHandle<"processing", ProcessingSpec> {
  readonly outputs: OutputRefs<O>;
  readonly reports: { readonly [K in keyof R]: ReportRef };
  readonly job_name: Expr<"string">;
}
export interface TrainingStep extends StepHandle<"training", TrainingSpec> {
  /** S3 URI of the model artifact. */
  readonly model: Expr<"string">;
  readonly job_name: Expr<"string">;
}
export interface TuningStep extends StepHandle<"tuning", TuningSpec> {
  /** S3 URI of the best training job's model artifact. */
  readonly model: Expr<"string">;
  readonly job_name: Expr<"string">;
}
export interface TransformStep extends StepHandle<"transform", TransformSpec> {
  readonly outputs: { readonly output: Expr<"string"> };
  readonly job_name: Expr<"string">;
}
export type ModelStep = StepHandle<"model", ModelSpec>;
export interface RegisterModelStep extends StepHandle<"register-model", RegisterModelSpec> {
  readonly arn: Expr<"string">;
}
export interface EndpointStep extends StepHandle<"endpoint", EndpointSpec> {
  readonly arn: Expr<"string">;
}
export type ConditionStep = StepHandle<"condition", ConditionSpec>;
export type FailStep = StepHandle<"fail", FailSpec>;
export interface MapStep extends StepHandle<"map", MapSpec> {
  /** Each iteration's `result`, in item order: `m.results("[0].body")`; no path is the whole list. */
  readonly results: ResponseRef;
}
/** A value in a step's service response: `s.response("body.jobName")`; no path is the whole response. */
export type ResponseRef = (path?: string) => Expr<"any">;

export interface LambdaStep<O extends Record<string, ScalarType> = Record<string, ScalarType>> extends StepHandle<"lambda", LambdaSpec> {
  readonly outputs: TypedOutputs<O>;
  /** What the function returned. */
  readonly response: ResponseRef;
}
export interface ApprovalStep<O extends Record<string, ScalarType> = Record<string, ScalarType>> extends StepHandle<"approval", ApprovalSpec> {
  readonly outputs: TypedOutputs<O>;
}
export interface NotebookStep extends StepHandle<"notebook", NotebookSpec> {
  readonly outputs: { readonly output: Expr<"string"> };
  readonly job_name: Expr<"string">;
}

export type PassthroughStep = StepHandle<"passthrough", PassthroughSpec>;
export type WaitStep = StepHandle<"wait", WaitSpec>;
export type GlueStep = StepHandle<"glue", GlueSpec>;
export type EmrStep = StepHandle<"emr", EmrSpec>;
export interface FunctionStep extends StepHandle<"function", FunctionSpec> {
  /** Where the return value is written. */
  readonly outputs: { readonly result: Expr<"string"> };
  /** The return value: `f.reports.result.get("auc")`. */
  readonly reports: { readonly result: ReportRef };
  readonly job_name: Expr<"string">;
}
export interface AwsCallStep<O extends Record<string, ScalarType> = Record<string, ScalarType>> extends StepHandle<"aws", AwsCallSpec> {
  readonly outputs: TypedOutputs<O>;
  /** The API response (with `wait`, the job's final description). */
  readonly response: ResponseRef;
}

export type AnyStep = StepHandle<string, unknown>;

// --- options --------------------------------------------------------------------

export interface ProcessingSpec<O extends Record<string, OutputSpec> = Record<string, OutputSpec>, R extends Record<string, ReportSpec> = Record<string, ReportSpec>> extends CommonSpec {
  image: Text;
  instance?: Instance;
  /** Local script, relative to the pipeline file. */
  code?: string;
  /** Interpreter of `code` (default python3); without `code`, the entry point. With neither, the image's own runs. */
  command?: readonly string[];
  arguments?: readonly (string | number | boolean | Expr)[];
  inputs?: Record<string, DataInput>;
  outputs?: O;
  reports?: R;
  network?: Network;
  kms?: Kms;
  /** Members added to the job's API request as written (DebugHookConfig, ExperimentConfig, ...). */
  request?: Record<string, Data>;
}

export interface TrainingSpec extends CommonSpec {
  image: Text;
  instance?: Instance;
  code?: string;
  hyperparameters?: Record<string, Scalar>;
  inputs?: Record<string, ChannelInput>;
  metric_definitions?: ReadonlyArray<{ name: string; regex: string }>;
  input_mode?: InputMode;
  spot?: { max_wait: Duration };
  entrypoint?: readonly Text[];
  container_arguments?: readonly (string | number | boolean | Expr)[];
  output_path?: Text;
  network?: Network;
  kms?: Kms;
  /** Members added to the job's API request as written (DebugHookConfig, ExperimentConfig, ...). */
  request?: Record<string, Data>;
}

export interface RangeSpec {
  type: "continuous" | "integer" | "categorical";
  min?: number;
  max?: number;
  values?: readonly (string | number)[];
  scaling?: "Auto" | "Linear" | "Logarithmic" | "ReverseLogarithmic";
}

export interface TuningSpec extends TrainingSpec {
  ranges: Record<string, RangeSpec>;
  objective: { metric: string; type: "minimize" | "maximize" | "Minimize" | "Maximize" };
  strategy?: "Bayesian" | "Random" | "Hyperband" | "Grid";
  max_jobs?: number;
  parallel_jobs?: number;
  early_stopping?: "Off" | "Auto";
}

export interface TransformSpec extends CommonSpec {
  /** Model name, usually `someModelStep.name`. */
  model: Text;
  instance?: Instance;
  input: { source: Text; content_type?: string; split_type?: "None" | "Line" | "RecordIO" | "TFRecord"; compression?: "None" | "Gzip"; data_type?: DataType };
  output?: { accept?: string; assemble_with?: "None" | "Line"; destination?: Text };
  strategy?: "MultiRecord" | "SingleRecord";
  max_payload_mb?: number;
  max_concurrent?: number;
  /** JSONPath picking what of each input record is sent, e.g. `"$[1:]"`. */
  input_filter?: string;
  /** `"Input"`: each prediction is joined to its input record. */
  join_source?: "None" | "Input";
  /** JSONPath picking what of each output record is kept, e.g. `"$[0,-1]"`. */
  output_filter?: string;
  kms?: Kms;
  /** Members added to the job's API request as written (DebugHookConfig, ExperimentConfig, ...). */
  request?: Record<string, Data>;
}

export interface WaitSpec extends CommonSpec {
  /** Whole seconds. */
  seconds: Count;
}

export interface GlueSpec extends CommonSpec {
  /** Glue job name. */
  job: Text;
  /** Job arguments, keys as Glue reads them (`--name`). */
  arguments?: Record<string, Scalar>;
  worker_type?: Text;
  workers?: Count;
}

export interface AwsCallSpec<O extends Record<string, ScalarType> = Record<string, ScalarType>> extends CommonSpec {
  /** The service as the AWS CLI names it: `sns`, `dynamodb`, `bedrock-runtime`. */
  service: string;
  /** The API operation: `Publish`, `PutItem`, `InvokeModel`. */
  action: string;
  request?: Record<string, Data>;
  outputs?: O;
  /** Wait until the job the action starts ends (Step Functions `.sync`). */
  wait?: boolean;
  /** The request carries `expr("task.token")`; wait until it is sent back (Step Functions `.waitForTaskToken`). */
  callback?: boolean;
  /** Call again, `interval` apart, until `until` holds; `until` reads the call's answer with `responseOf(id, path)`. */
  repeat?: Repeat;
}

/**
 * Call again, `interval` apart, until `until` holds; `until` reads the call's answer with `responseOf(id, path)`.
 * With `max_calls`, when `until` still does not hold after that many calls, the step fails with `error`
 * (default RepeatLimitExceeded) and `message`.
 */
export interface Repeat {
  until: Condition;
  /** A duration, or whole seconds read before the calls (a parameter, an earlier step's output). */
  interval: Duration | NumberExpr;
  max_calls?: number;
  error?: string;
  message?: string;
}

export interface FunctionSpec extends CommonSpec {
  /** The Python file that defines the function, relative to the pipeline file. */
  code: string;
  /** The function's name in that file. */
  function: string;
  /** Keyword arguments; literal values keep their JSON type, computed ones arrive as strings. */
  arguments?: Record<string, Data>;
  image: Text;
  instance?: Instance;
  inputs?: Record<string, DataInput>;
  network?: Network;
  kms?: Kms;
}

export interface EmrSpec extends CommonSpec {
  cluster_id: Text;
  /** The step's name on the cluster (default: the step's id). */
  name?: Text;
  jar: Text;
  args?: readonly (string | number | boolean | Expr)[];
  main_class?: Text;
  properties?: Record<string, Text>;
  action_on_failure?: "CONTINUE" | "CANCEL_AND_WAIT" | "TERMINATE_CLUSTER";
}

export interface ModelSpec extends CommonSpec {
  image: Text;
  /** S3 URI of the model artifact. */
  model: Text;
}

export interface RegisterModelSpec extends CommonSpec {
  model: Text;
  image: Text;
  package_group: Text;
  approval?: Text;
  content_types?: readonly string[];
  response_types?: readonly string[];
  inference_instances?: readonly Text[];
  transform_instances?: readonly Text[];
  metrics?: Text;
}

export interface EndpointSpec extends CommonSpec {
  /** Endpoint name. */
  name: Text;
  model: Text;
  image?: Text;
  instance?: Instance;
}

export interface ConditionSpec extends CommonSpec {
  if: Condition;
  then?: readonly AnyStep[];
  else?: readonly AnyStep[];
}

export interface MapSpec extends CommonSpec {
  /** The list, known at run time (a step's response, the run's input) or written out; or give `read`. */
  items?: Expr | readonly Data[];
  /**
   * Read the items from S3 when the map starts: the objects under `prefix`
   * (each item one object's `Etag`, `Key`, `LastModified` in epoch seconds,
   * `Size`, `StorageClass`), or the records of the object `key`.
   */
  read?: {
    bucket: Text;
    prefix?: Text;
    key?: Text;
    format?: "json" | "jsonl" | "csv" | "manifest";
    /** CSV column names, for a file without a header line. */
    columns?: readonly string[];
    max_items?: number;
  };
  /**
   * Several items to each iteration: `mapItem` is then the list of the batch's items;
   * `each` reshapes every item (read as `mapItem`) before it is batched.
   */
  batch?: { max_items?: number; max_bytes?: number; each?: Record<string, Data> };
  /** Failed iterations tolerated before the map fails. */
  tolerate?: { count?: number; percent?: number };
  /** Each iteration (or batch) a child run of its own: `true`, or the runs' kind and name prefix. */
  distributed?: boolean | { runs?: "standard" | "express"; label?: string };
  /** Write the iterations' results to S3 instead of keeping them in the run. */
  results_to?: { bucket: Text; prefix?: Text };
  /** The steps run for each item; inside them `mapItem` is the item. */
  steps: readonly AnyStep[];
  /** Items processed at once. */
  concurrency?: number;
  /** What each iteration gives back once its steps are done (read it as `m.results()`). */
  result?: Data;
}

export interface FailSpec extends CommonSpec {
  message: Text;
  /** The error's name (default: the step's id). */
  error?: Text;
}

export interface LambdaSpec<O extends Record<string, ScalarType> = Record<string, ScalarType>> extends CommonSpec {
  /** Function ARN. */
  function: Text;
  /** Named fields, or one value that is the whole payload (`execution.input`, `step.response`). */
  payload?: Record<string, Data> | Expr<"any">;
  outputs?: O;
  /** Invoke again, `interval` apart, until `until` holds; `until` reads the function's result with `responseOf(id, path)` or `outputOf(id, name)`. */
  repeat?: Repeat;
}

export interface ApprovalSpec<O extends Record<string, ScalarType> = Record<string, ScalarType>> extends CommonSpec {
  /** SQS queue URL (or `function`). */
  queue?: Text;
  /** Lambda function invoked with the request (or `queue`). */
  function?: Text;
  /** Send the message's fields as the request, the answer's address (the task token) under this key. */
  token_field?: string;
  message?: Record<string, Data>;
  outputs?: O;
}

export interface NotebookSpec extends CommonSpec {
  /** Local .ipynb, relative to the pipeline file. */
  notebook: string;
  image: Text;
  instance?: Instance;
  kernel?: string;
  parameters?: Record<string, Data>;
}

/** A target-specific step carried through unchanged (what `switchyard import` gives for steps with no neutral kind). */
export interface PassthroughSpec extends CommonSpec {
  /** The only target that can run it. */
  target: string;
  /** The target's own step type, e.g. EMR. */
  step_type: string;
  /** The target's step definition, verbatim. */
  body: Record<string, unknown>;
}

// --- builders -------------------------------------------------------------------

const attr = (step: string, a: "model" | "name" | "job_name" | "arn") => new Expr<"string">(ref({ scope: "steps", step, attr: a }));
const output = (step: string, name: string) => new Expr<"string">(ref({ scope: "steps", step, attr: "outputs", name }));

function refsByName<T>(names: string[], make: (n: string) => T): Record<string, T> {
  return Object.fromEntries(names.map((n) => [n, make(n)]));
}

// The handle types describe exactly what each builder adds, so the result is cast.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function handle<K extends string, S>(id: string, type: K, spec: S, extra: Record<string, unknown> = {}): any {
  return { id, type, spec, name: attr(id, "name"), ...extra };
}

export function processing<O extends Record<string, OutputSpec> = {}, R extends Record<string, ReportSpec<Extract<keyof O, string>>> = {}>(
  id: string,
  spec: ProcessingSpec<O, R>,
): ProcessingStep<O, R> {
  return handle(id, "processing", spec, {
    outputs: refsByName(Object.keys(spec.outputs ?? {}), (n) => output(id, n)),
    reports: refsByName(Object.keys(spec.reports ?? {}), (report) => ({
      get: (path: string) => new Expr<"any">(ref({ scope: "steps", step: id, attr: "reports", report, path: reportPath(path) })),
    })),
    job_name: attr(id, "job_name"),
  });
}

export function training(id: string, spec: TrainingSpec): TrainingStep {
  return handle(id, "training", spec, { model: attr(id, "model"), job_name: attr(id, "job_name") });
}

export function tuning(id: string, spec: TuningSpec): TuningStep {
  return handle(id, "tuning", spec, { model: attr(id, "model"), job_name: attr(id, "job_name") });
}

export function transform(id: string, spec: TransformSpec): TransformStep {
  return handle(id, "transform", spec, { outputs: { output: output(id, "output") }, job_name: attr(id, "job_name") });
}

export function model(id: string, spec: ModelSpec): ModelStep {
  return handle(id, "model", spec);
}

export function registerModel(id: string, spec: RegisterModelSpec): RegisterModelStep {
  return handle(id, "register-model", spec, { arn: attr(id, "arn") });
}

export function endpoint(id: string, spec: EndpointSpec): EndpointStep {
  return handle(id, "endpoint", spec, { arn: attr(id, "arn") });
}

export function condition(id: string, spec: ConditionSpec): ConditionStep {
  return handle(id, "condition", spec);
}

/** Run `steps` once for each item of a list known at run time. */
export function map(id: string, spec: MapSpec): MapStep {
  return handle(id, "map", spec, { results: (path?: string) => new Expr<"any">(ref({ scope: "steps", step: id, attr: "results", path: path ? reportPath(path) : [] })) });
}

export function fail(id: string, spec: FailSpec): FailStep {
  return handle(id, "fail", spec);
}

const responseOf = (step: string): ResponseRef => (path?: string) => new Expr<"any">(ref({ scope: "steps", step, attr: "response", path: path ? reportPath(path) : [] }));

export function lambda<O extends Record<string, ScalarType> = {}>(id: string, spec: LambdaSpec<O>): LambdaStep<O> {
  return handle(id, "lambda", spec, { outputs: refsByName(Object.keys(spec.outputs ?? {}), (n) => output(id, n)), response: responseOf(id) });
}
/** Alias of `lambda` for code bases where the word reads oddly. */
export const lambdaStep = lambda;

export function approval<O extends Record<string, ScalarType> = {}>(id: string, spec: ApprovalSpec<O>): ApprovalStep<O> {
  return handle(id, "approval", spec, { outputs: refsByName(Object.keys(spec.outputs ?? {}), (n) => output(id, n)) });
}

export function notebook(id: string, spec: NotebookSpec): NotebookStep {
  return handle(id, "notebook", spec, { outputs: { output: output(id, "output") }, job_name: attr(id, "job_name") });
}

export function passthrough(id: string, spec: PassthroughSpec): PassthroughStep {
  return handle(id, "passthrough", spec);
}

export function wait(id: string, spec: WaitSpec): WaitStep {
  return handle(id, "wait", spec);
}

export function glue(id: string, spec: GlueSpec): GlueStep {
  return handle(id, "glue", spec);
}

export function emr(id: string, spec: EmrSpec): EmrStep {
  return handle(id, "emr", spec);
}

/** Run a Python function as a processing job (`function` in YAML). */
export function pythonFunction(id: string, spec: FunctionSpec): FunctionStep {
  return handle(id, "function", spec, {
    outputs: { result: output(id, "result") },
    reports: { result: { get: (path: string) => new Expr<"any">(ref({ scope: "steps", step: id, attr: "reports", report: "result", path: reportPath(path) })) } },
    job_name: attr(id, "job_name"),
  });
}

/** Call one AWS API action (`aws` in YAML). */
export function awsCall<O extends Record<string, ScalarType> = {}>(id: string, spec: AwsCallSpec<O>): AwsCallStep<O> {
  return handle(id, "aws", spec, { outputs: refsByName(Object.keys(spec.outputs ?? {}), (n) => output(id, n)), response: responseOf(id) });
}
