"""The command-line tool: `plan` shows every change the app would make and why, `status` what it manages;
both only ever read, whatever account they point at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

import boto3
import pytest
from freezegun import freeze_time

from local_account.demo_account import create_demo_account
from local_account.stack import EmulatedStack
from sagemaker_autoscaler_cli import main as cli
from tests.reconcile.fleet_support import run_reconcile
from tests.support.faults import scaling_state

READ_PREFIXES = ("Describe", "List", "Get")


class RecordingSession(boto3.session.Session):
    """A session whose clients record every operation they call (the tool makes its own session)."""

    calls: ClassVar[list[str]] = []

    def client(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        client = super().client(*args, **kwargs)
        client.meta.events.register("before-call.*.*", lambda model, **_: self.calls.append(model.name))
        return client


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    RecordingSession.calls = []
    monkeypatch.setattr(boto3.session, "Session", RecordingSession)
    yield RecordingSession.calls


@pytest.fixture
def demo(stack: EmulatedStack, sagemaker: Any, autoscaling: Any) -> Any:
    return create_demo_account(sagemaker, autoscaling)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main([*args, "--region", "eu-west-1"])
    return code, capsys.readouterr().out


@freeze_time("2026-03-03 10:00:00")
def test_plan_prints_every_resource_with_its_change_and_why_and_only_reads(
    demo: Any, recorded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = scaling_state()
    # When the tool plans the demo account before anything was deployed
    code, out = run_cli(capsys, "plan")
    # Then changes are pending (exit code 2) and each resource says what it is, now and planned, and why
    assert code == cli.EXIT_CHANGES
    rows = {
        line.split()[0]: line for line in out.splitlines() if line.startswith(("endpoint/", "inference-"))
    }
    assert "realtime-variant" in rows["endpoint/Chat-Assistant/variant/AllTraffic"]
    assert "1..6" in rows["endpoint/Search-Ranker/variant/AllTraffic"]
    assert "CapacityProtected" in rows["endpoint/Search-Ranker/variant/AllTraffic"]
    assert "skipped" in rows["endpoint/Fraud-Scoring/variant/AllTraffic"]
    assert "invalid" in rows["endpoint/Legacy-Ranker/variant/AllTraffic"]
    assert "Changes the app would make (none was made)" in out
    assert "RegisterScalableTarget  inference-component/Mistral-7B" in out
    # And it only ever read: every call is a Describe, List or Get, and the account is unchanged
    assert recorded and all(name.startswith(READ_PREFIXES) for name in recorded), sorted(set(recorded))
    assert scaling_state() == before


@freeze_time("2026-03-03 10:00:00")
def test_plan_json_matches_what_the_app_then_does_and_then_nothing_is_pending(
    demo: Any, recorded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_cli(capsys, "plan", "--json")
    report = json.loads(out)
    assert code == cli.EXIT_CHANGES and report["summary"]["planned"] > 0
    planned = sorted(
        (change["action"], resource["resource_id"])
        for resource in report["resources"]
        for change in resource["changes"]
    )
    # When the app applies (its periodic run)
    summary = run_reconcile()
    # Then it made as many changes as planned, and a new plan has nothing pending (exit code 0)
    assert summary["writes"] == len(planned)
    code, out = run_cli(capsys, "plan", "--json")
    assert code == cli.EXIT_NO_CHANGES
    assert json.loads(out)["summary"]["planned"] == 0


@freeze_time("2026-03-03 10:00:00")
def test_plan_with_template_parameters_before_anything_is_deployed(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_cli(
        capsys, "plan", "--json", "--param", "DefaultMaxCapacity=9", "--param", "ManagementMode=opt-in"
    )
    resources = {r["resource_id"]: r for r in json.loads(out)["resources"]}
    # opt-in: nothing untagged is managed; nothing is pending
    assert code == cli.EXIT_NO_CHANGES
    assert resources["endpoint/Chat-Assistant/variant/AllTraffic"]["decision"] == "unmanaged"
    # A parameter the template does not have is a clear error
    code = cli.main(["plan", "--region", "eu-west-1", "--param", "MaxCapacity=9"])
    assert code == cli.EXIT_ERROR
    assert "unknown parameter" in capsys.readouterr().err


@freeze_time("2026-03-03 10:00:00")
def test_plan_with_a_deployed_stacks_parameters(demo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a deployed stack whose parameters say max 9 (only its parameters matter to the tool)
    boto3.client("cloudformation", region_name="eu-west-1").create_stack(
        StackName="sagemaker-autoscaler",
        TemplateBody=json.dumps(
            {
                "Parameters": {"DefaultMaxCapacity": {"Type": "Number"}},
                "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
            }
        ),
        Parameters=[{"ParameterKey": "DefaultMaxCapacity", "ParameterValue": "9"}],
    )
    code, out = run_cli(capsys, "plan", "--json", "--stack", "sagemaker-autoscaler")
    resources = {r["resource_id"]: r for r in json.loads(out)["resources"]}
    assert code == cli.EXIT_CHANGES
    assert resources["endpoint/Legacy-Ranker/variant/AllTraffic"]["planned"]["max"] == 9


@freeze_time("2026-03-03 10:00:00")
def test_status_shows_what_the_app_manages_and_only_reads(
    demo: Any, recorded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_cli(capsys, "status")
    assert code == 0 and "manages nothing" in out
    run_reconcile()
    recorded.clear()
    code, out = run_cli(capsys, "status", "--json")
    managed = {item["resource_id"]: item for item in json.loads(out)}
    assert "endpoint/Fraud-Scoring/variant/AllTraffic" not in managed  # the team's own
    assert managed["endpoint/Search-Ranker/variant/AllTraffic"]["capacity_floor"] == 6
    assert managed["inference-component/Mistral-7B"]["policies"] == [
        "sagemaker-autoscaler-target-tracking",
        "sagemaker-autoscaler-wake-from-zero",
    ]
    assert all(name.startswith(READ_PREFIXES) for name in recorded)


def test_no_region_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    assert cli.main(["status"]) == cli.EXIT_ERROR
    assert "no Region" in capsys.readouterr().err


def test_an_unknown_profile_or_a_missing_template_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["status", "--region", "eu-west-1", "--profile", "no-such-profile"]) == cli.EXIT_ERROR
    assert "ProfileNotFound" in capsys.readouterr().err
    code = cli.main(["plan", "--region", "eu-west-1", "--template", "/nonexistent/template.yaml"])
    assert code == cli.EXIT_ERROR
    assert "FileNotFoundError" in capsys.readouterr().err


@freeze_time("2026-03-03 10:00:00")
def test_plan_keeps_every_line_however_large_the_account(
    demo: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The functions' journal keeps only the recent past; the tool's report needs all of a run.
    monkeypatch.setattr("sagemaker_autoscaler.telemetry.journal.MAX_ENTRIES", 5)
    code, out = run_cli(capsys, "plan", "--json")
    report = json.loads(out)
    assert code == cli.EXIT_CHANGES
    assert sum(len(r["changes"]) for r in report["resources"]) == report["summary"]["planned"] > 5
