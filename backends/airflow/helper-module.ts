/**
 * The helper module every generated DAG imports (`dags/switchyard_helpers_<digest>.py`,
 * from templates/airflow/switchyard_helpers.py.hbs): what it defines, what it imports,
 * and which of its functions a DAG binds to its own id or Region. The file name
 * carries a digest of the text, so DAGs compiled by different versions (or for the
 * other Airflow line) never overwrite each other's helpers in one DAGs folder.
 */

/** The DAG constant each keyword is bound to. */
const DAG_ID = ["dag_id", "DAG_ID"] as const;
const REGION = ["region", "REGION"] as const;

/**
 * Every name the module defines, with the keywords a DAG binds for it
 * (`sy_aws = partial(sy_aws, region=REGION)`); the others are imported as they are.
 */
export const HELPERS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  sy_job_name: [DAG_ID],
  sy_xcom: [],
  sy_ti: [],
  sy_items: [],
  sy_read_items: [REGION],
  sy_map_item: [],
  sy_iteration_id: [],
  sy_branch: [],
  sy_results: [],
  sy_tolerated: [],
  sy_write_results: [REGION],
  sy_get: [],
  sy_exists: [],
  sy_split: [],
  sy_item: [],
  sy_uuid: [],
  sy_json: [],
  sy_parse: [],
  sy_text: [],
  sy_matches: [],
  sy_set: [],
  sy_object: [],
  sy_cast: [],
  sy_output: [],
  sy_str: [],
  sy_cat: [],
  sy_dict: [],
  sy_report: [REGION],
  sy_approval: [DAG_ID, REGION],
  sy_walk: [],
  sy_at: [],
  sy_input: [],
  sy_input_or: [],
  sy_variable: [],
  sy_keep_failure: [],
  sy_failure: [],
  sy_response: [],
  sy_aws: [REGION],
  sy_aws_wait: [REGION],
  sy_aws_repeat: [REGION],
  sy_lambda_repeat: [REGION],
  SyRegisterModelVersionOperator: [],
  SyIteration: [],
  sy_failed: [],
  sy_passed: [],
};

/** The Airflow names the module imports (from the line's import table). */
export const MODULE_NAMES = [
  "AirflowException",
  "AirflowFailException",
  "AirflowSkipException",
  "AwsBaseHook",
  "LambdaHook",
  "PokeReturnValue",
  "S3Hook",
  "SageMakerRegisterModelVersionOperator",
  "SqsHook",
  "Variable",
] as const;

/** The standard modules it imports. */
export const MODULE_MODULES = ["base64", "csv", "datetime", "gzip", "hashlib", "io", "json", "re", "time", "uuid"] as const;

/** The module name for a text of the module. */
export function helperModuleName(digestHex: string): string {
  return `switchyard_helpers_${digestHex.slice(0, 8)}`;
}
