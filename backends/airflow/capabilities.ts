/** How Airflow on MWAA handles each IR feature (the refusal check and the report read this). */
import type { CapabilityTable } from "../../src/backend/types.js";

export const CAPABILITIES: CapabilityTable = {
  "kind:processing": { support: "native", note: "SageMakerProcessingOperator; config is the CreateProcessingJob request" },
  "kind:training": { support: "native", note: "SageMakerTrainingOperator; config is the CreateTrainingJob request" },
  "kind:tuning": { support: "native", note: "SageMakerTuningOperator; `model` is built from the best training job's name" },
  "kind:transform": { support: "native", note: "SageMakerTransformOperator; config is the CreateTransformJob request" },
  "kind:model": { support: "native", note: "SageMakerModelOperator; config is the CreateModel request" },
  "kind:register-model": {
    support: "native",
    note: "SageMakerRegisterModelVersionOperator with the whole CreateModelPackage request in `extras` (templated by a two-line subclass)",
  },
  "kind:endpoint": {
    support: "native",
    note: "SageMakerEndpointOperator creating model, endpoint config and endpoint; an existing endpoint is updated by the provider (its Tags are then dropped)",
  },
  "kind:condition": { support: "native", note: "BranchPythonOperator evaluating the expression in Python; the untaken branch is skipped" },
  "kind:fail": { support: "native", note: "a task raising AirflowFailException with the message (no retry), which fails the run" },
  "kind:lambda": {
    support: "native",
    note: "LambdaInvokeFunctionOperator (RequestResponse); declared outputs are read from the JSON result in XCom and cast to their types",
  },
  "kind:approval": {
    support: "emulated",
    note: "a PythonSensor in reschedule mode sends the request to the SQS queue once, then waits (up to the step timeout) for the approver to write {\"approved\", \"outputs\"} to the S3 URI given in the message; a worker slot is held only while poking",
  },
  "kind:notebook": {
    support: "emulated",
    note: "a SageMaker Processing job whose entry point is papermill (the image must provide papermill); parameters become `-p name value`, the executed notebook lands in outputs.output",
  },
  "kind:wait": { support: "native", note: "a PythonOperator that sleeps from the moment the task starts (it holds a worker slot while it waits)" },
  "kind:glue": { support: "native", note: "GlueJobOperator starting the existing job with its arguments (run_job_kwargs for workers), wait_for_completion=True" },
  "kind:emr": { support: "native", note: "EmrAddStepsOperator with one step and wait_for_completion=True; the waiter polls every 30 s for the step's timeout (a day without one)" },
  "kind:aws": {
    support: "native",
    note: "a PythonOperator calling the action's boto3 client method with AwsBaseHook (aws_default connection) when the task runs; the request is plain Python, never Jinja; the response (JSON: timestamps as ISO 8601 text, without ResponseMetadata) is the task's XCom result, where its declared outputs must be and are read cast to their types",
  },
  "kind:passthrough": { support: "unsupported", note: "a step carried over from another target has no Airflow operator here" },
  // One rule on every target: a static list is unrolled at compile time, which runs each item exactly.
  foreach: { support: "native", note: "unrolled at compile time into one task per item (`<step>_<n>`); references to the step read every copy, in item order" },
  "condition.compare": { support: "native", note: "a Python comparison in the branch callable" },
  "condition.logic": { support: "native", note: "Python and / or / not in the branch callable" },
  "condition.in": { support: "native", note: "Python `in` / `not in` in the branch callable" },
  "condition.report": { support: "native", note: "the branch callable reads the report JSON from S3 with S3Hook" },
  "expression.arithmetic": { support: "native", note: "Python (or Jinja) arithmetic, evaluated when the task runs" },
  "expression.join": { support: "native", note: "Jinja templates in operator fields; user text outside Jinja or by index into SY_TEXT" },
  "expression.response": {
    support: "native",
    note: "the task's XCom result read by sy_response: a Lambda's payload decoded from JSON, an aws step's response, a SageMaker operator's Describe response under its key ({\"Training\": ...}: timestamps there are Python reprs, as the provider writes them); a missing part fails the task without retry; a passthrough step has none",
  },
  "expression.run-input": {
    support: "native",
    note: "dag_run.conf (the run's conf, which `run` and `airflow dags trigger --conf` set), read by sy_input; a missing part fails the task without retry, as Step Functions fails the state",
  },
  "aws.wait": {
    support: "emulated",
    note: "the task makes the boto3 call, then polls the Describe action of the action's row in src/aws/waitable.ts every check interval (60 s unless --check-interval), the first poll at once, for at most the step's timeout (a day without one); a succeeded status ends it with the final Describe response as the result, a failed one fails the task with the status and the reason beside it (retried as the step says); the worker slot is held while it waits",
  },
  retry: {
    support: "emulated",
    note: "retries and retry_delay; a backoff above 1 becomes retry_exponential_backoff, which doubles the delay (Airflow 2.11 / 3.0 take no multiplier)",
  },
  "retry.rules": { support: "unsupported", note: "an Airflow task has one retry policy (retries, retry_delay, backoff) for every error" },
  "retry.jitter": { support: "unsupported", note: "retry_exponential_backoff adds its own jitter, not a full random wait" },
  "on-failure": { support: "native", note: "the first handler tasks wait for the failing tasks with trigger_rule one_failed; the run then fails (a fail step among the handlers, or a last task raising AirflowFailException)" },
  "retry.error-classes": {
    support: "emulated",
    note: "Airflow retries a failed task whatever the error, so attempts are also spent on error classes the policy leaves out",
  },
  timeout: { support: "native", note: "execution_timeout on the task, and StoppingCondition.MaxRuntimeInSeconds on processing and training jobs" },
  cache: {
    support: "unsupported",
    warnOnly: true,
    note: "Airflow has no step result cache: the step runs again in every DAG run (same results, more compute)",
  },
  schedule: { support: "native", note: "CronTriggerTimetable with catchup=False" },
  "schedule.rate": { support: "native", note: "schedule=timedelta(...)" },
  "schedule.timezone": { support: "native", note: "CronTriggerTimetable(timezone=...)" },
  parameters: { support: "native", note: "DAG params (Param with a JSON-schema type), overridable per run in dag_run.conf" },
  "parameters.enum": { support: "native", note: "Param(enum=[...]) validated when a run is triggered" },
  tags: { support: "native", note: "Tags on SageMaker jobs, models and endpoints; pipeline tags also become DAG tags" },
  environment: { support: "native", note: "Environment of processing, training and transform jobs and model containers" },
  "depends-on": { support: "native", note: "task dependencies (>>)" },
  concurrency: { support: "native", note: "independent tasks run in parallel up to the environment's worker slots" },
  spot: { support: "native", note: "EnableManagedSpotTraining with StoppingCondition.MaxWaitTimeInSeconds" },
  targets: { support: "native", note: "`targets.airflow` settings become DAG or operator keyword arguments" },
};
