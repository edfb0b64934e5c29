/** What one DAG run uses, counted from the plan along the expected path (conditions take `then`). */
import type { UsageFacts } from "../../src/backend/types.js";
import { branchMembership } from "../../src/ir/graph.js";
import type { Pipeline } from "../../src/ir/types.js";
import { ENVIRONMENT_CLASSES } from "./limits.js";

export interface DagFacts {
  taskIds: string[];
  /** Step id of each task. */
  stepOf: Map<string, string>;
  bytes: number;
}

export function usageOf(p: Pipeline, dag: DagFacts): UsageFacts {
  const branches = branchMembership(p);
  const steps = new Map(p.steps.map((s) => [s.id, s]));
  const onPath = dag.taskIds.filter((t) => {
    const b = branches.get(dag.stepOf.get(t)!);
    return !b || b.branch === "then" || b.branch === "each";
  });
  const count = (kind: string) => onPath.filter((t) => steps.get(dag.stepOf.get(t)!)?.kind === kind).length;
  let s3 = 0;
  for (const s of p.steps) {
    if (s.kind === "condition" && JSON.stringify(s.if).includes('"reports"')) s3 += 1;
  }
  const approvals = count("approval");
  const awsCalls = count("aws");
  const waits = onPath.filter((t) => {
    const s = steps.get(dag.stepOf.get(t)!);
    return s?.kind === "aws" && s.wait === true;
  }).length;
  const sagemaker = onPath.filter((t) => ["processing", "training", "tuning", "transform", "endpoint", "notebook"].includes(steps.get(dag.stepOf.get(t)!)!.kind)).length;
  const maxParallel = Math.max(1, ...p.steps.map((s) => s.foreach?.items.length ?? 1));
  const fit = ENVIRONMENT_CLASSES.find((c) => c.tasksPerWorker >= maxParallel) ?? ENVIRONMENT_CLASSES[ENVIRONMENT_CLASSES.length - 1];
  return {
    airflowTasks: onPath.length,
    lambdaInvocations: count("lambda"),
    sqsMessages: approvals,
    // Report reads, plus per approval: decision check, request marker check and write on the first poke.
    s3Requests: s3 + approvals * 3,
    pollingNote: `${sagemaker} SageMaker task(s) poll their job every check_interval seconds from a worker slot`,
    notes: [
      `${onPath.length} task(s) run on the expected path; the DAG has ${dag.taskIds.length} task(s)`,
      `DAG file: ${dag.bytes} bytes`,
      `at most ${maxParallel} task(s) of one step run at once; ${fit.name} runs ${fit.tasksPerWorker} concurrent task(s) per worker by default and holds ${fit.dags} DAGs`,
      "every task holds a worker slot while its SageMaker job runs (operators are not deferrable here)",
      ...(awsCalls ? [`${awsCalls} AWS API call(s) from aws steps (billed by each service)`] : []),
      ...(waits ? [`${waits} aws step(s) wait for their job: one Describe call every check_interval seconds, from a worker slot, until it ends`] : []),
      ...(p.steps.some((s) => s.kind === "map") ? ["a map's tasks are counted once: they run once an item (mapped task instances), a number known only at run time"] : []),
    ],
  };
}
