/**
 * The pre-`.sync` idiom: start a SageMaker job, then Wait / Describe / Choice
 * on its status in a loop. It is read as one job step that waits for its job
 * (the `.sync` integration), which is what the loop does; the Describe calls
 * and the poll interval are not kept, and a warning says so.
 */
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

const JOBS: Record<string, { describe: string; status: string }> = {
  createTrainingJob: { describe: "describeTrainingJob", status: "TrainingJobStatus" },
  createProcessingJob: { describe: "describeProcessingJob", status: "ProcessingJobStatus" },
  createTransformJob: { describe: "describeTransformJob", status: "TransformJobStatus" },
  createHyperParameterTuningJob: { describe: "describeHyperParameterTuningJob", status: "HyperParameterTuningJobStatus" },
};

export interface Fold {
  /** The start state as a `.sync` task that continues where the loop exits on success. */
  state: Obj;
  /** The loop's states (Wait, Describe, Choice) and the Fail states it leads to on a failed job. */
  consumed: string[];
  /** The Describe API the loop called. */
  describe: string;
}

export function foldPolling(states: Obj, name: string, st: Obj): Fold | undefined {
  const m = /^arn:aws:states:::sagemaker:(create[A-Za-z]+Job)$/.exec(String(st.Resource));
  const job = m ? JOBS[m[1]] : undefined;
  if (!job || typeof st.Next !== "string") return undefined;
  const consumed: string[] = [];
  let cur = st.Next;
  let wait: string | undefined;
  if (isObj(states[cur]) && (states[cur] as Obj).Type === "Wait") {
    wait = cur;
    consumed.push(cur);
    cur = (states[cur] as Obj).Next as string;
  }
  const d = states[cur];
  if (!isObj(d) || d.Type !== "Task" || d.Resource !== `arn:aws:states:::aws-sdk:sagemaker:${job.describe}` || typeof d.Next !== "string") return undefined;
  const describe = cur;
  consumed.push(cur);
  const c = states[d.Next];
  if (!isObj(c) || c.Type !== "Choice" || !Array.isArray(c.Choices)) return undefined;
  consumed.push(d.Next);
  const loop = new Set([wait ?? describe, describe]);
  let done: string | undefined;
  const fails: string[] = [];
  const targets = [...(c.Choices as Obj[]).map((r) => ({ r, next: r.Next as string })), { r: undefined, next: c.Default as string }];
  for (const { r, next } of targets) {
    if (loop.has(next)) continue;
    const t = states[next];
    const status = r && typeof r.Variable === "string" && r.Variable.endsWith(`.${job.status}`) ? r.StringEquals : undefined;
    if (status === "Completed" && !done) done = next;
    else if (isObj(t) && t.Type === "Fail") fails.push(next);
    else return undefined;
  }
  if (!done) return undefined;
  consumed.push(...new Set(fails));
  const { Next: _n, ...rest } = st;
  // The .sync result is the Describe response, kept where the loop kept it.
  const state: Obj = { ...rest, Resource: `${String(st.Resource)}.sync`, Next: done };
  if ("ResultPath" in d) state.ResultPath = d.ResultPath;
  else delete state.ResultPath;
  if ("ResultSelector" in d) state.ResultSelector = d.ResultSelector;
  return { state, consumed, describe: job.describe };
}
