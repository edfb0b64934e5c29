/**
 * Small pipelines of notices for failure-handler tests: an SNS publish step
 * written in YAML, stand-ins that answer every Task as a sent notice or a
 * finished Batch job (or fail the ones named), and what a run sent.
 */
import { awsError, findState, type Handler, type run } from "./support.js";

/** The head of a pipeline named `name`, up to its `steps:` line. */
export const head = (name: string) => `version: 1
pipeline: ${name}
region: us-east-1
role: arn:aws:iam::111122223333:role/pipeline
artifacts: s3://bucket-1/p
steps:
`;

/** A step publishing `message` to one topic, with `extra` lines (`depends_on`, `on_failure`) after it. */
export const publish = (id: string, message: string, extra = "") => `  ${id}:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "${message}" }
${extra}`;

/** Every Task answered as a sent notice or a finished Batch job; `fail` names the messages or jobs that fail, with which error. */
export function handlers(def: any, fail: Record<string, string>): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  const visit = (d: any) => {
    for (const [name, st] of Object.entries<any>(d.States)) {
      if (st.Type === "Task") {
        out[name] = (i) => {
          const key = i.Message ?? i.JobName;
          if (fail[key]) throw awsError(fail[key]);
          return i.Message ? { MessageId: "m-1" } : { JobId: "job-1", JobName: i.JobName, Status: "SUCCEEDED" };
        };
      }
      for (const b of [...(st.Branches ?? []), ...(st.ItemProcessor ? [st.ItemProcessor] : [])]) visit(b);
    }
  };
  visit(def);
  return out;
}

/** What an execution sent, in order: each notice's message, or the job's name. */
export const sent = (def: any, r: Awaited<ReturnType<typeof run>>) =>
  r.started.map((n) => findState(def, n)).filter((st) => st.Type === "Task").map((st) => st.Parameters.Message ?? st.Parameters.JobName);
