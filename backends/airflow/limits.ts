/** Airflow and MWAA limits the backend checks or reports. */
import type { Limit } from "../../src/backend/types.js";
import type { AirflowLine } from "./versions.js";

export const LIMITS: Limit[] = [
  { id: "airflow.dag-id-length", description: "DAG id length", value: 250, unit: "characters", source: "Airflow KEY_REGEX / ID_LEN" },
  { id: "airflow.task-id-length", description: "task id length", value: 250, unit: "characters", source: "Airflow KEY_REGEX / ID_LEN" },
  { id: "sagemaker.job-name-length", description: "processing, training, transform job and model names", value: 63, unit: "characters", source: "SageMaker CreateXJob name pattern" },
  { id: "sagemaker.tuning-job-name-length", description: "tuning job name", value: 32, unit: "characters", source: "SageMaker CreateHyperParameterTuningJob" },
  { id: "mwaa.dagbag-import-timeout", description: "time to import one DAG file", value: 30, unit: "seconds", source: "MWAA core.dagbag_import_timeout default" },
  { id: "mwaa.dag-file-processor-timeout", description: "time to process one DAG file", value: 50, unit: "seconds", source: "MWAA core.dag_file_processor_timeout default" },
  { id: "mwaa.requirements-install", description: "requirements.txt install time", value: 9, unit: "minutes", source: "MWAA user guide" },
  { id: "mwaa.workers", description: "workers per environment", value: 25, unit: "workers", source: "MWAA quotas (adjustable)" },
  { id: "mwaa.micro.dags", description: "DAG capacity of mw1.micro", value: 25, unit: "DAGs", source: "MWAA environment classes" },
  { id: "mwaa.small.dags", description: "DAG capacity of mw1.small", value: 50, unit: "DAGs", source: "MWAA environment classes" },
  { id: "mwaa.medium.dags", description: "DAG capacity of mw1.medium", value: 250, unit: "DAGs", source: "MWAA environment classes" },
  { id: "mwaa.large.dags", description: "DAG capacity of mw1.large", value: 1000, unit: "DAGs", source: "MWAA environment classes" },
];

/** MWAA environment classes: default concurrent tasks per worker, by class (for the usage notes). */
export const ENVIRONMENT_CLASSES: ReadonlyArray<{ name: string; dags: number; tasksPerWorker: number; autoscaling: boolean }> = [
  { name: "mw1.micro", dags: 25, tasksPerWorker: 3, autoscaling: false },
  { name: "mw1.small", dags: 50, tasksPerWorker: 5, autoscaling: true },
  { name: "mw1.medium", dags: 250, tasksPerWorker: 10, autoscaling: true },
  { name: "mw1.large", dags: 1000, tasksPerWorker: 20, autoscaling: true },
  { name: "mw1.xlarge", dags: 2000, tasksPerWorker: 40, autoscaling: true },
  { name: "mw1.2xlarge", dags: 4000, tasksPerWorker: 80, autoscaling: true },
];

/**
 * Whole DagBag imports of generated DAGs, per Airflow line (bench/airflow-parse.mjs: random DAGs with
 * 20 parameters, Airflow 2.11.2 and 3.0.6 as MWAA pins them, a 2-core machine). Airflow's own work
 * grows faster than the task count: it copies the DAG's params for every operator class of every
 * task, and hashes the whole DAG for every task a `>>` statement names.
 */
export const IMPORT_TIMES: Readonly<Record<AirflowLine, ReadonlyArray<{ tasks: number; seconds: number }>>> = {
  "2": [
    { tasks: 200, seconds: 0.15 },
    { tasks: 1000, seconds: 0.84 },
    { tasks: 10000, seconds: 19 },
  ],
  "3": [
    { tasks: 200, seconds: 0.16 },
    { tasks: 1000, seconds: 0.92 },
    { tasks: 10000, seconds: 32.3 },
  ],
};

/** A DAG whose estimated import takes this share of MWAA's timeout is said to risk it. */
export const IMPORT_WARN_SHARE = 1 / 3;

/** Estimated DagBag import seconds for a DAG of this many tasks: the line's measures, joined by lines. */
export function importSeconds(line: AirflowLine, tasks: number): number {
  const times = IMPORT_TIMES[line];
  const at = times.findIndex((m) => m.tasks >= tasks);
  // Below the first measure the first segment, past the last one the last segment, carried on.
  const i = at < 0 ? times.length - 1 : Math.max(1, at);
  const [a, b] = [times[i - 1], times[i]];
  return Math.max(0, a.seconds + ((tasks - a.tasks) * (b.seconds - a.seconds)) / (b.tasks - a.tasks));
}
