/**
 * The two MWAA lines this backend writes for, as data: what to import from
 * where, and what MWAA pins (from the images' `airflow_constraints.txt`,
 * copied in `constraints/`).
 */

export type AirflowLine = "2" | "3";

export interface LineProfile {
  line: AirflowLine;
  /** The MWAA version the pins come from. */
  mwaa: string;
  airflow: string;
  /** Constraints URL for requirements.txt (MWAA's files are copies of these). */
  constraintsUrl: string;
  /** Packages the generated DAG needs, pinned as MWAA's constraints pin them. */
  requirements: ReadonlyArray<{ name: string; version: string }>;
  /** Where each name the generated file uses is imported from. */
  imports: Readonly<Record<string, string>>;
}

const COMMON_IMPORTS = {
  AirflowException: "airflow.exceptions",
  AirflowFailException: "airflow.exceptions",
  AirflowSkipException: "airflow.exceptions",
  CronTriggerTimetable: "airflow.timetables.trigger",
  CronDataIntervalTimetable: "airflow.timetables.interval",
  DeltaDataIntervalTimetable: "airflow.timetables.interval",
  AwsBaseHook: "airflow.providers.amazon.aws.hooks.base_aws",
  S3Hook: "airflow.providers.amazon.aws.hooks.s3",
  SqsHook: "airflow.providers.amazon.aws.hooks.sqs",
  LambdaHook: "airflow.providers.amazon.aws.hooks.lambda_function",
  LambdaInvokeFunctionOperator: "airflow.providers.amazon.aws.operators.lambda_function",
  SageMakerProcessingOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  SageMakerTrainingOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  SageMakerTuningOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  SageMakerTransformOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  SageMakerModelOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  SageMakerEndpointOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  SageMakerRegisterModelVersionOperator: "airflow.providers.amazon.aws.operators.sagemaker",
  GlueJobOperator: "airflow.providers.amazon.aws.operators.glue",
  EmrAddStepsOperator: "airflow.providers.amazon.aws.operators.emr",
} as const;

export const PROFILES: Readonly<Record<AirflowLine, LineProfile>> = {
  "2": {
    line: "2",
    mwaa: "2.11.2",
    airflow: "2.11.2",
    constraintsUrl: "https://raw.githubusercontent.com/apache/airflow/constraints-2.11.2/constraints-3.12.txt",
    requirements: [
      { name: "apache-airflow-providers-amazon", version: "9.22.0" },
      { name: "boto3", version: "1.42.61" },
    ],
    imports: {
      ...COMMON_IMPORTS,
      DAG: "airflow",
      Param: "airflow.models.param",
      Variable: "airflow.models",
      literal: "airflow.utils.template",
      PythonOperator: "airflow.operators.python",
      BranchPythonOperator: "airflow.operators.python",
      PythonSensor: "airflow.sensors.python",
      PokeReturnValue: "airflow.sensors.base",
      TaskGroup: "airflow.utils.task_group",
      task_group: "airflow.decorators",
    },
  },
  "3": {
    line: "3",
    mwaa: "3.0.6",
    airflow: "3.0.6",
    constraintsUrl: "https://raw.githubusercontent.com/apache/airflow/constraints-3.0.6/constraints-3.12.txt",
    requirements: [
      { name: "apache-airflow-providers-amazon", version: "9.12.0" },
      { name: "apache-airflow-providers-standard", version: "1.6.0" },
      { name: "boto3", version: "1.39.11" },
    ],
    imports: {
      ...COMMON_IMPORTS,
      Variable: "airflow.sdk",
      DAG: "airflow.sdk",
      Param: "airflow.sdk",
      // Task SDK 1.0.6 (Airflow 3.0.6) lists `literal` in `airflow.sdk.__all__` but cannot import it from there.
      literal: "airflow.sdk.definitions.template",
      PokeReturnValue: "airflow.sdk",
      TaskGroup: "airflow.sdk",
      task_group: "airflow.sdk",
      PythonOperator: "airflow.providers.standard.operators.python",
      BranchPythonOperator: "airflow.providers.standard.operators.python",
      PythonSensor: "airflow.providers.standard.sensors.python",
    },
  },
};

export const DEFAULT_LINE: AirflowLine = "2";
