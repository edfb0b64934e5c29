/**
 * AWS failures as one clear line each: `<service> <Operation>: <ErrorCode>:
 * <message> — <what to do>`. Throttling is retried by the SDK (with backoff)
 * before it gets here.
 */
import { error, type Diagnostic } from "../diagnostics.js";

/** Thrown inside a deploy or run; carries the diagnostic to report. */
export class DeployFailure extends Error {
  constructor(
    readonly diagnostic: Diagnostic,
    /** No AWS could be reached at all (no credentials, no network): nothing deployed could be read. */
    readonly offline = false,
  ) {
    super(diagnostic.message);
  }
}

/** Error codes that mean AWS was not reached at all. */
const OFFLINE = new Set(["CredentialsProviderError", "ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"]);

function failure(service: string, operation: string, e: unknown): DeployFailure {
  return new DeployFailure(awsDiagnostic(service, operation, e), OFFLINE.has(errorCode(e)));
}

/** IAM action prefix of each service, for "may call <prefix>:<Operation>". */
const IAM_PREFIX: Record<string, string> = {
  sagemaker: "sagemaker",
  stepfunctions: "states",
  s3: "s3",
  scheduler: "scheduler",
  mwaa: "airflow",
};

/** S3 actions are not named like their operations. */
const S3_ACTIONS: Record<string, string> = {
  HeadObject: "GetObject",
  GetObject: "GetObject",
  PutObject: "PutObject",
};

interface AdviceRule {
  codes: string[];
  /** Only when the message also matches (one code covers several causes). */
  message?: RegExp;
  advice: (service: string, action: string) => string;
}

/** Service principal that must be trusted by a role the service runs as. */
const PRINCIPAL: Record<string, string> = { sagemaker: "sagemaker.amazonaws.com", stepfunctions: "states.amazonaws.com", scheduler: "scheduler.amazonaws.com" };

/** What to do about each error code, first match wins. Data, looked up by the code AWS returns. */
const ADVICE: AdviceRule[] = [
  // Step Functions answers a role it cannot assume (missing, or not trusting it) with AccessDenied.
  {
    codes: ["AccessDeniedException", "AccessDenied", "ValidationException", "InvalidParameterValueException"],
    message: /assume (the provided )?role|role .*(does not exist|not found|cannot be assumed)|could not assume/i,
    advice: (s) => `check that the role exists and its trust policy lets ${PRINCIPAL[s] ?? `${s}.amazonaws.com`} assume it`,
  },
  { codes: ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "Forbidden"], advice: (_s, a) => `check that your credentials may call ${a}` },
  { codes: ["ThrottlingException", "Throttling", "TooManyRequestsException", "SlowDown", "RequestLimitExceeded", "ServiceQuotaExceededException"], advice: () => "still throttled after the SDK's retries with backoff; try again later or ask for a higher quota" },
  { codes: ["ExpiredToken", "ExpiredTokenException", "RequestExpired"], advice: () => "your credentials have expired; refresh them (e.g. aws sso login) and retry" },
  { codes: ["InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSignatureException"], advice: () => "the credentials are not valid for this account or region; check --profile and --region" },
  { codes: ["CredentialsProviderError"], advice: () => "no AWS credentials found; pass --profile or set up the standard AWS credential chain (environment, ~/.aws/config, SSO, instance role)" },
  { codes: ["NoSuchBucket"], advice: () => "create the bucket named in the pipeline's 'artifacts' (or the MWAA environment's) first" },
  { codes: ["InvalidArn", "InvalidDefinition", "ValidationException", "InvalidParameterValueException"], advice: () => "the request was rejected; check the value named in the message" },
  { codes: ["ResourceNotFound", "ResourceNotFoundException", "StateMachineDoesNotExist", "NotFound", "NoSuchKey"], advice: () => "the resource does not exist; run 'switchyard deploy' first or check the name and region" },
  { codes: ["ResourceLimitExceeded", "StateMachineLimitExceeded", "ExecutionLimitExceeded"], advice: () => "an account quota is reached; delete unused resources or ask for a higher quota" },
  { codes: ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"], advice: () => "cannot reach the endpoint; check --endpoint-url, --region and the network" },
];

function errorCode(e: unknown): string {
  const x = e as { name?: string; code?: string; Code?: string; cause?: { code?: string } };
  if (x?.code && /^E[A-Z_]+$/.test(x.code)) return x.code;
  if (x?.cause?.code && /^E[A-Z_]+$/.test(x.cause.code)) return x.cause.code;
  return x?.Code ?? x?.name ?? "Error";
}

/** The error text without anything that could be a secret (AWS messages carry none; we add none). */
function errorMessage(e: unknown): string {
  const m = (e as { message?: string })?.message ?? String(e);
  return m.replace(/\s+/g, " ").trim() || "no message";
}

export function awsDiagnostic(service: string, operation: string, e: unknown): Diagnostic {
  const code = errorCode(e);
  const prefix = IAM_PREFIX[service] ?? service;
  const action = `${prefix}:${service === "s3" ? (S3_ACTIONS[operation] ?? operation) : operation}`;
  const rule = ADVICE.find((r) => r.codes.includes(code) && (!r.message || r.message.test(errorMessage(e))));
  const advice = rule ? rule.advice(service, action) : `see the ${service} ${operation} documentation for this error`;
  return error(undefined, `${service} ${operation}: ${code}: ${errorMessage(e)} — ${advice}`, { code: "aws-error" });
}

/** Run one AWS call; a failure becomes a DeployFailure with one clear line. */
export async function call<T>(service: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw failure(service, operation, e);
  }
}

/** Like `call`, but `undefined` when the error code says the thing does not exist. */
export async function callOrMissing<T>(service: string, operation: string, missing: string[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (missing.includes(errorCode(e)) || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw failure(service, operation, e);
  }
}

/** A problem found before calling AWS (missing role, unknown target...). */
export function fail(message: string, hint?: string): never {
  throw new DeployFailure(error(undefined, message, { code: "deploy", hint }));
}
