/**
 * The neutral pipeline IR.
 *
 * Every front end (YAML, TypeScript, a backend's lifter) produces a `Pipeline`;
 * every backend lowers one. The IR is plain JSON: no classes, no functions, no
 * undefined-vs-missing distinctions that JSON would lose. Field names follow the
 * file format (snake_case) so the way from a YAML key to an IR field is 1:1;
 * durations are normalised to whole seconds.
 *
 * Every node carries `pos`, the place in the source it came from.
 */

/** A place in a source file. `line` and `col` are 1-based. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

// ---------------------------------------------------------------------------
// Values and expressions
// ---------------------------------------------------------------------------

/** Scalar literal types of the language (and of parameters). */
export type ScalarType = "string" | "integer" | "float" | "boolean";

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";
/** Functions of the expression language (src/ir/expr/functions.ts says what each takes). */
export type FnName = "exists" | "split" | "item" | "length" | "uuid" | "json" | "parse" | "set" | "object" | "matches" | "get" | "add_days" | "default";
export type ArithOp = "+" | "-" | "*" | "/";

/**
 * What a reference points at.
 * - `params.X`
 * - `steps.S.outputs.O` / `steps.S.model` / `steps.S.name` / `steps.S.job_name` / `steps.S.arn`
 * - `steps.S.reports.R.<path>`: a value read from a JSON file a step wrote
 * - `item.<path>`: the current `foreach` item
 * - `steps.S.response.<path>`: the step's service response (a Lambda's returned
 *   payload, an aws step's API response, a SageMaker job's Describe* response,
 *   a passthrough step's properties); an empty path is the whole response
 * - `execution.id` / `execution.start_time`
 * - `execution.logical_date` / `execution.logical_date_nodash`: the date (UTC)
 *   the run is for, as `2024-03-01` / `20240301`: a scheduled run's scheduled
 *   time, or with `schedule.intervals` the start of the interval it covers (the
 *   scheduled time before); a run started by hand, the time it was started
 * - `execution.pipeline_name`: the name the pipeline runs under (the SageMaker
 *   pipeline's, the state machine's, the DAG's id)
 * - `execution.input.<path>`: the document the run was started with (Step
 *   Functions execution input, Airflow `dag_run.conf`); an empty path is all of it
 * - `variables.<name>`: a text value kept outside the pipeline and read when the
 *   run needs it (an Airflow Variable; on Step Functions, the SSM parameter
 *   `/airflow/variables/<name>`, where MWAA's Parameter Store backend keeps them)
 */
export type Ref =
  | { scope: "params"; name: string }
  | { scope: "steps"; step: string; attr: "outputs"; name: string }
  | { scope: "steps"; step: string; attr: "model" | "name" | "job_name" | "arn" }
  | { scope: "steps"; step: string; attr: "reports"; report: string; path: PathSegment[] }
  | { scope: "steps"; step: string; attr: "response"; path: PathSegment[] }
  /** A map's results: each iteration's `result`, in item order (a path indexes into the list). */
  | { scope: "steps"; step: string; attr: "results"; path: PathSegment[] }
  /** Inside a map's steps (a map inside it included): the map's current item, where `item` is an inner map's. */
  | { scope: "steps"; step: string; attr: "item"; path: PathSegment[] }
  | { scope: "item"; path: PathSegment[] }
  /**
   * In a failure handler's steps: the error that ran the handler, an object
   * `{Error, Cause}` as Step Functions' Catch writes it (the error's name, and
   * its message or details as text).
   */
  | { scope: "failure"; path: PathSegment[] }
  /**
   * In a callback aws step's request: the token the party that answers sends
   * back (Step Functions' task token, `$$.Task.Token`).
   */
  | { scope: "task"; name: "token" }
  /** Inside a map's steps: an id of the current iteration, unique in the run (Step Functions: a distributed Map's child execution name). */
  | { scope: "iteration"; name: "id" }
  | { scope: "execution"; name: "id" | "start_time" | "pipeline_name" | "logical_date" | "logical_date_nodash" }
  | { scope: "execution"; name: "input"; path: PathSegment[] }
  | { scope: "variables"; name: string };

/** A key (`.a`, `['a-b']`) or an index (`[0]`) into JSON. */
export type PathSegment = string | number;

/**
 * A value in the IR. Literal JSON is wrapped (`literal`, `list`, `map`) so a
 * user's map can never be mistaken for an expression node.
 */
export type Value =
  | { kind: "literal"; value: string | number | boolean | null; type?: ScalarType; pos: Pos }
  | { kind: "list"; items: Value[]; pos: Pos }
  | { kind: "map"; entries: Record<string, Value>; pos: Pos }
  | { kind: "ref"; ref: Ref; pos: Pos }
  /** Text with expressions in it: `"MSE ${{ x }} is high"`. Parts concatenate. */
  | { kind: "join"; parts: Value[]; pos: Pos }
  | { kind: "compare"; op: CompareOp; left: Value; right: Value; pos: Pos }
  | { kind: "in"; value: Value; list: Value; negated: boolean; pos: Pos }
  | { kind: "logic"; op: "and" | "or"; operands: Value[]; pos: Pos }
  | { kind: "not"; operand: Value; pos: Pos }
  | { kind: "arith"; op: ArithOp; left: Value; right: Value; pos: Pos }
  | { kind: "call"; fn: FnName; args: Value[]; pos: Pos };

export type ValueKind = Value["kind"];
export type ValueOf<K extends ValueKind> = Extract<Value, { kind: K }>;

// ---------------------------------------------------------------------------
// Pipeline-level
// ---------------------------------------------------------------------------

export interface Parameter {
  name: string;
  type: ScalarType;
  /** Absent: the parameter must be given at start. */
  default?: string | number | boolean;
  /** Where the default is written, for messages about it. */
  default_pos?: Pos;
  enum?: Array<string | number | boolean>;
  description?: string;
  pos: Pos;
}

/** Neutral error classes a retry policy can match; each backend maps them. */
export type ErrorClass = "throttling" | "capacity" | "service" | "job" | "timeout" | "any";
export const ERROR_CLASSES: readonly ErrorClass[] = ["throttling", "capacity", "service", "job", "timeout", "any"];

export interface RetryPolicy {
  /** Total attempts, the first one included (so 1 = no retry). */
  attempts: number;
  /** Seconds before the first retry. */
  interval: number;
  /** Multiplier applied to the interval after each retry (1 = constant). */
  backoff: number;
  /** Error classes that trigger a retry; `["any"]` when neither these nor `errors` are given (then `[]`). */
  on: ErrorClass[];
  /**
   * Errors named as the step's function or service reports them, matched as
   * written beside the classes: a Lambda function's own error type
   * (`ResourcePending`), a service's exception (`Glue.CrawlerRunningException`).
   */
  errors?: string[];
  /** Longest wait between attempts, seconds (ASL MaxDelaySeconds, Airflow max_retry_delay). */
  max_delay?: number;
  /** Randomise each wait between 0 and its computed value (ASL JitterStrategy FULL). */
  jitter?: boolean;
  pos: Pos;
}

/** What runs when a step fails (after its retries), and how the execution ends then. */
export interface FailureHandler {
  /** The handler steps; empty only with `ends: succeeded` or `ends: continues` (the failure is ignored). */
  steps: string[];
  /** Error classes that run the handler; absent (and no `errors`): any error. Other errors fail the execution at once. */
  on?: ErrorClass[];
  /** Errors named as the step's function or service reports them that run the handler too (see RetryPolicy.errors). */
  errors?: string[];
  /**
   * How the execution ends once the handler steps are done: failed (the
   * default), or succeeded, the failure absorbed (steps that need the failed
   * step, and steps not yet started, do not run). `continues`: the failure is
   * let pass (no handler steps) and the run goes on as if the step had
   * succeeded, without what the step would have made (no step may read it).
   */
  ends?: "failed" | "succeeded" | "continues";
  pos: Pos;
}

export interface Instance {
  type: Value;
  count?: Value;
  /** Attached storage in GB. */
  volume_gb?: Value;
  pos: Pos;
}

export interface Schedule {
  /** Five-field cron (minute hour day-of-month month day-of-week), evaluated in `timezone`. Exactly one of `cron` and `every`. */
  cron?: string;
  /** A fixed rate in seconds (EventBridge `rate(...)`, Airflow `timedelta`). */
  every?: number;
  /** IANA time zone; UTC when absent. */
  timezone?: string;
  /** Whether the schedule starts enabled (default true). */
  enabled?: boolean;
  /**
   * Whether each scheduled run covers the interval since the scheduled time before it, and its
   * `execution.logical_date` is that interval's start (Airflow's data intervals), not its own time.
   */
  intervals?: boolean;
  pos: Pos;
}

export interface Defaults {
  /** Retry rules, in order; see `StepCommon.retry`. */
  retry?: RetryPolicy[];
  /** Seconds. */
  timeout?: number;
  tags?: Record<string, string>;
  /** Instance type used by job steps that give none. */
  instance?: Instance;
  pos?: Pos;
}

/** Known target names; third-party backends may add more. */
export type TargetName = "sagemaker" | "stepfunctions" | "airflow" | (string & {});

/**
 * Settings that only one target understands, merged into that target's output
 * alone (for example `sagemaker: { NetworkConfig: ... }`). Kept as raw JSON.
 */
export type TargetBag = { [target: string]: { settings: Record<string, unknown>; pos: Pos } };

export interface Pipeline {
  version: 1;
  name: string;
  description?: string;
  role?: string;
  region: string;
  /** S3 prefix (`s3://bucket/prefix`) under which outputs and uploaded code live; no trailing slash. */
  artifacts: string;
  parameters: Parameter[];
  defaults: Defaults;
  schedule?: Schedule;
  /** All steps, flat, in source order; condition branches refer to them by id. */
  steps: Step[];
  targets: TargetBag;
  /** The file the pipeline was read from, as given on the command line. */
  source: { file: string; format: "yaml" | "typescript" | "lifted" };
  pos: Pos;
}

// ---------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------

export type StepKind =
  | "processing"
  | "training"
  | "tuning"
  | "transform"
  | "model"
  | "register-model"
  | "endpoint"
  | "condition"
  | "fail"
  | "lambda"
  | "approval"
  | "notebook"
  | "wait"
  | "glue"
  | "emr"
  | "aws"
  | "passthrough"
  | "map";

export interface ForEach {
  /** Static items; each is usually a map, reachable as `${{ item.key }}`. */
  items: Value[];
  pos: Pos;
}

/** A local file a step needs uploaded (script, notebook). */
export interface CodeFile {
  /** Path as written, relative to the pipeline file. */
  path: string;
  /** Hex SHA-256 of the file's bytes, for content-addressed S3 keys. */
  sha256: string;
  pos: Pos;
}

export interface StepCommon {
  id: string;
  display_name?: string;
  description?: string;
  /** Explicit ordering, in addition to what data references imply. */
  depends_on: string[];
  /**
   * Retry rules, in order (never empty when present). For an error, the first
   * rule whose `on` matches applies; each rule counts its own attempts: the
   * semantics of ASL `Retry` and SageMaker `RetryPolicies`.
   */
  retry?: RetryPolicy[];
  /**
   * Steps that run only when this step fails (after its retries); when they are
   * done the execution ends failed. Several steps may name the same handler steps.
   * Several handlers (never an empty list) are tried in order, each for its own
   * errors: the first whose `on`/`errors` match the error runs, as ASL `Catch` does.
   */
  on_failure?: FailureHandler[];
  /** Seconds. */
  timeout?: number;
  /** Seconds a cached result stays valid. */
  cache?: number;
  tags: Record<string, string>;
  environment: Record<string, Value>;
  /** Expected duration in seconds, for the cost report. */
  estimate?: number;
  foreach?: ForEach;
  targets: TargetBag;
  pos: Pos;
}

export interface DataInput {
  source: Value;
  /** Container path (processing, notebook). */
  destination?: string;
  content_type?: string;
  /** `File` (default), `Pipe` or `FastFile`. */
  mode?: "File" | "Pipe" | "FastFile";
  distribution?: "FullyReplicated" | "ShardedByS3Key";
  compression?: "None" | "Gzip";
  /** What `source` names: a prefix (default), a manifest file, or an augmented manifest. */
  data_type?: "S3Prefix" | "ManifestFile" | "AugmentedManifestFile";
  pos: Pos;
}

export interface DataOutput {
  /** Container path whose files are uploaded. */
  path: string;
  upload?: "EndOfJob" | "Continuous";
  /** Explicit S3 URI; by default `<artifacts>/<execution id>/<step>/<output>`. */
  destination?: Value;
  pos: Pos;
}

/** Network settings of a SageMaker job; every target sends them in the job request. */
export interface JobNetwork {
  /** No outbound network access from the containers. */
  isolation?: boolean;
  /** Encrypt traffic between the job's instances. */
  encrypt_traffic?: boolean;
  vpc?: { subnets: Value[]; security_groups: Value[]; pos: Pos };
  pos: Pos;
}

/** KMS keys of a SageMaker job. */
export interface JobKms {
  /** Key for the ML storage volumes. */
  volume?: Value;
  /** Key for the job's outputs in S3. */
  output?: Value;
  pos: Pos;
}

/** A JSON file written by a step into one of its outputs, readable by conditions. */
export interface Report {
  output: string;
  file: string;
  pos: Pos;
}

export interface MetricDefinition {
  name: string;
  regex: string;
  pos: Pos;
}

export interface ProcessingStep extends StepCommon {
  kind: "processing";
  image: Value;
  instance?: Instance;
  code?: CodeFile;
  /**
   * With `code`: the interpreter the script runs under (default `["python3"]`).
   * Without: the container's whole entry point; with neither, the image's own entry point runs.
   */
  command?: string[];
  arguments: Value[];
  inputs: Record<string, DataInput>;
  outputs: Record<string, DataOutput>;
  reports: Record<string, Report>;
  network?: JobNetwork;
  kms?: JobKms;
  /**
   * Members added to the job's API request as written (CreateTrainingJob's
   * DebugHookConfig, ...): members of the request that no field of the step
   * writes, sent the same by every target.
   */
  request?: Record<string, Value>;
}

export interface TrainingStep extends StepCommon {
  kind: "training";
  image: Value;
  instance?: Instance;
  /** Optional training script (script mode), uploaded like processing code. */
  code?: CodeFile;
  hyperparameters: Record<string, Value>;
  inputs: Record<string, DataInput>;
  metric_definitions: MetricDefinition[];
  /** `File` (default), `Pipe` or `FastFile` for every channel that does not say. */
  input_mode?: "File" | "Pipe" | "FastFile";
  /** Managed spot training; `max_wait` in seconds. */
  spot?: { max_wait: number; pos: Pos };
  /** AlgorithmSpecification.ContainerEntrypoint, when the image's own is not used (and no `code`). */
  entrypoint?: Value[];
  /** AlgorithmSpecification.ContainerArguments. */
  container_arguments?: Value[];
  /** Explicit OutputDataConfig.S3OutputPath; by default under `artifacts`. */
  output_path?: Value;
  network?: JobNetwork;
  kms?: JobKms;
  /**
   * Members added to the job's API request as written (CreateTrainingJob's
   * DebugHookConfig, ...): members of the request that no field of the step
   * writes, sent the same by every target.
   */
  request?: Record<string, Value>;
}

export interface ParameterRange {
  type: "continuous" | "integer" | "categorical";
  min?: number;
  max?: number;
  values?: Array<string | number>;
  scaling?: "Auto" | "Linear" | "Logarithmic" | "ReverseLogarithmic";
  pos: Pos;
}

export interface TuningStep extends Omit<TrainingStep, "kind"> {
  kind: "tuning";
  ranges: Record<string, ParameterRange>;
  objective: { metric: string; type: "Minimize" | "Maximize"; pos: Pos };
  strategy: "Bayesian" | "Random" | "Hyperband" | "Grid";
  max_jobs: number;
  parallel_jobs: number;
  early_stopping?: "Off" | "Auto";
}

export interface TransformStep extends StepCommon {
  kind: "transform";
  /** Name of a SageMaker model (usually `${{ steps.M.name }}`). */
  model: Value;
  instance?: Instance;
  input: DataInput & { split_type?: "None" | "Line" | "RecordIO" | "TFRecord" };
  /** Output options; the location itself is derived from `artifacts`. */
  output: { accept?: string; assemble_with?: "None" | "Line"; destination?: Value; pos?: Pos };
  strategy?: "MultiRecord" | "SingleRecord";
  max_payload_mb?: number;
  max_concurrent?: number;
  /** JSONPath picking what of each input record is sent (DataProcessing.InputFilter). */
  input_filter?: string;
  /** Join each input record to its prediction: `Input` (DataProcessing.JoinSource). */
  join_source?: "None" | "Input";
  /** JSONPath picking what of each (joined) output record is kept (DataProcessing.OutputFilter). */
  output_filter?: string;
  kms?: JobKms;
  /**
   * Members added to the job's API request as written (CreateTrainingJob's
   * DebugHookConfig, ...): members of the request that no field of the step
   * writes, sent the same by every target.
   */
  request?: Record<string, Value>;
}

export interface ModelStep extends StepCommon {
  kind: "model";
  image: Value;
  /** S3 URI of the model artifact. */
  model: Value;
}

export interface RegisterModelStep extends StepCommon {
  kind: "register-model";
  model: Value;
  image: Value;
  package_group: Value;
  approval?: Value;
  content_types: string[];
  response_types: string[];
  /** Instance types (a parameter may give one). */
  inference_instances: Value[];
  transform_instances: Value[];
  /** S3 URI of a model-quality statistics JSON file. */
  metrics?: Value;
}

export interface EndpointStep extends StepCommon {
  kind: "endpoint";
  /** Endpoint name. */
  name: Value;
  /** S3 URI of the model artifact, or a model name from a `model` step. */
  model: Value;
  image?: Value;
  instance?: Instance;
}

export interface ConditionStep extends StepCommon {
  kind: "condition";
  if: Value;
  then: string[];
  else: string[];
}

/**
 * Run a group of steps once for each item of a list known only at run time
 * (Step Functions Map). The steps are listed by id, like a condition's
 * branches; inside them `${{ item }}` is the current item. Nothing outside
 * reads their results: the map step stands for all of them.
 */
/**
 * Items read from S3 when a map starts, in place of a list: the objects under
 * a prefix (each item one object's listing, as Step Functions gives it: `Etag`,
 * `Key`, `LastModified` in epoch seconds, `Size`, `StorageClass`), or the
 * records of one object.
 */
export interface MapRead {
  bucket: Value;
  /** List the objects whose keys start with this (without `key`: list them all). */
  prefix?: Value;
  /** Read the records of this object, written as `format` says, instead of a listing. */
  key?: Value;
  /** A JSON array, JSON Lines, CSV (each row a map by column name), or an S3 Inventory manifest. */
  format?: "json" | "jsonl" | "csv" | "manifest";
  /** CSV: the column names, for a file without a header line (absent: its first line names them). */
  columns?: string[];
  /** Read at most this many items. */
  max_items?: number;
  pos: Pos;
}

/** Several items to each iteration: `item` is then the list of the batch's items. */
export interface MapBatch {
  max_items?: number;
  /** Largest batch, in bytes of JSON (of the items as batched: reshaped by `each` when given). */
  max_bytes?: number;
  /**
   * What each item becomes before it is batched (Step Functions' ItemSelector
   * beside an ItemBatcher): a map whose values read `item` (the item as read)
   * and what the map step itself may read. The iteration's `item` is then the
   * list of these.
   */
  each?: Extract<Value, { kind: "map" }>;
  pos: Pos;
}

/** Failed iterations a map tolerates before it fails: at most `count` of them, or `percent` of all. */
export interface MapTolerate {
  count?: number;
  percent?: number;
  pos: Pos;
}

/**
 * Each iteration (or batch) run as a child run of its own, thousands at once,
 * each with its own event history. `express` child runs last at most five
 * minutes and run at least once (a retried child may run twice).
 */
export interface MapDistributed {
  runs: "standard" | "express";
  /** The child runs' name prefix. */
  label?: string;
  pos: Pos;
}

export interface MapStep extends StepCommon {
  kind: "map";
  /** The list; each item runs the steps once. Exactly one of `items` and `read`. */
  items?: Value;
  /** The items read from S3 when the map starts. */
  read?: MapRead;
  batch?: MapBatch;
  tolerate?: MapTolerate;
  /** Absent: iterations run within the run (a target may still run them as child runs where `read`, `batch` or `tolerate` need it). */
  distributed?: MapDistributed;
  /** The iterations' results written to S3 under this prefix, not kept in the run (so `steps.<map>.results` is nothing). */
  results_to?: { bucket: Value; prefix?: Value; pos: Pos };
  /** The steps run for each item (ids of steps in the pipeline). */
  steps: string[];
  /** Items processed at once; absent: as many as the target allows. */
  concurrency?: number;
  /**
   * What each iteration gives back, read once its steps are done (it may read
   * them and the item): `steps.<map>.results` is the list of these, in item order.
   */
  result?: Value;
}

export interface FailStep extends StepCommon {
  kind: "fail";
  message: Value;
  /** The error's name (Step Functions `Error`); absent: the step's id. */
  error?: Value;
}

/**
 * Call again, `interval` seconds after each call, until `until` holds: the
 * polling loop of a status call. `until` is read after every call and may
 * read this step's own response and outputs (those of the call just made).
 */
export interface Repeat {
  until: Value;
  /**
   * Seconds between calls: a number, or an expression of whole seconds read
   * before the calls (a parameter, an earlier step's output; never the call's
   * own response), as a Wait state's SecondsPath reads the data.
   */
  interval: number | Value;
  /**
   * At most this many calls: when `until` still does not hold after the last,
   * the step fails with `error` (the polling loop with a counter).
   */
  max_calls?: number;
  /** The error the step then fails with (default {@link REPEAT_LIMIT_ERROR}). */
  error?: string;
  /** Its message (default: the step and the calls made). */
  message?: string;
  pos: Pos;
}

/** The error a repeated step fails with after `max_calls` calls, unless it names another. */
export const REPEAT_LIMIT_ERROR = "RepeatLimitExceeded";

export interface LambdaStep extends StepCommon {
  kind: "lambda";
  function: Value;
  payload: Record<string, Value>;
  /**
   * The whole payload as one value (`payload: ${{ execution.input }}`), for a
   * function given a document rather than named fields. When set, `payload` is empty.
   */
  payload_value?: Value;
  /** Declared outputs: name -> type, read back from the function's result. */
  outputs: Record<string, ScalarType>;
  /** Invoke again until a condition on the function's result holds. */
  repeat?: Repeat;
}

export interface ApprovalStep extends StepCommon {
  kind: "approval";
  /** SQS queue URL the request is sent to (exactly one of `queue` and `function`). */
  queue?: Value;
  /** Lambda function invoked with the request (it tells the approver). */
  function?: Value;
  /**
   * The request's key for the answer's address (the task token on Step
   * Functions), beside the message's own fields. Absent: the request is
   * Switchyard's own {token, execution, step, message}.
   */
  token_field?: string;
  message: Record<string, Value>;
  /** Values the approver sends back. */
  outputs: Record<string, ScalarType>;
}

export interface NotebookStep extends StepCommon {
  kind: "notebook";
  notebook: CodeFile;
  image: Value;
  instance?: Instance;
  kernel: string;
  parameters: Record<string, Value>;
}

/** Pause for a number of seconds. */
export interface WaitStep extends StepCommon {
  kind: "wait";
  /** Whole seconds: an integer literal or an expression. */
  seconds: Value;
}

/** Run an AWS Glue job and wait for it to finish (StartJobRun). */
export interface GlueStep extends StepCommon {
  kind: "glue";
  /** JobName. */
  job: Value;
  /** Job arguments, keys as Glue reads them (usually `--name`). */
  arguments: Record<string, Value>;
  worker_type?: Value;
  workers?: Value;
}

/** Add a step to a running EMR cluster and wait for it (AddJobFlowSteps). */
export interface EmrStep extends StepCommon {
  kind: "emr";
  cluster_id: Value;
  /** StepConfig.Name, the step's name on the cluster (default: the step's id). */
  name?: Value;
  /** HadoopJarStep.Jar, e.g. `command-runner.jar`. */
  jar: Value;
  args: Value[];
  main_class?: Value;
  /** HadoopJarStep.Properties. */
  properties: Record<string, Value>;
  /** What EMR does when the step fails; unset, no target sends it and EMR decides. */
  action_on_failure?: "CONTINUE" | "CANCEL_AND_WAIT" | "TERMINATE_CLUSTER";
}

/**
 * Call one AWS API action and keep its response. With `wait`, the action
 * starts a job and the step waits until that job ends (Step Functions `.sync`),
 * its response then being the job's final description; src/aws/waitable.ts
 * lists the actions that can wait and how each one's job is polled.
 */
export interface AwsCallStep extends StepCommon {
  kind: "aws";
  /** The service as the AWS CLI and boto3 name it: `sns`, `dynamodb`, `bedrock-runtime`. */
  service: string;
  /** The API operation as AWS spells it: `Publish`, `PutItem`, `InvokeModel`. */
  action: string;
  /** The request, member names as the API spells them. */
  request: Record<string, Value>;
  /** Declared outputs: top-level members of the response, by name and type. */
  outputs: Record<string, ScalarType>;
  /** Wait for the job the call starts to end; fail the step if it fails. */
  wait?: boolean;
  /**
   * The request carries the task token (`${{ task.token }}`); the step ends when
   * the party it reaches sends the token back (SendTaskSuccess: its output is the
   * step's response; SendTaskFailure fails the step).
   */
  callback?: boolean;
  /** Call again until a condition on the response holds. */
  repeat?: Repeat;
}

/**
 * A step lifted from a target that has no neutral kind (SageMaker EMR,
 * QualityCheck, ...). Only the named target can lower it; the others refuse it.
 */
export interface PassthroughStep extends StepCommon {
  kind: "passthrough";
  target: TargetName;
  /** The target's own step type, e.g. `EMR`. */
  type: string;
  body: Record<string, unknown>;
}

export type Step =
  | ProcessingStep
  | TrainingStep
  | TuningStep
  | TransformStep
  | ModelStep
  | RegisterModelStep
  | EndpointStep
  | ConditionStep
  | FailStep
  | LambdaStep
  | ApprovalStep
  | NotebookStep
  | WaitStep
  | GlueStep
  | EmrStep
  | AwsCallStep
  | PassthroughStep
  | MapStep;

export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

export const STEP_KINDS: readonly StepKind[] = [
  "processing",
  "training",
  "tuning",
  "transform",
  "model",
  "register-model",
  "endpoint",
  "condition",
  "fail",
  "lambda",
  "approval",
  "notebook",
  "wait",
  "glue",
  "emr",
  "aws",
  "passthrough",
  "map",
];
