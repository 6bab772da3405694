"""SageMaker inference components through boto3 (moto has none; the gap layer adds them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from local_account import moto_gaps
from local_account.emulated import ACCOUNT_ID, REGION
from tests.emulator.emulator_support import error_code, error_message

START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
IC_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:inference-component/chat"


def create_ic(
    sagemaker: Any, name: str = "chat", endpoint: str = "llm", copies: int = 1, **extra: Any
) -> str:
    response = sagemaker.create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        VariantName="AllTraffic",
        Specification={
            "ModelName": "llama",
            "Container": {"Image": f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/tgi:latest"},
            "ComputeResourceRequirements": {
                "NumberOfAcceleratorDevicesRequired": 1,
                "MinMemoryRequiredInMb": 1024,
            },
        },
        RuntimeConfig={"CopyCount": copies},
        **extra,
    )
    return str(response["InferenceComponentArn"])


def test_create_then_describe_returns_the_botocore_output_shape(sagemaker: Any, endpoint: str) -> None:
    # Given an endpoint
    # When an inference component is created on it
    with freeze_time(START):
        arn = create_ic(sagemaker, copies=2)
        described = sagemaker.describe_inference_component(InferenceComponentName="chat")
    # Then it is described with the fields of DescribeInferenceComponentOutput, still Creating
    assert arn == IC_ARN
    assert described["InferenceComponentName"] == "chat"
    assert described["InferenceComponentArn"] == IC_ARN
    assert described["EndpointName"] == "llm"
    assert described["EndpointArn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:endpoint/llm"
    assert described["VariantName"] == "AllTraffic"
    assert described["InferenceComponentStatus"] == "Creating"
    assert described["RuntimeConfig"] == {"DesiredCopyCount": 2, "CurrentCopyCount": 0}
    assert described["Specification"]["ModelName"] == "llama"
    assert described["Specification"]["ComputeResourceRequirements"]["MinMemoryRequiredInMb"] == 1024
    assert described["CreationTime"] == START
    assert described["LastModifiedTime"] == START


def test_component_becomes_in_service_after_the_ready_after_delay(sagemaker: Any, endpoint: str) -> None:
    # Given the default ready-after delay and a component created at START
    assert moto_gaps.get_inference_component_ready_after() == moto_gaps.DEFAULT_READY_AFTER_SECONDS == 600
    with freeze_time(START) as clock:
        create_ic(sagemaker, copies=2)
        # When less than the delay has passed, then it is still Creating
        clock.tick(dt.timedelta(seconds=599))
        assert (
            sagemaker.describe_inference_component(InferenceComponentName="chat")["InferenceComponentStatus"]
            == "Creating"
        )
        # When the delay has passed, then it is InService with all copies running
        clock.tick(dt.timedelta(seconds=1))
        described = sagemaker.describe_inference_component(InferenceComponentName="chat")
    assert described["InferenceComponentStatus"] == "InService"
    assert described["RuntimeConfig"] == {"DesiredCopyCount": 2, "CurrentCopyCount": 2}


def test_ready_after_zero_makes_components_in_service_at_once(sagemaker: Any, endpoint: str) -> None:
    # Given a ready-after delay of 0
    moto_gaps.set_inference_component_ready_after(0)
    # When a component is created
    create_ic(sagemaker)
    # Then it is InService immediately
    status = sagemaker.describe_inference_component(InferenceComponentName="chat")["InferenceComponentStatus"]
    assert status == "InService"


def test_forced_status_wins_over_the_clock(sagemaker: Any, endpoint: str) -> None:
    # Given a Creating component
    with freeze_time(START) as clock:
        create_ic(sagemaker)
        # When a test forces it to Failed and time passes
        moto_gaps.set_inference_component_status("chat", "Failed", failure_reason="OOM", region=REGION)
        clock.tick(dt.timedelta(hours=1))
        described = sagemaker.describe_inference_component(InferenceComponentName="chat")
    # Then it stays Failed
    assert described["InferenceComponentStatus"] == "Failed"
    assert described["FailureReason"] == "OOM"


def test_create_on_missing_endpoint_is_a_validation_exception(sagemaker: Any) -> None:
    # Given no endpoint
    # When a component is created on a missing endpoint
    with pytest.raises(ClientError) as exc:
        create_ic(sagemaker, endpoint="missing")
    # Then SageMaker refuses it
    assert error_code(exc) == "ValidationException"
    assert "endpoint/missing" in error_message(exc)


def test_create_twice_is_a_validation_exception(sagemaker: Any, endpoint: str) -> None:
    # Given a component
    create_ic(sagemaker)
    # When it is created again
    with pytest.raises(ClientError) as exc:
        create_ic(sagemaker)
    # Then SageMaker refuses it
    assert error_code(exc) == "ValidationException"


def test_create_on_unknown_variant_is_a_validation_exception(sagemaker: Any, endpoint: str) -> None:
    with pytest.raises(ClientError) as exc:
        sagemaker.create_inference_component(
            InferenceComponentName="chat",
            EndpointName="llm",
            VariantName="Nope",
            Specification={"ModelName": "llama"},
            RuntimeConfig={"CopyCount": 1},
        )
    assert error_code(exc) == "ValidationException"


def test_delete_then_describe_says_could_not_find(sagemaker: Any, endpoint: str) -> None:
    # Given a component
    create_ic(sagemaker)
    # When it is deleted
    sagemaker.delete_inference_component(InferenceComponentName="chat")
    # Then describing it fails like real SageMaker
    with pytest.raises(ClientError) as exc:
        sagemaker.describe_inference_component(InferenceComponentName="chat")
    assert error_code(exc) == "ValidationException"
    assert error_message(exc).startswith("Could not find inference component")
    assert sagemaker.list_inference_components()["InferenceComponents"] == []


def test_delete_of_missing_component_is_a_validation_exception(sagemaker: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sagemaker.delete_inference_component(InferenceComponentName="ghost")
    assert error_code(exc) == "ValidationException"


def test_list_filters_by_endpoint_status_and_name(sagemaker: Any, endpoint: str) -> None:
    # Given two endpoints with components in different states
    moto_gaps.make_endpoint("other", region=REGION)
    with freeze_time(START):
        create_ic(sagemaker, name="chat-a")
        create_ic(sagemaker, name="chat-b")
        create_ic(sagemaker, name="embed", endpoint="other")
    moto_gaps.set_inference_component_status("chat-b", "InService", region=REGION)

    def names(**filters: Any) -> list[str]:
        found = sagemaker.list_inference_components(**filters)["InferenceComponents"]
        return sorted(c["InferenceComponentName"] for c in found)

    # When / Then each filter narrows the list
    with freeze_time(START):
        assert names(EndpointNameEquals="llm") == ["chat-a", "chat-b"]
        assert names(StatusEquals="InService") == ["chat-b"]
        assert names(NameContains="chat") == ["chat-a", "chat-b"]
        assert names(EndpointNameEquals="other", StatusEquals="Creating") == ["embed"]
        summary = sagemaker.list_inference_components(NameContains="embed")["InferenceComponents"][0]
    assert set(summary) == {
        "CreationTime",
        "InferenceComponentArn",
        "InferenceComponentName",
        "EndpointArn",
        "EndpointName",
        "VariantName",
        "InferenceComponentStatus",
        "LastModifiedTime",
    }


def test_list_paginates_with_max_results_and_next_token(sagemaker: Any, endpoint: str) -> None:
    # Given five components
    for index in range(5):
        moto_gaps.make_inference_component(f"ic-{index}", "llm", region=REGION)
    # When listed two at a time
    seen: list[str] = []
    pages = 0
    kwargs: dict[str, Any] = {"MaxResults": 2, "SortBy": "Name", "SortOrder": "Ascending"}
    while True:
        page = sagemaker.list_inference_components(**kwargs)
        pages += 1
        seen += [c["InferenceComponentName"] for c in page["InferenceComponents"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    # Then every component is seen once, in order, over three pages
    assert seen == [f"ic-{index}" for index in range(5)]
    assert pages == 3
    paginated = sagemaker.get_paginator("list_inference_components").paginate(
        PaginationConfig={"PageSize": 2}
    )
    assert sum(len(p["InferenceComponents"]) for p in paginated) == 5


def test_update_changes_copy_count_through_updating(sagemaker: Any, endpoint: str) -> None:
    # Given an InService component with one copy
    moto_gaps.make_inference_component("chat", "llm", copy_count=1, region=REGION)
    with freeze_time(START) as clock:
        # When it is updated to three copies
        arn = sagemaker.update_inference_component(
            InferenceComponentName="chat", RuntimeConfig={"CopyCount": 3}
        )["InferenceComponentArn"]
        during = sagemaker.describe_inference_component(InferenceComponentName="chat")
        clock.tick(dt.timedelta(seconds=600))
        after = sagemaker.describe_inference_component(InferenceComponentName="chat")
    # Then it is Updating with the old copies running, then InService with three
    assert arn == IC_ARN
    assert during["InferenceComponentStatus"] == "Updating"
    assert during["RuntimeConfig"] == {"DesiredCopyCount": 3, "CurrentCopyCount": 1}
    assert during["LastModifiedTime"] == START
    assert after["InferenceComponentStatus"] == "InService"
    assert after["RuntimeConfig"] == {"DesiredCopyCount": 3, "CurrentCopyCount": 3}


def test_update_runtime_config_sets_desired_copies(sagemaker: Any, endpoint: str) -> None:
    moto_gaps.make_inference_component("chat", "llm", copy_count=1, region=REGION)
    moto_gaps.set_inference_component_ready_after(0)
    sagemaker.update_inference_component_runtime_config(
        InferenceComponentName="chat", DesiredRuntimeConfig={"CopyCount": 0}
    )
    described = sagemaker.describe_inference_component(InferenceComponentName="chat")
    assert described["RuntimeConfig"] == {"DesiredCopyCount": 0, "CurrentCopyCount": 0}


def test_update_while_creating_is_refused(sagemaker: Any, endpoint: str) -> None:
    create_ic(sagemaker)
    with pytest.raises(ClientError) as exc:
        sagemaker.update_inference_component(InferenceComponentName="chat", RuntimeConfig={"CopyCount": 2})
    assert error_code(exc) == "ValidationException"


def test_tags_on_create_and_tag_calls_on_the_component_arn(sagemaker: Any, endpoint: str) -> None:
    # Given a component created with a tag
    arn = create_ic(sagemaker, Tags=[{"Key": "team", "Value": "nlp"}])
    # When tags are added (one overwriting) and one is deleted
    sagemaker.add_tags(
        ResourceArn=arn, Tags=[{"Key": "team", "Value": "search"}, {"Key": "autoscale", "Value": "on"}]
    )
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "tmp", "Value": "x"}])
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["tmp"])
    # Then ListTags shows one value per key
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]}
    assert tags == {"team": "search", "autoscale": "on"}


def test_tags_on_a_missing_component_are_a_validation_exception(sagemaker: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sagemaker.list_tags(ResourceArn=IC_ARN)
    assert error_code(exc) == "ValidationException"


def test_tags_on_a_missing_endpoint_are_a_validation_exception_not_a_crash(sagemaker: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sagemaker.add_tags(
            ResourceArn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:endpoint/ghost",
            Tags=[{"Key": "a", "Value": "b"}],
        )
    assert error_code(exc) == "ValidationException"


def test_invalid_parameters_are_rejected_by_the_service_model(raw_sagemaker: Any, endpoint: str) -> None:
    # Given a client that does not validate locally
    # When parameters break the model (pattern, missing required member, enum, range)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"InferenceComponentName": "bad_name!", "EndpointName": "llm"}, "inferenceComponentName"),
        ({"InferenceComponentName": "ok"}, "endpointName"),
        (
            {
                "InferenceComponentName": "ok",
                "EndpointName": "llm",
                "Specification": {"StartupParameters": {"ModelDataDownloadTimeoutInSeconds": 5000}},
            },
            "specification.startupParameters.modelDataDownloadTimeoutInSeconds",
        ),
    ]
    for params, parameter in cases:
        with pytest.raises(ClientError) as exc:
            raw_sagemaker.create_inference_component(**params)
        # Then each is a ValidationException naming the parameter
        assert error_code(exc) == "ValidationException"
        assert parameter in error_message(exc)
    with pytest.raises(ClientError) as exc:
        raw_sagemaker.list_inference_components(SortBy="Size")
    assert "sortBy" in error_message(exc)


def test_endpoint_configs_accept_current_gpu_instance_types(sagemaker: Any) -> None:
    # moto's hard-coded list rejects ml.g5/ml.g6; botocore's enum has them
    sagemaker.create_endpoint_config(
        EndpointConfigName="g6",
        ProductionVariants=[
            {"VariantName": "AllTraffic", "InstanceType": "ml.g6.12xlarge", "InitialInstanceCount": 1}
        ],
    )
    with pytest.raises(ClientError) as exc:
        sagemaker.create_endpoint_config(
            EndpointConfigName="bad",
            ProductionVariants=[
                {"VariantName": "AllTraffic", "InstanceType": "ml.nope", "InitialInstanceCount": 1}
            ],
        )
    assert error_code(exc) == "ValidationException"


def test_update_endpoint_moves_the_endpoint_to_its_new_config(sagemaker: Any) -> None:
    # Given an endpoint on a config with variant "blue"
    for config, variant in (("cfg-blue", "blue"), ("cfg-green", "green")):
        sagemaker.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {"VariantName": variant, "InstanceType": "ml.g5.xlarge", "InitialInstanceCount": 1}
            ],
        )
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="cfg-blue")
    # When it is updated to the config with variant "green"
    sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="cfg-green")
    # Then it reports the new config and its variants
    described = sagemaker.describe_endpoint(EndpointName="ep")
    assert described["EndpointConfigName"] == "cfg-green"
    assert [v["VariantName"] for v in described["ProductionVariants"]] == ["green"]


def test_update_endpoint_refuses_an_instance_type_change_on_a_registered_variant(
    sagemaker: Any, aas: Any
) -> None:
    for config, instance_type in (("cfg-small", "ml.g5.xlarge"), ("cfg-large", "ml.g5.2xlarge")):
        sagemaker.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {"VariantName": "AllTraffic", "InstanceType": instance_type, "InitialInstanceCount": 1}
            ],
        )
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="cfg-small")
    aas.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ep/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=1,
        MaxCapacity=2,
    )
    with pytest.raises(ClientError) as raised:
        sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="cfg-large")
    assert "must be deregistered" in raised.value.response["Error"]["Message"]
    assert sagemaker.describe_endpoint(EndpointName="ep")["EndpointConfigName"] == "cfg-small"
