/**
 * Members of an API request that an `aws` step holds otherwise than the API
 * sends them, and members with a meaning of their own to the service.
 */

/**
 * Members the API takes as JSON text that an aws step's request holds as the
 * JSON data itself (an object or a list written out). Airflow sends the data's
 * JSON text (compact, as Step Functions writes JSON); Step Functions' optimized
 * integration takes the data as it is. Text or a value known only at run time
 * there is refused: whether it is the data or its JSON text cannot be told.
 */
export interface JsonTextMember {
  service: string;
  action: string;
  /** The member, as the API spells it. */
  member: string;
  source: string;
}

export const JSON_TEXT_MEMBERS: readonly JsonTextMember[] = [
  { service: "stepfunctions", action: "StartExecution", member: "input", source: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html" },
];

/**
 * Text members that Step Functions' optimized integration also takes as JSON
 * data, sending that data's JSON text: a value known only at run time may be
 * either, so Airflow sends text as it is and anything else as its compact JSON
 * text (sy_text), as the integration does.
 */
export const TEXT_OR_JSON_MEMBERS: readonly JsonTextMember[] = [
  { service: "sns", action: "Publish", member: "Message", source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html" },
  { service: "sqs", action: "SendMessage", member: "MessageBody", source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html" },
];

/** The text-or-JSON members of `service:action`'s request. */
export function textOrJsonMembers(service: string, action: string): string[] {
  return TEXT_OR_JSON_MEMBERS.filter((m) => m.service === service && m.action === action).map((m) => m.member);
}

/** The JSON-text members of `service:action`'s request. */
export function jsonTextMembers(service: string, action: string): string[] {
  return JSON_TEXT_MEMBERS.filter((m) => m.service === service && m.action === action).map((m) => m.member);
}

/** Why a request's JSON-text members cannot be sent alike by every target, if they cannot. */
export function jsonTextError(service: string, action: string, request: Readonly<Record<string, { kind: string }>>): string | undefined {
  const bad = jsonTextMembers(service, action).filter((m) => request[m] !== undefined && request[m].kind !== "map" && request[m].kind !== "list");
  if (!bad.length) return undefined;
  return `${bad.map((m) => `'${m}'`).join(", ")} of ${service}:${action} must be JSON data written out (an object or a list, whose members may be any values): it is sent as that data's JSON text, and a text or a value known only at run time could be either the data or its text`;
}

/**
 * The member of a started execution's input that links it to the Step
 * Functions execution that started it: that execution's ARN.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
export const STARTED_BY_EXECUTION = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID";

/** Whether `service:action` starts a Step Functions execution whose input may carry STARTED_BY_EXECUTION. */
export const startsExecution = (service: string, action: string): boolean => service === "stepfunctions" && action === "StartExecution";
