"""Parse what arrives on the queue into typed hints.

Events are hints, not truth: a hint only names the resource to reconcile. Parsing is strict about what it
needs (names, statuses, types) and tolerant about what it does not (``Tags`` as an object or as a list,
``time`` as ISO-8601 or epoch milliseconds), and every rejection says exactly what was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from msgspec import Struct, field

from sagemaker_autoscaler.core.event_fields import (
    MalformedEvent,
    load_body,
    parse_event_tags,
    parse_event_time,
    resource_name,
    string_field,
    type_name,
)

__all__ = ["Hint", "Ignored", "MalformedEvent", "ResourceType", "parse_message", "recheck_message"]

ENDPOINT_STATE_CHANGE = "SageMaker Endpoint State Change"
API_CALL = "AWS API Call via CloudTrail"
RECHECK_SOURCE = "sagemaker-autoscaler.recheck"
RECHECK_DETAIL_TYPE = "Resource Not Ready Recheck"

_ARN = re.compile(r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:(?P<type>[a-z-]+)/(?P<name>.+)$")

# EndpointStatus as events spell it (the API spells the same states InService, Deleting, ...).
KNOWN_ENDPOINT_STATUSES = frozenset(
    {
        "CREATING",
        "IN_SERVICE",
        "UPDATING",
        "SYSTEM_UPDATING",
        "ROLLING_BACK",
        "DELETING",
        "DELETED",
        "FAILED",
        "OUT_OF_SERVICE",
        "UPDATE_ROLLBACK_FAILED",
    }
)

COMPONENT_CALLS = frozenset(
    {"CreateInferenceComponent", "UpdateInferenceComponent", "DeleteInferenceComponent"}
)
TAG_CALLS = frozenset({"AddTags", "DeleteTags"})


class ResourceType(StrEnum):
    ENDPOINT = "endpoint"
    INFERENCE_COMPONENT = "inference-component"


class Hint(Struct, frozen=True):
    """Reconcile this resource. ``trigger`` says what prompted it, for the logs."""

    resource_type: ResourceType
    name: str
    event_id: str
    trigger: str
    event_time: datetime | None = None
    attempt: int = 0
    event_tags: Mapping[str, str] = field(default_factory=dict)
    # The name came from an ARN, which SageMaker writes in lower case: the real name (case kept) must
    # be looked up before the name is used for SageMaker reads or Application Auto Scaling ids.
    from_arn: bool = False


class Ignored(Struct, frozen=True):
    """A well-formed event that needs no action (a failed API call, a tag change on a model...)."""

    event_id: str
    reason: str


def parse_message(body: str | bytes | Mapping[str, Any]) -> Hint | Ignored:
    event = load_body(body)
    event_id = string_field(event, "id", "event")
    source = string_field(event, "source", "event")
    detail_type = string_field(event, "detail-type", "event")
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise MalformedEvent(f"event {event_id}: 'detail' must be an object, got {type_name(detail)}")
    event_time = parse_event_time(event.get("time"), event_id)

    if source == RECHECK_SOURCE and detail_type == RECHECK_DETAIL_TYPE:
        return _recheck(detail, event_id, event_time)
    if source != "aws.sagemaker":
        raise MalformedEvent(f"event {event_id}: unexpected source {source!r}")
    if detail_type == ENDPOINT_STATE_CHANGE:
        return _endpoint_state_change(detail, event_id, event_time)
    if detail_type == API_CALL:
        return _api_call(detail, event_id, event_time)
    raise MalformedEvent(f"event {event_id}: unexpected detail-type {detail_type!r}")


def _endpoint_state_change(detail: Mapping[str, Any], event_id: str, event_time: datetime | None) -> Hint:
    name = resource_name(detail.get("EndpointName"), "EndpointName", event_id)
    status = detail.get("EndpointStatus")
    if not isinstance(status, str):
        raise MalformedEvent(f"event {event_id}: 'EndpointStatus' must be a string, got {type_name(status)}")
    if status not in KNOWN_ENDPOINT_STATUSES:
        known = ", ".join(sorted(KNOWN_ENDPOINT_STATUSES))
        raise MalformedEvent(f"event {event_id}: unknown EndpointStatus {status!r}; known: {known}")
    tags = parse_event_tags(detail.get("Tags"), event_id)
    return Hint(ResourceType.ENDPOINT, name, event_id, f"endpoint {status}", event_time, event_tags=tags)


def _api_call(detail: Mapping[str, Any], event_id: str, event_time: datetime | None) -> Hint | Ignored:
    event_name = string_field(detail, "eventName", f"event {event_id}")
    if detail.get("eventSource") != "sagemaker.amazonaws.com":
        raise MalformedEvent(f"event {event_id}: eventSource {detail.get('eventSource')!r} is not SageMaker")
    if detail.get("errorCode"):
        return Ignored(event_id, f"{event_name} failed ({detail['errorCode']}): nothing changed")
    request = detail.get("requestParameters")
    if not isinstance(request, Mapping):
        raise MalformedEvent(f"event {event_id}: 'requestParameters' must be an object")
    response = detail.get("responseElements")
    response = response if isinstance(response, Mapping) else {}

    if event_name in COMPONENT_CALLS:
        name = request.get("inferenceComponentName")
        from_arn = name is None
        if from_arn:
            # The request should carry the name; the response ARN is the documented fallback.
            arn = _parse_arn(response.get("inferenceComponentArn"))
            name = arn[1] if arn and arn[0] == ResourceType.INFERENCE_COMPONENT else None
        name = resource_name(name, "inferenceComponentName", event_id)
        return Hint(
            ResourceType.INFERENCE_COMPONENT, name, event_id, event_name, event_time, from_arn=from_arn
        )
    if event_name in TAG_CALLS:
        raw_arn = request.get("resourceArn")
        arn = _parse_arn(raw_arn)
        if arn is None:
            raise MalformedEvent(
                f"event {event_id}: {event_name} resourceArn {raw_arn!r} is not a SageMaker ARN"
            )
        resource_type, name = arn
        if resource_type is None:
            return Ignored(event_id, f"{event_name} on {raw_arn}: not an endpoint or inference component")
        name = resource_name(name, "resource name", event_id)
        return Hint(resource_type, name, event_id, event_name, event_time, from_arn=True)
    raise MalformedEvent(f"event {event_id}: unexpected eventName {event_name!r}")


def _parse_arn(value: object) -> tuple[ResourceType | None, str] | None:
    if not isinstance(value, str):
        return None
    match = _ARN.match(value)
    if not match:
        return None
    try:
        return ResourceType(match["type"]), match["name"]
    except ValueError:
        return None, match["name"]


def _recheck(detail: Mapping[str, Any], event_id: str, event_time: datetime | None) -> Hint:
    try:
        resource_type = ResourceType(str(detail.get("ResourceType")))
    except ValueError:
        raise MalformedEvent(
            f"recheck {event_id}: unknown ResourceType {detail.get('ResourceType')!r}"
        ) from None
    name = resource_name(detail.get("Name"), "Name", event_id)
    attempt = detail.get("Attempt")
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise MalformedEvent(f"recheck {event_id}: 'Attempt' must be a positive whole number")
    return Hint(resource_type, name, event_id, f"recheck {attempt}", event_time, attempt=attempt)


def recheck_message(hint: Hint, now: datetime) -> dict[str, Any]:
    """The message re-enqueued (with a delay) while a resource is not ready yet."""
    return {
        "version": "0",
        "id": hint.event_id,
        "source": RECHECK_SOURCE,
        "detail-type": RECHECK_DETAIL_TYPE,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        # The name is the resolved one (case kept), so a recheck never needs resolving again.
        "detail": {"ResourceType": hint.resource_type.value, "Name": hint.name, "Attempt": hint.attempt + 1},
    }
