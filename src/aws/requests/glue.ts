/** AWS Glue StartJobRun: the job, its arguments and its capacity. https://docs.aws.amazon.com/glue/latest/webapi/API_StartJobRun.html */
import type { GlueStep } from "../../ir/types.js";
import type { RequestCtx } from "./common.js";
import { checkedRequest } from "./shared.js";
import { obj, text, userMap, val, type Req } from "./tree.js";

export function startJobRunRequest(ctx: RequestCtx, s: GlueStep): Req {
  return checkedRequest(ctx, s, "StartJobRun", startJobRun(s));
}

function startJobRun(s: GlueStep): Req {
  return obj({
    JobName: text(s.job),
    Arguments: userMap(s.arguments),
    WorkerType: s.worker_type ? text(s.worker_type) : undefined,
    NumberOfWorkers: s.workers ? val(s.workers) : undefined,
  });
}
