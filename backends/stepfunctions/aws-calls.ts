/**
 * How an `aws` step (one API action) is called from Step Functions: the AWS
 * SDK integration (`arn:aws:states:::aws-sdk:<sdk id>:<action>`), or, for the
 * actions listed below, the optimized integration most machines use; with
 * `wait`, that integration's `.sync` form (src/aws/waitable.ts).
 *
 * The IR holds the API's own action and request; where an optimized
 * integration names or shapes them otherwise, its row says how, and the
 * request is rewritten both ways (lowering and lifting).
 */
import type { Value } from "../../src/ir/types.js";
import { waitable, WAITABLE, type WaitableAction } from "../../src/aws/waitable.js";
import { jsonTextError } from "../../src/aws/request-members.js";
import { actionCasing, apiRequest, lower1, pascalRequest, upper1, type ActionCasing, type DataPaths } from "./sdk-casing.js";

/**
 * Services whose AWS SDK for JavaScript v2 id (used in aws-sdk ARNs) is not
 * their CLI/boto3 id. Any other service keeps its id when it has no hyphen.
 */
export const SDK_SERVICE_IDS: Readonly<Record<string, string>> = {
  "bedrock-runtime": "bedrockruntime",
  "bedrock-agent": "bedrockagent",
  "bedrock-agent-runtime": "bedrockagentruntime",
  "sagemaker-runtime": "sagemakerruntime",
  "sagemaker-featurestore-runtime": "sagemakerfeaturestoreruntime",
  "sagemaker-geospatial": "sagemakergeospatial",
  events: "eventbridge",
  logs: "cloudwatchlogs",
  stepfunctions: "sfn",
  "emr-serverless": "emrserverless",
};

/** How an optimized integration's request differs from the API's. */
export type RequestShape =
  /**
   * The API's members are camelCase; Step Functions spells them in PascalCase, except where the request
   * holds data (sdk-casing.ts; `maps`, where given, says where instead).
   */
  | { kind: "pascal"; maps?: DataPaths }
  /** Members renamed; with `list`, the API takes a one-item list of the Step Functions member's value. */
  | { kind: "rename"; members: readonly { sfn: string; api: string; list?: boolean }[] };

/** What the Step Functions request must hold beyond the API's own rules. */
export interface Condition {
  /** A member path (API spelling). */
  path: readonly string[];
  /** `true`: the literal true; `absent`: not given. */
  is: "true" | "absent";
}

export interface Optimized {
  /** The request-response resource; its `.sync` form, where listed, is in src/aws/waitable.ts. */
  resource: string;
  /** The service as boto3 names it, and the API action the integration calls. */
  service: string;
  action: string;
  /** Absent: the request is the API's own. */
  request?: RequestShape;
  conditions?: readonly Condition[];
  /** How the response differs from the API's (absent: it is the API's own). */
  response?: string;
  /** Where the response differs: the top members it has (a pascal row without this: the API's own, in PascalCase). */
  returns?: readonly string[];
  source: string;
  /**
   * Listed only as the base of its `.sync` form (a SageMaker job that is a step
   * kind of its own): an aws step that does not wait is sent through aws-sdk.
   */
  waitOnly?: true;
}

const S = "arn:aws:states:::";
const DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/";
const same = (resource: string, service: string, action: string, page: string, response?: string, returns?: string[]): Optimized => ({ resource: S + resource, service, action, source: DOC + page, ...(response ? { response } : {}), ...(returns ? { returns } : {}) });
const pascal = (resource: string, service: string, action: string, page: string, response = "members in PascalCase", returns?: string[], maps?: string[][]): Optimized => ({ resource: S + resource, service, action, request: { kind: "pascal", ...(maps ? { maps } : {}) }, source: DOC + page, response, ...(returns ? { returns } : {}) });
/** Start, stop and delete: the API answers nothing, Step Functions the application's id. */
const EMR_SERVERLESS_ID = "{ApplicationId} where the API returns nothing";

/**
 * Optimized integrations read as (and written for) `aws` steps. The SageMaker
 * jobs, createModel, glue:startJobRun.sync and elasticmapreduce:addStep.sync
 * are step kinds of their own (glue:startJobRun without .sync is an aws step that does not wait); the jobs' `.sync` forms are here (waitOnly)
 * for a job whose request is taken whole from the data, which only an aws
 * step that waits can send.
 */
export const OPTIMIZED: readonly Optimized[] = [
  same("sns:publish", "sns", "Publish", "connect-sns.html"),
  same("dynamodb:putItem", "dynamodb", "PutItem", "connect-ddb.html"),
  same("dynamodb:getItem", "dynamodb", "GetItem", "connect-ddb.html"),
  same("dynamodb:updateItem", "dynamodb", "UpdateItem", "connect-ddb.html"),
  same("dynamodb:deleteItem", "dynamodb", "DeleteItem", "connect-ddb.html"),
  same("sqs:sendMessage", "sqs", "SendMessage", "connect-sqs.html"),
  same("events:putEvents", "events", "PutEvents", "connect-eventbridge.html"),
  // Body is JSON here rather than a blob, in the request and the response; the IR's request is this one's.
  same("bedrock:invokeModel", "bedrock-runtime", "InvokeModel", "connect-bedrock.html"),
  pascal("bedrock:createModelCustomizationJob", "bedrock", "CreateModelCustomizationJob", "connect-bedrock.html"),
  // Request-response: the run is started and not waited for; the result is the API's ({JobRunId}).
  same("glue:startJobRun", "glue", "StartJobRun", "connect-glue.html"),
  same("athena:startQueryExecution", "athena", "StartQueryExecution", "connect-athena.html"),
  same("athena:stopQueryExecution", "athena", "StopQueryExecution", "connect-athena.html"),
  same("athena:getQueryExecution", "athena", "GetQueryExecution", "connect-athena.html"),
  same("athena:getQueryResults", "athena", "GetQueryResults", "connect-athena.html"),
  same("sagemaker:createEndpoint", "sagemaker", "CreateEndpoint", "connect-sagemaker.html"),
  same("sagemaker:createEndpointConfig", "sagemaker", "CreateEndpointConfig", "connect-sagemaker.html"),
  same("sagemaker:updateEndpoint", "sagemaker", "UpdateEndpoint", "connect-sagemaker.html"),
  same("sagemaker:createLabelingJob", "sagemaker", "CreateLabelingJob", "connect-sagemaker.html"),
  ...["TrainingJob", "ProcessingJob", "TransformJob", "HyperParameterTuningJob"].map((j) => ({ ...same(`sagemaker:create${j}`, "sagemaker", `Create${j}`, "connect-sagemaker.html"), waitOnly: true as const })),
  {
    ...same("elasticmapreduce:createCluster", "emr", "RunJobFlow", "connect-emr.html", "{ClusterId} where the API returns {JobFlowId, ClusterArn}", ["ClusterId"]),
    conditions: [
      { path: ["Instances", "KeepJobFlowAliveWhenNoSteps"], is: "true" },
      { path: ["Steps"], is: "absent" },
    ],
  },
  { ...same("elasticmapreduce:terminateCluster", "emr", "TerminateJobFlows", "connect-emr.html"), request: { kind: "rename", members: [{ sfn: "ClusterId", api: "JobFlowIds", list: true }] } },
  { ...same("elasticmapreduce:setClusterTerminationProtection", "emr", "SetTerminationProtection", "connect-emr.html"), request: { kind: "rename", members: [{ sfn: "ClusterId", api: "JobFlowIds", list: true }] } },
  {
    ...same("elasticmapreduce:addStep", "emr", "AddJobFlowSteps", "connect-emr.html", "{StepId} where the API returns {StepIds}", ["StepId"]),
    request: { kind: "rename", members: [{ sfn: "ClusterId", api: "JobFlowId" }, { sfn: "Step", api: "Steps", list: true }] },
  },
  {
    ...same("elasticmapreduce:cancelStep", "emr", "CancelSteps", "connect-emr.html", "{CancelStepsInfo} where the API returns {CancelStepsInfoList}", ["CancelStepsInfo"]),
    request: { kind: "rename", members: [{ sfn: "StepId", api: "StepIds", list: true }] },
  },
  pascal("batch:submitJob", "batch", "SubmitJob", "connect-batch.html"),
  pascal("codebuild:startBuild", "codebuild", "StartBuild", "connect-codebuild.html"),
  // Waiting follows one task (src/aws/waitable.ts): a request for several goes through aws-sdk, and cannot wait.
  { ...pascal("ecs:runTask", "ecs", "RunTask", "connect-ecs.html"), conditions: [{ path: ["count"], is: "absent" }] },
  pascal("codebuild:stopBuild", "codebuild", "StopBuild", "connect-codebuild.html"),
  pascal("codebuild:batchDeleteBuilds", "codebuild", "BatchDeleteBuilds", "connect-codebuild.html"),
  pascal("codebuild:batchGetReports", "codebuild", "BatchGetReports", "connect-codebuild.html"),
  // Input is the execution's input as JSON data (the API's is its JSON text: src/aws/request-members.ts).
  pascal("states:startExecution", "stepfunctions", "StartExecution", "connect-stepfunctions.html", undefined, undefined, [["input"]]),
  pascal("emr-serverless:createApplication", "emr-serverless", "CreateApplication", "connect-emr-serverless.html"),
  pascal("emr-serverless:startApplication", "emr-serverless", "StartApplication", "connect-emr-serverless.html", EMR_SERVERLESS_ID, ["ApplicationId"]),
  pascal("emr-serverless:stopApplication", "emr-serverless", "StopApplication", "connect-emr-serverless.html", EMR_SERVERLESS_ID, ["ApplicationId"]),
  pascal("emr-serverless:deleteApplication", "emr-serverless", "DeleteApplication", "connect-emr-serverless.html", EMR_SERVERLESS_ID, ["ApplicationId"]),
  pascal("emr-serverless:startJobRun", "emr-serverless", "StartJobRun", "connect-emr-serverless.html"),
  pascal("emr-serverless:cancelJobRun", "emr-serverless", "CancelJobRun", "connect-emr-serverless.html"),
];


/** The optimized row that calls `service:action`, if any. */
export function optimizedFor(service: string, action: string): Optimized | undefined {
  return OPTIMIZED.find((o) => o.service === service && o.action === action && !o.waitOnly);
}

/** The optimized row of a resource, request-response or `.sync`. */
function optimizedAt(resource: string): Optimized | undefined {
  return OPTIMIZED.find((o) => o.resource === resource);
}

/** The `.sync` resource's request-response row (every waitable action with a `.sync` form has one). */
export function syncBase(w: WaitableAction): Optimized | undefined {
  return w.sfn === undefined ? undefined : optimizedAt(w.sfn.replace(/\.sync(:2)?$/, ""));
}

/** The Task resource that calls `service:action` request-response, or why there is none (the request is not looked at). */
export function awsResource(service: string, action: string): { resource: string } | { error: string } {
  const opt = optimizedFor(service, action);
  if (opt) return { resource: opt.resource };
  return sdkResource(service, action);
}

export function sdkResource(service: string, action: string): { resource: string } | { error: string } {
  const sdk = SDK_SERVICE_IDS[service] ?? (service.includes("-") ? undefined : service);
  if (!sdk) return { error: `service '${service}' has no known AWS SDK id for the aws-sdk integration (known: ${Object.keys(SDK_SERVICE_IDS).join(", ")}, or any id without '-')` };
  return { resource: `arn:aws:states:::aws-sdk:${sdk}:${lower1(action)}` };
}

type Request = Record<string, Value>;

/**
 * The Task that calls `service:action` with this request (API shape): its
 * resource and its request as the integration takes it. An optimized
 * integration whose request cannot carry this one (a list of two cluster ids),
 * or whose result is not the API's response where a step reads that response
 * (`responseRead`: createCluster's {ClusterId} for RunJobFlow's {JobFlowId}),
 * gives way to aws-sdk; waiting has no such way out.
 */
export function awsTask(service: string, action: string, request: Request, wait: boolean, responseRead?: ReadonlySet<string>): { resource: string; request: Request; polled?: WaitableAction; result?: ActionCasing } | { error: string; hint?: string } {
  const text = jsonTextError(service, action, request);
  if (text) return { error: text };
  if (wait) {
    const w = waitable(service, action);
    // No `.sync` form: the call through the AWS SDK integration, then the Describe action polled (`polled`, tasks.ts).
    if (w && w.sfn === undefined) return sdkTask(service, action, request, w);
    // A read of the final Describe response (its camelCase members) where the .sync form returns other, PascalCase
    // members: the call, then the Describe polled, whose last response is kept as other targets keep it.
    if (w && w.sfn !== undefined && !w.sfnResultIsDescribe && [...(responseRead ?? [])].some((m) => m !== "" && m !== upper1(m))) {
      // The poll follows the status alone: a job whose success is also its containers' exit codes (ECS) is not polled.
      if (w.exitCodes) {
        return {
          error: `it reads ${w.describe.action}'s own response, which ${w.sfn.slice(S.length)} does not return, so Step Functions would poll ${w.describe.action}; the poll would not check the containers' exit codes, as the .sync form and Airflow do`,
          hint: "read nothing of the step's response, or read it in a later step that calls the Describe action",
        };
      }
      return sdkTask(service, action, request, w);
    }
    const base = w && syncBase(w);
    if (!w || !base) return { error: `${service}:${action} has no Step Functions .sync integration to wait with` };
    const r = toSfn(base, request);
    if ("error" in r) return { error: `${w.sfn!.slice(S.length)} cannot wait for this call: ${r.error}` };
    return { resource: w.sfn!, request: r.request };
  }
  const opt = optimizedFor(service, action);
  if (opt && [...(responseRead ?? [])].every((m) => answers(opt, m))) {
    const r = toSfn(opt, request);
    if ("request" in r) return { resource: opt.resource, request: r.request, ...(opt.request?.kind === "pascal" ? { result: rowCasing(opt) } : {}) };
  }
  return sdkTask(service, action, request);
}

/** The call through the AWS SDK integration: its request in Step Functions' spelling, and how its response is spelled. */
function sdkTask(service: string, action: string, request: Request, polled?: WaitableAction): { resource: string; request: Request; polled?: WaitableAction; result?: ActionCasing } | { error: string } {
  const sdk = sdkResource(service, action);
  if ("error" in sdk) return sdk;
  const casing = actionCasing(service, action);
  if (typeof casing === "object" && "error" in casing) return casing;
  const extra = polled ? { polled } : {};
  return casing === "same" ? { resource: sdk.resource, request, ...extra } : { resource: sdk.resource, request: pascalRequest(casing, request), ...extra, result: casing };
}

/**
 * How the result an aws step keeps (its Task's, or with polling the last Describe's) is spelled where it is
 * not the API's (undefined: the API's own, or the step is not lowered).
 */
export function keptResultCasing(service: string, action: string, request: Request, wait: boolean, responseRead: ReadonlySet<string>): ActionCasing | undefined {
  const r = awsTask(service, action, request, wait, responseRead);
  if ("error" in r) return undefined;
  return r.polled ? sdkCasing(service, r.polled.describe.action) : r.result;
}

/** How the AWS SDK integration spells `service:action`'s members where they are not the API's (undefined: the API's own). */
export function sdkCasing(service: string, action: string): ActionCasing | undefined {
  const c = actionCasing(service, action);
  if (c === "same") return undefined;
  if ("error" in c) throw new Error(c.error);
  return c;
}

/**
 * Whether a read of the response's top member `member` ("": the whole response) finds it in what the
 * optimized integration returns: the API's own response, its members in PascalCase (a pascal row), or
 * the members the row lists (a read of the whole is taken as the integration's). A machine lifted from Step Functions reads what the integration returned;
 * a pipeline written for every target, the API's response.
 */
function answers(opt: Optimized, member: string): boolean {
  // The whole response (or an item of it) tells nothing of which it is: the integration's, as before.
  if (!opt.response || member === "") return true;
  // A camelCase API's members are read in PascalCase (sdk-casing.ts).
  const sfn = opt.request?.kind === "pascal" ? upper1(member) : member;
  if (opt.returns) return opt.returns.includes(sfn);
  return opt.request?.kind === "pascal";
}

/**
 * Declared outputs are members of the API's response (with `wait`, of the
 * job's final Describe response). Where the Task this lowers to returns
 * another shape, they are read from that instead: the note says so
 * (undefined when exact). `resource` is the Task's resource.
 */
export function resultNote(service: string, action: string, outputs: string[], wait: boolean, resource: string): string | undefined {
  if (!outputs.length) return undefined;
  const names = outputs.map((o) => `'${o}'`).join(", ");
  if (wait) {
    const w = waitable(service, action);
    if (!w || w.sfnResultIsDescribe || w.sfn === undefined) return undefined;
    return `outputs ${names} are read from what ${w.sfn.slice(S.length)} returns, which is not ${w.describe.action}'s response that other targets read them from`;
  }
  const opt = optimizedAt(resource);
  // Members in PascalCase are the API's, read recased.
  if (!opt?.response || (opt.request?.kind === "pascal" && !opt.returns)) return undefined;
  return `outputs ${names} are read from what ${opt.resource.slice(S.length)} returns (${opt.response}), not from ${action}'s own response that other targets read them from`;
}

/**
 * A call read back: service, action, whether it waits, and the row that
 * reshapes its request (undefined: no aws call). `otherResult`: the result
 * members that differ from what the resource lowering writes returns.
 */
export function awsCallOf(resource: string): { service: string; action: string; wait?: true; optimized?: Optimized; otherResult?: { members: readonly string[]; how: string } } | undefined {
  const opt = optimizedAt(resource);
  if (opt && !opt.waitOnly) return { service: opt.service, action: opt.action, optimized: opt };
  for (const w of WAITABLE) {
    const base = syncBase(w);
    if (!base) continue;
    if (w.sfn === resource) return { service: base.service, action: base.action, wait: true, optimized: base };
    if (w.sfnOther?.resource === resource) return { service: base.service, action: base.action, wait: true, optimized: base, otherResult: { members: w.sfnOther.members, how: w.sfnOther.how } };
  }
  const m = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/.exec(resource);
  if (!m) return undefined;
  const service = Object.keys(SDK_SERVICE_IDS).find((k) => SDK_SERVICE_IDS[k] === m[1]) ?? m[1];
  return { service, action: upper1(m[2]) };
}

/** `.sync` / `.waitForTaskToken` forms. */
export const WAITING_FORM = /^arn:aws:states:::((?:aws-sdk:)?[a-z0-9-]+:[a-zA-Z0-9]+)\.(sync(:2)?|waitForTaskToken)$/;

const isMap = (v: Value | undefined): v is Extract<Value, { kind: "map" }> => v?.kind === "map";

function checkConditions(opt: Optimized, req: Request): string | undefined {
  for (const c of opt.conditions ?? []) {
    let v: Value | undefined = { kind: "map", entries: req, pos: { file: "", line: 0, col: 0 } } as Value;
    for (const [i, k] of c.path.entries()) {
      // A value read at run time (from the data, a parameter, an earlier step) holds what is asked of it, or not, only then.
      if (v !== undefined && !isMap(v)) return `${c.path.slice(0, i).join(".")} is read at run time, so ${c.path.join(".")} cannot be known to be ${c.is === "absent" ? "absent" : "true"}: write ${c.path.slice(0, i).join(".")} out`;
      v = isMap(v) ? v.entries[k] : undefined;
    }
    const ok = c.is === "absent" ? v === undefined : v?.kind === "literal" && v.value === true;
    if (!ok) return c.is === "absent" ? `${c.path.join(".")} must not be given` : `${c.path.join(".")} must be true`;
  }
  return undefined;
}

/** The API request as the optimized integration takes it. */
export function toSfn(opt: Optimized, req: Request): { request: Request } | { error: string } {
  const why = checkConditions(opt, req);
  if (why) return { error: why };
  const shape = opt.request;
  if (!shape) return { request: req };
  if (shape.kind === "pascal") return { request: pascalRequest(rowCasing(opt), req, shape.maps) };
  const out: Request = {};
  for (const [k, v] of Object.entries(req)) {
    const r = shape.members.find((x) => x.api === k);
    if (!r) {
      const m = shape.members.find((x) => x.sfn === k);
      if (m) return { error: `${k} is not a member of ${opt.action} (it takes ${m.api})` };
      out[k] = v;
    } else if (!r.list) out[r.sfn] = v;
    else if (v.kind === "list" && v.items.length === 1) out[r.sfn] = v.items[0];
    else return { error: `${r.api} must be a list of exactly one item to be sent as ${r.sfn}` };
  }
  return { request: out };
}

/** The optimized integration's request as the API takes it; an error names what the IR could not write back alike. */
export function fromSfn(opt: Optimized, req: Request): { request: Request } | { error: string } {
  const shape = opt.request;
  if (!shape) return { request: req };
  if (shape.kind === "pascal") return apiRequest(rowCasing(opt), req, opt.action, shape.maps);
  const out: Request = {};
  for (const [k, v] of Object.entries(req)) {
    const r = shape.members.find((x) => x.sfn === k);
    if (!r) {
      const m = shape.members.find((x) => x.api === k);
      if (m) return { error: `${k} is ${opt.action}'s own member; the integration takes ${m.sfn}` };
      out[k] = v;
    } else out[r.api] = r.list ? { kind: "list", items: [v], pos: v.pos } : v;
  }
  return { request: out };
}

/** A pascal row's casing (its service has camelCase members, its action is in botocore's model). */
function rowCasing(opt: Optimized): ActionCasing {
  const c = actionCasing(opt.service, opt.action);
  if (c === "same" || "error" in c) throw new Error(`${opt.resource}: ${c === "same" ? "the API's members are in PascalCase already" : c.error}`);
  return c;
}
