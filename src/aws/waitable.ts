/**
 * AWS actions that start a job an `aws` step can wait for (`wait: true`): how
 * each target waits. Step Functions uses the optimized integration's `.sync`
 * form (or, for a job it has none for, polls as Airflow does); Airflow calls
 * the action, then polls the Describe action until the job's status is terminal. One table, read by every backend and by the check
 * that refuses `wait` on an action not listed here.
 *
 * ECS RunTask's success is also each container's exit code: its row says
 * where they are (exitCodes). Not listed, although Step Functions has a
 * `.sync` form: EMR Serverless DeleteApplication (no status of the application says the delete
 * failed, and once deleted GetApplication may not find it to report
 * TERMINATED). Glue StartJobRun, EMR AddJobFlowSteps and the SageMaker jobs
 * have step kinds of their own.
 */

/**
 * Where a Describe request member's value comes from: the start call's request
 * or response, at a path; `list` sends it as a one-item list (Batch `jobs`,
 * CodeBuild `ids`).
 */
export interface Source {
  from: "request" | "response";
  /** Member names; a number indexes a list. */
  path: Array<string | number>;
  list?: boolean;
  /** Left out of the Describe request when the start call's request has no such member (ECS's default cluster). */
  optional?: boolean;
}

export interface WaitableAction {
  /** The service as boto3 names it. */
  service: string;
  /** The action that starts the job, as the API spells it. */
  action: string;
  /**
   * The Step Functions resource that starts the job and waits (`.sync`, or `.sync:2`), which lowering writes.
   * Absent where Step Functions has no such form: lowering then polls as Airflow does (the call through the
   * AWS SDK integration, then a loop of the Describe action, a Choice and a Wait).
   */
  sfn?: string;
  /**
   * Another Step Functions resource that waits alike but returns some result
   * members otherwise: read back as the same wait only where none of those
   * members is read (lowering writes `sfn`).
   */
  sfnOther?: { resource: string; members: readonly string[]; how: string };
  /**
   * Whether the `.sync` task's result is the final Describe response as the
   * API returns it (member names and nesting). When false, Step Functions
   * returns another shape (PascalCase members, the job object without its
   * list), so a reference into the response means different paths there.
   */
  sfnResultIsDescribe: boolean;
  /** The Describe action that reports the job's status, and how its request is built. */
  describe: { action: string; request: Record<string, Source> };
  /** Path of the status in the Describe response (a number indexes a list). */
  status: Array<string | number>;
  /** Statuses at which the wait ends well. */
  succeeded: readonly string[];
  /** Statuses at which the step fails. */
  failed: readonly string[];
  /**
   * Where a succeeded status says only that the job has ended (a crawler READY again): the member of the
   * final Describe response that says how it ended, and its values that fail the step.
   */
  outcome?: { path: Array<string | number>; failed: readonly string[] };
  /**
   * Where the job's status alone does not say it succeeded: a list in the
   * final Describe response whose every item must have this member 0 (an ECS
   * task's containers' exit codes), else the step fails.
   */
  exitCodes?: { list: Array<string | number>; member: string };
  /** A list in the start call's response that, when not empty, fails the step at once (RunTask's failures). */
  startFailures?: string[];
  /** Where the Step Functions facts come from. */
  source: string;
  /** Where the Describe action's statuses come from. */
  describeSource: string;
}

/** How long a wait lasts where the step gives no timeout: a day (Airflow's polls, and Step Functions' where it polls). */
export const DEFAULT_WAIT_SECONDS = 86400;

export const WAITABLE: readonly WaitableAction[] = [
  {
    service: "athena",
    action: "StartQueryExecution",
    sfn: "arn:aws:states:::athena:startQueryExecution.sync",
    sfnResultIsDescribe: false,
    describe: { action: "GetQueryExecution", request: { QueryExecutionId: { from: "response", path: ["QueryExecutionId"] } } },
    status: ["QueryExecution", "Status", "State"],
    succeeded: ["SUCCEEDED"],
    failed: ["FAILED", "CANCELLED"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html",
    describeSource: "https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html",
  },
  {
    service: "sagemaker",
    action: "CreateLabelingJob",
    sfn: "arn:aws:states:::sagemaker:createLabelingJob.sync",
    // Like the other SageMaker `.sync` tasks, the result is the Describe* response.
    sfnResultIsDescribe: true,
    describe: { action: "DescribeLabelingJob", request: { LabelingJobName: { from: "request", path: ["LabelingJobName"] } } },
    status: ["LabelingJobStatus"],
    succeeded: ["Completed"],
    failed: ["Failed", "Stopping", "Stopped"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html",
    describeSource: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeLabelingJob.html",
  },
  // The SageMaker jobs are step kinds of their own; as aws steps they are a job whose request is taken whole from data.
  ...(["TrainingJob", "ProcessingJob", "TransformJob", "HyperParameterTuningJob"] as const).map(
    (j): WaitableAction => ({
      service: "sagemaker",
      action: `Create${j}`,
      sfn: `arn:aws:states:::sagemaker:create${j}.sync`,
      sfnResultIsDescribe: true,
      describe: { action: `Describe${j}`, request: { [`${j}Name`]: { from: "request", path: [`${j}Name`] } } },
      status: [`${j}Status`],
      succeeded: ["Completed"],
      failed: ["Failed", "Stopping", "Stopped"],
      source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html",
      describeSource: `https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Describe${j}.html`,
    }),
  ),
  {
    // `elasticmapreduce:createCluster.sync` takes RunJobFlow's request (KeepJobFlowAliveWhenNoSteps true, no Steps)
    // and waits until the cluster is WAITING; its result is `{ClusterId}`, not RunJobFlow's `{JobFlowId}`.
    service: "emr",
    action: "RunJobFlow",
    sfn: "arn:aws:states:::elasticmapreduce:createCluster.sync",
    sfnResultIsDescribe: false,
    describe: { action: "DescribeCluster", request: { ClusterId: { from: "response", path: ["JobFlowId"] } } },
    status: ["Cluster", "Status", "State"],
    succeeded: ["WAITING"],
    failed: ["TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html",
    describeSource: "https://docs.aws.amazon.com/emr/latest/APIReference/API_ClusterStatus.html",
  },
  {
    // `elasticmapreduce:terminateCluster.sync` takes the one cluster as ClusterId (TerminateJobFlows' JobFlowIds, one item)
    // and waits until it has terminated; the statuses are the EMR ClusterTerminated waiter's.
    service: "emr",
    action: "TerminateJobFlows",
    sfn: "arn:aws:states:::elasticmapreduce:terminateCluster.sync",
    sfnResultIsDescribe: false,
    describe: { action: "DescribeCluster", request: { ClusterId: { from: "request", path: ["JobFlowIds", "0"] } } },
    status: ["Cluster", "Status", "State"],
    succeeded: ["TERMINATED"],
    failed: ["TERMINATED_WITH_ERRORS"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html",
    describeSource: "https://docs.aws.amazon.com/emr/latest/APIReference/API_ClusterStatus.html",
  },
  {
    service: "bedrock",
    action: "CreateModelCustomizationJob",
    sfn: "arn:aws:states:::bedrock:createModelCustomizationJob.sync",
    sfnResultIsDescribe: false,
    describe: { action: "GetModelCustomizationJob", request: { jobIdentifier: { from: "response", path: ["jobArn"] } } },
    status: ["status"],
    succeeded: ["Completed"],
    failed: ["Failed", "Stopping", "Stopped"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html",
    describeSource: "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetModelCustomizationJob.html",
  },
  {
    service: "batch",
    action: "SubmitJob",
    sfn: "arn:aws:states:::batch:submitJob.sync",
    sfnResultIsDescribe: false,
    describe: { action: "DescribeJobs", request: { jobs: { from: "response", path: ["jobId"], list: true } } },
    status: ["jobs", 0, "status"],
    succeeded: ["SUCCEEDED"],
    failed: ["FAILED"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html",
    describeSource: "https://docs.aws.amazon.com/batch/latest/APIReference/API_DescribeJobs.html",
  },
  {
    service: "codebuild",
    action: "StartBuild",
    sfn: "arn:aws:states:::codebuild:startBuild.sync",
    sfnResultIsDescribe: false,
    describe: { action: "BatchGetBuilds", request: { ids: { from: "response", path: ["build", "id"], list: true } } },
    status: ["builds", 0, "buildStatus"],
    succeeded: ["SUCCEEDED"],
    failed: ["FAILED", "FAULT", "TIMED_OUT", "STOPPED"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-codebuild.html",
    describeSource: "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Build.html",
  },
  {
    // `.sync:2` returns DescribeExecution's members in PascalCase with Output (the child's output) parsed as JSON;
    // `.sync` returns Output as the JSON text DescribeExecution gives. PENDING_REDRIVE is a failed execution
    // being redriven, which runs on: not an end.
    service: "stepfunctions",
    action: "StartExecution",
    sfn: "arn:aws:states:::states:startExecution.sync:2",
    sfnOther: { resource: "arn:aws:states:::states:startExecution.sync", members: ["Output"], how: "the started execution's output as JSON text, where states:startExecution.sync:2 (which lowering writes) gives it as parsed JSON" },
    sfnResultIsDescribe: false,
    describe: { action: "DescribeExecution", request: { executionArn: { from: "response", path: ["executionArn"] } } },
    status: ["status"],
    succeeded: ["SUCCEEDED"],
    failed: ["FAILED", "TIMED_OUT", "ABORTED"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html",
    describeSource: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html",
  },
  {
    // An ECS task: Step Functions waits until it has stopped, and fails the state when any of its containers
    // (sidecars included) exited with another code than 0 or never ran, and at once when RunTask answers with
    // failures. One task (no `count`): Describe follows it. The result is the task's description.
    service: "ecs",
    action: "RunTask",
    sfn: "arn:aws:states:::ecs:runTask.sync",
    sfnResultIsDescribe: false,
    describe: {
      action: "DescribeTasks",
      request: { cluster: { from: "request", path: ["cluster"], optional: true }, tasks: { from: "response", path: ["tasks", 0, "taskArn"], list: true } },
    },
    status: ["tasks", 0, "lastStatus"],
    succeeded: ["STOPPED"],
    failed: ["DELETED"],
    exitCodes: { list: ["tasks", 0, "containers"], member: "exitCode" },
    startFailures: ["failures"],
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html",
    describeSource: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html",
  },
  {
    // A Glue crawl: Step Functions has no `.sync` form for StartCrawler, so it is polled there too. As the Glue
    // `crawler_ready` waiter (which Airflow's GlueCrawlerOperator uses) takes it: the crawler READY again ends the
    // wait, and its last crawl FAILED or CANCELLED then fails the step.
    service: "glue",
    action: "StartCrawler",
    sfnResultIsDescribe: true,
    describe: { action: "GetCrawler", request: { Name: { from: "request", path: ["Name"] } } },
    status: ["Crawler", "State"],
    succeeded: ["READY"],
    failed: [],
    outcome: { path: ["Crawler", "LastCrawl", "Status"], failed: ["FAILED", "CANCELLED"] },
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
    describeSource: "https://docs.aws.amazon.com/glue/latest/webapi/API_Crawler.html",
  },
  // EMR Serverless: applications and job runs, polled by GetApplication / GetJobRun (`state`, beside `stateDetails`).
  // An application wait fails only at TERMINATED, which it never leaves: the first poll, at once, may still see
  // the state the application was in before the call (STOPPED before a start), so no other state is an end.
  ...([
    ["CreateApplication", "response", ["CREATED"]],
    ["StartApplication", "request", ["STARTED"]],
    ["StopApplication", "request", ["STOPPED"]],
  ] as const).map(
    ([action, from, succeeded]): WaitableAction => ({
      service: "emr-serverless",
      action,
      sfn: `arn:aws:states:::emr-serverless:${action.charAt(0).toLowerCase()}${action.slice(1)}.sync`,
      // Step Functions returns the start call's members in PascalCase (start and stop: just ApplicationId).
      sfnResultIsDescribe: false,
      // Start and stop answer nothing: the application is the one the request names.
      describe: { action: "GetApplication", request: { applicationId: { from, path: ["applicationId"] } } },
      status: ["application", "state"],
      succeeded,
      failed: ["TERMINATED"],
      source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html",
      describeSource: "https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_Application.html",
    }),
  ),
  // A job run: CANCELLING passes on to CANCELLED. A cancel ends badly when the run ended some other way first.
  ...([
    ["StartJobRun", ["SUCCESS"], ["FAILED", "CANCELLED"]],
    ["CancelJobRun", ["CANCELLED"], ["SUCCESS", "FAILED"]],
  ] as const).map(
    ([action, succeeded, failed]): WaitableAction => ({
      service: "emr-serverless",
      action,
      sfn: `arn:aws:states:::emr-serverless:${action.charAt(0).toLowerCase()}${action.slice(1)}.sync`,
      sfnResultIsDescribe: false,
      describe: { action: "GetJobRun", request: { applicationId: { from: "response", path: ["applicationId"] }, jobRunId: { from: "response", path: ["jobRunId"] } } },
      status: ["jobRun", "state"],
      succeeded,
      failed,
      source: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html",
      describeSource: "https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html",
    }),
  ),
];

/** The row for `service:action`, if that action can be waited for. */
export function waitable(service: string, action: string): WaitableAction | undefined {
  return WAITABLE.find((w) => w.service === service && w.action === action);
}
