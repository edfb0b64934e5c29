/** Airflow's id rules and the Python names the DAG file uses. */

/** `KEY_REGEX` of Airflow's task and DAG ids, restricted to ASCII (`\w` is Unicode in Python). */
export const AIRFLOW_ID = /^[A-Za-z0-9_.-]+$/;
export const ID_MAX = 250;

/** The DAG id for a pipeline name: characters Airflow refuses become `_`. */
export function dagIdOf(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_");
}

/** The task that gathers a map step's results (its items task has the map's own id). */
export function mapResultsId(mapId: string): string {
  return `${mapId}_results`;
}

/** The task id of one foreach copy: the name every target gives it. */
export { copyName as copyId } from "../../src/ir/names.js";

const KEYWORDS = [
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
  "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
  "return", "try", "while", "with", "yield", "match", "case", "type",
];

/** Names the file defines or imports, and builtins it calls; steps cannot take them as variables. */
export const RESERVED_NAMES: readonly string[] = [
  ...KEYWORDS,
  "annotations", "dag", "datetime", "hashlib", "json", "re", "time", "partial", "DAG", "DAG_ID", "REGION", "SY_TEXT", "Param", "literal",
  "str", "int", "float", "bool", "dict", "list", "tuple", "len", "isinstance", "ValueError", "TypeError", "KeyError",
  "sy_job_name", "sy_xcom", "sy_output", "sy_cast", "sy_cat", "sy_str", "sy_report", "sy_dict", "sy_approval", "sy_get", "operator", "all", "any", "SY_CASTS",
  "ti", "params", "run_id", "dag_run", "task", "value", "key", "keys", "name", "parts", "part",
  "AirflowFailException", "CronTriggerTimetable", "CronDataIntervalTimetable", "DeltaDataIntervalTimetable", "data_interval_end", "ds", "ds_nodash", "macros", "S3Hook", "SqsHook", "PokeReturnValue", "PythonOperator", "BranchPythonOperator",
  "PythonSensor", "LambdaInvokeFunctionOperator", "SageMakerProcessingOperator", "SageMakerTrainingOperator",
  "SageMakerTuningOperator", "SageMakerTransformOperator", "SageMakerModelOperator", "SageMakerEndpointOperator",
  "SageMakerRegisterModelVersionOperator", "SyRegisterModelVersionOperator", "TaskGroup",
];

/** A fresh Python identifier derived from `base`, recorded in `used`. */
export function pythonName(base: string, used: Set<string>): string {
  let name = base.replace(/[^A-Za-z0-9_]/g, "_");
  // `sy_` (any case) is the generated code's own prefix, and dunder names are Python's:
  // a suffix cannot leave either, a prefix can.
  if (!/^[A-Za-z_]/.test(name) || /^sy_/i.test(name) || /^__/.test(name)) name = `t_${name}`;
  let out = name;
  for (let i = 2; used.has(out); i++) out = `${name}_${i}`;
  used.add(out);
  return out;
}
