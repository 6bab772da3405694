"""Every change the app journals (and every resource that fails) is also an event on the account's
default bus, delivered to whoever subscribes with the documented pattern; publishing never fails a run."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from local_account import resources
from local_account.emulated import ACCOUNT_ID, REGION
from local_account.stack import EmulatedStack
from local_account.template import resources_of_type
from sagemaker_autoscaler.aws.events import EventBridge
from sagemaker_autoscaler.engine.environment import dependencies_from_environment
from sagemaker_autoscaler.telemetry import journal as journal_module
from tests.support.event_sink import EventSink
from tests.support.faults import FaultInjector
from tests.support.functions import run_reconcile
from tests.support.recording import CallRecorder, LogCapture, emitted_metrics

# The pattern the README documents for subscribers.
CHANGES = {"source": ["sagemaker-autoscaler"], "detail-type": ["Scaling Change"]}
FAILURES = {"source": ["sagemaker-autoscaler"], "detail-type": ["Scaling Failure"]}


@contextlib.contextmanager
def access_denied(stack: EmulatedStack, operation: str, seed: int) -> Iterator[None]:
    """Every call of ``operation`` refused with AccessDenied, for the functions' fresh clients."""
    faults = FaultInjector(seed=seed).install()
    stack.reset_dependencies()
    faults.fail_call(operation, code="AccessDeniedException", times=99)
    try:
        with faults.active():
            yield
    finally:
        faults.uninstall()


def endpoints(sagemaker: Any, count: int) -> None:
    for index in range(count):
        resources.create_realtime_endpoint(sagemaker, f"Model-{index}")


def details(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((event["detail"] for event in events), key=json.dumps)


def with_place(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({**line, "account": ACCOUNT_ID, "region": REGION} for line in lines), key=json.dumps)


def test_every_change_line_is_an_event_with_the_same_fields(
    stack: EmulatedStack, sagemaker: Any, logs: LogCapture
) -> None:
    # Given a subscriber to the app's change events and three endpoints the app has not seen
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 3)

    # When the periodic run configures them
    run_reconcile()

    # Then there is one event per scaling_change line, with its fields plus the account and Region
    received = sink.received()
    assert logs.changes() and len(received) == len(logs.changes())
    assert details(received) == with_place(logs.changes())
    assert {(event["source"], event["detail-type"]) for event in received} == {
        ("sagemaker-autoscaler", "Scaling Change")
    }


def test_a_warm_container_publishes_each_change_once(stack: EmulatedStack, sagemaker: Any) -> None:
    # Given a subscriber and a run that changed two endpoints
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 2)
    run_reconcile()
    first = sink.received()

    # When the same container runs again and finds nothing to change
    run_reconcile()

    # Then nothing is published again
    assert first and sink.received() == []


def test_changes_are_published_in_batches_of_ten(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given six endpoints (two writes each: a target and its policy), and a subscriber
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 6)
    aws.clear()

    # When the periodic run configures them (the emulator refuses more than 10 entries a request)
    run_reconcile()

    # Then all twelve changes arrive, published in two requests
    assert len(sink.received()) == 12
    assert aws.count("PutEvents") == 2


def test_changes_are_published_as_they_gather_not_only_at_the_end(
    stack: EmulatedStack,
    sagemaker: Any,
    aws: CallRecorder,
    logs: LogCapture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the outbox published every 5 entries (100 in the app), and six endpoints to configure
    monkeypatch.setattr(journal_module, "PUBLISH_EVERY", 5)
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 6)
    aws.clear()
    # When the periodic run makes their twelve changes
    run_reconcile()
    # Then each change is delivered once, and the first events left during the run, before its last change
    assert details(sink.received()) == with_place(logs.changes())
    calls = [name for _, name in aws.calls]
    assert calls.count("PutEvents") == 3  # after the 5th, the 10th, and at the end
    first_put = calls.index("PutEvents")
    assert calls[first_put + 1 :].count("PutScalingPolicy") > 0


def test_the_template_rule_forwards_the_events_to_a_central_bus(stack: EmulatedStack, sagemaker: Any) -> None:
    # Given a second bus with a subscriber, and the template's forwarding rule on the default bus
    events = stack.events
    central = events.create_event_bus(Name="central")["EventBusArn"]
    sink = EventSink("central-changes", CHANGES, bus="central")
    rule = resources_of_type("AWS::Events::Rule")["CentralEventBusForwardingRule"]
    events.put_rule(Name="forward", EventPattern=json.dumps(rule["Properties"]["EventPattern"]))
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/forwarding"
    events.put_targets(Rule="forward", Targets=[{"Id": "central", "Arn": central, "RoleArn": role}])
    endpoints(sagemaker, 1)

    # When the periodic run configures the endpoint
    run_reconcile()

    # Then its changes arrive on the central bus with the app's source, detail type and detail
    received = sink.received()
    assert received
    for event in received:
        assert (event["source"], event["detail-type"]) == ("sagemaker-autoscaler", "Scaling Change")
        assert event["detail"]["resource_id"] == "endpoint/Model-0/variant/AllTraffic"
        assert (event["detail"]["account"], event["detail"]["region"]) == (ACCOUNT_ID, REGION)


def test_a_failed_resource_is_a_failure_event(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given a subscriber to failures, and an endpoint whose registration AWS refuses
    sink = EventSink("failures", FAILURES)
    endpoints(sagemaker, 1)
    # When the periodic run tries it
    with access_denied(stack, "RegisterScalableTarget", seed=1):
        run_reconcile()

    # Then one failure event names the resource, the decision and the reason
    (event,) = sink.received()
    assert event["detail"]["resource_id"] == "endpoint/Model-0/variant/AllTraffic"
    assert event["detail"]["decision"] == "failed"
    assert "AccessDenied" in event["detail"]["reason"]
    assert (event["detail"]["account"], event["detail"]["region"]) == (ACCOUNT_ID, REGION)


def test_access_denied_on_put_events_fails_nothing_and_is_counted(
    stack: EmulatedStack, sagemaker: Any, logs: LogCapture, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two endpoints, and a role that may not put events
    endpoints(sagemaker, 2)
    # When the periodic run configures them
    with access_denied(stack, "PutEvents", seed=2):
        summary = run_reconcile()

    # Then the run succeeded, both endpoints are configured, and the lost events are an ERROR and a metric
    assert summary["resources_changed"] == 2 and summary["resources_failed"] == 0
    assert len(logs.changes()) == 4
    assert emitted_metrics(capsys.readouterr().out)["ChangeEventsFailed"] == 4
    assert [line["level"] for line in logs.with_key("change_events_failed")] == ["ERROR"]


class RefusingBus(EventBridge):
    """The emulated bus, except that it refuses the first ``refusals`` entries it is given, as
    EventBridge does with a throttled entry (FailedEntryCount, the entry's ErrorCode)."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals

    def put_events(self, entries: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
        refused, accepted = list(entries[: self.refusals]), list(entries[self.refusals :])
        self.refusals -= len(refused)
        return [(entry, "ThrottlingException") for entry in refused] + (
            super().put_events(accepted) if accepted else []
        )


@pytest.mark.parametrize(("refusals", "delivered", "failed"), [(3, 4, 0), (99, 0, 4)])
def test_refused_entries_are_retried_once_then_counted(
    stack: EmulatedStack,
    sagemaker: Any,
    capsys: pytest.CaptureFixture[str],
    refusals: int,
    delivered: int,
    failed: int,
) -> None:
    # Given a subscriber, two endpoints, and a bus that refuses some entries
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 2)
    publisher = dependencies_from_environment().publisher
    assert publisher is not None
    publisher.bus = RefusingBus(refusals)

    # When the periodic run configures them
    summary = run_reconcile()

    # Then a passing refusal is retried once and delivered; a lasting one is counted, not raised
    assert summary["resources_changed"] == 2
    assert len(sink.received()) == delivered
    assert emitted_metrics(capsys.readouterr().out).get("ChangeEventsFailed", 0) == failed


def test_publishing_switched_off_publishes_nothing(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given PublishChangeEvents=false and a subscriber
    monkeypatch.setenv("AUTOSCALER_PUBLISH_CHANGE_EVENTS", "false")
    stack.reset_dependencies()
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 1)

    # When the periodic run configures an endpoint
    run_reconcile()

    # Then no event is put on the bus
    assert aws.count("PutEvents") == 0 and sink.received() == []


@pytest.mark.parametrize(("publish", "published"), [("true", 0), ("with-planned", 2)])
def test_planned_changes_are_published_only_when_asked_for(
    stack: EmulatedStack,
    sagemaker: Any,
    logs: LogCapture,
    monkeypatch: pytest.MonkeyPatch,
    publish: str,
    published: int,
) -> None:
    # Given a stack in plan mode (every periodic run plans the same pending changes again)
    monkeypatch.setenv("AUTOSCALER_WRITE_MODE", "plan")
    monkeypatch.setenv("AUTOSCALER_PUBLISH_CHANGE_EVENTS", publish)
    stack.reset_dependencies()
    sink = EventSink("changes", CHANGES)
    endpoints(sagemaker, 1)
    # When the periodic run plans an endpoint's two changes
    run_reconcile()
    # Then they are events only with PublishChangeEvents=with-planned, each saying "planned"
    planned = logs.changes()
    assert len(planned) == 2 and {line["outcome"] for line in planned} == {"planned"}
    received = sink.received()
    assert len(received) == published
    assert all(event["detail"]["outcome"] == "planned" for event in received)
