"""The periodic run emits the account's estimated spend per hour and saving per week (priced units, from
the price snapshot), from what it already read: the estimate adds no read of its own, and the same
figures as `report` over the same inventory."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun import freeze_time

from local_account.demo_account import create_demo_account
from local_account.stack import EmulatedStack
from sagemaker_autoscaler.engine import periodic, savings
from sagemaker_autoscaler.engine.periodic import SAVINGS_METRIC, SPEND_METRIC
from tests.support.functions import run_reconcile
from tests.support.recording import CallRecorder, emitted_metrics


@pytest.fixture
def demo(stack: EmulatedStack, sagemaker: Any, autoscaling: Any) -> EmulatedStack:
    """The demo account, not yet configured; the stack it runs in."""
    create_demo_account(sagemaker, autoscaling)
    return stack


@freeze_time("2026-03-03 10:00:00")
def test_the_periodic_run_emits_estimated_spend_and_savings(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the demo account, configured by a first run
    create_demo_account(sagemaker, autoscaling)
    run_reconcile()
    capsys.readouterr()
    # When the next periodic run comes
    run_reconcile()
    metrics = emitted_metrics(capsys.readouterr().out)
    # Then the estimate is there: the async endpoint alone saves more than $100 a week off-hours
    assert metrics[SAVINGS_METRIC] > 100
    assert 0 < metrics[SPEND_METRIC] < 100  # dollars per hour, priced units only
    assert metrics["UnitsWithoutPrice"] == 2  # Legacy-Ranker's ml.g5.2xlarge, Intent-Classifier's memory


@freeze_time("2026-03-03 10:00:00")
def test_the_estimate_reads_nothing_more_than_the_run(
    aws: CallRecorder, stack: EmulatedStack, sagemaker: Any, autoscaling: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_account(sagemaker, autoscaling)
    run_reconcile()
    aws.clear()
    run_reconcile()
    with_estimate = sorted(aws.calls)
    monkeypatch.setattr(periodic, "emit_savings", lambda deps, inventory: None)
    aws.clear()
    run_reconcile()
    assert with_estimate == sorted(aws.calls)


@freeze_time("2026-03-03 10:00:00")
def test_a_failing_estimate_does_not_fail_the_run(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    create_demo_account(sagemaker, autoscaling)

    def broken(*_: Any) -> Any:
        raise ValueError("a snapshot that cannot be read")

    monkeypatch.setattr(periodic, "snapshot_prices", broken)
    summary = run_reconcile()
    assert summary["resources_failed"] == 0 and summary["writes"] > 0
    assert SAVINGS_METRIC not in emitted_metrics(capsys.readouterr().out)


@freeze_time("2026-03-03 10:00:00")
def test_in_plan_mode_nothing_is_counted_as_saved(
    demo: EmulatedStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the demo account and a stack in plan mode: no scaling is in place
    monkeypatch.setenv("AUTOSCALER_WRITE_MODE", "plan")
    demo.reset_dependencies()
    # When the periodic run plans it
    run_reconcile()
    metrics = emitted_metrics(capsys.readouterr().out)
    # Then no saving is claimed, and the units left out are counted
    assert metrics[SAVINGS_METRIC] == 0
    assert metrics["UnitsNotInPlace"] >= 4


@freeze_time("2026-03-03 10:00:00")
def test_a_unit_the_estimate_cannot_count_is_no_processing_error_and_no_failure_event(
    demo: EmulatedStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_reconcile()
    capsys.readouterr()

    def broken(*_: Any, **__: Any) -> Any:
        raise ValueError("a unit the estimate cannot count")

    monkeypatch.setattr(savings, "variant_saving", broken)
    summary = run_reconcile()
    metrics = emitted_metrics(capsys.readouterr().out)
    assert summary["resources_failed"] == 0
    assert "ProcessingErrors" not in metrics
    assert "ChangeEventsPublished" not in metrics  # no failure event either
    # And the unit it could count, the component host ($7.91 an hour, its sibling keeps it up), still is
    assert metrics[SPEND_METRIC] == pytest.approx(7.91)
