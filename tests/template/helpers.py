"""Paths and loaders shared by the template tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from local_account.template import Template

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_FILE = REPO_ROOT / "template.yaml"
EVENTS_DIR = REPO_ROOT / "events"
RAW_EVENTS_DIR = EVENTS_DIR / "eventbridge"
UNMATCHED_PREFIX = "unmatched-"
FUNCTION_ID = "ScalingEventsFunction"
ROLE_ID = "ScalingEventsFunctionRole"
PERIODIC_FUNCTION_ID = "PeriodicReconcileFunction"
LIFECYCLE_FUNCTION_ID = "LifecycleFunction"
# Every function of the template -> its own role.
ROLE_OF_FUNCTION = {
    FUNCTION_ID: ROLE_ID,
    PERIODIC_FUNCTION_ID: "PeriodicReconcileFunctionRole",
    LIFECYCLE_FUNCTION_ID: "LifecycleFunctionRole",
}
# The rule SAM generates for the periodic function's Schedule event (<function id><event id>).
SCHEDULE_RULE_ID = "PeriodicReconcileFunctionReconcileSchedule"
# The event source mapping SAM generates for the events function's SQS event.
EVENT_SOURCE_MAPPING_ID = "ScalingEventsFunctionScalingEvents"
# A value of the AdotLayerArn parameter (opt-in OpenTelemetry tracing), as AWS publishes the layer.
ADOT_LAYER_ARN = "arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:16"


def raw_samples() -> dict[str, dict[str, Any]]:
    """Sample name (file stem) -> EventBridge event, for every file in events/eventbridge/."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(RAW_EVENTS_DIR.glob("*.json"))}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(document: Template) -> dict[str, list[dict[str, Any]]]:
    """Role logical id -> every statement of its inline policies, of its attached managed policies and
    of any policy naming it in Roles."""
    resources = document["Resources"]
    statements: dict[str, list[dict[str, Any]]] = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        found = statements.setdefault(logical_id, [])
        for policy in resource["Properties"].get("Policies", []):
            found.extend(policy["PolicyDocument"]["Statement"])
        for arn in resource["Properties"].get("ManagedPolicyArns", []):
            # Only the stack's own managed policies can be checked here (an AWS managed one cannot).
            assert set(arn) == {"Ref"}, f"{logical_id} attaches {arn}, which this test cannot read"
            found.extend(resources[arn["Ref"]]["Properties"]["PolicyDocument"]["Statement"])
    for resource in resources.values():
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for role in resource["Properties"].get("Roles", []):
                statements[role["Ref"]].extend(resource["Properties"]["PolicyDocument"]["Statement"])
    return statements


def role_actions(document: Template) -> dict[str, set[str]]:
    """Role logical id -> every action its policies allow (see role_statements)."""
    actions: dict[str, set[str]] = {}
    for role, statements in role_statements(document).items():
        assert all(statement["Effect"] == "Allow" for statement in statements)
        actions[role] = {action for statement in statements for action in as_list(statement["Action"])}
    return actions
