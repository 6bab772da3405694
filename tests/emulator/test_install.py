"""install() is idempotent and works whether mock_aws is already running or not."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.cloudwatch.responses import CloudWatchResponse
from moto.sagemaker import models as sagemaker_models
from moto.sagemaker.responses import SageMakerResponse

from local_account import moto_gaps
from local_account.emulated import REGION


def test_install_twice_does_not_stack_wrappers() -> None:
    # Given the layer installed once
    moto_gaps.install()
    before = (
        SageMakerResponse.list_tags,
        CloudWatchResponse.delete_alarms,
        ApplicationAutoScalingResponse.describe_scaling_policies,
        sagemaker_models.SageMakerModelBackend.create_endpoint,
        sagemaker_models.SageMakerModelBackend.create_endpoint_config,
        sagemaker_models.SageMakerModelBackend.create_model,
        sagemaker_models.arn_formatter,
    )
    # When it is installed again
    moto_gaps.install()
    # Then wrappers that decorate moto's own methods are not wrapped twice
    after = (
        SageMakerResponse.list_tags,
        CloudWatchResponse.delete_alarms,
        ApplicationAutoScalingResponse.describe_scaling_policies,
        sagemaker_models.SageMakerModelBackend.create_endpoint,
        sagemaker_models.SageMakerModelBackend.create_endpoint_config,
        sagemaker_models.SageMakerModelBackend.create_model,
        sagemaker_models.arn_formatter,
    )
    assert before == after
    assert moto_gaps.is_installed()


def test_install_after_mock_aws_started() -> None:
    # Given mock_aws already running
    with mock_aws():
        # When the layer is installed inside it
        moto_gaps.install()
        moto_gaps.make_endpoint("late-host", region=REGION)
        moto_gaps.make_inference_component("late", "late-host", region=REGION)
        # Then the inference-component dimension is accepted
        aas = boto3.client("application-autoscaling", region_name=REGION)
        aas.register_scalable_target(
            ServiceNamespace="sagemaker",
            ResourceId="inference-component/late",
            ScalableDimension="sagemaker:inference-component:DesiredCopyCount",
            MinCapacity=0,
            MaxCapacity=1,
        )
        assert len(aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]) == 1


def test_ready_after_rejects_negative_values() -> None:
    with pytest.raises(ValueError):
        moto_gaps.set_inference_component_ready_after(-1)


def test_set_status_of_unknown_component_is_a_key_error() -> None:
    moto_gaps.install()
    with mock_aws(), pytest.raises(KeyError):
        moto_gaps.set_inference_component_status("nope", "InService", region=REGION)


def test_helpers_make_an_endpoint_and_component_visible_through_the_api() -> None:
    moto_gaps.install()
    with mock_aws():
        endpoint_arn = moto_gaps.make_endpoint("helper", ("a", "b"), region=REGION)
        ic_arn = moto_gaps.make_inference_component("helper-ic", "helper", "b", copy_count=2, region=REGION)
        sagemaker = boto3.client("sagemaker", region_name=REGION)
        endpoint = sagemaker.describe_endpoint(EndpointName="helper")
        component = sagemaker.describe_inference_component(InferenceComponentName="helper-ic")
    assert endpoint["EndpointArn"] == endpoint_arn
    assert [v["VariantName"] for v in endpoint["ProductionVariants"]] == ["a", "b"]
    assert component["InferenceComponentArn"] == ic_arn
    assert component["InferenceComponentStatus"] == "InService"
    assert component["VariantName"] == "b"
    assert component["RuntimeConfig"] == {"DesiredCopyCount": 2, "CurrentCopyCount": 2}


def test_a_disabled_rule_delivers_nothing() -> None:
    moto_gaps.install()
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        events = boto3.client("events", region_name=REGION)
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="r", EventPattern=json.dumps({"source": ["demo"]}))
        events.put_targets(Rule="r", Targets=[{"Id": "q", "Arn": arn}])
        entry = {"Source": "demo", "DetailType": "x", "Detail": "{}"}
        events.put_events(Entries=[entry])
        events.disable_rule(Name="r")
        events.put_events(Entries=[entry])
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        assert len(received) == 1
