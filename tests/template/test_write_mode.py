"""WriteMode=plan takes every write permission away from the roles; apply gives them back.

Checked on what CloudFormation receives (the template after the SAM transform), resolved for the
parameter values as a deployment would resolve them: conditions evaluated, the selected branch of each
Fn::If kept, AWS::NoValue removed.
"""

from __future__ import annotations

from typing import Any

import pytest

from local_account.template import Template
from tests.template.helpers import ROLE_OF_FUNCTION, role_actions
from tests.template.intrinsics import deployed

# Everything the functions may change in the account when they apply their plans.
SCALING_WRITES = {
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:PutScheduledAction",
    "application-autoscaling:DeleteScheduledAction",
    "application-autoscaling:TagResource",
    "application-autoscaling:UntagResource",
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DeleteAlarms",
    "cloudwatch:TagResource",
    "sagemaker:DeleteTags",
    "iam:CreateServiceLinkedRole",
}
READ_PREFIXES = ("Describe", "List", "Get")
# Not reads, but not scaling writes either: the functions' own logs and traces, the events function's
# own queue (it consumes its messages and re-enqueues rechecks), switching the stack's own rules
# off on uninstall, and publishing the journal's changes (planned ones too) on the default bus.
NOT_SCALING = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:SendMessage",
    "events:DisableRule",
    "events:PutEvents",
}
ROLES = sorted(ROLE_OF_FUNCTION.values())


def is_read(action: str) -> bool:
    _, _, name = action.partition(":")
    return "*" not in name and name.startswith(READ_PREFIXES)


@pytest.fixture(scope="module")
def plan(transformed: dict[str, Any]) -> dict[str, set[str]]:
    return role_actions(deployed(transformed, {"WriteMode": "plan"}))


@pytest.fixture(scope="module")
def apply(transformed: dict[str, Any]) -> dict[str, set[str]]:
    return role_actions(deployed(transformed, {"WriteMode": "apply"}))


def test_every_role_is_checked(plan: dict[str, set[str]], apply: dict[str, set[str]]) -> None:
    # Given / When the roles of the transformed template are listed in both modes
    # Then they are the three functions' roles, in both
    assert sorted(plan) == sorted(apply) == ROLES


@pytest.mark.parametrize("role", ROLES)
def test_in_plan_mode_no_role_can_write_anything(plan: dict[str, set[str]], role: str) -> None:
    # Given a role as deployed with WriteMode=plan
    actions = plan[role]

    # When the actions it allows are sorted into reads and the rest
    not_read = {action for action in actions if not is_read(action)}

    # Then everything else is one of the explicitly allowed non-scaling actions
    assert not_read <= NOT_SCALING, sorted(not_read - NOT_SCALING)
    assert not actions & SCALING_WRITES


@pytest.mark.parametrize("role", ROLES)
def test_in_apply_mode_every_role_has_the_writes(apply: dict[str, set[str]], role: str) -> None:
    # Given a role as deployed with WriteMode=apply (the default)
    actions = apply[role]

    # When its non-read actions are compared with the scaling writes
    # Then it may make every scaling change, and nothing besides those and the non-scaling actions
    assert actions >= SCALING_WRITES
    assert {action for action in actions if not is_read(action)} <= SCALING_WRITES | NOT_SCALING


@pytest.mark.parametrize("role", ROLES)
def test_plan_mode_removes_the_writes_and_nothing_else(
    plan: dict[str, set[str]], apply: dict[str, set[str]], role: str
) -> None:
    # Given a role in both modes
    # When the two are compared
    # Then plan mode loses exactly the scaling writes: it reads just as much as apply mode
    assert plan[role] == apply[role] - SCALING_WRITES


def test_the_default_is_apply_and_only_apply_or_plan_are_accepted(
    template: Template, transformed: dict[str, Any]
) -> None:
    # Given the parameter and the transformed template with no overrides
    parameter = template["Parameters"]["WriteMode"]

    # When the roles are resolved with the defaults
    default = role_actions(deployed(transformed))

    # Then they can write (apply), and plan is the only alternative
    assert parameter["Default"] == "apply"
    assert parameter["AllowedValues"] == ["apply", "plan"]
    assert all(actions >= SCALING_WRITES for actions in default.values())
