/**
 * AWS actions that start a job an `aws` step can wait for (`wait: true`): how
 * each target waits. Step Functions uses the optimized integration's `.sync`
 * form; Airflow calls the action, then polls the Describe action until the
 * job's status is terminal. One table, read by every backend and by the check
 * that refuses `wait` on an action not listed here.
 */

/** Where a Describe request member's value comes from: the start call's request or response, at a path. */
export interface Source {
  from: "request" | "response";
  path: string[];
}

export interface WaitableAction {
  /** The service as boto3 names it. */
  service: string;
  /** The action that starts the job, as the API spells it. */
  action: string;
  /** The Step Functions resource that starts the job and waits (`.sync`). */
  sfn: string;
  /** The Describe action that reports the job's status, and how its request is built. */
  describe: { action: string; request: Record<string, Source> };
  /** Path of the status in the Describe response. */
  status: string[];
  /** Statuses at which the wait ends well. */
  succeeded: readonly string[];
  /** Statuses at which the step fails. */
  failed: readonly string[];
  /** Where these facts come from. */
  source: string;
}

export const WAITABLE: readonly WaitableAction[] = [
  {
    service: "athena",
    action: "StartQueryExecution",
    sfn: "arn:aws:states:::athena:startQueryExecution.sync",
    describe: { action: "GetQueryExecution", request: { QueryExecutionId: { from: "response", path: ["QueryExecutionId"] } } },
    status: ["QueryExecution", "Status", "State"],
    succeeded: ["SUCCEEDED"],
    failed: ["FAILED", "CANCELLED"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html",
  },
];

/** The row for `service:action`, if that action can be waited for. */
export function waitable(service: string, action: string): WaitableAction | undefined {
  return WAITABLE.find((w) => w.service === service && w.action === action);
}
