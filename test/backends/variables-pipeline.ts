/**
 * A pipeline that reads variables (`variables.<name>`) in every way a step can: a Glue job's
 * arguments (a name with a dash among them), a condition, an aws call's request, a map's steps.
 * The Airflow and Step Functions tests run it against the same values, kept where each reads them:
 * Airflow Variables in SSM Parameter Store (the provider's secrets backend), and those parameters.
 */
export const VARIABLES_YAML = `version: 1
pipeline: variables-read
role: arn:aws:iam::111122223333:role/Pipelines
region: eu-west-1
artifacts: s3://variables-artifacts/runs
steps:
  curate:
    type: glue
    job: variables-curate
    arguments:
      --source: s3://\${{ variables.acme_bucket }}/raw/
      --mode: \${{ variables['run-mode'] }}
  gate:
    type: condition
    if: \${{ variables.get == 'on' }}
    then: [announce]
    depends_on: [curate]
  announce:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:variables-read
      Message: "curated s3://\${{ variables.acme_bucket }}/raw/ (\${{ variables['run-mode'] }})"
`;

/** The values: each variable's parameter, as the backend reads it (prefix /airflow/variables). */
export const VARIABLE_VALUES: Record<string, string> = { acme_bucket: "acme-lake-eu", "run-mode": "full", get: "on" };
export const PARAMETER_PREFIX = "/airflow/variables/";
