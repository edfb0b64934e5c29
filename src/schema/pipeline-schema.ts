/**
 * The JSON Schema of the pipeline file format (draft-07, which editors'
 * yaml-language-server understands). `schema/pipeline.schema.json` is written
 * from this module (`npm run schema`) and a test keeps the two equal.
 */

type Schema = Record<string, unknown>;

// An expression may span lines.
const EXPR = "^\\s*\\$\\{\\{[\\s\\S]*\\}\\}\\s*$";
const DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w))+$";

const str = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });
/** A string that may contain `${{ }}`. */
const text = (description: string): Schema => str(description);
const exprOr = (base: Schema, description: string): Schema => ({
  description,
  anyOf: [base, { type: "string", pattern: EXPR, description: "an expression `${{ ... }}`" }],
});
const duration = (description: string): Schema => ({
  description: `${description} A duration such as 30s, 10m, 2h, 7d, 1h30m; or a number of seconds.`,
  anyOf: [{ type: "string", pattern: DURATION }, { type: "number", minimum: 0 }],
});
const stringMap = (description: string, value: Schema = { type: "string" }): Schema => ({
  type: "object",
  description,
  additionalProperties: value,
});
const strList = (description: string): Schema => ({ type: "array", items: { type: "string" }, description });
/** A polling loop: call again until a condition on the call's own answer holds. */
const repeat: Schema = {
  type: "object",
  description: "Call again until a condition on the response holds (a polling loop).",
  additionalProperties: false,
  required: ["until", "interval"],
  properties: {
    until: { type: "string", pattern: EXPR, description: "An expression `${{ ... }}`, read after each call; it may read this step's own response and outputs." },
    interval: {
      description: "Wait between calls. A duration such as 30s, 10m, 2h, 7d, 1h30m; or a number of seconds; or an expression `${{ ... }}` giving whole seconds, read before the calls (a parameter, an earlier step's output).",
      anyOf: [{ type: "string", pattern: DURATION }, { type: "number", minimum: 0 }, { type: "string", pattern: EXPR, description: "an expression `${{ ... }}`" }],
    },
    max_calls: { type: "integer", minimum: 1, description: "At most this many calls; when `until` still does not hold after the last, the step fails." },
    error: { type: "string", description: "The error the step fails with after max_calls calls (default RepeatLimitExceeded)." },
    message: { type: "string", description: "Its message." },
  },
};

/** Outputs a step declares by name and type (lambda results, approval answers). */
const declaredOutputs: Schema = { type: "object", additionalProperties: { enum: ["string", "integer", "float", "boolean"] } };
const anyValue: Schema = { description: "any value; strings may contain `${{ }}`" };

/** Error names as a function or service reports them, beside the neutral classes. */
const errorNames = (what: string): Schema => ({
  type: "array",
  minItems: 1,
  items: { type: "string" },
  description: `Errors ${what}, named as the step's function or service reports them (a Lambda function's own error type, a service's exception such as Glue.CrawlerRunningException).`,
});

const retryRule: Schema = {
  type: "object",
  description: "How a failed step is retried.",
  additionalProperties: false,
  properties: {
    // Retrying is also how a function waits for a resource (retry on its own `ResourcePending` up to 100 times and more); the cap is Step Functions' MaxAttempts + 1.
    attempts: { type: "integer", minimum: 1, maximum: 100_000_000, description: "Total attempts, the first included." },
    interval: duration("Wait before the first retry."),
    backoff: { type: "number", minimum: 1, description: "Multiplier for the wait after each retry." },
    on: {
      type: "array",
      description: "Error classes that are retried (default: any, unless `errors` is given).",
      items: { enum: ["throttling", "capacity", "service", "job", "timeout", "any"] },
    },
    errors: errorNames("retried"),
    max_delay: duration("Longest wait between attempts."),
    jitter: { type: "boolean", description: "Randomise each wait between zero and its computed value." },
  },
};

const retry: Schema = {
  description: "How a failed step is retried: one rule, or rules tried in order (the first whose `on` matches applies; each counts its own attempts).",
  anyOf: [retryRule, { type: "array", minItems: 1, items: retryRule }],
};

const textList = (description: string): Schema => ({ type: "array", items: { type: "string" }, description });

const network: Schema = {
  type: "object",
  description: "Network settings of the job.",
  additionalProperties: false,
  properties: {
    isolation: { type: "boolean", description: "No outbound network access from the containers." },
    encrypt_traffic: { type: "boolean", description: "Encrypt traffic between the job's instances." },
    vpc: {
      type: "object",
      additionalProperties: false,
      required: ["subnets", "security_groups"],
      properties: { subnets: textList("Subnet ids."), security_groups: textList("Security group ids.") },
    },
  },
};

/** Members added to a job's API request as written. */
const jobRequest: Schema = {
  type: "object",
  additionalProperties: anyValue,
  description: "Members added to the job's API request as written, named as the API spells them (DebugHookConfig, ExperimentConfig, ...): members no field of the step writes, sent the same by every target.",
};

const kms: Schema = {
  type: "object",
  description: "KMS keys of the job.",
  additionalProperties: false,
  properties: { volume: { type: "string", description: "Key for the ML storage volumes." }, output: { type: "string", description: "Key for the outputs in S3." } },
};

const dataType = { enum: ["S3Prefix", "ManifestFile", "AugmentedManifestFile"], description: "What the source names: a prefix, a manifest file or an augmented manifest." };

const instance: Schema = {
  description: "Instance type, or type, count and volume size.",
  anyOf: [
    { type: "string" },
    {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: {
        type: text("Instance type such as ml.m5.xlarge, or an expression."),
        count: exprOr({ type: "integer", minimum: 1 }, "Number of instances."),
        volume_gb: exprOr({ type: "integer", minimum: 1 }, "Attached storage per instance, GB."),
      },
    },
  ],
};

const targets: Schema = {
  type: "object",
  description: "Settings only one target understands, merged into that target's output alone.",
  properties: {
    sagemaker: { type: "object", description: "Merged into the SageMaker step (or definition)." },
    stepfunctions: { type: "object", description: "Merged into the Step Functions state (or state machine)." },
    airflow: { type: "object", description: "Passed to the Airflow operator (or DAG)." },
  },
  additionalProperties: { type: "object" },
};

/** One failure handler: its steps, the errors that run it, how the execution ends. */
const failureHandler: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    steps: { type: "array", items: { type: "string" }, description: "The handler steps; none, with `ends: succeeded` or `ends: continues`, ignores the failure." },
    on: { type: "array", minItems: 1, items: { enum: ["throttling", "capacity", "service", "job", "timeout", "any"] }, description: "Error classes that run the handler (default: any, unless `errors` is given); other errors fail the execution at once." },
    errors: errorNames("that run the handler"),
    ends: {
      enum: ["failed", "succeeded", "continues"],
      description: "How the execution ends after the handler: failed (default), or succeeded, the failure absorbed; `continues` (no steps): the failure is let pass and the steps after this one run, as if it had succeeded (none may read what it makes).",
    },
  },
};

const common: Record<string, Schema> = {
  type: { type: "string", description: "The step kind." },
  display_name: str("Human-readable name."),
  description: str("What the step does."),
  depends_on: { type: "array", items: { type: "string" }, description: "Steps that must finish first." },
  retry,
  on_failure: {
    description: "Steps that run only when this step fails; the execution then ends failed. As a map: which errors run them (`on`) and how the execution ends (`ends`). As a list of maps: several handlers, tried in order, the first whose errors match running.",
    anyOf: [
      { type: "array", minItems: 1, items: { type: "string" } },
      failureHandler,
      { type: "array", minItems: 1, items: failureHandler },
    ],
  },
  timeout: duration("Longest the step may run."),
  cache: duration("Reuse a previous result this recent."),
  tags: stringMap("Tags on the jobs this step starts."),
  environment: stringMap("Environment variables of the container.", { type: ["string", "number", "boolean"] }),
  estimate: duration("Expected duration, used by the cost report."),
  foreach: { type: "array", minItems: 1, description: "Run the step once per item; `${{ item.x }}` inside." },
  targets,
};

const dataInput = (withDestination: boolean): Schema => ({
  description: "An S3 source, or a source with options.",
  anyOf: [
    { type: "string" },
    {
      type: "object",
      additionalProperties: false,
      required: ["source"],
      properties: {
        source: text("S3 URI or expression."),
        ...(withDestination ? { destination: str("Path inside the container.") } : {}),
        content_type: str("MIME type of the data."),
        mode: { enum: ["File", "Pipe", "FastFile"] },
        distribution: { enum: ["FullyReplicated", "ShardedByS3Key"] },
        compression: { enum: ["None", "Gzip"] },
        data_type: dataType,
      },
    },
  ],
});

const training: Record<string, Schema> = {
  image: text("Image URI or shorthand such as xgboost:1.7-1."),
  instance,
  code: str("Local training script (script mode), relative to the pipeline file."),
  hyperparameters: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
  inputs: { type: "object", additionalProperties: dataInput(false), description: "Channels by name." },
  metric_definitions: {
    type: "array",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["name", "regex"],
      properties: { name: { type: "string" }, regex: { type: "string" } },
    },
  },
  input_mode: { enum: ["File", "Pipe", "FastFile"] },
  spot: {
    type: "object",
    additionalProperties: false,
    required: ["max_wait"],
    properties: { max_wait: duration("Longest to wait for spot capacity plus run time.") },
  },
  entrypoint: textList("The container's entry point, when the image's own is not used."),
  container_arguments: { type: "array", items: { type: ["string", "number", "boolean"] }, description: "Arguments to the entry point." },
  output_path: text("S3 prefix for the model artifact (default: under artifacts)."),
  network,
  kms,
  request: jobRequest,
};

const kinds: Record<string, { required: string[]; properties: Record<string, Schema>; description: string }> = {
  processing: {
    description: "Run a script on SageMaker Processing.",
    required: ["image"],
    properties: {
      image: text("Image URI or shorthand such as sklearn:1.2-1."),
      instance,
      code: str("Local script, relative to the pipeline file."),
      command: strList("Interpreter of 'code' (default python3); without 'code', the container's entry point. With neither, the image's own entry point runs."),
      arguments: { type: "array", items: { type: ["string", "number", "boolean"] } },
      inputs: { type: "object", additionalProperties: dataInput(true) },
      outputs: {
        type: "object",
        additionalProperties: {
          anyOf: [
            { type: "string" },
            {
              type: "object",
              additionalProperties: false,
              required: ["path"],
              properties: { path: { type: "string" }, upload: { enum: ["EndOfJob", "Continuous"] }, destination: text("S3 URI (default: under artifacts).") },
            },
          ],
        },
      },
      reports: {
        type: "object",
        additionalProperties: {
          type: "object",
          additionalProperties: false,
          required: ["output", "file"],
          properties: { output: { type: "string" }, file: { type: "string" } },
        },
      },
      network,
      kms,
      request: jobRequest,
    },
  },
  training: { description: "A SageMaker training job.", required: ["image"], properties: training },
  tuning: {
    description: "A hyperparameter tuning job.",
    required: ["image", "ranges", "objective"],
    properties: {
      ...training,
      ranges: {
        type: "object",
        additionalProperties: {
          type: "object",
          additionalProperties: false,
          required: ["type"],
          properties: {
            type: { enum: ["continuous", "integer", "categorical"] },
            min: { type: "number" },
            max: { type: "number" },
            values: { type: "array", items: { type: ["string", "number"] } },
            scaling: { enum: ["Auto", "Linear", "Logarithmic", "ReverseLogarithmic"] },
          },
        },
      },
      objective: {
        type: "object",
        additionalProperties: false,
        required: ["metric", "type"],
        properties: { metric: { type: "string" }, type: { enum: ["minimize", "maximize", "Minimize", "Maximize"] } },
      },
      strategy: { enum: ["Bayesian", "Random", "Hyperband", "Grid"] },
      max_jobs: { type: "integer", minimum: 1 },
      parallel_jobs: { type: "integer", minimum: 1 },
      early_stopping: { enum: ["Off", "Auto"] },
    },
  },
  transform: {
    description: "A batch transform job.",
    required: ["model", "input"],
    properties: {
      model: text("Model name, usually ${{ steps.M.name }}."),
      instance,
      input: {
        type: "object",
        additionalProperties: false,
        required: ["source"],
        properties: {
          source: text("S3 URI or expression."),
          content_type: { type: "string" },
          split_type: { enum: ["None", "Line", "RecordIO", "TFRecord"] },
          compression: { enum: ["None", "Gzip"] },
          data_type: dataType,
        },
      },
      output: {
        type: "object",
        additionalProperties: false,
        properties: { accept: { type: "string" }, assemble_with: { enum: ["None", "Line"] }, destination: text("S3 URI (default: under artifacts).") },
      },
      kms,
      request: jobRequest,
      strategy: { enum: ["MultiRecord", "SingleRecord"] },
      max_payload_mb: { type: "integer", minimum: 0 },
      max_concurrent: { type: "integer", minimum: 0 },
      input_filter: { type: "string", pattern: "\\S", description: "JSONPath picking what of each input record is sent, e.g. '$[1:]' (DataProcessing.InputFilter)." },
      join_source: { enum: ["None", "Input"], description: "'Input': each prediction is joined to its input record (DataProcessing.JoinSource)." },
      output_filter: { type: "string", pattern: "\\S", description: "JSONPath picking what of each output record is kept, e.g. '$[0,-1]' (DataProcessing.OutputFilter)." },
    },
  },
  model: {
    description: "Create a SageMaker model.",
    required: ["image", "model"],
    properties: { image: text("Image URI or shorthand."), model: text("S3 URI of the model artifact.") },
  },
  "register-model": {
    description: "Register a model version in a model package group.",
    required: ["model", "image", "package_group"],
    properties: {
      model: text("S3 URI of the model artifact."),
      image: text("Inference image URI or shorthand."),
      package_group: text("Model package group name."),
      approval: text("Approved, Rejected or PendingManualApproval, or an expression."),
      content_types: strList("Request content types."),
      response_types: strList("Response content types."),
      inference_instances: strList("Instance types for real-time inference."),
      transform_instances: strList("Instance types for batch transform."),
      metrics: text("S3 URI of a model-quality statistics JSON file."),
    },
  },
  endpoint: {
    description: "Create or update a real-time endpoint.",
    required: ["name", "model"],
    properties: {
      name: text("Endpoint name."),
      model: text("S3 URI of the model artifact, or a model name."),
      image: text("Inference image URI or shorthand."),
      instance,
    },
  },
  condition: {
    description: "Branch on an expression.",
    required: ["if"],
    properties: {
      if: str("A boolean expression `${{ ... }}`."),
      then: strList("Steps run when true."),
      else: strList("Steps run when false."),
    },
  },
  map: {
    description: "Run steps once for each item of a list known at run time, or of items read from S3; `${{ item }}` inside them.",
    required: ["steps"],
    properties: {
      items: {
        description: "The list: an expression `${{ ... }}` giving a list at run time, or a list written out (or give `read`).",
        anyOf: [{ type: "string" }, { type: "array" }],
      },
      read: {
        type: "object",
        additionalProperties: false,
        required: ["bucket"],
        description: "Read the items from S3 when the map starts (instead of `items`): the objects under `prefix` (each item one object's Etag, Key, LastModified in epoch seconds, Size, StorageClass), or the records of the object `key`.",
        properties: {
          bucket: text("The bucket's name."),
          prefix: text("List the objects whose keys start with this (without `key` and `prefix`: every object in the bucket)."),
          key: text("Read the records of this object."),
          format: { enum: ["json", "jsonl", "csv", "manifest"], description: "How the object's records are written: a JSON array, JSON Lines, CSV (each row a map by column name), an S3 Inventory manifest." },
          columns: { type: "array", minItems: 1, items: { type: "string" }, description: "CSV column names, for a file without a header line (default: its first line names them)." },
          max_items: { type: "integer", minimum: 1, maximum: 100000000, description: "Read at most this many items." },
        },
      },
      results_to: {
        type: "object",
        additionalProperties: false,
        required: ["bucket"],
        description: "Write the iterations' results to S3 under `prefix` instead of keeping them in the run (then `steps.<map>.results` is nothing).",
        properties: { bucket: text("The bucket's name."), prefix: text("The key prefix the results are written under.") },
      },
      batch: {
        type: "object",
        additionalProperties: false,
        description: "Give each iteration several items at once; `${{ item }}` is then the list of the batch's items.",
        properties: {
          max_items: { type: "integer", minimum: 1, maximum: 100000000, description: "Items in a batch, at most." },
          max_bytes: { type: "integer", minimum: 1, maximum: 262144, description: "Bytes of JSON in a batch, at most." },
          each: {
            type: "object",
            additionalProperties: anyValue,
            description: "What each item becomes before it is batched: named fields reading `${{ item }}` (the item as read) and what the map step reads; `${{ item }}` in the iterations is then the list of these.",
          },
        },
      },
      tolerate: {
        type: "object",
        additionalProperties: false,
        description: "Failed iterations the map tolerates before it fails.",
        properties: {
          count: { type: "integer", minimum: 0, maximum: 100000000, description: "At most this many." },
          percent: { type: "number", minimum: 0, maximum: 100, description: "At most this percentage of all iterations." },
        },
      },
      distributed: {
        description: "Run each iteration (or batch) as a child run of its own, thousands at once: `true`, or the child runs' kind (`express` runs last at most five minutes and may run twice) and name prefix.",
        anyOf: [
          { type: "boolean" },
          {
            type: "object",
            additionalProperties: false,
            properties: {
              runs: { enum: ["standard", "express"], description: "The child runs' kind (default standard)." },
              label: { type: "string", pattern: "^[A-Za-z0-9_-]{1,40}$", description: "The child runs' name prefix." },
            },
          },
        ],
      },
      steps: { type: "array", minItems: 1, items: { type: "string" }, description: "Steps run for each item." },
      concurrency: { type: "integer", minimum: 1, maximum: 10000, description: "Items processed at once (default: as many as the target allows)." },
      result: { ...anyValue, description: "What each iteration gives back once its steps are done (it may read them and `${{ item }}`); `steps.<map>.results` is the list of these, in item order." },
    },
  },
  fail: {
    description: "Stop the execution as failed.",
    required: ["message"],
    properties: { message: text("Why."), error: text("The error's name (default: the step's id).") },
  },
  lambda: {
    description: "Invoke a Lambda function.",
    required: ["function"],
    properties: {
      function: text("Function ARN."),
      payload: {
        description: "The request: named fields, or one expression that is the whole payload (`${{ execution.input }}`).",
        oneOf: [{ type: "object", additionalProperties: anyValue }, { type: "string", pattern: "^\\$\\{\\{.*\\}\\}$" }],
      },
      outputs: declaredOutputs,
      repeat,
    },
  },
  approval: {
    description: "Wait for a decision: the request goes to an SQS queue or a Lambda function, the answer comes back.",
    required: [],
    properties: {
      queue: text("SQS queue URL (or `function`)."),
      function: text("Lambda function name or ARN invoked with the request (or `queue`)."),
      token_field: {
        type: "string",
        pattern: "^[A-Za-z_][A-Za-z0-9_-]*$",
        description: "Send the message's fields as the request, with the answer's address (Step Functions' task token) under this key; without it the request is {token, execution, step, message}.",
      },
      message: {
        type: "object",
        additionalProperties: anyValue,
        description: "the fields the approver is sent, a map of names to values (text may hold ${{ }}), e.g. message: { text: \"Deploy ${{ steps.train.name }}?\" }",
      },
      outputs: declaredOutputs,
    },
  },
  notebook: {
    description: "Run a Jupyter notebook on a SageMaker instance.",
    required: ["notebook", "image"],
    properties: {
      notebook: str("Local .ipynb file, relative to the pipeline file."),
      image: text("Image URI or shorthand."),
      instance,
      kernel: str("Kernel name (default python3)."),
      parameters: { type: "object", additionalProperties: anyValue },
    },
  },
  wait: {
    description: "Pause for a number of seconds.",
    required: ["seconds"],
    properties: { seconds: exprOr({ type: "integer", minimum: 0 }, "Whole seconds to wait.") },
  },
  glue: {
    description: "Run an AWS Glue job and wait for it.",
    required: ["job"],
    properties: {
      job: text("Glue job name."),
      arguments: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] }, description: "Job arguments, keys as Glue reads them (`--name`)." },
      worker_type: text("G.1X, G.2X, ..."),
      workers: exprOr({ type: "integer", minimum: 1 }, "Number of workers."),
    },
  },
  emr: {
    description: "Add a step to a running EMR cluster and wait for it.",
    required: ["cluster_id", "jar"],
    properties: {
      cluster_id: text("EMR cluster id (j-...)."),
      name: text("The step's name on the cluster (StepConfig.Name); default: the step's id. SageMaker Pipelines names EMR steps itself and refuses it."),
      jar: text("Jar to run, e.g. command-runner.jar."),
      args: { type: "array", items: { type: ["string", "number", "boolean"] } },
      main_class: text("Main class, when the jar's manifest names none."),
      properties: { type: "object", additionalProperties: { type: "string" }, description: "Java properties of the step." },
      action_on_failure: {
        enum: ["CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER"],
        description: "StepConfig.ActionOnFailure; left out of the request when unset, on every target, so EMR applies its own default. SageMaker Pipelines sets it itself and refuses it.",
      },
    },
  },
  function: {
    description: "Run a Python function as a SageMaker processing job (as the SDK's @step does); its return value is the report `result`.",
    required: ["code", "function", "image"],
    properties: {
      code: str("The Python file that defines the function, relative to the pipeline file."),
      function: str("The function's name in that file.", { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }),
      arguments: { type: "object", additionalProperties: anyValue, description: "Keyword arguments; literal values keep their JSON type, computed ones arrive as strings." },
      image: text("Image URI or shorthand with Python 3 (e.g. sklearn:1.2-1)."),
      instance,
      inputs: { type: "object", additionalProperties: dataInput(true) },
      network,
      kms,
    },
  },
  aws: {
    description: "Call one AWS API action and keep its response; with `wait: true`, wait for the job it starts to end.",
    required: ["service", "action"],
    properties: {
      service: str("The service as the AWS CLI names it: sns, dynamodb, bedrock-runtime.", { pattern: "^[a-z][a-z0-9-]*$" }),
      action: str("The API operation: Publish, PutItem, InvokeModel.", { pattern: "^[A-Z][A-Za-z0-9]*$" }),
      request: { type: "object", additionalProperties: anyValue, description: "The request, member names as the API spells them." },
      outputs: declaredOutputs,
      wait: { type: "boolean", description: "Wait until the job the action starts ends (Step Functions `.sync`); only actions listed as waitable." },
      callback: { type: "boolean", description: "The request carries ${{ task.token }}; wait until the party it reaches sends the token back (Step Functions `.waitForTaskToken`)." },
      repeat,
    },
  },
  passthrough: {
    description: "A target-specific step carried through unchanged (from `switchyard import`); only that target compiles it.",
    required: ["target", "step_type", "body"],
    properties: {
      target: str("The only target that can run it, e.g. sagemaker."),
      step_type: str("The target's own step type, e.g. EMR."),
      body: { type: "object", description: "The target's step definition, verbatim." },
    },
  },
};

export const STEP_KIND_NAMES = Object.keys(kinds);

function stepSchema(): Schema {
  return {
    type: "object",
    required: ["type"],
    properties: { ...common, type: { enum: STEP_KIND_NAMES, description: "The step kind." } },
    allOf: STEP_KIND_NAMES.map((k) => ({
      if: { properties: { type: { const: k } }, required: ["type"] },
      then: { $ref: `#/definitions/${k}` },
    })),
  };
}

export function pipelineSchema(): Schema {
  const definitions: Record<string, Schema> = {};
  for (const [k, def] of Object.entries(kinds)) {
    definitions[k] = {
      description: def.description,
      type: "object",
      additionalProperties: false,
      required: ["type", ...def.required],
      // Common keys are declared (so `additionalProperties: false` allows them)
      // but checked once, in `step`: the schema, and its compiled validator, stay small.
      properties: { ...Object.fromEntries(Object.keys(common).map((k) => [k, true])), ...def.properties },
    };
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://switchyard.dev/schema/pipeline.schema.json",
    title: "Switchyard pipeline",
    type: "object",
    additionalProperties: false,
    required: ["version", "pipeline", "region", "artifacts", "steps"],
    properties: {
      version: { const: 1, description: "Format version." },
      pipeline: { type: "string", description: "Pipeline name: letters, digits, '-' and '_'." },
      description: str("What the pipeline does."),
      role: str("IAM role ARN the jobs run as."),
      region: str("AWS region, such as us-east-1.", { pattern: "^[a-z]{2}(-gov)?-[a-z]+-[0-9]$" }),
      artifacts: str("S3 prefix for outputs and uploaded code.", { pattern: "^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$" }),
      parameters: {
        type: "object",
        additionalProperties: {
          type: "object",
          additionalProperties: false,
          required: ["type"],
          properties: {
            type: { enum: ["string", "integer", "float", "boolean"] },
            default: { type: ["string", "number", "boolean"] },
            enum: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } },
            description: { type: "string" },
          },
        },
      },
      defaults: {
        type: "object",
        additionalProperties: false,
        properties: {
          retry,
          timeout: duration("Default step timeout."),
          tags: stringMap("Tags on every job."),
          instance,
        },
      },
      schedule: {
        type: "object",
        additionalProperties: false,
        oneOf: [{ required: ["cron"] }, { required: ["every"] }],
        properties: {
          cron: str("Five-field cron: minute hour day-of-month month day-of-week."),
          every: duration("A fixed rate, e.g. 6h."),
          timezone: str("IANA time zone; UTC by default."),
          enabled: { type: "boolean" },
          intervals: { type: "boolean", description: "Each scheduled run covers the interval since the scheduled time before it, and execution.logical_date is that interval's start (Airflow's data intervals); by default it is the run's own scheduled time." },
        },
      },
      targets,
      steps: {
        type: "object",
        minProperties: 1,
        additionalProperties: { $ref: "#/definitions/step" },
      },
    },
    definitions: { step: stepSchema(), ...definitions },
  };
}
