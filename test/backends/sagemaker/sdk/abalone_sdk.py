"""fixtures/abalone.yaml written with the SageMaker Python SDK v2; writes Pipeline.definition() to a file.

argv: the JSON of {"preprocess": s3 uri, "evaluate": s3 uri} (the content-addressed
keys Switchyard uploads to), so both sides point at the same code; the file to write.
"""
import json
import sys

import boto3
from sagemaker import image_uris
from sagemaker.estimator import Estimator
from sagemaker.model import Model
from sagemaker.model_metrics import MetricsSource, ModelMetrics
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
from sagemaker.sklearn.processing import SKLearnProcessor
from sagemaker.inputs import TrainingInput
from sagemaker.transformer import Transformer
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import ConditionLessThanOrEqualTo
from sagemaker.workflow.execution_variables import ExecutionVariables
from sagemaker.workflow.fail_step import FailStep
from sagemaker.workflow.functions import Join, JsonGet
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterFloat, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.pipeline_context import PipelineSession
from sagemaker.workflow.properties import PropertyFile
from sagemaker.workflow.retry import SageMakerJobExceptionTypeEnum, SageMakerJobStepRetryPolicy, StepExceptionTypeEnum, StepRetryPolicy
from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep, TransformStep

code = json.loads(sys.argv[1])
REGION = "us-east-1"
ROLE = "arn:aws:iam::111122223333:role/SageMakerPipelineExecution"
ART = "s3://example-ml-artifacts/abalone/"
TAGS = [{"Key": "project", "Value": "abalone"}]
session = PipelineSession(boto_session=boto3.Session(region_name=REGION), default_bucket="example-ml-artifacts")


def out(step, name):
    return Join(on="", values=[ART, ExecutionVariables.PIPELINE_EXECUTION_ID, f"/{step}/{name}"])


input_data = ParameterString("input_data", default_value="s3://example-ml-data/abalone/abalone-dataset.csv")
batch_data = ParameterString("batch_data", default_value="s3://example-ml-data/abalone/batch/")
processing_instance_type = ParameterString("processing_instance_type", default_value="ml.m5.xlarge")
training_instance_type = ParameterString("training_instance_type", default_value="ml.m5.xlarge")
model_approval_status = ParameterString(
    "model_approval_status", default_value="PendingManualApproval", enum_values=["Approved", "Rejected", "PendingManualApproval"]
)
mse_threshold = ParameterFloat("mse_threshold", default_value=6.0)

retry = [
    StepRetryPolicy([StepExceptionTypeEnum.SERVICE_FAULT, StepExceptionTypeEnum.THROTTLING], backoff_rate=2.0, interval_seconds=30, max_attempts=2),
    SageMakerJobStepRetryPolicy(
        [SageMakerJobExceptionTypeEnum.INTERNAL_ERROR, SageMakerJobExceptionTypeEnum.CAPACITY_ERROR, SageMakerJobExceptionTypeEnum.RESOURCE_LIMIT],
        backoff_rate=2.0, interval_seconds=30, max_attempts=2,
    ),
]
step_retry = retry[:1]
xgb = image_uris.retrieve("xgboost", REGION, "1.7-1")

sklearn = SKLearnProcessor(
    framework_version="1.2-1", role=ROLE, instance_type=processing_instance_type, instance_count=1,
    env={"PYTHONUNBUFFERED": "1"}, max_runtime_in_seconds=7200, tags=TAGS, sagemaker_session=session,
)
preprocess = ProcessingStep(
    "preprocess",
    step_args=sklearn.run(
        code=code["preprocess"],
        arguments=["--input-data", input_data],
        outputs=[ProcessingOutput(output_name=n, source=f"/opt/ml/processing/{n}", destination=out("preprocess", n)) for n in ["train", "validation", "test"]],
    ),
    cache_config=CacheConfig(enable_caching=True, expire_after="P7D"),
    retry_policies=retry,
)

est = Estimator(
    image_uri=xgb, role=ROLE, instance_type=training_instance_type, instance_count=1, output_path=out("train", "model"),
    max_run=3600, tags=TAGS, sagemaker_session=session, disable_profiler=True,
)
est.set_hyperparameters(objective="reg:squarederror", num_round=50, max_depth=5, eta=0.2)
s3 = lambda n: preprocess.properties.ProcessingOutputConfig.Outputs[n].S3Output.S3Uri
train = TrainingStep(
    "train",
    step_args=est.fit({"train": TrainingInput(s3("train"), content_type="text/csv"), "validation": TrainingInput(s3("validation"), content_type="text/csv")}),
    retry_policies=retry,
)

metrics_file = PropertyFile(name="metrics", output_name="evaluation", path="evaluation.json")
evaluator = ScriptProcessor(
    image_uri=xgb, command=["python3"], role=ROLE, instance_type="ml.m5.xlarge", instance_count=1,
    max_runtime_in_seconds=7200, tags=TAGS, sagemaker_session=session,
)
evaluate = ProcessingStep(
    "evaluate",
    step_args=evaluator.run(
        code=code["evaluate"],
        inputs=[
            ProcessingInput(source=train.properties.ModelArtifacts.S3ModelArtifacts, destination="/opt/ml/processing/model", input_name="model"),
            ProcessingInput(source=s3("test"), destination="/opt/ml/processing/test", input_name="test"),
        ],
        outputs=[ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation", destination=out("evaluate", "evaluation"))],
    ),
    property_files=[metrics_file],
    retry_policies=retry,
)

mse = JsonGet(step_name=evaluate.name, property_file=metrics_file, json_path="regression_metrics.mse.value")
model = Model(image_uri=xgb, model_data=train.properties.ModelArtifacts.S3ModelArtifacts, role=ROLE, sagemaker_session=session)
register = ModelStep(
    "register",
    step_args=model.register(
        content_types=["text/csv"], response_types=["text/csv"], inference_instances=["ml.t2.medium", "ml.m5.large"], transform_instances=["ml.m5.large"],
        model_package_group_name="abalone-models", approval_status=model_approval_status,
        model_metrics=ModelMetrics(model_statistics=MetricsSource(
            s3_uri=Join(on="", values=[evaluate.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri, "/evaluation.json"]),
            content_type="application/json")),
    ),
    retry_policies=step_retry,
)
create = ModelStep("model", step_args=model.create(instance_type="ml.m5.large", tags=TAGS), retry_policies=step_retry)
transformer = Transformer(
    model_name=create.properties.ModelName, instance_type="ml.m5.xlarge", instance_count=1, output_path=out("batch_score", "output"),
    tags=TAGS, sagemaker_session=session,
)
batch = TransformStep("batch_score", step_args=transformer.transform(data=batch_data, content_type="text/csv"), retry_policies=retry)
fail = FailStep("mse_too_high", error_message=Join(on="", values=["MSE ", mse, " is above ", mse_threshold]))
gate = ConditionStep("mse_gate", conditions=[ConditionLessThanOrEqualTo(left=mse, right=mse_threshold)], if_steps=[register, create, batch], else_steps=[fail])

pipeline = Pipeline(
    name="abalone",
    parameters=[input_data, batch_data, processing_instance_type, training_instance_type, model_approval_status, mse_threshold],
    steps=[preprocess, train, evaluate, gate],
    sagemaker_session=session,
)
with open(sys.argv[2], "w") as f:
    f.write(pipeline.definition())
