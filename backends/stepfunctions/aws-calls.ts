/**
 * How an `aws` step (one API action, request-response) is called from Step
 * Functions: the AWS SDK integration (`arn:aws:states:::aws-sdk:<sdk id>:<action>`),
 * or, for the actions listed below, the optimized integration most machines use.
 */

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
};

/**
 * Optimized request-response integrations preferred over aws-sdk: `service:Action`
 * -> the resource. Their request and response members are the API's own; the
 * Bedrock one takes and returns `Body` as JSON rather than a blob.
 */
export const OPTIMIZED: Readonly<Record<string, string>> = {
  "sns:Publish": "arn:aws:states:::sns:publish",
  "dynamodb:PutItem": "arn:aws:states:::dynamodb:putItem",
  "dynamodb:GetItem": "arn:aws:states:::dynamodb:getItem",
  "dynamodb:UpdateItem": "arn:aws:states:::dynamodb:updateItem",
  "dynamodb:DeleteItem": "arn:aws:states:::dynamodb:deleteItem",
  "sqs:SendMessage": "arn:aws:states:::sqs:sendMessage",
  "events:PutEvents": "arn:aws:states:::events:putEvents",
  "bedrock-runtime:InvokeModel": "arn:aws:states:::bedrock:invokeModel",
};

const camel = (action: string) => action.charAt(0).toLowerCase() + action.slice(1);
const pascal = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

/** The Task resource that calls `service:action`, or why there is none. */
export function awsResource(service: string, action: string): { resource: string } | { error: string } {
  const opt = OPTIMIZED[`${service}:${action}`];
  if (opt) return { resource: opt };
  const sdk = SDK_SERVICE_IDS[service] ?? (service.includes("-") ? undefined : service);
  if (!sdk) return { error: `service '${service}' has no known AWS SDK id for the aws-sdk integration (known: ${Object.keys(SDK_SERVICE_IDS).join(", ")}, or any id without '-')` };
  return { resource: `arn:aws:states:::aws-sdk:${sdk}:${camel(action)}` };
}

/** A request-response resource read back as `service` and `action`; undefined when it is none. */
export function awsCallOf(resource: string): { service: string; action: string } | undefined {
  for (const [k, v] of Object.entries(OPTIMIZED)) {
    if (v !== resource) continue;
    const [service, action] = k.split(":");
    return { service, action };
  }
  const m = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/.exec(resource);
  if (!m) return undefined;
  const service = Object.keys(SDK_SERVICE_IDS).find((k) => SDK_SERVICE_IDS[k] === m[1]) ?? m[1];
  return { service, action: pascal(m[2]) };
}

/** `.sync` / `.waitForTaskToken` forms: the call waits, which an aws step never does. */
export const WAITING_FORM = /^arn:aws:states:::([a-z0-9-]+:[a-zA-Z0-9]+)\.(sync(:2)?|waitForTaskToken)$/;
