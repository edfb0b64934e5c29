/**
 * What a team weighs besides cost, per target, as data: lineage, experiment
 * tracking, model registry and approval, the run-history UI, the longest run,
 * concurrency and step quotas. Figures that are limits are read from the
 * backend's own `limits` table by id, so each number lives once.
 */
import type { Backend, Limit } from "../backend/types.js";
import { formatQuantity } from "./money.js";
import { MWAA_CLASSES } from "./mwaa-classes.js";

export type Aspect = "lineage" | "experiments" | "registry" | "ui" | "max-duration" | "concurrency" | "step-quota";

export const ASPECTS: ReadonlyArray<{ id: Aspect; title: string }> = [
  { id: "lineage", title: "lineage" },
  { id: "experiments", title: "experiment tracking" },
  { id: "registry", title: "model registry and approval" },
  { id: "ui", title: "run history UI" },
  { id: "max-duration", title: "longest run" },
  { id: "concurrency", title: "concurrency" },
  { id: "step-quota", title: "step quota" },
];

/** A fixed statement, or one built from a limit of the backend's table. */
type Cell = { text: string } | { limit: string; text: (l: Limit) => string };

const hours = (l: Limit) => (l.unit === "seconds" ? l.value / 3600 : l.value);
const duration = (l: Limit) => {
  const h = hours(l);
  return h % 24 === 0 ? `${formatQuantity(h / 24)} days` : `${formatQuantity(h)} hours`;
};

export const WEIGH: Record<string, Partial<Record<Aspect, Cell>>> = {
  sagemaker: {
    lineage: { text: "built in: ML Lineage Tracking links each execution's jobs, data and models" },
    experiments: { text: "built in: each execution is recorded as a SageMaker Experiments run" },
    registry: { text: "built in: register-model adds a Model Registry version with an approval status" },
    ui: { text: "SageMaker Studio: pipeline graph, execution history, step logs" },
    "max-duration": { limit: "execution-time", text: (l) => `${duration(l)} per execution` },
    concurrency: { limit: "concurrent-executions", text: (l) => `${formatQuantity(l.value)} concurrent executions per account (quota)` },
    "step-quota": { limit: "steps", text: (l) => `${formatQuantity(l.value)} steps per pipeline (quota)` },
  },
  stepfunctions: {
    lineage: { text: "none for the workflow; SageMaker records each job it starts" },
    experiments: { text: "none built in" },
    registry: { text: "Model Registry through the SageMaker API; approval by task token over SQS" },
    ui: { text: "Step Functions console: graph and event history of each execution" },
    "max-duration": { limit: "execution-duration", text: (l) => `${duration(l)} per Standard execution` },
    concurrency: { text: "no per-workflow limit; account quotas on open executions and API rates" },
    "step-quota": { limit: "history-events", text: (l) => `no step count limit; ${formatQuantity(l.value)} history events per execution` },
  },
  airflow: {
    lineage: { text: "none by default (an OpenLineage provider can be added)" },
    experiments: { text: "none built in" },
    registry: { text: "Model Registry through the SageMaker API; approval by a sensor on your decision" },
    ui: { text: "Airflow UI: grid, graph, task logs, run history in the metadata database" },
    "max-duration": { text: "no run limit; each task is bounded by its execution_timeout" },
    concurrency: { limit: "mwaa.workers", text: (l) => `the environment class: tasks per worker × up to ${formatQuantity(l.value)} workers` },
    "step-quota": {
      text: `no task count limit; DAGs per environment ${formatQuantity(MWAA_CLASSES[0].dagCapacity)} (${MWAA_CLASSES[0].name}) to ${formatQuantity(MWAA_CLASSES[MWAA_CLASSES.length - 1].dagCapacity)} (${MWAA_CLASSES[MWAA_CLASSES.length - 1].name})`,
    },
  },
};

/** The section's rows: every aspect, each target's statement ("not stated" when the table has none). */
export function weighRows(backends: Backend[]): Array<{ aspect: string; cells: Record<string, string> }> {
  const names = backends.map((b) => b.name).sort();
  return ASPECTS.map((a) => {
    const cells: Record<string, string> = {};
    for (const n of names) {
      const b = backends.find((x) => x.name === n)!;
      const c = WEIGH[n]?.[a.id];
      if (!c) cells[n] = "not stated";
      else if ("limit" in c) {
        const l = b.limits.find((x) => x.id === c.limit);
        cells[n] = l ? c.text(l) : "not stated";
      } else cells[n] = c.text;
    }
    return { aspect: a.title, cells };
  });
}
