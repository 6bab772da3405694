"""Ownership that survives races: a release that deregisters a target while another writer updates it
makes that update create the target anew. AAS takes tags only on creation (and refuses them on an existing
target), so the app tags a target its update created at once: it never mistakes its own target for a
team's, and an uninstall still finds it."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun import freeze_time

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from sagemaker_autoscaler.engine.environment import dependencies_from_environment
from sagemaker_autoscaler.engine.messages import handle_message
from tests.faults.test_self_healing import as_event
from tests.reconcile.fleet_support import run_reconcile
from tests.support.faults import FaultInjector
from tests.support.recording import CallRecorder, LogCapture

RID = "endpoint/LLM-Chat/variant/AllTraffic"
OWNER = ("managed-by", "sagemaker-autoscaler")


@pytest.fixture
def faults(aws: CallRecorder) -> Any:
    injector = FaultInjector(seed=11).install()
    yield injector
    injector.uninstall()


@pytest.fixture
def configured(faults: FaultInjector, stack: EmulatedStack, sagemaker: Any) -> str:
    """A configured endpoint whose team has just raised its maximum (so the next write is an update)."""
    arn = resources.create_realtime_endpoint(sagemaker, "LLM-Chat", tags={"autoscaler:max-capacity": "4"})
    stack.publish(aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"))
    stack.drain()
    assert describe_scaling()[RID]["max"] == 4
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:max-capacity", "Value": "6"}])
    return arn


def opt_out(sagemaker: Any, arn: str) -> str:
    """The team opts the endpoint out; returns the CloudTrail event that says so."""
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:enabled", "Value": "false"}])
    return as_event(aws_events.tags_call("AddTags", arn, {"autoscaler:enabled": "false"}))


def skipped(logs: LogCapture) -> list[str]:
    return [
        line["message"] for line in logs.with_key("decision") if line["decision"]["decision"] == "skipped"
    ]


@freeze_time("2026-03-03 10:00:00")
def test_event_against_event_a_release_in_the_middle_of_an_update(
    faults: FaultInjector, configured: str, sagemaker: Any, logs: LogCapture
) -> None:
    deps = dependencies_from_environment()
    inner: list[Any] = []
    # Given the update's RegisterScalableTarget is about to go out when the opt-out is handled (two
    # Lambda invocations at once): the opt-out deregisters the target
    faults.before_call(
        "RegisterScalableTarget", lambda: inner.append(handle_message(opt_out(sagemaker, configured), deps))
    )
    # When both finish
    update = as_event(aws_events.tags_call("AddTags", configured, {"autoscaler:max-capacity": "6"}))
    with faults.active():
        outer = handle_message(update, deps)
    # Then the update created the target anew, knew it for its own (tagged it), saw that the tags had
    # moved and released it: nothing is left, and nothing was ever mistaken for a team's target
    assert inner[0].outcome == "changed" and outer.outcome == "changed"
    assert describe_scaling() == {"_alarms": []}
    assert skipped(logs) == []
    assert faults.calls["TagResource"] == 1
    # And that tagging write has its own log line, like every write
    [tagging] = [change for change in logs.changes() if change["action"] == "TagResource"]
    assert tagging["outcome"] == "tagged (target re-created by a race)" and tagging["resource_id"] == RID


@freeze_time("2026-03-03 10:00:00")
def test_periodic_run_against_event_a_release_in_the_middle_of_the_runs_update(
    faults: FaultInjector, configured: str, sagemaker: Any, logs: LogCapture
) -> None:
    deps = dependencies_from_environment()
    # Given the periodic run's update goes out just after an event released the target
    faults.before_call("RegisterScalableTarget", lambda: handle_message(opt_out(sagemaker, configured), deps))
    with faults.active():
        run_reconcile()
    # Then the target the run created anew carries the app's ownership tag
    target = describe_scaling()[RID]
    assert target["tags"][OWNER[0]] == OWNER[1]
    # And the next run (or an uninstall) recognises it as the app's and releases it: opted out
    run_reconcile()
    assert describe_scaling() == {"_alarms": []}
    assert skipped(logs) == []


@freeze_time("2026-03-03 10:00:00")
def test_two_first_registrations_at_once_leave_one_target_of_the_apps(
    faults: FaultInjector, stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given a new endpoint announced twice, the second delivery handled inside the first's registration
    resources.create_realtime_endpoint(sagemaker, "LLM-Chat")
    event = as_event(aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"))
    deps = dependencies_from_environment()
    inner: list[Any] = []
    faults.before_call("RegisterScalableTarget", lambda: inner.append(handle_message(event, deps)))
    # When both finish
    with faults.active():
        outer = handle_message(event, deps)
    # Then the first to register created it with its tags; the other found it created (AAS refuses tags on
    # an existing target), read it again and had nothing left to do
    assert [inner[0].outcome, outer.outcome] == ["changed", "unchanged"]
    assert describe_scaling()[RID]["tags"][OWNER[0]] == OWNER[1]
    aws.clear()
    run_reconcile()
    assert aws.writes() == []
