"""Create SageMaker resources through the SageMaker API, as a team deploying models would."""

from __future__ import annotations

from typing import Any

ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerExecution"
IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4-tgi2.4-gpu"


def _tags(tags: dict[str, str] | None) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in (tags or {}).items()]


def create_model(sagemaker: Any, name: str) -> str:
    sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE_ARN,
        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": f"s3://models-bucket/{name}/model.tar.gz"},
    )
    return name


def create_realtime_endpoint(
    sagemaker: Any,
    name: str,
    tags: dict[str, str] | None = None,
    variants: tuple[str, ...] = ("AllTraffic",),
    instance_type: str = "ml.g4dn.xlarge",
) -> str:
    model = create_model(sagemaker, f"{name}-model")
    config = f"{name}-config"
    sagemaker.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {"VariantName": v, "ModelName": model, "InstanceType": instance_type, "InitialInstanceCount": 1}
            for v in variants
        ],
    )
    return str(
        sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=_tags(tags))[
            "EndpointArn"
        ]
    )


def create_async_endpoint(sagemaker: Any, name: str, tags: dict[str, str] | None = None) -> str:
    model = create_model(sagemaker, f"{name}-model")
    config = f"{name}-config"
    sagemaker.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InstanceType": "ml.g4dn.4xlarge",
                "InitialInstanceCount": 1,
            }
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": f"s3://inference-output/{name}/"}},
    )
    return str(
        sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=_tags(tags))[
            "EndpointArn"
        ]
    )


def create_serverless_endpoint(
    sagemaker: Any, name: str, provisioned_concurrency: int | None, tags: dict[str, str] | None = None
) -> str:
    model = create_model(sagemaker, f"{name}-model")
    config = f"{name}-config"
    serverless: dict[str, Any] = {"MemorySizeInMB": 4096, "MaxConcurrency": 20}
    if provisioned_concurrency:
        serverless["ProvisionedConcurrency"] = provisioned_concurrency
    sagemaker.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": model, "ServerlessConfig": serverless}
        ],
    )
    return str(
        sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=_tags(tags))[
            "EndpointArn"
        ]
    )


def create_component_endpoint(
    sagemaker: Any,
    name: str,
    tags: dict[str, str] | None = None,
    min_instances: int | None = 0,
) -> str:
    """An endpoint built to host inference components: a variant with no model of its own, and managed
    instance scaling (``min_instances=None`` leaves it off)."""
    variant: dict[str, Any] = {
        "VariantName": "AllTraffic",
        "InstanceType": "ml.g5.12xlarge",
        "InitialInstanceCount": 1,
        "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"},
    }
    if min_instances is not None:
        variant["ManagedInstanceScaling"] = {
            "Status": "ENABLED",
            "MinInstanceCount": min_instances,
            "MaxInstanceCount": 4,
        }
    config = f"{name}-config"
    sagemaker.create_endpoint_config(
        EndpointConfigName=config, ExecutionRoleArn=ROLE_ARN, ProductionVariants=[variant]
    )
    return str(
        sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=_tags(tags))[
            "EndpointArn"
        ]
    )


def create_inference_component(
    sagemaker: Any, name: str, endpoint: str, tags: dict[str, str] | None = None, copies: int = 1
) -> str:
    model = create_model(sagemaker, f"{name}-model")
    extra: dict[str, Any] = {"Tags": _tags(tags)} if tags else {}
    return str(
        sagemaker.create_inference_component(
            InferenceComponentName=name,
            EndpointName=endpoint,
            VariantName="AllTraffic",
            Specification={
                "ModelName": model,
                "ComputeResourceRequirements": {
                    "NumberOfAcceleratorDevicesRequired": 1,
                    "MinMemoryRequiredInMb": 16384,
                },
            },
            RuntimeConfig={"CopyCount": copies},
            **extra,
        )["InferenceComponentArn"]
    )
