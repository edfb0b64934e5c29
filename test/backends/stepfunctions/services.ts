/**
 * Local stand-ins for the AWS services the tasks call, answering with the
 * shapes the real integrations return (`.sync` SageMaker tasks return the
 * Describe* response; lambda:invoke wraps the function's result in Payload;
 * aws-sdk:s3:getObject returns the body as text).
 */
import type { Handler } from "./support.js";

export const sagemaker = {
  processing: (): Handler => (i) => ({
    ProcessingJobName: i.ProcessingJobName,
    ProcessingJobArn: `arn:aws:sagemaker:us-east-1:111122223333:processing-job/${String(i.ProcessingJobName).toLowerCase()}`,
    ProcessingJobStatus: "Completed",
    AppSpecification: i.AppSpecification,
    ProcessingOutputConfig: i.ProcessingOutputConfig,
    RoleArn: i.RoleArn,
  }),
  training: (): Handler => (i) => ({
    TrainingJobName: i.TrainingJobName,
    TrainingJobArn: `arn:aws:sagemaker:us-east-1:111122223333:training-job/${String(i.TrainingJobName).toLowerCase()}`,
    TrainingJobStatus: "Completed",
    SecondaryStatus: "Completed",
    HyperParameters: i.HyperParameters,
    AlgorithmSpecification: i.AlgorithmSpecification,
    ModelArtifacts: { S3ModelArtifacts: `${i.OutputDataConfig.S3OutputPath}/${i.TrainingJobName}/output/model.tar.gz` },
  }),
  transform: (): Handler => (i) => ({
    TransformJobName: i.TransformJobName,
    TransformJobArn: `arn:aws:sagemaker:us-east-1:111122223333:transform-job/${String(i.TransformJobName).toLowerCase()}`,
    TransformJobStatus: "Completed",
    ModelName: i.ModelName,
    TransformOutput: i.TransformOutput,
  }),
  createModel: (): Handler => (i) => ({ ModelArn: `arn:aws:sagemaker:us-east-1:111122223333:model/${String(i.ModelName).toLowerCase()}` }),
  createModelPackage: (): Handler => (i) => ({ ModelPackageArn: `arn:aws:sagemaker:us-east-1:111122223333:model-package/${i.ModelPackageGroupName}/1` }),
  createEndpointConfig: (): Handler => (i) => ({ EndpointConfigArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/${String(i.EndpointConfigName).toLowerCase()}` }),
  createEndpoint: (): Handler => (i) => ({ EndpointArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint/${String(i.EndpointName).toLowerCase()}` }),
  /** DescribeEndpoint answering each status in turn, then the last one forever. */
  describeEndpoint: (statuses: string[]): Handler => {
    let n = 0;
    return (i) => ({
      EndpointName: i.EndpointName,
      EndpointArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint/${String(i.EndpointName).toLowerCase()}`,
      EndpointStatus: statuses[Math.min(n++, statuses.length - 1)],
      EndpointConfigName: "cfg",
    });
  },
};

export const s3GetObject = (files: Record<string, string>): Handler => (i) => {
  const body = files[`${i.Bucket}/${i.Key}`];
  if (body === undefined) {
    const e = new Error("The specified key does not exist.");
    e.name = "S3.NoSuchKeyException";
    throw e;
  }
  return { Body: body, ContentLength: body.length, ContentType: "application/json", ETag: '"0"' };
};

export const lambdaInvoke = (fn: (payload: any) => unknown): Handler => (i) => ({
  ExecutedVersion: "$LATEST",
  Payload: fn(i.Payload),
  SdkHttpMetadata: { HttpStatusCode: 200 },
  SdkResponseMetadata: { RequestId: "00000000-0000-0000-0000-000000000000" },
  StatusCode: 200,
});

/** sqs:sendMessage.waitForTaskToken resolves with what the approver passed to SendTaskSuccess. */
export const approve = (answer: unknown, seen: any[] = []): Handler => (i) => {
  seen.push(JSON.parse(JSON.stringify(i)));
  return answer;
};
