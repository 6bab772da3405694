"""The fields of an event, each read strictly where the app needs it and tolerantly where AWS varies:
every rejection is a MalformedEvent that says exactly what was wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# SageMaker resource names: alphanumerics and hyphens, at most 63 characters.
_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")


class MalformedEvent(ValueError):
    """The message cannot be acted on; retrying would not help."""


def load_body(body: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        event = json.loads(body)
    except (ValueError, TypeError, RecursionError) as error:
        # RecursionError: JSON nested deeper than the parser's stack (a few thousand levels).
        raise MalformedEvent(f"message body is not JSON: {type(error).__name__}: {error}") from None
    if not isinstance(event, Mapping):
        raise MalformedEvent(f"message body must be a JSON object, got {type_name(event)}")
    return event


def type_name(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def string_field(container: Mapping[str, Any], key: str, where: str) -> str:
    value = container.get(key)
    if not isinstance(value, str) or not value.strip():
        shown = "missing" if key not in container else f"{type_name(value)} {value!r}"
        raise MalformedEvent(f"{where}: '{key}' must be a non-empty string ({shown})")
    return value


def resource_name(value: object, what: str, event_id: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise MalformedEvent(f"event {event_id}: {what} {value!r} is not a valid SageMaker resource name")
    return value


def parse_event_time(value: object, event_id: str) -> datetime | None:
    """``time`` is ISO-8601 in real events, epoch milliseconds (as a string) in one documentation sample."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedEvent(f"event {event_id}: 'time' must be a string, got {type_name(value)}")
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
        f"event {event_id}: 'Tags' must be an object or a Key/Value list, got {type_name(value)}"
    )
