"""RegisterScalableTarget needs the SageMaker resource and moves its capacity into the new range
(``moto_gaps/sagemaker_capacity.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto.sagemaker.models import sagemaker_backends

from local_account import moto_gaps
from local_account.emulated import ACCOUNT_ID, REGION
from tests.emulator.emulator_support import (
    IC_DIM,
    NS,
    PC_DIM,
    SERVERLESS_CONFIG,
    VARIANT_DIM,
    error_code,
    error_message,
)
from tests.support.recording import CallRecorder

T0 = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=1)


def register(aas: Any, resource_id: str, dimension: str = VARIANT_DIM, **bounds: int) -> None:
    aas.register_scalable_target(
        ServiceNamespace=NS, ResourceId=resource_id, ScalableDimension=dimension, **bounds
    )


def variant(sagemaker: Any, endpoint: str) -> dict[str, Any]:
    return dict(sagemaker.describe_endpoint(EndpointName=endpoint)["ProductionVariants"][0])


# --- variants ----------------------------------------------------------------------------------------


def test_registering_below_the_running_instances_scales_the_variant_in_at_once(
    aas: Any, sagemaker: Any
) -> None:
    # Given an endpoint running 8 instances, made at T0
    with freeze_time(T0):
        moto_gaps.make_endpoint("llm", instance_count=8, region=REGION)
    # When its variant is registered for 1..4 at T1
    with freeze_time(T1):
        register(aas, "endpoint/llm/variant/AllTraffic", MinCapacity=1, MaxCapacity=4)
    # Then it runs 4, and the endpoint was modified at T1 (Updating and back, at once)
    assert variant(sagemaker, "llm")["CurrentInstanceCount"] == 4
    assert variant(sagemaker, "llm")["DesiredInstanceCount"] == 4
    described = sagemaker.describe_endpoint(EndpointName="llm")
    assert described["EndpointStatus"] == "InService"
    assert described["LastModifiedTime"] == T1
    assert moto_gaps.get_variant_capacity("llm", "AllTraffic", region=REGION) == 4


def test_registering_above_the_running_instances_scales_the_variant_out(aas: Any, sagemaker: Any) -> None:
    moto_gaps.make_endpoint("llm", instance_count=1, region=REGION)
    register(aas, "endpoint/llm/variant/AllTraffic", MinCapacity=2, MaxCapacity=6)
    assert (
        variant(sagemaker, "llm")["CurrentInstanceCount"],
        variant(sagemaker, "llm")["DesiredInstanceCount"],
    ) == (
        2,
        2,
    )


def test_a_capacity_inside_the_range_is_left_alone(aas: Any, sagemaker: Any) -> None:
    with freeze_time(T0):
        moto_gaps.make_endpoint("llm", instance_count=3, region=REGION)
    with freeze_time(T1):
        register(aas, "endpoint/llm/variant/AllTraffic", MinCapacity=1, MaxCapacity=4)
    assert variant(sagemaker, "llm")["CurrentInstanceCount"] == 3
    assert sagemaker.describe_endpoint(EndpointName="llm")["LastModifiedTime"] == T0


def test_re_registering_a_narrower_range_moves_the_capacity_too(aas: Any, sagemaker: Any) -> None:
    # Given a registered variant running 5 instances
    moto_gaps.make_endpoint("llm", instance_count=5, region=REGION)
    register(aas, "endpoint/llm/variant/AllTraffic", MinCapacity=1, MaxCapacity=8)
    assert variant(sagemaker, "llm")["DesiredInstanceCount"] == 5
    # When only MaxCapacity is lowered to 3, then it runs 3
    register(aas, "endpoint/llm/variant/AllTraffic", MaxCapacity=3)
    assert variant(sagemaker, "llm")["DesiredInstanceCount"] == 3
    # And when the test helper says it runs 1 and only MinCapacity is raised to 2, it runs 2
    moto_gaps.set_variant_capacity("llm", "AllTraffic", 1, region=REGION)
    register(aas, "endpoint/llm/variant/AllTraffic", MinCapacity=2)
    assert variant(sagemaker, "llm")["DesiredInstanceCount"] == 2


def test_an_endpoint_that_is_not_in_service_keeps_its_capacity(aas: Any, sagemaker: Any) -> None:
    # "If the specified resource is not active ... this operation does not change the current capacity"
    moto_gaps.make_endpoint("llm", instance_count=8, region=REGION)
    sagemaker_backends[ACCOUNT_ID][REGION].endpoints["llm"].endpoint_status = "Updating"
    register(aas, "endpoint/llm/variant/AllTraffic", MinCapacity=1, MaxCapacity=4)
    assert moto_gaps.get_variant_capacity("llm", "AllTraffic", region=REGION) == 8


def test_only_the_registered_variant_moves(aas: Any, sagemaker: Any) -> None:
    moto_gaps.make_endpoint("llm", ("blue", "green"), instance_count=8, region=REGION)
    register(aas, "endpoint/llm/variant/green", MinCapacity=1, MaxCapacity=2)
    counts = {
        v["VariantName"]: v["DesiredInstanceCount"]
        for v in sagemaker.describe_endpoint(EndpointName="llm")["ProductionVariants"]
    }
    assert counts == {"blue": 8, "green": 2}


def test_registering_provisioned_concurrency_moves_it_into_the_range(aas: Any, sagemaker: Any) -> None:
    # Given a serverless variant with provisioned concurrency 1
    moto_gaps.make_endpoint("serverless", serverless_config=SERVERLESS_CONFIG, region=REGION)
    # When it is registered for 3..10
    register(aas, "endpoint/serverless/variant/AllTraffic", PC_DIM, MinCapacity=3, MaxCapacity=10)
    # Then both current and desired provisioned concurrency are 3, and the rest of the config stays
    described = variant(sagemaker, "serverless")
    assert described["CurrentServerlessConfig"] == {**SERVERLESS_CONFIG, "ProvisionedConcurrency": 3}
    assert described["DesiredServerlessConfig"] == {**SERVERLESS_CONFIG, "ProvisionedConcurrency": 3}
    assert moto_gaps.get_variant_capacity("serverless", "AllTraffic", region=REGION) == 3


# --- inference components ----------------------------------------------------------------------------


def test_registering_a_component_moves_its_copy_count(aas: Any, sagemaker: Any) -> None:
    # Given a component running 5 copies, last modified at T0
    moto_gaps.make_endpoint("host", region=REGION)
    with freeze_time(T0):
        moto_gaps.make_inference_component("chat", "host", copy_count=5, region=REGION)
    # When it is registered for 0..2 at T1
    with freeze_time(T1):
        register(aas, "inference-component/chat", IC_DIM, MinCapacity=0, MaxCapacity=2)
        described = sagemaker.describe_inference_component(InferenceComponentName="chat")
    # Then it runs 2 copies, modified at T1
    assert described["RuntimeConfig"] == {"DesiredCopyCount": 2, "CurrentCopyCount": 2}
    assert described["LastModifiedTime"] == T1
    assert moto_gaps.get_inference_component_copies("chat", region=REGION) == 2


def test_a_component_that_is_not_in_service_keeps_its_copy_count(aas: Any) -> None:
    moto_gaps.make_endpoint("host", region=REGION)
    moto_gaps.make_inference_component("chat", "host", copy_count=5, status="Creating", region=REGION)
    register(aas, "inference-component/chat", IC_DIM, MinCapacity=0, MaxCapacity=2)
    assert moto_gaps.get_inference_component_copies("chat", region=REGION) == 5


def test_copies_set_by_the_helper_are_moved_on_the_next_registration(aas: Any) -> None:
    moto_gaps.make_endpoint("host", region=REGION)
    moto_gaps.make_inference_component("chat", "host", copy_count=1, region=REGION)
    register(aas, "inference-component/chat", IC_DIM, MinCapacity=1, MaxCapacity=4)
    moto_gaps.set_inference_component_copies("chat", 0, region=REGION)
    register(aas, "inference-component/chat", IC_DIM, MinCapacity=1)
    assert moto_gaps.get_inference_component_copies("chat", region=REGION) == 1


# --- the resource must exist, by its exact name --------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_id", "dimension", "fragment"),
    [
        ("endpoint/ghost/variant/AllTraffic", VARIANT_DIM, "endpoint/ghost"),
        ("endpoint/LLM-Chat/variant/Nope", VARIANT_DIM, 'variant "Nope"'),
        ("endpoint/llm-chat/variant/AllTraffic", VARIANT_DIM, "endpoint/llm-chat"),
        ("endpoint/LLM-CHAT/variant/AllTraffic", VARIANT_DIM, "endpoint/llm-chat"),
        ("endpoint/LLM-Chat/variant/alltraffic", VARIANT_DIM, 'variant "alltraffic"'),
        ("inference-component/ghost", IC_DIM, "inference-component/ghost"),
        ("inference-component/chat-ic", IC_DIM, "inference-component/chat-ic"),
    ],
)
def test_a_missing_or_differently_cased_resource_cannot_be_registered(
    aas: Any, resource_id: str, dimension: str, fragment: str
) -> None:
    # Given an endpoint "LLM-Chat" hosting a component "Chat-IC"
    moto_gaps.make_endpoint("LLM-Chat", region=REGION)
    moto_gaps.make_inference_component("Chat-IC", "LLM-Chat", region=REGION)
    # When a target names a missing resource, or the real one in another case
    with pytest.raises(ClientError) as exc:
        register(aas, resource_id, dimension, MinCapacity=1, MaxCapacity=2)
    # Then it is refused, and nothing is registered
    assert error_code(exc) == "ValidationException"
    assert fragment in error_message(exc)
    assert aas.describe_scalable_targets(ServiceNamespace=NS)["ScalableTargets"] == []


def test_the_exact_names_can_be_registered(aas: Any) -> None:
    moto_gaps.make_endpoint("LLM-Chat", region=REGION)
    moto_gaps.make_inference_component("Chat-IC", "LLM-Chat", region=REGION)
    register(aas, "endpoint/LLM-Chat/variant/AllTraffic", MinCapacity=1, MaxCapacity=2)
    register(aas, "inference-component/Chat-IC", IC_DIM, MinCapacity=0, MaxCapacity=2)
    ids = sorted(
        t["ResourceId"] for t in aas.describe_scalable_targets(ServiceNamespace=NS)["ScalableTargets"]
    )
    assert ids == ["endpoint/LLM-Chat/variant/AllTraffic", "inference-component/Chat-IC"]


def test_the_dimension_must_fit_the_variant(aas: Any) -> None:
    moto_gaps.make_endpoint("instances", region=REGION)
    moto_gaps.make_endpoint("serverless", serverless_config=SERVERLESS_CONFIG, region=REGION)
    on_demand = {"MemorySizeInMB": 2048, "MaxConcurrency": 20}
    moto_gaps.make_endpoint("on-demand", serverless_config=on_demand, region=REGION)
    for resource_id, dimension in (
        ("endpoint/instances/variant/AllTraffic", PC_DIM),
        ("endpoint/serverless/variant/AllTraffic", VARIANT_DIM),
        ("endpoint/on-demand/variant/AllTraffic", PC_DIM),
    ):
        with pytest.raises(ClientError) as exc:
            register(aas, resource_id, dimension, MinCapacity=1, MaxCapacity=2)
        assert error_code(exc) == "ValidationException"


# --- helpers -----------------------------------------------------------------------------------------


def test_helpers_refuse_what_does_not_exist(aws: CallRecorder) -> None:
    with pytest.raises(KeyError):
        moto_gaps.set_variant_capacity("ghost", "AllTraffic", 2, region=REGION)
    with pytest.raises(KeyError):
        moto_gaps.get_inference_component_copies("ghost", region=REGION)
    with pytest.raises(KeyError):
        moto_gaps.set_inference_component_copies("ghost", 1, region=REGION)
    moto_gaps.make_endpoint(
        "on-demand", serverless_config={"MemorySizeInMB": 2048, "MaxConcurrency": 5}, region=REGION
    )
    with pytest.raises(ValueError):
        moto_gaps.set_variant_capacity("on-demand", "AllTraffic", 2, region=REGION)


def test_set_variant_capacity_is_what_describe_endpoint_answers(sagemaker: Any) -> None:
    with freeze_time(T0):
        moto_gaps.make_endpoint("llm", region=REGION)
    with freeze_time(T1):
        moto_gaps.set_variant_capacity("llm", "AllTraffic", 8, region=REGION)
    described = sagemaker.describe_endpoint(EndpointName="llm")
    assert described["ProductionVariants"][0]["CurrentInstanceCount"] == 8
    assert described["ProductionVariants"][0]["DesiredInstanceCount"] == 8
    assert described["LastModifiedTime"] == T0  # setting up is not a scaling activity
