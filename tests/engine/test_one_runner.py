"""Every path feeds one runner: a resource that fails, at any step, fails alone, and is reported the same
way on each path (an ERROR line with a `failed` decision naming it, and the ProcessingErrors metric)."""

from __future__ import annotations

from typing import Any

import pytest

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.integration.test_tags_and_bad_input import emitted_metrics
from tests.lifecycle.test_install_uninstall import ResponseCatcher, invoke
from tests.reconcile.fleet_support import run_reconcile
from tests.support.faults import FaultInjector
from tests.support.recording import CallRecorder, LogCapture

BLUE, GREEN = "endpoint/LLM-Chat/variant/Blue", "endpoint/LLM-Chat/variant/Green"


@pytest.fixture
def faults(aws: CallRecorder) -> Any:
    injector = FaultInjector(seed=5).install()
    yield injector
    injector.uninstall()


@pytest.fixture
def cloudformation() -> Any:
    catcher = ResponseCatcher()
    yield catcher
    catcher.close()


@pytest.fixture
def two_variants(faults: FaultInjector, stack: EmulatedStack, sagemaker: Any) -> EmulatedStack:
    """An endpoint with two variants; every write for Blue's target fails."""
    resources.create_realtime_endpoint(sagemaker, "LLM-Chat", variants=("Blue", "Green"))
    return stack


def failures(logs: LogCapture) -> list[tuple[str, str]]:
    """(resource, level) of every `failed` decision."""
    return [
        (line["decision"]["resource_id"], line["level"])
        for line in logs.with_key("decision")
        if line["decision"]["decision"] == "failed"
    ]


def assert_blue_failed_alone(logs: LogCapture, capsys: pytest.CaptureFixture[str]) -> None:
    state = describe_scaling()
    assert GREEN in state and BLUE not in state
    assert failures(logs) == [(BLUE, "ERROR")]
    assert emitted_metrics(capsys.readouterr().out)["ProcessingErrors"] >= 1


def test_the_event_path(
    two_variants: EmulatedStack, faults: FaultInjector, logs: LogCapture, capsys: pytest.CaptureFixture[str]
) -> None:
    faults.fail_requests("RegisterScalableTarget", {"ResourceId": BLUE})
    two_variants.publish(aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"))
    with faults.active():
        report = two_variants.drain(max_invocations=1)
    assert report.failed_messages == 1  # the message is retried for Blue's sake
    assert_blue_failed_alone(logs, capsys)


def test_the_periodic_run(
    two_variants: EmulatedStack, faults: FaultInjector, logs: LogCapture, capsys: pytest.CaptureFixture[str]
) -> None:
    faults.fail_requests("RegisterScalableTarget", {"ResourceId": BLUE})
    with faults.active():
        summary = run_reconcile()
    assert summary["resources_failed"] == 1 and summary["resources_changed"] == 1
    assert_blue_failed_alone(logs, capsys)


def test_the_install(
    two_variants: EmulatedStack,
    faults: FaultInjector,
    cloudformation: ResponseCatcher,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    faults.fail_requests("RegisterScalableTarget", {"ResourceId": BLUE})
    with faults.active():
        invoke("Create", cloudformation)
    assert cloudformation.bodies[-1]["Data"]["resources_failed"] == "1"
    assert_blue_failed_alone(logs, capsys)


def test_the_uninstall(
    two_variants: EmulatedStack,
    faults: FaultInjector,
    cloudformation: ResponseCatcher,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUTOSCALER_EVENT_RULES", ",".join(two_variants.rule_names))
    run_reconcile()
    faults.fail_requests("DeregisterScalableTarget", {"ResourceId": BLUE})
    with faults.active():
        invoke("Delete", cloudformation)
    # Green released; Blue's target stays (its policy went first), its failure reported as on every path
    state = describe_scaling()
    assert GREEN not in state and BLUE in state
    assert failures(logs) == [(BLUE, "ERROR")]
    assert emitted_metrics(capsys.readouterr().out)["ProcessingErrors"] >= 1
