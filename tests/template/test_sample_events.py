"""The SQS-wrapped samples for `sam local invoke` are generated from, and in sync with, the raw ones."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

import pytest

from tests.template.helpers import EVENTS_DIR, UNMATCHED_PREFIX, raw_samples

HANDLED = sorted(name for name in raw_samples() if not name.startswith(UNMATCHED_PREFIX))


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sqs_events", EVENTS_DIR / "make_sqs_events.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_wrapped_files_are_up_to_date() -> None:
    # Given the generator script
    generator = load_generator()

    # When it compares what it would write with what is committed
    stale = generator.stale_files()

    # Then nothing is missing, outdated or orphaned
    assert stale == [], "run: python events/make_sqs_events.py"


@pytest.mark.parametrize("name", HANDLED)
def test_a_wrapped_file_carries_its_raw_event(name: str) -> None:
    # Given a handled sample and its wrapped file
    raw = raw_samples()[name]
    wrapped = json.loads((EVENTS_DIR / f"{name}.json").read_text())

    # When the single record's body is decoded
    (record,) = wrapped["Records"]
    body = json.loads(record["body"])

    # Then it is the raw EventBridge event, delivered from the events queue
    assert body == raw
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].startswith("arn:aws:sqs:eu-west-1:123456789012:")


def test_unmatched_samples_are_not_wrapped() -> None:
    # Given / When the events folder is listed
    wrapped = {path.stem for path in EVENTS_DIR.glob("*.json")}

    # Then only handled samples (and the env file) are there: nothing delivers the others
    assert wrapped == {*HANDLED, "env"}


def test_the_samples_cover_every_handled_kind() -> None:
    # Given the raw samples
    samples = raw_samples()

    # When they are classified by what the function reacts to
    endpoint_statuses = {
        event["detail"]["EndpointStatus"] for name, event in samples.items() if name.startswith("endpoint-")
    }
    api_calls = {
        (
            event["detail"]["eventName"],
            event["detail"]["requestParameters"].get("resourceArn", "").split(":")[-1].split("/")[0],
        )
        for name, event in samples.items()
        if name.startswith("cloudtrail-")
    }
    tag_shapes = {
        type(event["detail"]["Tags"]).__name__
        for name, event in samples.items()
        if name.startswith("endpoint-")
    }
    times = {
        event["time"].isdigit() for name, event in samples.items() if not name.startswith(UNMATCHED_PREFIX)
    }

    # Then every status, API call, tag shape and time format the function must accept is present
    assert endpoint_statuses == {"IN_SERVICE", "DELETING", "FAILED"}
    assert {call for call, _ in api_calls} == {
        "CreateInferenceComponent",
        "UpdateInferenceComponent",
        "DeleteInferenceComponent",
        "AddTags",
        "DeleteTags",
    }
    assert ("AddTags", "endpoint") in api_calls
    assert ("DeleteTags", "inference-component") in api_calls
    assert tag_shapes == {"dict", "list"}
    assert times == {True, False}
