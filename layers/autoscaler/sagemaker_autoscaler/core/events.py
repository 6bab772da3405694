"""Parse what arrives on the queue into typed hints.

Events are hints, not truth: a hint only names the resource to reconcile. Parsing is strict about what it
needs (names, statuses, types) and tolerant about what it does not (``Tags`` as an object or as a list,
``time`` as ISO-8601 or epoch milliseconds), and every rejection says exactly what was wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

ENDPOINT_STATE_CHANGE = "SageMaker Endpoint State Change"
API_CALL = "AWS API Call via CloudTrail"
RECHECK_SOURCE = "sagemaker-autoscaler.recheck"
RECHECK_DETAIL_TYPE = "Resource Not Ready Recheck"

# SageMaker resource names: alphanumerics and hyphens, at most 63 characters.
_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
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


class MalformedEvent(ValueError):
    """The message cannot be acted on; retrying would not help."""


class ResourceType(StrEnum):
    ENDPOINT = "endpoint"
    INFERENCE_COMPONENT = "inference-component"


@dataclass(frozen=True)
class Hint:
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


@dataclass(frozen=True)
class Ignored:
    """A well-formed event that needs no action (a failed API call, a tag change on a model...)."""

    event_id: str
    reason: str


def parse_message(body: str | bytes | Mapping[str, Any]) -> Hint | Ignored:
    event = _load(body)
    event_id = _string(event, "id", "event")
    source = _string(event, "source", "event")
    detail_type = _string(event, "detail-type", "event")
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise MalformedEvent(f"event {event_id}: 'detail' must be an object, got {_type_name(detail)}")
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


def _load(body: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        event = json.loads(body)
    except (ValueError, TypeError, RecursionError) as error:
        # RecursionError: JSON nested deeper than the parser's stack (a few thousand levels).
        raise MalformedEvent(f"message body is not JSON: {type(error).__name__}: {error}") from None
    if not isinstance(event, Mapping):
        raise MalformedEvent(f"message body must be a JSON object, got {_type_name(event)}")
    return event


def _type_name(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _string(container: Mapping[str, Any], key: str, where: str) -> str:
    value = container.get(key)
    if not isinstance(value, str) or not value.strip():
        shown = "missing" if key not in container else f"{_type_name(value)} {value!r}"
        raise MalformedEvent(f"{where}: '{key}' must be a non-empty string ({shown})")
    return value


def _resource_name(value: object, what: str, event_id: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise MalformedEvent(f"event {event_id}: {what} {value!r} is not a valid SageMaker resource name")
    return value


def parse_event_time(value: object, event_id: str) -> datetime | None:
    """``time`` is ISO-8601 in real events, epoch milliseconds (as a string) in one documentation sample."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedEvent(f"event {event_id}: 'time' must be a string, got {_type_name(value)}")
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.fromtimestamp(float(text) / 1000, tz=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise MalformedEvent(f"event {event_id}: 'time' {text!r} is neither ISO-8601 nor epoch ms") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_event_tags(value: object, event_id: str) -> dict[str, str]:
    """``Tags`` is an object in the documented sample and a Key/Value list in the schema registry."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        if all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return dict(value)
        raise MalformedEvent(f"event {event_id}: 'Tags' object must map strings to strings")
    if isinstance(value, list):
        tags: dict[str, str] = {}
        for item in value:
            if not (isinstance(item, Mapping) and isinstance(item.get("Key"), str)):
                raise MalformedEvent(
                    f"event {event_id}: 'Tags' list items must be {{'Key', 'Value'}} objects"
                )
            tag_value = item.get("Value", "")
            if not isinstance(tag_value, str):
                raise MalformedEvent(f"event {event_id}: tag {item['Key']!r} has a non-string value")
            tags[item["Key"]] = tag_value
        return tags
    raise MalformedEvent(
        f"event {event_id}: 'Tags' must be an object or a Key/Value list, got {_type_name(value)}"
    )


def _endpoint_state_change(detail: Mapping[str, Any], event_id: str, event_time: datetime | None) -> Hint:
    name = _resource_name(detail.get("EndpointName"), "EndpointName", event_id)
    status = detail.get("EndpointStatus")
    if not isinstance(status, str):
        raise MalformedEvent(f"event {event_id}: 'EndpointStatus' must be a string, got {_type_name(status)}")
    if status not in KNOWN_ENDPOINT_STATUSES:
        known = ", ".join(sorted(KNOWN_ENDPOINT_STATUSES))
        raise MalformedEvent(f"event {event_id}: unknown EndpointStatus {status!r}; known: {known}")
    tags = parse_event_tags(detail.get("Tags"), event_id)
    return Hint(ResourceType.ENDPOINT, name, event_id, f"endpoint {status}", event_time, event_tags=tags)


def _api_call(detail: Mapping[str, Any], event_id: str, event_time: datetime | None) -> Hint | Ignored:
    event_name = _string(detail, "eventName", f"event {event_id}")
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
        name = _resource_name(name, "inferenceComponentName", event_id)
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
        name = _resource_name(name, "resource name", event_id)
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
    name = _resource_name(detail.get("Name"), "Name", event_id)
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
