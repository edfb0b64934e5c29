"""A hand-written DAG in the style of the MWAA Airflow 3 SageMaker examples (written for these tests)."""

from datetime import datetime, timedelta

from airflow.decorators import dag
from airflow.models.param import Param
from airflow.providers.amazon.aws.operators.sagemaker import (
    SageMakerProcessingOperator,
    SageMakerTrainingOperator,
)
from airflow.models.baseoperator import chain

ROLE = "arn:aws:iam::111122223333:role/SageMakerRole"


@dag(
    dag_id="sagemaker_processing_example",
    schedule="@daily",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    params={
        "instance_type": Param("ml.m5.large", type="string", enum=["ml.m5.large", "ml.m5.xlarge"]),
        "epochs": Param(10, type="integer", minimum=1),
    },
    tags=["team:ml"],
)
def sagemaker_processing_example():
    prepare = SageMakerProcessingOperator(
        task_id="prepare",
        region_name="eu-west-1",
        config={
            "ProcessingJobName": "prepare-{{ run_id | replace(':', '-') }}",
            "RoleArn": ROLE,
            "AppSpecification": {"ImageUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/prep:1"},
            "ProcessingResources": {
                "ClusterConfig": {"InstanceCount": 1, "InstanceType": "{{ params.instance_type }}", "VolumeSizeInGB": 30}
            },
            "ProcessingOutputConfig": {
                "Outputs": [{"OutputName": "train", "S3Output": {"S3Uri": "s3://my-ml-bucket/prepared/train", "LocalPath": "/opt/ml/processing/train"}}]
            },
        },
    )
    fit = SageMakerTrainingOperator(
        task_id="fit",
        region_name="eu-west-1",
        config={
            "TrainingJobName": "fit-{{ ts_nodash }}",
            "RoleArn": ROLE,
            "AlgorithmSpecification": {"TrainingImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1", "TrainingInputMode": "File"},
            "HyperParameters": {"epochs": "{{ params.epochs }}"},
            "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://my-ml-bucket/prepared/train"}}}],
            "OutputDataConfig": {"S3OutputPath": "s3://my-ml-bucket/models/"},
            "ResourceConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 30},
        },
    )
    chain(prepare, fit)


sagemaker_processing_example()
