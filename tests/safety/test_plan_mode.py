"""WriteMode=plan: every function does all its work but the writes. Each change it would make is a
``scaling_change`` line with outcome ``planned`` and a PlannedChanges metric; nothing is written to
Application Auto Scaling, CloudWatch or SageMaker. Switching to apply then makes exactly those changes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from freezegun import freeze_time

from local_account.demo_account import create_demo_account
from local_account.stack import EmulatedStack
from tests.integration.test_tags_and_bad_input import emitted_metrics
from tests.lifecycle.test_install_uninstall import ResponseCatcher, invoke
from tests.reconcile.fleet_support import run_reconcile
from tests.support.faults import scaling_state
from tests.support.recording import CallRecorder, LogCapture


def deploy(monkeypatch: pytest.MonkeyPatch, write_mode: str) -> EmulatedStack:
    """The stack deployed (or updated) with this WriteMode: a new container for every function."""
    stack = EmulatedStack(environment_overrides={"AUTOSCALER_WRITE_MODE": write_mode})
    for name, value in stack.environment.items():
        monkeypatch.setenv(name, value)
    stack.reset_dependencies()
    return stack


def change_keys(lines: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted((c["action"], c["resource_id"], json.dumps(c["new"], sort_keys=True)) for c in lines)


@pytest.fixture
def cloudformation() -> Any:
    catcher = ResponseCatcher()
    yield catcher
    catcher.close()


@freeze_time("2026-03-03 10:00:00")
def test_plan_mode_writes_nothing_on_any_path_and_apply_then_makes_exactly_the_planned_changes(
    aws: CallRecorder,
    sagemaker: Any,
    autoscaling: Any,
    logs: LogCapture,
    cloudformation: ResponseCatcher,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given the demo account, and the stack deployed with WriteMode=plan
    account = create_demo_account(sagemaker, autoscaling)
    stack = deploy(monkeypatch, "plan")
    before = scaling_state()
    capsys.readouterr()
    aws.clear()
    # When the install, the events and the periodic run all do their work
    invoke("Create", cloudformation)
    stack.publish(*account.events())
    stack.drain()
    first = len(logs.lines)
    summary = run_reconcile()
    periodic_lines = [line["scaling_change"] for line in logs.lines[first:] if "scaling_change" in line]
    # Then nothing was written anywhere, and the account is as it was
    assert aws.writes() == []
    assert scaling_state() == before
    # And every change is a planned line, counted as PlannedChanges (never ScalingChanges)
    planned = logs.changes()
    assert len(planned) > 20 and {change["outcome"] for change in planned} == {"planned"}
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["PlannedChanges"] == len(planned)
    assert "ScalingChanges" not in metrics
    assert summary["planned"] == len(periodic_lines) and summary["writes"] == 0
    # When the stack is switched to apply and the periodic run comes
    deploy(monkeypatch, "apply")
    first = len(logs.lines)
    applied = run_reconcile()
    made = [line["scaling_change"] for line in logs.lines[first:] if "scaling_change" in line]
    # Then it makes exactly the changes the plan announced, and the account is configured
    assert change_keys(made) == change_keys(periodic_lines)
    assert applied["writes"] == summary["planned"]
    assert "endpoint/Search-Ranker/variant/AllTraffic" in scaling_state()["targets"]
