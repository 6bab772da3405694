"""Event parsing: well-formed events become hints, malformed ones a clear MalformedEvent."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from sagemaker_autoscaler.core.events import (
    Hint,
    Ignored,
    MalformedEvent,
    ResourceType,
    parse_message,
    recheck_message,
)
from tests.support.corpus import MALFORMED_EVENTS, message_body

CORPUS = MALFORMED_EVENTS


def endpoint_event(**detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "evt-1",
        "source": "aws.sagemaker",
        "detail-type": "SageMaker Endpoint State Change",
        "time": "2026-03-02T09:15:04Z",
        "detail": {"EndpointName": "llm-chat", "EndpointStatus": "IN_SERVICE", **detail},
    }


def api_call(event_name: str, request: dict[str, Any], response: Any = None, **extra: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "evt-2",
        "source": "aws.sagemaker",
        "detail-type": "AWS API Call via CloudTrail",
        "time": "2026-03-02T09:15:04Z",
        "detail": {
            "eventSource": "sagemaker.amazonaws.com",
            "eventName": event_name,
            "requestParameters": request,
            "responseElements": response,
            **extra,
        },
    }


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_malformed_message_is_rejected_with_a_clear_reason(case: dict[str, Any]) -> None:
    with pytest.raises(MalformedEvent) as raised:
        parse_message(message_body(case))
    assert case["error"] in str(raised.value)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30


def test_endpoint_state_change_with_tags_as_an_object() -> None:
    hint = parse_message(json.dumps(endpoint_event(Tags={"team": "nlp"})))
    assert isinstance(hint, Hint)
    assert (hint.resource_type, hint.name, hint.event_id) == (ResourceType.ENDPOINT, "llm-chat", "evt-1")
    assert hint.event_tags == {"team": "nlp"}
    assert hint.event_time == datetime(2026, 3, 2, 9, 15, 4, tzinfo=UTC)


def test_endpoint_state_change_with_tags_as_a_list_and_epoch_milliseconds_time() -> None:
    event = endpoint_event(Tags=[{"Key": "team", "Value": "nlp"}])
    event["time"] = "1772442904000"
    hint = parse_message(json.dumps(event))
    assert isinstance(hint, Hint)
    assert hint.event_tags == {"team": "nlp"}
    assert hint.event_time == datetime(2026, 3, 2, 9, 15, 4, tzinfo=UTC)


def test_every_known_status_is_accepted_as_a_hint() -> None:
    for status in ["CREATING", "UPDATING", "DELETING", "FAILED", "SYSTEM_UPDATING", "ROLLING_BACK"]:
        hint = parse_message(json.dumps(endpoint_event(EndpointStatus=status)))
        assert isinstance(hint, Hint) and hint.trigger == f"endpoint {status}"


def test_create_inference_component_names_the_component() -> None:
    hint = parse_message(
        json.dumps(api_call("CreateInferenceComponent", {"inferenceComponentName": "mistral-7b"}))
    )
    assert isinstance(hint, Hint)
    assert (hint.resource_type, hint.name, hint.trigger) == (
        ResourceType.INFERENCE_COMPONENT,
        "mistral-7b",
        "CreateInferenceComponent",
    )


def test_component_name_falls_back_to_the_response_arn() -> None:
    arn = "arn:aws:sagemaker:eu-west-1:123456789012:inference-component/mistral-7b"
    hint = parse_message(json.dumps(api_call("DeleteInferenceComponent", {}, {"inferenceComponentArn": arn})))
    assert isinstance(hint, Hint) and hint.name == "mistral-7b"


def test_failed_api_call_is_ignored() -> None:
    event = api_call(
        "CreateInferenceComponent", {"inferenceComponentName": "x"}, errorCode="ValidationException"
    )
    result = parse_message(json.dumps(event))
    assert isinstance(result, Ignored) and "ValidationException" in result.reason


def test_tag_change_on_an_endpoint_or_component_is_a_hint_and_on_a_model_is_ignored() -> None:
    endpoint_arn = "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/llm-chat"
    component_arn = "arn:aws:sagemaker:eu-west-1:123456789012:inference-component/mistral-7b"
    model_arn = "arn:aws:sagemaker:eu-west-1:123456789012:model/mistral"
    on_endpoint = parse_message(json.dumps(api_call("AddTags", {"resourceArn": endpoint_arn})))
    on_component = parse_message(json.dumps(api_call("DeleteTags", {"resourceArn": component_arn})))
    on_model = parse_message(json.dumps(api_call("AddTags", {"resourceArn": model_arn})))
    assert isinstance(on_endpoint, Hint) and on_endpoint.resource_type is ResourceType.ENDPOINT
    assert isinstance(on_component, Hint) and on_component.resource_type is ResourceType.INFERENCE_COMPONENT
    assert isinstance(on_model, Ignored)


def test_recheck_message_round_trips_with_the_next_attempt() -> None:
    hint = Hint(
        ResourceType.INFERENCE_COMPONENT, "mistral-7b", "evt-9", "CreateInferenceComponent", attempt=2
    )
    message = recheck_message(hint, datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    again = parse_message(json.dumps(message))
    assert isinstance(again, Hint)
    assert (again.name, again.event_id, again.attempt) == ("mistral-7b", "evt-9", 3)
