"""EventBridge in the emulated account: PutEvents' documented limits, and delivery from one bus to
another (what the central-bus forwarding relies on)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_account.emulated import ACCOUNT_ID, REGION
from tests.support.event_sink import EventSink
from tests.support.recording import CallRecorder

LIMIT = 256 * 1024


def entry(detail_bytes: int = 2, source: str = "demo") -> dict[str, Any]:
    padding = "x" * max(detail_bytes - len('{"p": ""}'), 0)
    return {"Source": source, "DetailType": "Test", "Detail": json.dumps({"p": padding})}


def size(entries: list[dict[str, Any]]) -> int:
    return sum(len(e["Source"]) + len(e["DetailType"]) + len(e["Detail"].encode()) for e in entries)


def test_a_request_of_eleven_entries_is_refused(aws: CallRecorder, events: Any) -> None:
    # Given eleven entries (PutEvents takes 1 to 10)
    entries = [entry() for _ in range(11)]

    # When they are put in one request
    # Then the request is refused
    with pytest.raises(ClientError):
        events.put_events(Entries=entries)


def test_a_request_of_256_kb_is_refused_and_one_just_under_is_accepted(
    aws: CallRecorder, events: Any
) -> None:
    # Given two entries of 128 KB each (counted as AWS counts them: Source, DetailType, Detail)
    sink = EventSink("limit-watch", {"source": ["demo"]})
    half = LIMIT // 2 - len("demo") - len("Test")
    too_big = [entry(half), entry(half)]
    assert size(too_big) == LIMIT

    # When they are put in one request
    # Then the whole request is refused and nothing is delivered
    with pytest.raises(ClientError) as refused:
        events.put_events(Entries=too_big)
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert sink.received() == []

    # And one byte less is accepted and delivered
    just_under = [entry(half), entry(half - 1)]
    answer = events.put_events(Entries=just_under)
    assert answer["FailedEntryCount"] == 0
    assert len(sink.received()) == 2


def test_a_rule_forwards_events_to_another_bus(aws: CallRecorder, events: Any) -> None:
    # Given a second bus with a queue behind it, and a rule on the default bus targeting that bus
    bus_arn = events.create_event_bus(Name="central")["EventBusArn"]
    sink = EventSink("central-watch", {"source": ["demo"]}, bus="central")
    events.put_rule(Name="forward", EventPattern=json.dumps({"source": ["demo"]}))
    events.put_targets(
        Rule="forward",
        Targets=[{"Id": "central", "Arn": bus_arn, "RoleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/forward"}],
    )

    # When an event is put on the default bus
    events.put_events(Entries=[{"Source": "demo", "DetailType": "Test", "Detail": '{"n": 1}'}])

    # Then it arrives on the second bus with its source, detail type and detail
    (arrived,) = sink.received()
    assert (arrived["source"], arrived["detail-type"], arrived["detail"]) == ("demo", "Test", {"n": 1})
    assert arrived["region"] == REGION
