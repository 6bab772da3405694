"""The README's read-only IAM policy for the tool covers every call the tool makes, and grants no write."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from local_account.demo_account import create_demo_account
from local_account.stack import EmulatedStack
from sagemaker_autoscaler_cli import main as cli
from tests.cli.test_cli import RecordingSession
from tests.reconcile.fleet_support import run_reconcile

README = Path(__file__).resolve().parents[2] / "README.md"
# boto3 service name -> IAM action prefix
IAM_PREFIX = {
    "sagemaker": "sagemaker",
    "application-autoscaling": "application-autoscaling",
    "cloudwatch": "cloudwatch",
    "resourcegroupstaggingapi": "tag",
    "cloudformation": "cloudformation",
}


def readme_policy() -> dict[str, Any]:
    text = README.read_text()
    match = re.search(r"<!-- cli-read-only-policy -->\s*```json\n(.*?)```", text, re.DOTALL)
    assert match, "the README has no read-only policy block"
    policy: dict[str, Any] = json.loads(match[1])
    return policy


def allowed_actions(policy: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions.update([listed] if isinstance(listed, str) else listed)
    return actions


class ServiceRecordingSession(RecordingSession):
    """Records ``service:Operation`` so that calls map to IAM actions."""

    def client(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        client = super(RecordingSession, self).client(*args, **kwargs)
        prefix = IAM_PREFIX[client.meta.service_model.service_name]
        client.meta.events.register(
            "before-call.*.*", lambda model, **_: self.calls.append(f"{prefix}:{model.name}")
        )
        return client


def test_the_policy_grants_reads_only() -> None:
    for action in allowed_actions(readme_policy()):
        assert action.split(":", 1)[1].startswith(("Describe", "List", "Get")), action


@freeze_time("2026-03-03 10:00:00")
def test_the_policy_covers_every_call_of_plan_status_and_report(
    stack: EmulatedStack,
    sagemaker: Any,
    autoscaling: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given an account the app manages, and a deployed stack to take settings from
    create_demo_account(sagemaker, autoscaling)
    run_reconcile()
    boto3.client("cloudformation", region_name="eu-west-1").create_stack(
        StackName="sagemaker-autoscaler",
        TemplateBody=json.dumps({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}),
    )
    ServiceRecordingSession.calls = []
    monkeypatch.setattr(boto3.session, "Session", ServiceRecordingSession)
    # When the tool plans (from the stack) and shows the status
    cli.main(["plan", "--region", "eu-west-1", "--stack", "sagemaker-autoscaler"])
    cli.main(["status", "--region", "eu-west-1"])
    cli.main(["report", "--region", "eu-west-1", "--prices", "snapshot"])
    capsys.readouterr()
    # Then every call it made is allowed by the README's policy
    called = set(ServiceRecordingSession.calls)
    assert {"cloudformation:DescribeStacks", "application-autoscaling:ListTagsForResource"} <= called
    assert "sagemaker:DescribeInferenceComponent" in called  # the report reads each component's copies
    assert called <= allowed_actions(readme_policy()), sorted(called - allowed_actions(readme_policy()))
