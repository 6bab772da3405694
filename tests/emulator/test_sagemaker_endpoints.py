"""DescribeEndpoint as SageMaker answers it: AsyncInferenceConfig (also once the endpoint config is
deleted) and the capacity of each variant (``moto_gaps/sagemaker_endpoints.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_account import moto_gaps
from local_account.emulated import REGION
from tests.emulator.emulator_support import error_code

ASYNC = {
    "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 4},
    "OutputConfig": {"S3OutputPath": "s3://bucket/async-out/", "S3FailurePath": "s3://bucket/async-failed/"},
}


def create_config(
    sagemaker: Any, name: str, async_config: dict[str, Any] | None = None, **variant: Any
) -> None:
    spec: dict[str, Any] = {
        "VariantName": "AllTraffic",
        "InstanceType": "ml.g5.xlarge",
        "InitialInstanceCount": 1,
    }
    spec.update(variant)
    extra = {"AsyncInferenceConfig": async_config} if async_config else {}
    sagemaker.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[spec], **extra)


def test_describe_endpoint_answers_the_async_inference_config(sagemaker: Any) -> None:
    # Given an endpoint on an asynchronous endpoint config
    create_config(sagemaker, "async-config", ASYNC)
    sagemaker.create_endpoint(EndpointName="async", EndpointConfigName="async-config")
    # When it is described, then it carries the config's AsyncInferenceConfig
    assert sagemaker.describe_endpoint(EndpointName="async")["AsyncInferenceConfig"] == ASYNC


def test_a_real_time_endpoint_has_no_async_inference_config(sagemaker: Any, endpoint: str) -> None:
    assert "AsyncInferenceConfig" not in sagemaker.describe_endpoint(EndpointName=endpoint)


def test_an_endpoint_config_in_use_can_be_deleted_and_the_endpoint_still_answers(sagemaker: Any) -> None:
    # Given an async endpoint in service
    create_config(sagemaker, "async-config", ASYNC)
    sagemaker.create_endpoint(EndpointName="async", EndpointConfigName="async-config")
    # When its endpoint config is deleted
    sagemaker.delete_endpoint_config(EndpointConfigName="async-config")
    # Then the config is gone, but the endpoint answers as before
    with pytest.raises(ClientError) as exc:
        sagemaker.describe_endpoint_config(EndpointConfigName="async-config")
    assert error_code(exc) == "ValidationException"
    described = sagemaker.describe_endpoint(EndpointName="async")
    assert described["EndpointStatus"] == "InService"
    assert described["EndpointConfigName"] == "async-config"
    assert described["AsyncInferenceConfig"] == ASYNC
    assert described["ProductionVariants"][0]["CurrentInstanceCount"] == 1


def test_update_endpoint_reflects_the_new_config_even_after_the_old_one_was_deleted(sagemaker: Any) -> None:
    # Given an async endpoint whose config was deleted
    create_config(sagemaker, "async-1", ASYNC)
    sagemaker.create_endpoint(EndpointName="async", EndpointConfigName="async-1")
    sagemaker.delete_endpoint_config(EndpointConfigName="async-1")
    # When it is updated to another async config, then it answers the new one
    other = {"OutputConfig": {"S3OutputPath": "s3://bucket/elsewhere/"}}
    create_config(sagemaker, "async-2", other)
    sagemaker.update_endpoint(EndpointName="async", EndpointConfigName="async-2")
    assert sagemaker.describe_endpoint(EndpointName="async")["AsyncInferenceConfig"] == other
    # And updated to a real-time config, it has none
    create_config(sagemaker, "real-time", InitialInstanceCount=3)
    sagemaker.update_endpoint(EndpointName="async", EndpointConfigName="real-time")
    described = sagemaker.describe_endpoint(EndpointName="async")
    assert "AsyncInferenceConfig" not in described
    assert described["ProductionVariants"][0]["DesiredInstanceCount"] == 3


def test_update_endpoint_still_guards_instance_types_after_the_old_config_was_deleted(
    sagemaker: Any, aas: Any
) -> None:
    create_config(sagemaker, "small")
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="small")
    aas.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ep/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=1,
        MaxCapacity=2,
    )
    sagemaker.delete_endpoint_config(EndpointConfigName="small")
    create_config(sagemaker, "large", InstanceType="ml.g5.2xlarge")
    with pytest.raises(ClientError) as exc:
        sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="large")
    assert "must be deregistered" in exc.value.response["Error"]["Message"]


def test_variants_carry_their_capacity(sagemaker: Any) -> None:
    # Given an instance-based endpoint and a serverless one with provisioned concurrency
    create_config(sagemaker, "instances", InitialInstanceCount=3)
    sagemaker.create_endpoint(EndpointName="instances", EndpointConfigName="instances")
    serverless = {"MemorySizeInMB": 2048, "MaxConcurrency": 20, "ProvisionedConcurrency": 2}
    sagemaker.create_endpoint_config(
        EndpointConfigName="serverless",
        ProductionVariants=[{"VariantName": "AllTraffic", "ServerlessConfig": serverless}],
    )
    sagemaker.create_endpoint(EndpointName="serverless", EndpointConfigName="serverless")
    # When they are described, then each variant says what it runs
    [instances] = sagemaker.describe_endpoint(EndpointName="instances")["ProductionVariants"]
    assert (instances["CurrentInstanceCount"], instances["DesiredInstanceCount"]) == (3, 3)
    [pc] = sagemaker.describe_endpoint(EndpointName="serverless")["ProductionVariants"]
    assert pc["CurrentServerlessConfig"] == pc["DesiredServerlessConfig"] == serverless
    assert "CurrentInstanceCount" not in pc


def test_changing_one_variant_capacity_leaves_the_config_alone(sagemaker: Any) -> None:
    # (moto shared one dict between the config and both serverless summaries)
    moto_gaps.make_endpoint(
        "serverless",
        serverless_config={"MemorySizeInMB": 2048, "MaxConcurrency": 20, "ProvisionedConcurrency": 2},
        region=REGION,
    )
    moto_gaps.set_variant_capacity("serverless", "AllTraffic", 5, region=REGION)
    [variant] = sagemaker.describe_endpoint(EndpointName="serverless")["ProductionVariants"]
    assert variant["CurrentServerlessConfig"]["ProvisionedConcurrency"] == 5
    assert variant["DesiredServerlessConfig"]["ProvisionedConcurrency"] == 5
    config = sagemaker.describe_endpoint_config(EndpointConfigName="serverless-config")
    assert config["ProductionVariants"][0]["ServerlessConfig"]["ProvisionedConcurrency"] == 2


def test_make_endpoint_can_make_an_async_endpoint(sagemaker: Any) -> None:
    moto_gaps.make_endpoint("async", async_inference_config=ASYNC, region=REGION)
    assert sagemaker.describe_endpoint(EndpointName="async")["AsyncInferenceConfig"] == ASYNC
