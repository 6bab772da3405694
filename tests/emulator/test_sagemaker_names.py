"""SageMaker ARNs are lower-case while names keep their case (``moto_gaps/sagemaker_names.py``)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local_account import moto_gaps
from local_account.emulated import ACCOUNT_ID, REGION
from tests.emulator.emulator_support import error_code, error_message
from tests.support.recording import CallRecorder

PREFIX = f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}"
ENDPOINT_ARN = f"{PREFIX}:endpoint/llm-chat"
CONFIG_ARN = f"{PREFIX}:endpoint-config/llm-chat-config"
MODEL_ARN = f"{PREFIX}:model/llama-3-8b"
COMPONENT_ARN = f"{PREFIX}:inference-component/chat-ic"


def create_model(sagemaker: Any, name: str = "Llama-3-8B") -> str:
    response = sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/sagemaker",
        PrimaryContainer={"Image": f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/tgi:latest"},
    )
    return str(response["ModelArn"])


def create_config(sagemaker: Any, name: str = "LLM-Chat-Config") -> str:
    response = sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "InstanceType": "ml.g5.xlarge", "InitialInstanceCount": 1}
        ],
    )
    return str(response["EndpointConfigArn"])


def create_endpoint(sagemaker: Any, name: str = "LLM-Chat", config: str = "LLM-Chat-Config") -> str:
    return str(sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config)["EndpointArn"])


def create_component(sagemaker: Any, name: str = "Chat-IC", endpoint: str = "LLM-Chat") -> str:
    response = sagemaker.create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        VariantName="AllTraffic",
        Specification={"ModelName": "Llama-3-8B"},
        RuntimeConfig={"CopyCount": 1},
    )
    return str(response["InferenceComponentArn"])


@pytest.fixture
def mixed_case(sagemaker: Any) -> dict[str, str]:
    """A model, endpoint config, endpoint and component with mixed-case names; their create answers."""
    return {
        "model": create_model(sagemaker),
        "config": create_config(sagemaker),
        "endpoint": create_endpoint(sagemaker),
        "component": create_component(sagemaker),
    }


def test_create_answers_lower_case_arns(mixed_case: dict[str, str]) -> None:
    assert mixed_case == {
        "model": MODEL_ARN,
        "config": CONFIG_ARN,
        "endpoint": ENDPOINT_ARN,
        "component": COMPONENT_ARN,
    }


def test_describe_answers_the_real_name_and_the_lower_case_arn(
    sagemaker: Any, mixed_case: dict[str, str]
) -> None:
    endpoint = sagemaker.describe_endpoint(EndpointName="LLM-Chat")
    assert (endpoint["EndpointName"], endpoint["EndpointArn"]) == ("LLM-Chat", ENDPOINT_ARN)
    assert endpoint["EndpointConfigName"] == "LLM-Chat-Config"
    config = sagemaker.describe_endpoint_config(EndpointConfigName="LLM-Chat-Config")
    assert (config["EndpointConfigName"], config["EndpointConfigArn"]) == ("LLM-Chat-Config", CONFIG_ARN)
    model = sagemaker.describe_model(ModelName="Llama-3-8B")
    assert (model["ModelName"], model["ModelArn"]) == ("Llama-3-8B", MODEL_ARN)
    component = sagemaker.describe_inference_component(InferenceComponentName="Chat-IC")
    assert (component["InferenceComponentName"], component["InferenceComponentArn"]) == (
        "Chat-IC",
        COMPONENT_ARN,
    )
    assert (component["EndpointName"], component["EndpointArn"]) == ("LLM-Chat", ENDPOINT_ARN)


def test_lists_answer_real_names_and_lower_case_arns(sagemaker: Any, mixed_case: dict[str, str]) -> None:
    [endpoint] = sagemaker.list_endpoints()["Endpoints"]
    assert (endpoint["EndpointName"], endpoint["EndpointArn"]) == ("LLM-Chat", ENDPOINT_ARN)
    [config] = sagemaker.list_endpoint_configs()["EndpointConfigs"]
    assert (config["EndpointConfigName"], config["EndpointConfigArn"]) == ("LLM-Chat-Config", CONFIG_ARN)
    [model] = sagemaker.list_models()["Models"]
    assert (model["ModelName"], model["ModelArn"]) == ("Llama-3-8B", MODEL_ARN)
    [component] = sagemaker.list_inference_components(EndpointNameEquals="LLM-Chat")["InferenceComponents"]
    assert (component["InferenceComponentName"], component["InferenceComponentArn"]) == (
        "Chat-IC",
        COMPONENT_ARN,
    )
    assert (component["EndpointName"], component["EndpointArn"]) == ("LLM-Chat", ENDPOINT_ARN)
    assert sagemaker.list_endpoints(NameContains="LLM")["Endpoints"][0]["EndpointName"] == "LLM-Chat"


def test_helpers_answer_lower_case_arns_too(aws: CallRecorder) -> None:
    assert moto_gaps.make_endpoint("LLM-Chat", region=REGION) == ENDPOINT_ARN
    assert moto_gaps.make_inference_component("Chat-IC", "LLM-Chat", region=REGION) == COMPONENT_ARN


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("describe_endpoint", {"EndpointName": "llm-chat"}),
        ("describe_endpoint", {"EndpointName": "LLM-CHAT"}),
        ("describe_endpoint_config", {"EndpointConfigName": "llm-chat-config"}),
        ("describe_model", {"ModelName": "llama-3-8b"}),
        ("describe_inference_component", {"InferenceComponentName": "chat-ic"}),
        ("delete_endpoint", {"EndpointName": "llm-chat"}),
        ("delete_inference_component", {"InferenceComponentName": "CHAT-IC"}),
    ],
)
def test_lookups_by_name_use_the_exact_case(
    sagemaker: Any, mixed_case: dict[str, str], call: str, kwargs: dict[str, str]
) -> None:
    with pytest.raises(ClientError) as exc:
        getattr(sagemaker, call)(**kwargs)
    assert error_code(exc) == "ValidationException"
    assert error_message(exc).startswith("Could not find")


def test_a_differently_cased_endpoint_name_is_not_an_inference_component_host(
    sagemaker: Any, mixed_case: dict[str, str]
) -> None:
    with pytest.raises(ClientError) as exc:
        create_component(sagemaker, name="other", endpoint="llm-chat")
    assert error_code(exc) == "ValidationException"
    assert ENDPOINT_ARN in error_message(exc)


def test_names_are_unique_case_insensitively(sagemaker: Any, mixed_case: dict[str, str]) -> None:
    # Given resources named with mixed case, when another of each differs only in case, then it fails
    attempts = [
        (
            lambda: create_model(sagemaker, "llama-3-8b"),
            f'Cannot create already existing model "{MODEL_ARN}".',
        ),
        (
            lambda: create_config(sagemaker, "llm-chat-config"),
            f'Cannot create already existing endpoint configuration "{CONFIG_ARN}".',
        ),
        (
            lambda: create_endpoint(sagemaker, "llm-chat"),
            f'Cannot create already existing endpoint "{ENDPOINT_ARN}".',
        ),
        (
            lambda: create_component(sagemaker, "CHAT-IC"),
            f'Cannot create already existing inference component "{COMPONENT_ARN}".',
        ),
    ]
    for attempt, message in attempts:
        with pytest.raises(ClientError) as exc:
            attempt()
        assert error_code(exc) == "ValidationException"
        assert error_message(exc) == message
    # And the originals are untouched
    assert sagemaker.describe_endpoint(EndpointName="LLM-Chat")["EndpointConfigName"] == "LLM-Chat-Config"


def test_an_exact_duplicate_endpoint_is_refused_too(sagemaker: Any, mixed_case: dict[str, str]) -> None:
    # (moto silently replaced it)
    create_config(sagemaker, "other-config")
    with pytest.raises(ClientError) as exc:
        create_endpoint(sagemaker, "LLM-Chat", "other-config")
    assert error_code(exc) == "ValidationException"
    assert sagemaker.describe_endpoint(EndpointName="LLM-Chat")["EndpointConfigName"] == "LLM-Chat-Config"


@pytest.mark.parametrize("kind", ["model", "config", "endpoint", "component"])
def test_tag_calls_work_with_the_lower_case_arn(
    sagemaker: Any, mixed_case: dict[str, str], kind: str
) -> None:
    arn = mixed_case[kind]
    sagemaker.add_tags(
        ResourceArn=arn, Tags=[{"Key": "autoscale", "Value": "on"}, {"Key": "tmp", "Value": "x"}]
    )
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["tmp"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "autoscale", "Value": "on"}]


@pytest.mark.parametrize(
    "arn",
    [
        f"{PREFIX}:endpoint/LLM-Chat",
        f"{PREFIX}:endpoint-config/LLM-Chat-Config",
        f"{PREFIX}:model/Llama-3-8B",
        f"{PREFIX}:inference-component/Chat-IC",
    ],
)
def test_tag_calls_with_a_mixed_case_arn_find_nothing(
    sagemaker: Any, mixed_case: dict[str, str], arn: str
) -> None:
    # AWS does not document it: the emulator takes the stricter answer, not found
    for call in (
        lambda: sagemaker.list_tags(ResourceArn=arn),
        lambda: sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}]),
        lambda: sagemaker.delete_tags(ResourceArn=arn, TagKeys=["a"]),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "ValidationException"


def test_tagging_api_answers_lower_case_arns(sagemaker: Any, mixed_case: dict[str, str]) -> None:
    # Given each resource tagged
    for arn in mixed_case.values():
        sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "nlp"}])
    # When the Tagging API lists them
    tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION)
    found = tagging.get_resources(TagFilters=[{"Key": "team", "Values": ["nlp"]}])["ResourceTagMappingList"]
    # Then each comes with its lower-case ARN (the endpoint config's as a plain string)
    assert sorted(r["ResourceARN"] for r in found) == sorted(mixed_case.values())
    by_type = tagging.get_resources(ResourceTypeFilters=["sagemaker:endpoint"])["ResourceTagMappingList"]
    assert [r["ResourceARN"] for r in by_type] == [ENDPOINT_ARN]
